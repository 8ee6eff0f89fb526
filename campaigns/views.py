"""Planning pages: the shopping calendar, campaigns, content items and their review."""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from brandhub.access import (
    AgencyManagerRequiredMixin,
    AgencyStaffRequiredMixin,
    EditableLookupMixin,
    VisibleObjectMixin,
)
from brandhub.media import private_file_response
from brandhub.models import User

from . import feeds, selectors, services, workflow
from .calendar import CalendarError
from .choices import ContentStatus
from .forms import (
    CalendarFilterForm,
    CampaignFilterForm,
    CampaignForm,
    ContentItemForm,
    ContentItemMoveForm,
    CreativeForm,
    FestivalForm,
    TransitionForm,
)
from .models import CalendarFeed, Campaign, ContentItem, Creative, Festival
from .planner import CHINA, MAX_ITEMS_PER_DAY, MOVABLE, NEEDS_NEW_REVIEW


def _zone_label(name: str) -> str:
    return str(dict(User.TimeZone.choices).get(name, name))


def _filters(request):
    form = CalendarFilterForm(request.GET, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    return form, data.get("category", ""), data.get("brand", "")


class CalendarYearView(VisibleObjectMixin, TemplateView):
    """The year's festival windows as bands over twelve months, with the campaigns below them."""

    model = Campaign
    template_name = "campaigns/calendar_year.html"

    def get_context_data(self, year=None, **kwargs):
        year = year or timezone.localdate().year
        form, category, brand = _filters(self.request)
        try:
            festivals = selectors.festival_occurrences(year, category)
        except CalendarError as exc:
            raise Http404(str(exc)) from exc
        campaigns = selectors.campaigns_between(
            self.request.user, datetime.date(year, 1, 1), datetime.date(year, 12, 31), category, brand
        )
        return super().get_context_data(
            year=year,
            filter_form=form,
            querystring=self.request.GET.urlencode(),
            bands=selectors.year_bands(year, festivals, list(campaigns)),
            today=timezone.localdate(),
            **kwargs,
        )


class CalendarMonthView(VisibleObjectMixin, TemplateView):
    """A month of days: festivals, windows, campaign bars, items at their hour and material deadlines. Staff drag
    items to another day (``ContentItemMoveView``); on a phone the grid reads as an agenda of the busy days."""

    model = Campaign
    template_name = "campaigns/calendar_month.html"

    def get_context_data(self, year=None, month=None, **kwargs):
        today = timezone.localdate()
        year, month = year or today.year, month or today.month
        form, category, brand = _filters(self.request)
        query = self.request.GET.copy()
        try:
            selected = datetime.date.fromisoformat(query.pop("day", [""])[-1])
        except ValueError:
            selected = None
        try:
            month_data = selectors.month_calendar(
                self.request.user, year, month, category, brand, selected=selected, limit=MAX_ITEMS_PER_DAY
            )
        except CalendarError as exc:
            raise Http404(str(exc)) from exc
        selected_day = next((d for week in month_data.weeks for d in week if d.date == selected), None)
        this_week = today if today.year == year and today.month == month else month_data.first
        iso_year, iso_week, _weekday = this_week.isocalendar()
        return super().get_context_data(
            cal=month_data,
            filter_form=form,
            querystring=query.urlencode(),
            today=today,
            selected_day=selected_day,
            week_link=(iso_year, iso_week),
            movable=self.request.user.is_agency_staff,
            zone=timezone.get_current_timezone_name(),
            zone_label=_zone_label(timezone.get_current_timezone_name()),
            # A busy day shows its first items and a link to the full list: 5,000 items a month stay readable.
            max_items=MAX_ITEMS_PER_DAY,
            **kwargs,
        )


class CalendarWeekView(VisibleObjectMixin, TemplateView):
    """An ISO week hour by hour in China time: festivals and deadlines on top, items at their hour. Staff drag an
    item to another day and hour."""

    model = Campaign
    template_name = "campaigns/calendar_week.html"

    def get_context_data(self, year=None, week=None, **kwargs):
        form, category, brand = _filters(self.request)
        try:
            week_data = selectors.week_calendar(self.request.user, year, week, category, brand)
        except CalendarError as exc:
            raise Http404(str(exc)) from exc
        return super().get_context_data(
            cal=week_data,
            filter_form=form,
            querystring=self.request.GET.urlencode(),
            today=timezone.localdate(timezone=CHINA),
            movable=self.request.user.is_agency_staff,
            zone="Asia/Shanghai",
            zone_label=User.TimeZone.SHANGHAI.label,
            **kwargs,
        )


def calendar_feed(request, token):
    """A person's calendar as an ICS file, for a calendar app's subscription: the token in the address is the
    credential (no session), in the person's language; an unknown or reset token answers 404."""
    user = feeds.calendar_feed_user(token)
    if user is None:
        raise Http404
    with translation.override(user.language or settings.LANGUAGE_CODE):
        body = feeds.calendar_ics(user, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="helloita.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


class CalendarFeedResetView(LoginRequiredMixin, View):
    """POST only: a new calendar address for the signed-in person (their first, or one in place of the old)."""

    def post(self, request):
        had_one = CalendarFeed.objects.filter(user=request.user).exists()
        feeds.calendar_feed_reset(user=request.user)
        if had_one:
            messages.success(request, _("Your calendar has a new address; the old one no longer works."))
        else:
            messages.success(request, _("Your calendar address is ready: add it to your calendar app."))
        return redirect(reverse("user_settings") + "#calendar-feed")


class CampaignListView(VisibleObjectMixin, ListView):
    model = Campaign
    template_name = "campaigns/campaign_list.html"
    paginate_by = 30

    def get_queryset(self):
        self.filter_form = CampaignFilterForm(self.request.GET, user=self.request.user)
        queryset = super().get_queryset()
        if self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            if data["category"]:
                queryset = queryset.filter(category=data["category"])
            if data["brand"]:
                queryset = queryset.filter(campaign_brands__brand__slug=data["brand"])
            if data["status"]:
                queryset = queryset.filter(status=data["status"])
            if data["q"]:
                queryset = queryset.filter(
                    Q(title__icontains=data["q"])
                    | Q(festival__name_en__icontains=data["q"])
                    | Q(festival__name_zh_hans__icontains=data["q"])
                )
        return selectors.campaign_list(queryset, self.request.user)

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(filter_form=self.filter_form, querystring=query.urlencode(), **kwargs)


class CampaignDetailView(VisibleObjectMixin, DetailView):
    """A campaign as the reader may see it: a brand user sees their own brands and reviewed items only."""

    model = Campaign
    template_name = "campaigns/campaign_detail.html"

    def get_queryset(self):
        return selectors.campaigns_for_page(super().get_queryset(), self.request.user)

    def get_context_data(self, **kwargs):
        campaign, user = self.object, self.request.user
        occurrence = None
        if campaign.festival_id:
            try:
                occurrence = services.festival_occurrence(campaign.festival, campaign.festival_year)
            except CalendarError:
                occurrence = None
        items = list(selectors.campaign_items(campaign, user))
        # Other apps' parts of the page (the results app: results, banner comparison, last year's lesson).
        panels = selectors.campaign_panels(user, campaign, items)
        columns = [column for panel in panels for column in panel.columns]
        return super().get_context_data(
            occurrence=occurrence,
            items=items,
            rows=[(item, [column.cells.get(item.pk, "") for column in columns]) for item in items],
            columns=columns,
            panels=panels,
            internal=user.is_agency_staff,
            today=timezone.localdate(),
            **kwargs,
        )


class CampaignFormView(EditableLookupMixin, FormView):
    form_class = CampaignForm
    template_name = "campaigns/campaign_form.html"
    campaign = None

    def lookup(self, user, pk=None):
        if pk is not None:
            self.campaign = get_object_or_404(Campaign.objects.editable_by(user), pk=pk)
        elif not user.is_agency_staff:
            raise PermissionDenied

    def get_initial(self):
        initial = super().get_initial()
        if self.campaign is None:
            festival = Festival.objects.filter(pk=self.request.GET.get("festival") or None).first()
            year = self.request.GET.get("year")
            initial.update(
                festival=festival,
                festival_year=year if year else (services.festival_next_year(festival) if festival else None),
            )
        return initial

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.campaign or Campaign()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(campaign=self.campaign, **kwargs)

    def form_valid(self, form):
        try:
            campaign = services.campaign_save(
                user=self.request.user,
                campaign=self.campaign,
                brands=form.cleaned_data["brands"],
                **form.campaign_fields(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The campaign was saved."))
        return redirect(campaign)


class CampaignCopyView(EditableLookupMixin, View):
    """POST only: copy the campaign onto its festival's next date."""

    def lookup(self, user, pk):
        self.campaign = get_object_or_404(Campaign.objects.editable_by(user), pk=pk)

    def post(self, request, pk):
        campaign = self.campaign
        try:
            copy = services.campaign_copy_to_next_year(campaign=campaign, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(campaign)
        messages.success(
            request, _("Copied to %(year)s: every date moved with the festival.") % {"year": copy.festival_year}
        )
        return redirect(copy)


class ContentItemFormView(EditableLookupMixin, FormView):
    """Create or edit an item. The form carries the version it was built on: a stale form is refused."""

    form_class = ContentItemForm
    template_name = "campaigns/contentitem_form.html"
    item = None

    def lookup(self, user, pk=None, item_pk=None):
        if item_pk is not None:
            editable = ContentItem.objects.editable_by(user).select_related("campaign")
            self.item = get_object_or_404(editable, pk=item_pk)
            self.campaign = self.item.campaign
        else:
            self.campaign = get_object_or_404(Campaign.objects.editable_by(user), pk=pk)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.item or ContentItem(), "campaign": self.campaign}

    def get_context_data(self, **kwargs):
        return super().get_context_data(campaign=self.campaign, item=self.item, **kwargs)

    def form_valid(self, form):
        try:
            item = services.content_save(
                user=self.request.user,
                campaign=self.campaign,
                item=self.item,
                brands=form.cleaned_data["brands"],
                version=form.cleaned_data.get("version"),
                **form.item_fields(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        if self.item is not None and item.status == "in_review" and self.item.status in ("approved", "scheduled"):
            messages.warning(self.request, _("The item was saved and went back to review: it changed after approval."))
        else:
            messages.success(self.request, _("The content item was saved."))
        return redirect(item)


class ContentItemDetailView(VisibleObjectMixin, DetailView):
    """An item, its texts and creatives; staff also see the review (problems, actions, history)."""

    model = ContentItem
    template_name = "campaigns/contentitem_detail.html"
    context_object_name = "item"

    def get_queryset(self):
        return selectors.items_for_page(super().get_queryset(), self.request.user)

    def get_context_data(self, **kwargs):
        item, user = self.object, self.request.user
        creatives = list(item.creatives.all())
        internal = user.is_agency_staff
        return super().get_context_data(
            creatives=creatives,
            internal=internal,
            problems=services.content_problems(item, creatives) if internal else [],
            actions=workflow.allowed_actions(item, user),
            transition_form=TransitionForm(initial={"version": item.version}),
            creative_form=CreativeForm(initial={"version": item.version}) if internal else None,
            needs_new_review=item.status in ("approved", "scheduled"),
            panels=selectors.item_panels(user, item),
            editable=internal and item.status not in workflow.CLOSED,
            languages=[
                ("it", "it", item.title_it, item.body_it),
                ("en", "en", item.title_en, item.body_en),
                ("zh", "zh-Hans", item.title_zh_hans, item.body_zh_hans),
            ],
            **kwargs,
        )


class ContentItemTransitionView(EditableLookupMixin, View):
    """POST only: one workflow action, refused when the page was built on an older version of the item."""

    def lookup(self, user, pk):
        self.item = get_object_or_404(ContentItem.objects.editable_by(user), pk=pk)

    def post(self, request, pk):
        item = self.item
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The request was incomplete."))
            return redirect(item)
        data = form.cleaned_data
        try:
            item = services.content_transition(
                item=item,
                user=request.user,
                action=data["action"],
                comment=data["comment"],
                accept_warnings=data["accept_warnings"],
                version=data["version"],
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You may not do this."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The item is now %(status)s.") % {"status": item.get_status_display()})
        return redirect(item)


class ContentItemMoveView(EditableLookupMixin, View):
    """POST only: an item dragged (or moved with the keyboard) to another day or hour on the calendar.

    The move is an edit through ``services.content_save``: an approved or scheduled item goes back to review (the
    page's dialog said so first), and a page built on an older version of the item is refused. Answers JSON to the
    calendar's script (``Accept: application/json``), else redirects back with a message.
    """

    def lookup(self, user, pk):
        self.item = get_object_or_404(ContentItem.objects.editable_by(user).select_related("campaign"), pk=pk)

    def post(self, request, pk):
        item = self.item
        form = ContentItemMoveForm(request.POST)
        if not form.is_valid():
            return self.answer(error=_("The request was incomplete."), status=400)
        if item.status not in MOVABLE:
            return self.answer(
                error=_("This item is %(status)s: it cannot be moved on the calendar.")
                % {"status": item.get_status_display()},
                status=400,
            )
        data = form.cleaned_data
        zone = zoneinfo.ZoneInfo(data["zone"]) if data["zone"] else timezone.get_current_timezone()
        local = item.scheduled_at.astimezone(zone)
        when = datetime.datetime.combine(data["date"], data["time"] or local.time(), tzinfo=zone)
        try:
            moved = services.content_save(
                user=request.user, campaign=item.campaign, item=item, version=data["version"], scheduled_at=when
            )
        except workflow.StaleVersion as exc:
            return self.answer(error=" ".join(exc.messages), status=409, code="stale")
        except ValidationError as exc:
            return self.answer(error=" ".join(exc.messages), status=400)
        back_to_review = moved.status == ContentStatus.IN_REVIEW and item.status in NEEDS_NEW_REVIEW
        shown = moved.scheduled_at.astimezone(zone)
        values = {"title": moved.title, "when": formats.date_format(shown, "DATETIME_FORMAT")}
        if back_to_review:
            message = _("“%(title)s” moved to %(when)s; it went back to review.") % values
        else:
            message = _("“%(title)s” moved to %(when)s.") % values
        return self.answer(
            message=message,
            status_code=moved.status,
            status_label=moved.get_status_display(),
            version=moved.version,
            date=shown.date().isoformat(),
            time=shown.strftime("%H:%M"),
            datetime=shown.isoformat(),
            needs_new_review=moved.status in NEEDS_NEW_REVIEW,
            back_to_review=back_to_review,
        )

    def answer(self, *, error="", message="", status=200, code="", status_code="", **data):
        request = self.request
        if "application/json" in request.headers.get("Accept", ""):
            body = {"error": error, "code": code} if error else {"message": message, "status": status_code, **data}
            return JsonResponse(body, status=status)
        if error:
            messages.error(request, error)
        elif data.get("back_to_review"):
            messages.warning(request, message)
        else:
            messages.success(request, message)
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False):
            local = self.item.scheduled_at.astimezone(timezone.get_current_timezone())
            back = reverse("campaigns:calendar_month", kwargs={"year": local.year, "month": local.month})
        return redirect(back)


class CreativeAddView(EditableLookupMixin, View):
    def lookup(self, user, pk):
        self.item = get_object_or_404(ContentItem.objects.editable_by(user).select_related("campaign"), pk=pk)

    def post(self, request, pk):
        item = self.item
        form = CreativeForm(request.POST, request.FILES)
        if form.is_valid():
            previous_status = item.status
            try:
                creative = services.creative_add(
                    item=item,
                    user=request.user,
                    image=form.cleaned_data["image"],
                    subject=form.cleaned_data["subject"],
                    topic=form.cleaned_data["topic"],
                    version=form.cleaned_data["version"],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                if previous_status in ("approved", "scheduled"):
                    messages.warning(request, _("The creative was added and the item went back to review."))
                if creative.size_warning:
                    messages.warning(request, creative.size_warning)
                elif previous_status not in ("approved", "scheduled"):
                    messages.success(request, _("The creative was added."))
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(reverse("campaigns:contentitem_detail", kwargs={"pk": item.pk}) + "#creatives")


class TodoView(AgencyStaffRequiredMixin, TemplateView):
    template_name = "campaigns/todo.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(today=today, **selectors.todo(self.request.user, today), **kwargs)


class FestivalListView(AgencyStaffRequiredMixin, TemplateView):
    """The festival rules with this year's dates; managers edit them."""

    template_name = "campaigns/festival_list.html"

    def get_context_data(self, **kwargs):
        year = timezone.localdate().year
        dates = {o.key: o for o in selectors.festival_occurrences(year)}
        festivals = Festival.objects.select_related("anchor").order_by("month", "day", "key")
        return super().get_context_data(year=year, rows=[(f, dates.get(f.key)) for f in festivals], **kwargs)


class FestivalUpdateView(AgencyManagerRequiredMixin, FormView):
    form_class = FestivalForm
    template_name = "campaigns/festival_form.html"

    def lookup(self, user, key):
        self.festival = get_object_or_404(Festival, key=key)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.festival}

    def get_context_data(self, **kwargs):
        return super().get_context_data(festival=self.festival, **kwargs)

    def form_valid(self, form):
        try:
            services.festival_save(user=self.request.user, festival=form.instance)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The festival was saved; every date follows the new rule."))
        return redirect("campaigns:festival_list")


class CreativeImageView(View):
    """A creative's image or one of its renditions, for the users who may see its item; anyone else, anonymous
    users included, gets 404. The file is private (``brandhub.media``): served or redirected to a short-lived
    signed URL after this check, never with a public URL or into a shared cache."""

    def get(self, request, pk, rendition):
        if rendition not in Creative.RENDITIONS:
            raise Http404
        items = ContentItem.objects.visible_to(request.user)
        creative = get_object_or_404(Creative.objects.select_related("image").filter(item__in=items), pk=pk)
        return private_file_response(creative.image.file.storage, creative.image.rendition_path(rendition))
