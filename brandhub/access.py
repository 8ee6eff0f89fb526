"""Who may open a page. Object-level access is never decided here: querysets do it (``visible_to``).

Every page with an object in its URL finds it *after* the role check, so an address never tells a user
without the role whether the object exists: the same 403 (or 404) for an object that is there and one
that is not. Views implement ``lookup(user, **url_kwargs)`` to find their objects.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied


def require_agency_staff(user) -> None:
    """The services' check that a write comes from the agency's staff (``is_agency_staff``: an active manager,
    editor or superuser); anyone else, anonymous included, gets ``PermissionDenied``."""
    if not (user is not None and user.is_authenticated and user.is_agency_staff):
        raise PermissionDenied


class LookupMixin(LoginRequiredMixin):
    """Anonymous users go to the login page; then ``allowed(user)`` (else 403); then ``lookup``."""

    def allowed(self, user) -> bool:
        return True

    def lookup(self, user, **kwargs) -> None:
        """Find the URL's objects through ``visible_to`` / ``editable_by`` (raising ``Http404``)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.allowed(request.user):
            raise PermissionDenied
        self.lookup(request.user, **kwargs)
        return super().dispatch(request, *args, **kwargs)


class AgencyStaffRequiredMixin(LookupMixin):
    """Pages for agency managers and editors only (brand users get 403, anonymous users the login page)."""

    def allowed(self, user) -> bool:
        return user.is_agency_staff


class AgencyManagerRequiredMixin(LookupMixin):
    """Pages for agency managers only."""

    def allowed(self, user) -> bool:
        return user.is_agency_manager


class EditableLookupMixin(LookupMixin):
    """Pages that change one object, for anyone who may edit it: whoever may not gets 404 from ``lookup``,
    whether the object exists or not, so an edit URL never tells a brand user that something is there."""


class VisibleObjectMixin(LoginRequiredMixin):
    """Detail pages: the object is looked up among what the user may see, so anything else answers 404."""

    access = "visible_to"

    def get_queryset(self):
        return getattr(self.model.objects, self.access)(self.request.user)


class EditableObjectMixin(VisibleObjectMixin):
    access = "editable_by"
