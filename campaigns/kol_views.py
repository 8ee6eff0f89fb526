"""KOL pages: the list with its search and filters, a KOL's page (accounts, follower history, bookings and their
results), the KOL form, follower counts, the names the KOL migration could not match, and bookings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from brandhub.access import AgencyStaffRequiredMixin, LookupMixin

from . import kol_names, kol_selectors, kols
from .choices import BookingStatus
from .filters import KolFilterSet
from .kol_forms import FollowerCountForm, KolBookingForm, KolForm, KolMergeForm, account_formset
from .models import Campaign, Kol, KolBooking


def _querystring(request, *drop) -> str:
    query = request.GET.copy()
    for name in ("page", *drop):
        query.pop(name, None)
    return query.urlencode()


class KolListView(AgencyStaffRequiredMixin, ListView):
    """KOLs by name, handle or agency, platform, focus, language, followers and fee; pick two to four to compare."""

    template_name = "campaigns/kol_list.html"
    paginate_by = 30

    def get_queryset(self):
        self.filterset = KolFilterSet(self.request.GET, queryset=Kol.objects.all())
        return kol_selectors.kol_list(self.filterset.qs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter=self.filterset,
            querystring=_querystring(self.request),
            unmatched=kol_selectors.unmatched_items().count(),
            # ?compare=<pk>: a KOL's page sends the reader here with that KOL already ticked for the comparison.
            ticked={int(pk) for pk in self.request.GET.getlist("compare") if pk.isdigit()},
            **kwargs,
        )


class KolDetailView(AgencyStaffRequiredMixin, TemplateView):
    """A KOL: names, focus, languages, agency and contact, fees; each platform account with its follower history;
    every booking with its results (the results app's column); the content items that feature them."""

    template_name = "campaigns/kol_detail.html"

    def lookup(self, user, pk):
        self.kol = get_object_or_404(Kol.objects.visible_to(user).prefetch_related("accounts__counts"), pk=pk)

    def get_context_data(self, **kwargs):
        kol, user = self.kol, self.request.user
        bookings = list(kol_selectors.kol_bookings(kol))
        columns = kol_selectors.booking_columns(user, bookings)
        accounts = [(account, kols.kol_growth(account)[:12]) for account in kol.accounts.all()]
        return super().get_context_data(
            kol=kol,
            accounts=accounts,
            rows=[(booking, [column.cells.get(booking.pk, "") for column in columns]) for booking in bookings],
            columns=columns,
            items=kol.items.select_related("campaign").order_by("-scheduled_at")[:20],
            count_form=FollowerCountForm(kol=kol),
            **kwargs,
        )


class KolFormView(AgencyStaffRequiredMixin, FormView):
    """Create or edit a KOL with a row per platform (handle, profile URL, followers today)."""

    form_class = KolForm
    template_name = "campaigns/kol_form.html"
    kol = None

    def lookup(self, user, pk=None):
        if pk is not None:
            self.kol = get_object_or_404(Kol.objects.editable_by(user).prefetch_related("accounts"), pk=pk)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.kol or Kol()}

    def get_context_data(self, **kwargs):
        if "accounts" not in kwargs:
            kwargs["accounts"] = account_formset(self.kol)
        return super().get_context_data(kol=self.kol, **kwargs)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        accounts = account_formset(self.kol, request.POST)
        if not (form.is_valid() and accounts.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, accounts=accounts))
        try:
            kol = kols.kol_save(user=request.user, kol=self.kol, accounts=accounts.rows(), **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_to_response(self.get_context_data(form=form, accounts=accounts))
        messages.success(request, _("The KOL was saved."))
        return redirect(kol)


class KolMergeView(AgencyStaffRequiredMixin, FormView):
    """Two records of one person: pick the other, read what moves onto this KOL, then merge (``kols.kol_merge``)."""

    form_class = KolMergeForm
    template_name = "campaigns/kol_merge.html"

    def lookup(self, user, pk):
        self.kol = get_object_or_404(Kol.objects.editable_by(user), pk=pk)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kol": self.kol}

    def get_context_data(self, **kwargs):
        return super().get_context_data(kol=self.kol, **kwargs)

    def form_valid(self, form):
        other = form.cleaned_data["other"]
        if not form.cleaned_data["confirm"]:
            preview = kols.kol_merge_preview(keep=self.kol, other=other)
            confirm = KolMergeForm(initial={"other": other.pk, "confirm": True}, kol=self.kol)
            return self.render_to_response(self.get_context_data(form=confirm, other=other, preview=preview))
        name = str(other)
        try:
            kols.kol_merge(user=self.request.user, keep=self.kol, other=other)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s was merged into this KOL.") % {"name": name})
        return redirect(self.kol)


class KolFollowersView(AgencyStaffRequiredMixin, View):
    """POST only: a count of one of the KOL's accounts on a day."""

    def lookup(self, user, pk):
        self.kol = get_object_or_404(Kol.objects.editable_by(user), pk=pk)

    def post(self, request, pk):
        form = FollowerCountForm(request.POST, kol=self.kol)
        if form.is_valid():
            try:
                kols.kol_followers_record(
                    user=request.user,
                    account=form.cleaned_data["account"],
                    day=form.cleaned_data["day"],
                    followers=form.cleaned_data["followers"],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The count was recorded."))
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(reverse("campaigns:kol_detail", kwargs={"pk": self.kol.pk}) + "#accounts")


REASONS = {
    kol_names.EMPTY: _("Nothing but punctuation."),
    kol_names.PLACEHOLDER: _("A placeholder, not a name."),
    kol_names.SEVERAL: _("Several KOLs in one name."),
    kol_names.TOO_SHORT: _("Too short to be a name."),
    kol_names.UNCONFIRMED_NAME: _("Marked as not confirmed."),
    kol_names.AMBIGUOUS: _("Could be more than one KOL: %(candidates)s."),
}


class KolUnmatchedView(AgencyStaffRequiredMixin, ListView):
    """The content items whose KOL was typed before KOLs were records and could not be matched, with the reason, so
    staff pick the right KOL on each (the text stays on the item until they do)."""

    template_name = "campaigns/kol_unmatched.html"
    paginate_by = 50

    def get_queryset(self):
        return kol_selectors.unmatched_items().order_by("kol_text", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        known = list(Kol.objects.values_list("pk", "name", "name_zh"))
        page = list(context["object_list"])
        matching = kol_names.match(list({item.kol_text for item in page}), known=known)
        reasons = {}
        for entry in matching.unmatched:
            reasons[entry.text] = str(REASONS[entry.reason]) % {"candidates": ", ".join(entry.candidates)}
        for person in matching.people:
            if person.kol_id:
                reason = _("Looks like %(kol)s: pick them on the item.") % {"kol": person.label}
            else:
                reason = _("No KOL on record has this name: add the KOL, then pick them on the item.")
            reasons.update(dict.fromkeys(person.texts, reason))
        context["rows"] = [(item, reasons.get(item.kol_text, "")) for item in page]
        return context


class KolBookingListView(LookupMixin, ListView):
    """Bookings: staff see every booking (by status); a brand user the agreed bookings their brands took part in, with
    their own brands' results and no fee."""

    template_name = "campaigns/kolbooking_list.html"
    paginate_by = 30

    def get_queryset(self):
        queryset = KolBooking.objects.all()
        self.status = self.request.GET.get("status", "")
        if self.status in BookingStatus.values and self.request.user.is_agency_staff:
            queryset = queryset.filter(status=self.status)
        return kol_selectors.bookings_for(self.request.user, queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bookings = list(context["object_list"])
        columns = kol_selectors.booking_columns(self.request.user, bookings)
        context.update(
            rows=[(b, [column.cells.get(b.pk, "") for column in columns]) for b in bookings],
            columns=columns,
            statuses=BookingStatus.choices,
            status=self.status,
            querystring=_querystring(self.request),
            internal=self.request.user.is_agency_staff,
        )
        return context


class KolBookingFormView(AgencyStaffRequiredMixin, FormView):
    """Book a KOL (``?kol=`` and ``?campaign=`` preset the choices), or change a booking."""

    form_class = KolBookingForm
    template_name = "campaigns/kolbooking_form.html"
    booking = None

    def lookup(self, user, pk=None):
        if pk is not None:
            self.booking = get_object_or_404(KolBooking.objects.editable_by(user).select_related("kol"), pk=pk)

    def _preset(self, model, name):
        value = self.request.GET.get(name, "")
        return model.objects.filter(pk=value).first() if value.isdigit() else None

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "instance": self.booking or KolBooking()}
        return {**kwargs, "campaign": self._preset(Campaign, "campaign")}

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("show_items"):
            # "Show its content items" sends the form back by GET: keep what was typed while the items come up.
            fields = ("fee_cny", "deliverables", "starts_on", "ends_on", "status", "notes")
            initial.update({name: self.request.GET[name] for name in fields if self.request.GET.get(name)})
        kol = self._preset(Kol, "kol")
        if kol is not None and self.booking is None:
            initial["kol"] = kol.pk
            if kol.fee_min_cny is not None:
                initial.setdefault("fee_cny", kol.fee_min_cny)
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(booking=self.booking, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            booking = kols.booking_save(
                user=self.request.user,
                booking=self.booking,
                kol=data["kol"],
                campaign=data["campaign"],
                items=data["items"],
                **form.booking_fields(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The booking was saved."))
        return redirect(booking.kol)
