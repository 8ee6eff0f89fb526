"""Project-wide views: home, health check, uploaded media, the user's own settings."""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, ListView, TemplateView, UpdateView

from . import ratelimit, services
from .access import AgencyManagerRequiredMixin
from .forms import ApiKeyForm, UserFilterForm, UserForm, UserSettingsForm
from .media import clean_media_path, is_private, media_type, protect
from .models import ApiKey, User


class HomeView(LoginRequiredMixin, TemplateView):
    """What needs doing today: staff see their review queue, late material, what goes live in 48 hours and
    the next festivals; brand users see their results this month, their brands' completeness and their upcoming
    campaigns."""

    template_name = "brandhub/home.html"

    def get_context_data(self, **kwargs):
        from django.utils import timezone

        from brands.completeness import missing_labels
        from campaigns import selectors

        user = self.request.user
        if user.is_agency_staff:
            from brands.models import BrandChangeProposal
            from campaigns.publishing.selectors import attention

            now = timezone.now()
            return super().get_context_data(
                staff=True,
                publishing=attention(user, now),
                proposals_pending=BrandChangeProposal.objects.pending().count(),
                **selectors.staff_home(user, now),
                **kwargs,
            )
        from campaigns.results.overview import home_summary

        home = selectors.brand_home(user, timezone.localdate())
        for brand in home["brands"]:
            brand.missing = missing_labels(brand.completeness_missing)
        return super().get_context_data(
            staff=False, today=timezone.localdate(), results=home_summary(user), **home, **kwargs
        )


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _check_broker() -> str:
    from brandhub.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


@never_cache
def healthz(request):
    """State of the database and the broker: 200 when both answer, 503 otherwise (for load balancers)."""
    checks = {}
    for name, check in (("database", _check_database), ("broker", _check_broker)):
        try:
            checks[name] = check()
        except Exception as exc:  # any failure means "not ready", reported by type only
            checks[name] = f"error: {type(exc).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)


def media(request, path):
    """Public uploaded images (logos, covers, renditions), always with a safe content type, ``nosniff`` and a
    sandboxing CSP. Private files (``private/``: creatives) are never served here, only by their own views."""
    path = clean_media_path(path)
    if not path or is_private(path):
        raise Http404
    content_type = media_type(path)
    root = Path(settings.MEDIA_ROOT).resolve()
    full = (root / path).resolve()
    # Checked again after resolving: a link must not lead out of the folder or into the private files.
    if not full.is_relative_to(root) or is_private(full.relative_to(root).as_posix()) or not full.is_file():
        raise Http404
    response = protect(FileResponse(full.open("rb"), content_type=content_type))
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, sending at most a few mails per address and per client address an hour
    (``brandhub.ratelimit``; no mail at all while the cache that counts is unreachable).

    The answer is the same redirect to the same page whatever happens (address known or not, limit reached or
    not), so the page never tells whether an address has an account.
    """

    def form_valid(self, form):
        client = ratelimit.client_address(self.request.META)
        if ratelimit.password_reset_allowed(email=form.cleaned_data["email"], client=client):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


class UserSettingsView(LoginRequiredMixin, UpdateView):
    form_class = UserSettingsForm
    template_name = "registration/user_settings.html"
    success_url = reverse_lazy("user_settings")

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        language = form.cleaned_data.get("language")
        if language:
            translation.activate(language)  # the confirmation below, and the pages from now on, in that language
        messages.success(self.request, _("Your settings were saved."))
        response = super().form_valid(form)
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            )
        return response


class UserListView(AgencyManagerRequiredMixin, ListView):
    """Every account, with its role and the brands a brand user may see."""

    template_name = "brandhub/user_list.html"
    paginate_by = 50

    def get_queryset(self):
        from brands.models import BrandMembership

        self.filter_form = UserFilterForm(self.request.GET)
        queryset = User.objects.order_by("-is_active", "role", "username").prefetch_related(
            Prefetch("brand_memberships", queryset=BrandMembership.objects.select_related("brand"))
        )
        if self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            if data["q"]:
                q = data["q"]
                queryset = queryset.filter(
                    Q(username__icontains=q)
                    | Q(first_name__icontains=q)
                    | Q(last_name__icontains=q)
                    | Q(email__icontains=q)
                )
            if data["role"]:
                queryset = queryset.filter(role=data["role"])
        return queryset

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(filter_form=self.filter_form, querystring=query.urlencode(), **kwargs)


class UserCreateView(AgencyManagerRequiredMixin, FormView):
    form_class = UserForm
    template_name = "brandhub/user_form.html"

    def form_valid(self, form):
        try:
            user = services.user_create(
                actor=self.request.user, base_url=self.request.build_absolute_uri("/"), **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("%(user)s was created and invited by email.") % {"user": user.username})
        return redirect("user_list")


class UserUpdateView(AgencyManagerRequiredMixin, FormView):
    form_class = UserForm
    template_name = "brandhub/user_form.html"

    def lookup(self, user, pk):
        self.account = get_object_or_404(User, pk=pk)

    def get_form_kwargs(self):
        # A copy: a failed validation must not leave half-applied values on the object shown again.
        return {**super().get_form_kwargs(), "instance": User.objects.get(pk=self.account.pk)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(account=self.account, **kwargs)

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items()}
        try:
            services.user_update(actor=self.request.user, user=self.account, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The account was saved."))
        return redirect("user_list")


class UserActionView(AgencyManagerRequiredMixin, View):
    """POST only: deactivate, reactivate, or send the invitation again."""

    def post(self, request, pk):
        account = get_object_or_404(User, pk=pk)
        action = request.POST.get("action")
        try:
            if action in ("deactivate", "activate"):
                services.user_set_active(actor=request.user, user=account, active=action == "activate")
                messages.success(request, _("The account was updated."))
            elif action == "invite":
                services.user_invite(user=account, base_url=request.build_absolute_uri("/"))
                messages.success(request, _("The invitation was sent again."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(reverse("user_list"))


class ApiKeyListView(AgencyManagerRequiredMixin, FormView):
    """Partner keys: who has one, what it may read, when it was last used; create (shown once) and revoke."""

    form_class = ApiKeyForm
    template_name = "brandhub/apikey_list.html"

    def get_context_data(self, **kwargs):
        keys = ApiKey.objects.select_related("created_by").prefetch_related("brands")
        return super().get_context_data(keys=keys, **kwargs)

    def form_valid(self, form):
        import datetime

        from django.utils import timezone

        data = form.cleaned_data
        expires = None
        if data["expires_on"]:
            expires = datetime.datetime.combine(
                data["expires_on"], datetime.time.max, tzinfo=timezone.get_current_timezone()
            )
        try:
            api_key, key = services.apikey_create(
                actor=self.request.user,
                name=data["name"],
                scopes=data["scopes"],
                brands=data["brands"],
                expires_at=expires,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        # Shown on this response only: the key is not stored and cannot be shown again.
        return self.render_to_response(self.get_context_data(form=ApiKeyForm(), new_key=key, new_api_key=api_key))


class ApiKeyRevokeView(AgencyManagerRequiredMixin, View):
    def post(self, request, pk):
        api_key = get_object_or_404(ApiKey, pk=pk)
        services.apikey_revoke(actor=request.user, api_key=api_key)
        messages.success(request, _("The key %(prefix)s was revoked.") % {"prefix": api_key.prefix})
        return redirect("apikey_list")
