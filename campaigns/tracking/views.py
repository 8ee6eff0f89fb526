"""Pages of offline events and tracked links: staff make and print codes; brand users see their events' scans."""

import csv
import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView, View

from brandhub.access import EditableLookupMixin, LookupMixin
from campaigns.models import Campaign

from . import qr, selectors, services, sheets
from .forms import LinkImportForm, OfflineEventForm, QrForm, TrackedLinkForm
from .models import OfflineEvent, Scan, TrackedLink

CHINA = selectors.CHINA


def _brand_logo(link: TrackedLink) -> bytes | None:
    brand = link.brands.select_related("logo").first()
    if brand is None or brand.logo is None:
        return None
    try:
        with brand.logo.file.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        return None


class _FiguresMixin:
    """``?bots=1`` includes bots (excluded by default), ``?days=N`` limits to the last N days."""

    def figures(self, links):
        include_bots = self.request.GET.get("bots") == "1"
        return selectors.scan_figures(links, include_bots=include_bots), include_bots


class EventListView(LookupMixin, ListView):
    template_name = "tracking/event_list.html"
    paginate_by = 30

    def get_queryset(self):
        return selectors.events_for_list(OfflineEvent.objects.visible_to(self.request.user))

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(timezone=CHINA), **kwargs)


class EventDetailView(_FiguresMixin, LookupMixin, TemplateView):
    template_name = "tracking/event_detail.html"

    def lookup(self, user, pk):
        self.event = get_object_or_404(OfflineEvent.objects.visible_to(user).select_related("campaign"), pk=pk)

    def get_context_data(self, **kwargs):
        user, event = self.request.user, self.event
        links = selectors.links_of(user, event=event)
        figures, include_bots = self.figures(links)
        brands = event.brands.all() if user.is_agency_staff else event.brands.visible_to(user)
        products = event.products.select_related("brand").filter(brand__in=brands)
        campaign = (
            event.campaign
            if event.campaign_id and Campaign.objects.visible_to(user).filter(pk=event.campaign_id).exists()
            else None
        )
        brands = list(brands)
        # Measured followers (metric facts) of the reader's brands of the event win over the figure typed in by hand.
        measured = selectors.measured_followers([b.pk for b in brands], event.starts_on, event.ends_on)
        return super().get_context_data(
            measured=measured,
            days=selectors.event_days(event, figures, measured),
            event=event,
            brands=brands,
            products=products,
            campaign=campaign,
            links=selectors.links_with_counts(links).prefetch_related("brands"),
            figures=figures,
            include_bots=include_bots,
            internal=user.is_agency_staff,
            # The typed-in followers are all its brands' together: a brand user of a shared event sees none.
            show_followers=user.is_agency_staff or event.brands.exclude(pk__in=[b.pk for b in brands]).count() == 0,
            **kwargs,
        )


class EventFormView(EditableLookupMixin, FormView):
    form_class = OfflineEventForm
    template_name = "tracking/event_form.html"
    event = None

    def lookup(self, user, pk=None):
        if pk is not None:
            self.event = get_object_or_404(OfflineEvent.objects.editable_by(user), pk=pk)
        elif not user.is_agency_staff:
            raise PermissionDenied

    def get_initial(self):
        campaign = self.request.GET.get("campaign")
        if self.event is None and campaign and campaign.isdigit():
            found = Campaign.objects.filter(pk=campaign).first()
            if found:
                return {
                    "campaign": found,
                    "brands": found.brands.all(),
                    "starts_on": found.starts_on,
                    "ends_on": found.ends_on,
                }
        return {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.event or OfflineEvent()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.event, **kwargs)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        brands, products = data.pop("brands"), data.pop("products")
        try:
            event = services.event_save(
                user=self.request.user, event=self.event, brands=brands, products=products, **data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The event was saved."))
        return redirect(event)


class LinkFormView(EditableLookupMixin, FormView):
    """Add a link to an event, or edit a link: the code stays, the destination may change after printing."""

    form_class = TrackedLinkForm
    template_name = "tracking/link_form.html"
    link = None

    def lookup(self, user, pk=None, link_pk=None):
        if link_pk is not None:
            self.link = get_object_or_404(TrackedLink.objects.editable_by(user).select_related("event"), pk=link_pk)
            self.event = self.link.event
        else:
            self.event = get_object_or_404(OfflineEvent.objects.editable_by(user), pk=pk)

    def get_initial(self):
        if self.link is None:
            return {"city": self.event.city, "venue": self.event.venue, "reward": self.event.reward}
        return {}

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.link or TrackedLink(event=self.event),
            "event": self.event,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(link=self.link, event=self.event, **kwargs)

    def form_valid(self, form):
        try:
            data = dict(form.cleaned_data)
            brands = data.pop("brands")
            link = services.link_save(user=self.request.user, link=self.link, event=self.event, brands=brands, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The link was saved: the next scan goes to its destination."))
        return redirect(link)


class LinkImportView(EditableLookupMixin, FormView):
    form_class = LinkImportForm
    template_name = "tracking/link_import.html"

    def lookup(self, user, pk):
        self.event = get_object_or_404(OfflineEvent.objects.editable_by(user), pk=pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.event, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        if upload.size > 1024 * 1024:
            form.add_error("file", _("The file is larger than 1 MB."))
            return self.form_invalid(form)
        report = services.links_bulk_create(user=self.request.user, event=self.event, data=upload.read())
        if report.errors:
            return self.render_to_response(self.get_context_data(form=form, report=report))
        messages.success(self.request, _("%(n)d links were made.") % {"n": len(report.created)})
        return redirect(self.event)


class LinkDetailView(_FiguresMixin, LookupMixin, TemplateView):
    template_name = "tracking/link_detail.html"

    def lookup(self, user, pk):
        self.link = get_object_or_404(TrackedLink.objects.visible_to(user).select_related("event"), pk=pk)

    def get_context_data(self, **kwargs):
        user = self.request.user
        links = TrackedLink.objects.filter(pk=self.link.pk)
        figures, include_bots = self.figures(links)
        return super().get_context_data(
            link=self.link,
            event=self.link.event if self.link.event_id else None,
            figures=figures,
            include_bots=include_bots,
            internal=user.is_agency_staff,
            qr_form=QrForm(initial={"caption": self.link.reward}),
            **kwargs,
        )


class LinkQrView(EditableLookupMixin, View):
    """The link's QR image as PNG or SVG at print size; bad parameters answer 400 with the reasons."""

    def lookup(self, user, pk):
        self.link = get_object_or_404(TrackedLink.objects.editable_by(user), pk=pk)

    def get(self, request, pk):
        form = QrForm(request.GET or None)
        if request.GET and not form.is_valid():
            errors = "; ".join(
                f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}" for f, e in form.errors.items()
            )
            return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
        data = form.cleaned_data if request.GET else {name: field.initial for name, field in form.fields.items()}
        options = {
            "size_cm": float(data["size_cm"]),
            "foreground": data["foreground"],
            "background": data["background"],
            "logo": _brand_logo(self.link) if data.get("logo") else None,
            "caption": data.get("caption") or None,
        }
        url = self.link.tracked_url("qr")
        name = f"qr-{self.link.code}"
        try:
            if data["format"] == "svg":
                response = HttpResponse(qr.qr_svg(url, **options), content_type="image/svg+xml")
                name += ".svg"
            else:
                response = HttpResponse(qr.qr_png(url, dpi=int(data["dpi"]), **options), content_type="image/png")
                name += ".png"
        except ValidationError as exc:
            return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
        if request.GET.get("download"):
            response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response


def _sheet_code(link: TrackedLink) -> sheets.SheetCode:
    return sheets.SheetCode(
        data=link.tracked_url("qr"), caption=link.label, subcaption=" · ".join(p for p in (link.city, link.venue) if p)
    )


class EventSheetView(EditableLookupMixin, View):
    """All the event's active codes on A4 sheets with captions and crop marks."""

    def lookup(self, user, pk):
        self.event = get_object_or_404(OfflineEvent.objects.editable_by(user), pk=pk)

    def get(self, request, pk):
        links = list(self.event.links.filter(status=TrackedLink.Status.ACTIVE))
        if not links:
            messages.error(request, _("This event has no active link to print."))
            return redirect(self.event)
        pdf = sheets.codes_sheet_pdf([_sheet_code(link) for link in links], title=self.event.title)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="codes-event-{self.event.pk}.pdf"'
        return response


class LinkTentView(EditableLookupMixin, View):
    """An A5 table tent for one code, with the reward in Chinese."""

    def lookup(self, user, pk):
        self.link = get_object_or_404(TrackedLink.objects.editable_by(user).select_related("event"), pk=pk)

    def get(self, request, pk):
        link, event = self.link, self.link.event
        brand = link.brands.first()
        reward_zh = link.reward or (event.reward_zh if event else "") or _("Scan me")
        pdf = sheets.table_tent_pdf(
            _sheet_code(link),
            brand_name=" ".join(p for p in (brand.name_it, brand.name_zh_hans) if p) if brand else "",
            reward_zh=reward_zh,
            reward_en=(event.reward_en if event else "") or None,
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="table-tent-{link.code}.pdf"'
        return response


class _Echo:
    def write(self, value):
        return value


class ScanExportView(LookupMixin, View):
    """Raw scans of an event as CSV, for a date range in China time (``?from=YYYY-MM-DD&to=YYYY-MM-DD``)."""

    def allowed(self, user):
        return user.is_agency_staff

    def lookup(self, user, pk):
        self.event = get_object_or_404(OfflineEvent.objects.visible_to(user), pk=pk)

    def get(self, request, pk):
        try:
            start = datetime.date.fromisoformat(request.GET.get("from") or self.event.starts_on.isoformat())
            end = datetime.date.fromisoformat(request.GET.get("to") or self.event.ends_on.isoformat())
        except ValueError:
            return HttpResponse(
                _("Dates are written YYYY-MM-DD."), status=400, content_type="text/plain; charset=utf-8"
            )
        if end < start:
            return HttpResponse(
                _("The end date comes before the start."), status=400, content_type="text/plain; charset=utf-8"
            )
        since = datetime.datetime.combine(start, datetime.time(), tzinfo=CHINA)
        until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), tzinfo=CHINA)
        scans = (
            Scan.objects.filter(link__event=self.event, scanned_at__gte=since, scanned_at__lt=until)
            .select_related("link")
            .order_by("scanned_at")
        )
        writer = csv.writer(_Echo())

        def rows():
            yield "\ufeff"
            yield writer.writerow(
                [
                    "scanned_at_china",
                    "code",
                    "label",
                    "city",
                    "venue",
                    "source",
                    "outcome",
                    "app",
                    "device",
                    "os",
                    "bot",
                    "language",
                    "first_of_day",
                ]
            )
            for scan in scans.iterator(chunk_size=2000):
                yield writer.writerow(
                    [
                        scan.scanned_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S"),
                        scan.link.code,
                        scan.link.label,
                        scan.link.city,
                        scan.link.venue,
                        scan.source,
                        scan.outcome,
                        scan.app,
                        scan.device,
                        scan.os,
                        int(scan.is_bot),
                        scan.language,
                        int(scan.first_of_day),
                    ]
                )

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="scans-event-{self.event.pk}-{start}-{end}.csv"'
        return response


class CampaignScansView(_FiguresMixin, LookupMixin, TemplateView):
    """Every tracked link of a campaign (its events' and its own), with their scans."""

    template_name = "tracking/campaign_scans.html"

    def lookup(self, user, pk):
        self.campaign = get_object_or_404(Campaign.objects.visible_to(user), pk=pk)

    def get_context_data(self, **kwargs):
        links = selectors.links_of(self.request.user, campaign=self.campaign)
        figures, include_bots = self.figures(links)
        events = OfflineEvent.objects.visible_to(self.request.user).filter(campaign=self.campaign)
        return super().get_context_data(
            campaign=self.campaign,
            events=selectors.events_for_list(events),
            links=selectors.links_with_counts(links).select_related("event"),
            figures=figures,
            include_bots=include_bots,
            internal=self.request.user.is_agency_staff,
            **kwargs,
        )
