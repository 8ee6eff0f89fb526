"""Livestream pages: the sessions list, a session's page, its form (the item and the session together), its run
sheet (to read on a phone, to print, as a PDF) and the QR codes the run sheet shows on screen."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from brandhub.access import EditableLookupMixin, LookupMixin

from . import kol_selectors, livestreams
from .choices import Channel, LivePlatform
from .livestream_forms import LivestreamForm, host_formset, step_formset
from .models import Campaign, ContentItem, LivestreamSession
from .runsheet_pdf import run_sheet_pdf
from .services import CHINA

QR_CM = 2.5  # the run sheet's codes: readable from a phone held at arm's length, small enough for a table


class LivestreamListView(LookupMixin, ListView):
    """Sessions the reader may see, coming ones first (``?when=past`` for those gone by), by platform."""

    template_name = "campaigns/livestream_list.html"
    paginate_by = 30

    def get_queryset(self):
        queryset = kol_selectors.sessions_for(self.request.user)
        self.when = "past" if self.request.GET.get("when") == "past" else "coming"
        self.platform = self.request.GET.get("platform", "")
        # A session is coming until it has ended: the one on air now is still on the coming list.
        recent = timezone.now() - datetime.timedelta(hours=12)
        if self.when == "past":
            queryset = queryset.filter(item__scheduled_at__lt=recent)
        else:
            queryset = queryset.filter(item__scheduled_at__gte=recent).order_by("item__scheduled_at", "pk")
        if self.platform in LivePlatform.values:
            queryset = queryset.filter(platform=self.platform)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sessions = list(context["object_list"])
        columns = kol_selectors.livestream_columns(self.request.user, sessions)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            rows=[(s, [column.cells.get(s.pk, "") for column in columns]) for s in sessions],
            columns=columns,
            when=self.when,
            platform=self.platform,
            platforms=LivePlatform.choices,
            querystring=query.urlencode(),
            internal=self.request.user.is_agency_staff,
        )
        return context


class LivestreamDetailView(LookupMixin, TemplateView):
    """A session as the reader may see it: its time, platform, hosts, brands and products (a brand user's own part of
    a shared session), the run sheet's outline and the results (the results app's panel)."""

    template_name = "campaigns/livestream_detail.html"

    def lookup(self, user, pk):
        self.session = kol_selectors.session_for_page(user, pk)
        if self.session is None:
            raise Http404

    def get_context_data(self, **kwargs):
        session, user = self.session, self.request.user
        internal = user.is_agency_staff
        return super().get_context_data(
            session=session,
            item=session.item,
            hosts=kol_selectors.visible_hosts(user, session),
            slots=kol_selectors.run_sheet(user, session),
            panels=kol_selectors.livestream_panels(user, session),
            internal=internal,
            editable=internal and session.item.status not in livestreams.RUN_SHEET_CLOSED,
            **kwargs,
        )


class LivestreamFormView(EditableLookupMixin, TemplateView):
    """Plan a session on a campaign (``campaigns/<pk>/livestreams/new/``) or change one (``livestreams/<pk>/edit/``,
    also for a livestream item made before sessions existed). The form carries the item's version."""

    template_name = "campaigns/livestream_form.html"
    session = None
    item = None

    def lookup(self, user, pk=None, campaign_pk=None):
        if campaign_pk is not None:
            self.campaign = get_object_or_404(Campaign.objects.editable_by(user), pk=campaign_pk)
            return
        editable = ContentItem.objects.editable_by(user).filter(channel=Channel.LIVESTREAM)
        self.item = get_object_or_404(editable.select_related("campaign"), pk=pk)
        self.campaign = self.item.campaign
        self.session = LivestreamSession.objects.filter(item=self.item).first()

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self._form())
        kwargs.setdefault("hosts", host_formset(self.campaign, self.session))
        return super().get_context_data(campaign=self.campaign, session=self.session, item=self.item, **kwargs)

    def _form(self, data=None):
        form = LivestreamForm(data, campaign=self.campaign, session=self.session)
        if self.item is not None and self.session is None and data is None:
            # An item of the livestream channel made before sessions: its own time, titles and brands.
            item = self.item
            form.initial.update(
                {name: getattr(item, name) for name in ("title_zh_hans", "title_en", "title_it", "body_zh_hans",
                                                         "body_en", "body_it")}
                | {"scheduled_at": item.scheduled_at, "version": item.version,
                   "brands": list(item.brands.values_list("pk", flat=True))}
            )  # fmt: skip
        return form

    def post(self, request, *args, **kwargs):
        form = self._form(request.POST)
        hosts = host_formset(self.campaign, self.session, request.POST)
        if not (form.is_valid() and hosts.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, hosts=hosts))
        data = form.cleaned_data
        try:
            session = livestreams.livestream_save(
                user=request.user,
                campaign=self.campaign,
                item=self.item,
                version=data.get("version"),
                brands=data.get("brands"),
                products=data["products"],
                hosts=hosts.hosts(),
                session=form.session_fields(),
                **form.item_fields(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_to_response(self.get_context_data(form=form, hosts=hosts))
        if (
            self.item is not None
            and session.item.status == "in_review"
            and self.item.status in ("approved", "scheduled")
        ):
            messages.warning(request, _("The session was saved and went back to review: it changed after approval."))
        else:
            messages.success(request, _("The livestream session was saved."))
        return redirect(session)


class RunSheetView(LookupMixin, TemplateView):
    """The run sheet as the host reads it on a phone, and as it prints (its own print stylesheet): each step's time
    slot in China time, the product, what to say in each language, the offer and the code on screen."""

    template_name = "campaigns/runsheet_detail.html"

    def lookup(self, user, pk):
        self.session = kol_selectors.session_for_page(user, pk)
        if self.session is None:
            raise Http404

    def get_context_data(self, **kwargs):
        session, user = self.session, self.request.user
        slots = kol_selectors.run_sheet(user, session)
        codes = kol_selectors.screen_codes(user, session) if any(s.step.link_code for s in slots) else {}
        return super().get_context_data(
            session=session,
            item=session.item,
            hosts=kol_selectors.visible_hosts(user, session),
            slots=[(slot, codes.get(slot.step.link_code)) for slot in slots],
            total=kol_selectors.run_sheet_minutes(session),
            internal=user.is_agency_staff,
            editable=user.is_agency_staff and session.item.status not in livestreams.RUN_SHEET_CLOSED,
            **kwargs,
        )


class RunSheetEditView(EditableLookupMixin, TemplateView):
    """The run sheet's steps as a form: drag-free ordering by number, a product or a moment, minutes, talking points
    per language, the offer and the code on screen. Blank rows add steps; a ticked row goes."""

    template_name = "campaigns/runsheet_form.html"

    def lookup(self, user, pk):
        self.session = get_object_or_404(
            LivestreamSession.objects.editable_by(user).select_related("item__campaign"), pk=pk
        )

    def get_context_data(self, **kwargs):
        if "steps" not in kwargs:
            kwargs["steps"] = step_formset(self.session, self._codes())
        return super().get_context_data(session=self.session, item=self.session.item, **kwargs)

    def _codes(self):
        return kol_selectors.screen_codes(self.request.user, self.session).values()

    def post(self, request, *args, **kwargs):
        steps = step_formset(self.session, self._codes(), request.POST)
        if not steps.is_valid():
            return self.render_to_response(self.get_context_data(steps=steps))
        try:
            warnings = livestreams.run_sheet_save(user=request.user, session=self.session, steps=steps.steps())
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(steps=steps, errors=exc.messages))
        for warning in warnings:
            messages.warning(request, warning)
        if not warnings:
            messages.success(request, _("The run sheet was saved."))
        return redirect("campaigns:runsheet_detail", pk=self.session.pk)


class RunSheetPdfView(RunSheetView):
    """The run sheet as an A4 PDF (what the reader may see of it), with the codes at print size."""

    def get(self, request, *args, **kwargs):
        session, user = self.session, request.user
        slots = kol_selectors.run_sheet(user, session)
        codes = kol_selectors.screen_codes(user, session) if any(s.step.link_code for s in slots) else {}
        body = run_sheet_pdf(
            session,
            slots=slots,
            hosts=kol_selectors.visible_hosts(user, session),
            codes=codes,
            zone=CHINA,
        )
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="run-sheet-{session.pk}.pdf"'
        return response


class RunSheetCodeView(LookupMixin, View):
    """The QR image of a code a run sheet step shows, for those who may read that step (a code of another brand's
    step answers 404 to a brand user, like the step itself)."""

    def get(self, request, pk, code):
        session = kol_selectors.session_for_page(request.user, pk)
        if session is None:
            raise Http404
        shown = {slot.step.link_code for slot in kol_selectors.run_sheet(request.user, session)}
        found = kol_selectors.screen_codes(request.user, session).get(code) if code in shown else None
        if found is None:
            raise Http404
        response = HttpResponse(found.png(QR_CM), content_type="image/png")
        response["Cache-Control"] = "private, max-age=300"
        return response
