"""Who may open a page. Object-level access is never decided here: querysets do it (``visible_to``)."""

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin


class AgencyStaffRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Pages for agency managers and editors only (brand users get 403, anonymous users the login page)."""

    def test_func(self):
        return self.request.user.is_agency_staff


class AgencyManagerRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Pages for agency managers only."""

    def test_func(self):
        return self.request.user.is_agency_manager


class VisibleObjectMixin(LoginRequiredMixin):
    """Detail pages: the object is looked up among what the user may see, so anything else answers 404."""

    access = "visible_to"

    def get_queryset(self):
        return getattr(self.model.objects, self.access)(self.request.user)


class EditableObjectMixin(VisibleObjectMixin):
    access = "editable_by"


class EditableLookupMixin(LoginRequiredMixin):
    """Pages that change one object: anonymous users go to the login page; anyone who may not edit the object
    gets 404 whether it exists or not, so an edit URL never tells a brand user that something is there.

    Views implement ``lookup(user, **url_kwargs)``, which finds their objects through ``editable_by`` and
    raises ``Http404``.
    """

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.lookup(request.user, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def lookup(self, user, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must find its objects with editable_by in lookup()")
