"""PDF reports of a brand's results (per month, per campaign), and the managers' page that mails a month's report.

The brand is looked up among the brands the reader may see (another brand answers 404), the campaign among the
reader's campaigns that this brand takes part in (404 otherwise, for staff too: a brand has no report on a campaign
it is not in). The PDF holds that one brand's figures, in the reader's language and time zone.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import ngettext
from django.views.generic import FormView, View

from brandhub.access import AgencyManagerRequiredMixin, LookupMixin
from brands.models import Brand
from campaigns.models import Campaign
from campaigns.notifications.render import pick

from ..forms.reports import ReportMailForm
from ..report_mail import report_mail_log, report_mail_send
from ..reports import campaign_report, month_name, month_report, report_pdf

YEARS = range(2000, 2101)
STATUS_CLASSES = {"pending": "status-paused", "sent": "status-active", "skipped": "status-archived",
                  "failed": "status-failed"}  # fmt: skip


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"  # a brand's figures: never kept by a shared cache
    return response


class ReportMonthView(LookupMixin, View):
    """A brand's month as a PDF: ``/results/brands/<slug>/reports/<year>/<month>/``."""

    def lookup(self, user, *, slug, year, month):
        self.brand = get_object_or_404(Brand.objects.visible_to(user), slug=slug)
        if year not in YEARS or not 1 <= month <= 12:
            raise Http404

    def get(self, request, *, slug, year, month):
        report = month_report(self.brand, year, month)
        return pdf_response(report_pdf(report), report.filename)


class ReportCampaignView(LookupMixin, View):
    """A brand's part of a campaign as a PDF: ``/results/brands/<slug>/reports/campaigns/<pk>/``."""

    def lookup(self, user, *, slug, pk):
        self.brand = get_object_or_404(Brand.objects.visible_to(user), slug=slug)
        campaigns = Campaign.objects.visible_to(user).filter(campaign_brands__brand=self.brand)
        self.campaign = get_object_or_404(campaigns.select_related("festival"), pk=pk)

    def get(self, request, *, slug, pk):
        report = campaign_report(self.brand, self.campaign)
        return pdf_response(report_pdf(report), report.filename)


class ReportMailView(AgencyManagerRequiredMixin, FormView):
    """Managers: send a brand's monthly report mail again (after a late import), and the latest report mails."""

    template_name = "results/report_mail.html"
    form_class = ReportMailForm

    def get_initial(self):
        initial = super().get_initial()
        slug = self.request.GET.get("brand")
        if slug:
            initial["brand"] = Brand.objects.filter(slug=slug).first()
        return initial

    def form_valid(self, form):
        month = form.cleaned_data["month"]
        try:
            sent = report_mail_send(
                brand=form.cleaned_data["brand"],
                year=month.year,
                month=month.month,
                actor=self.request.user,
                token=form.cleaned_data["token"],
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext(
                "The report for %(month)s is on its way to %(count)s person.",
                "The report for %(month)s is on its way to %(count)s people.",
                len(sent),
            )
            % {"month": month_name(month), "count": len(sent)},
        )
        return redirect("results:report_mail")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [
            {
                "notification": n,
                "brand": pick(n.params.get("brands", [""])[0]),
                "month": month_name(datetime.date.fromisoformat(n.params["month"])) if "month" in n.params else "",
                "update": n.params.get("update"),
                "status_class": STATUS_CLASSES.get(n.mail_status, ""),
            }
            for n in report_mail_log()
        ]
        context["hour"], context["days"] = settings.RESULTS_REPORT_MAIL_HOUR, settings.RESULTS_REPORT_MAIL_DAYS
        return context
