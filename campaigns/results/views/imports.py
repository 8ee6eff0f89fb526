"""Pages of the file import, for agency staff (brand users get 403): upload, mapping, progress and report, log.

The progress page draws the run's state from the database and the cache (``imports.import_progress``) on every
load, so a reload loses nothing; ``static/js/results-import.js`` polls the status URL to move the bar, and reloads
the page when the run reaches a state with more to show (the report, the counts). Without JavaScript, a link
reloads the page.
"""

import codecs
import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from brandhub.access import AgencyStaffRequiredMixin
from brandhub.sheets import FileError

from .. import importfile, imports
from ..forms.imports import MetricImportForm, MetricImportMappingForm
from ..models import MetricImport

Status = MetricImport.Status
ISSUES_PER_PAGE = 50


class _RunMixin(AgencyStaffRequiredMixin):
    """The run of the URL, looked up after the role check (brand users get 403 whether it exists or not)."""

    def lookup(self, user, pk):
        self.run = get_object_or_404(MetricImport.objects.select_related("source", "created_by"), pk=pk)


class MetricImportListView(AgencyStaffRequiredMixin, ListView):
    """Every run, newest first: source, file, who, when, status and counts (two queries whatever the number)."""

    template_name = "results/metricimport_list.html"
    paginate_by = 30
    context_object_name = "runs"

    def get_queryset(self):
        return MetricImport.objects.select_related("source", "created_by").order_by("-created_at", "-pk")


class MetricImportCreateView(AgencyStaffRequiredMixin, FormView):
    """Step 1: the file, its source and the defaults for what it has no column for."""

    template_name = "results/metricimport_form.html"
    form_class = MetricImportForm

    def get_initial(self):
        # The source of the last file this person imported: most people import the same export again and again.
        last = MetricImport.objects.filter(created_by=self.request.user).order_by("-created_at").first()
        return {"source": last.source_id} if last else {}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            run = imports.metric_import_create(
                user=self.request.user,
                upload=data["file"],
                source=data["source"],
                source_name=data["new_source"],
                defaults=form.defaults(),
            )
        except FileError as exc:
            form.add_error("file", exc.messages[0])
            return self.form_invalid(form)
        if run.status == Status.MAPPING:
            return redirect("results:import_mapping", pk=run.pk)
        return redirect(run)


class MetricImportMappingView(_RunMixin, FormView):
    """Step 2, when the file needs a person: each column's field (unknown ones first, with sample values)."""

    template_name = "results/metricimport_mapping.html"
    form_class = MetricImportMappingForm

    def get(self, request, *args, **kwargs):
        if self.run.status != Status.MAPPING:
            return redirect(self.run)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.run.status != Status.MAPPING:
            messages.info(request, _("The columns of this file are mapped already."))
            return redirect(self.run)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        # The first rows of the stored file again (a few dozen rows, also when the page comes back with errors).
        samples = imports.run_samples(self.run)
        self.samples_missing = samples is None
        return {**super().get_form_kwargs(), "run": self.run, "samples": samples}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.run
        # Before the first choice, what the file lacks as uploaded (a figure may be in the columns not mapped yet);
        # after a choice, the form's own errors say it.
        unknown = sum(1 for c in run.columns if c is None)
        skip = {"unknown", "no_figures"} if unknown else {"unknown"}
        context.update(
            run=run,
            problems=[]
            if context["form"].is_bound
            else [
                importfile.problem_message(code, params)
                for code, params in importfile.problems(run.columns, run.headers, run.defaults)
                if code not in skip
            ],
            unknown=unknown,
            file_gone=getattr(self, "samples_missing", False),
        )
        return context

    def form_valid(self, form):
        try:
            run = imports.metric_import_map(
                run=self.run, user=self.request.user, columns=form.chosen(), defaults=form.defaults()
            )
        except ValueError:
            form.add_error(None, _("The mapping still leaves a problem: check the columns."))
            return self.form_invalid(form)
        messages.success(self.request, _("The columns are mapped and remembered for this source. Checking the rows …"))
        return redirect(run)


class MetricImportDetailView(_RunMixin, TemplateView):
    """The run: its progress while it runs, then the row-by-row report and the counts (issues 50 a page)."""

    template_name = "results/metricimport_detail.html"

    def get_context_data(self, **kwargs):
        run = self.run
        issues = Paginator(run.issues.order_by("row", "pk"), ISSUES_PER_PAGE)
        page = issues.get_page(self.request.GET.get("page"))
        stored = issues.count
        return super().get_context_data(
            run=run,
            progress=imports.import_progress(run),
            page_obj=page,
            is_paginated=page.has_other_pages(),
            paginator=issues,
            issue_rows=list(imports.issue_rows(page.object_list)),
            issues_stored=stored,
            issues_capped=run.rows_bad > 0 and stored >= imports.MAX_STORED_ISSUES,
            failure=importfile.failure_message(run.failure) if run.failure else "",
            can_cancel=run.status in imports.CANCELLABLE,
            can_retry=imports.can_retry(run),
            **kwargs,
        )


class MetricImportStatusView(_RunMixin, View):
    """The run's progress as JSON, for the page's script (polled about once a second)."""

    def get(self, request, pk):
        response = JsonResponse(imports.import_progress(self.run))
        response["Cache-Control"] = "no-store"
        return response


class _Echo:
    def write(self, value):
        return value


class MetricImportReportView(_RunMixin, View):
    """The bad rows' report as CSV, in the reader's language (with a BOM, so Excel reads the Chinese)."""

    def get(self, request, pk):
        run = self.run
        writer = csv.writer(_Echo())

        def rows():
            yield codecs.BOM_UTF8.decode("utf-8")
            yield writer.writerow([_("Row"), _("Column"), _("Problem"), _("Code")])
            for issue in imports.issue_rows(run.issues.order_by("row", "pk").iterator(chunk_size=500)):
                yield writer.writerow([issue["row"], issue["column"], issue["message"], issue["code"]])

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-report.csv"'
        return response


class MetricImportActionView(_RunMixin, View):
    """What a person decides: import the good rows of a file with bad rows, cancel, or start a stopped run again."""

    ACTIONS = {
        "import_good": (imports.metric_import_accept, gettext_lazy("Importing the good rows …")),
        "cancel": (imports.metric_import_cancel, gettext_lazy("The import is cancelled: nothing was written.")),
        "retry": (imports.metric_import_retry, gettext_lazy("The import starts again.")),
    }

    def post(self, request, pk):
        action = request.POST.get("action")
        if action not in self.ACTIONS:
            return HttpResponseBadRequest(_("Unknown action."))
        service, done = self.ACTIONS[action]
        if service(run=self.run, user=request.user):
            messages.success(request, str(done))
        else:
            messages.warning(request, _("The import has moved on meanwhile: nothing was changed."))
        return redirect(self.run)
