"""The staff console for the registry. Views are thin: access from querysets, writes through services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from brandhub.access import (
    AgencyManagerRequiredMixin,
    AgencyStaffRequiredMixin,
    EditableObjectMixin,
    VisibleObjectMixin,
)

from . import completeness, history, proposals, review, selectors, services, transfer
from .documents import brand_document
from .filters import BrandFilterSet
from .forms import CHILD_FORMSETS, CHILD_LABELS, BrandForm, CompletenessRuleForm, ImportUploadForm, MembershipForm
from .models import (
    Brand,
    BrandChangeProposal,
    BrandMembership,
    BrandRevision,
    CompletenessRule,
    ImageAsset,
    ImportBatch,
)


class BrandListView(VisibleObjectMixin, ListView):
    """Search, filter, sort and page through the brands the user may see."""

    model = Brand
    paginate_by = 25
    template_name = "brands/brand_list.html"

    def get_queryset(self):
        # Always bound (an empty query is valid): invalid filters are ignored and shown as form errors.
        self.filterset = BrandFilterSet(self.request.GET, queryset=super().get_queryset())
        return selectors.brand_list(self.filterset.qs)

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(filter=self.filterset, querystring=query.urlencode(), **kwargs)


#: Export formats and the extension of their file names.
EXPORT_FORMATS = {"csv": "csv", "xlsx": "xlsx"}


class BrandExportView(VisibleObjectMixin, View):
    """The current filtered list as CSV or XLSX, in the import layout."""

    model = Brand

    def get(self, request, fmt):
        if fmt not in EXPORT_FORMATS:  # The URL pattern allows only these; the file name is ours alone.
            raise Http404
        brands = BrandFilterSet(request.GET, queryset=self.get_queryset()).qs.prefetch_related(
            "stores", "certifications"
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        if fmt == "xlsx":
            response = HttpResponse(
                transfer.export_xlsx(brands.iterator(chunk_size=500)),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            response = StreamingHttpResponse(
                transfer.export_csv_chunks(brands.iterator(chunk_size=500)), content_type="text/csv; charset=utf-8"
            )
        response["Content-Disposition"] = f'attachment; filename="brands-{stamp}.{EXPORT_FORMATS[fmt]}"'
        return response


class BrandDetailView(VisibleObjectMixin, DetailView):
    model = Brand
    template_name = "brands/brand_detail.html"

    def get_queryset(self):
        return selectors.brands_with_children(super().get_queryset())

    def get_context_data(self, **kwargs):
        brand, user = self.object, self.request.user
        proposals = selectors.brand_proposals(brand, user)
        return super().get_context_data(
            can_edit=Brand.objects.editable_by(user).filter(pk=brand.pk).exists(),
            can_propose=Brand.objects.proposable_by(user).filter(pk=brand.pk).exists(),
            proposals=review.with_lines(proposals, {brand.pk: brand_document(brand)}),
            missing=completeness.missing_labels(brand.completeness_missing),
            revisions=history.with_lines(selectors.brand_revisions(brand)),
            membership_form=MembershipForm() if user.is_agency_manager else None,
            languages=[
                (code, lang, *(getattr(brand, f"{field}_{suffix}") for field in ("name", "description", "story")))
                for code, lang, suffix in (("it", "it", "it"), ("en", "en", "en"), ("zh", "zh-Hans", "zh_hans"))
            ],
            **kwargs,
        )


def add_service_errors(form, exc: ValidationError) -> None:
    """A service's ``ValidationError`` on the form: on the field it names when the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class BrandFormMixin:
    """Create and edit share one page: the brand form, one tab per language, and the child row sets.

    ``proposal`` is the user's pending proposal when a brand editor (who proposes rather than saves) edits: the
    form then starts from the brand with that proposal's changes, so saving again keeps them.
    """

    template_name = "brands/brand_form.html"
    proposal = None

    def start_document(self, brand):
        doc = brand_document(brand)
        if self.proposal is not None:
            doc = proposals.proposal_target(self.proposal, doc)
        return doc

    def forms(self, brand=None):
        data = self.request.POST if self.request.method == "POST" else None
        files = self.request.FILES if self.request.method == "POST" else None
        doc = self.start_document(brand) if brand is not None else {}
        initial = doc["fields"] if self.proposal is not None else None
        form = BrandForm(data, files, instance=brand or Brand(), initial=initial, user=self.request.user)
        formsets = {
            name: formset(data, prefix=name, initial=doc.get(name, [])) for name, formset in CHILD_FORMSETS.items()
        }
        return form, formsets

    def render_forms(self, form, formsets, brand=None):
        sections = [(name, CHILD_LABELS[name], formset) for name, formset in formsets.items()]
        context = {"form": form, "formset_sections": sections, "brand": brand, "object": brand}
        if brand is not None and self.proposing:
            context.update(proposing=True, proposal=self.proposal, proposed_images=self.proposed_images(brand))
        return self.render_to_response(self.get_context_data(**context))

    def proposed_images(self, brand) -> dict:
        """{"logo": URL, "cover": URL} of the images the pending proposal changes (thumbnails)."""
        if self.proposal is None:
            return {}
        doc, images = self.start_document(brand), {}
        for name in ("logo", "cover"):
            asset_id = doc["fields"].get(name)
            if asset_id and asset_id != getattr(brand, f"{name}_id"):
                asset = ImageAsset.objects.filter(pk=asset_id).first()
                if asset is not None:
                    images[name] = review.image_url(self.proposal, asset)
        return images

    def save(self, form, formsets, brand=None):
        if not (form.is_valid() and all(fs.is_valid() for fs in formsets.values())):
            messages.error(self.request, _("Please correct the errors below."))
            return self.render_forms(form, formsets, brand)
        rows = {name: fs.rows() for name, fs in formsets.items()}
        images = {"logo": form.cleaned_data["logo_upload"], "cover": form.cleaned_data["cover_upload"]}
        try:
            if brand is None:
                brand = services.brand_create(user=self.request.user, fields=form.brand_fields(), **rows, **images)
                messages.success(self.request, _("The brand %(name)s was created.") % {"name": brand})
            elif self.proposing:
                updating = self.proposal is not None
                proposals.proposal_submit(
                    brand=brand, user=self.request.user, fields=form.brand_fields(), **rows, **images
                )
                if updating:
                    messages.success(self.request, _("Your proposal was updated; it is still waiting for review."))
                else:
                    messages.success(
                        self.request,
                        _("Your proposal was sent to the agency. The profile changes when they accept it."),
                    )
                return redirect(f"{brand.get_absolute_url()}#proposals")
            else:
                brand = services.brand_update(
                    brand=brand, user=self.request.user, fields=form.brand_fields(), **rows, **images
                )
                messages.success(self.request, _("The changes were saved."))
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.render_forms(form, formsets, brand)
        return redirect(brand)


class BrandCreateView(AgencyStaffRequiredMixin, BrandFormMixin, TemplateView):
    proposing = False

    def get(self, request):
        return self.render_forms(*self.forms())

    def post(self, request):
        return self.save(*self.forms())


class BrandUpdateView(EditableObjectMixin, BrandFormMixin, SingleObjectMixin, TemplateView):
    """Staff save the brand; a brand editor's save is a proposal for staff to review (``brands.proposals``).
    Anyone else, viewers included, gets 404."""

    model = Brand

    def get(self, request, slug):
        self.object = brand = self.get_object()
        return self.render_forms(*self.forms(brand), brand=brand)

    def post(self, request, slug):
        self.object = brand = self.get_object()
        return self.save(*self.forms(brand), brand=brand)

    def get_object(self, queryset=None):
        brand = super().get_object(queryset)
        self.proposing = not self.request.user.is_agency_staff
        if self.proposing:
            self.proposal = BrandChangeProposal.objects.filter(
                brand=brand, proposed_by=self.request.user, status=BrandChangeProposal.Status.PENDING
            ).first()
        return brand

    def get_queryset(self):
        user = self.request.user
        brands = Brand.objects.editable_by(user) if user.is_agency_staff else Brand.objects.proposable_by(user)
        return selectors.brands_with_children(brands)


class BrandArchiveView(AgencyStaffRequiredMixin, VisibleObjectMixin, SingleObjectMixin, View):
    """POST only: archive (or, with ``restore``, bring back) a brand. Nothing is deleted."""

    model = Brand

    def post(self, request, slug):
        brand = self.get_object()
        if "restore" in request.POST:
            services.brand_unarchive(brand=brand, user=request.user)
            messages.success(request, _("%(name)s is back in the working list.") % {"name": brand})
        else:
            services.brand_archive(brand=brand, user=request.user)
            messages.success(request, _("%(name)s was archived.") % {"name": brand})
        return redirect(brand)


class BrandRevisionRestoreView(EditableObjectMixin, SingleObjectMixin, View):
    """GET: the preview of a restore (what changes, which newer revisions it undoes); POST: do it, recorded as
    a new revision."""

    model = Brand

    def get(self, request, slug, number):
        brand = self.get_object()
        revision = get_object_or_404(BrandRevision, brand=brand, number=number)
        current = brand_document(selectors.brands_with_children(Brand.objects.filter(pk=brand.pk)).get())
        return render(
            request,
            "brands/brandrevision_restore.html",
            {"brand": brand, "preview": history.restore_preview(brand, revision, current)},
        )

    def post(self, request, slug, number):
        brand = self.get_object()
        revision = get_object_or_404(BrandRevision, brand=brand, number=number)
        try:
            services.brand_revert(brand=brand, revision=revision, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Revision #%(number)s was restored.") % {"number": number})
        return redirect(f"{brand.get_absolute_url()}#history")


class BrandMemberAddView(AgencyManagerRequiredMixin, VisibleObjectMixin, SingleObjectMixin, View):
    model = Brand

    def post(self, request, slug):
        brand = self.get_object()
        form = MembershipForm(request.POST)
        if form.is_valid():
            try:
                services.brand_member_add(brand=brand, actor=request.user, **form.cleaned_data)
                messages.success(request, _("Access given to %(user)s.") % {"user": form.cleaned_data["user"]})
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(f"{brand.get_absolute_url()}#members")


class BrandMemberRemoveView(AgencyManagerRequiredMixin, View):
    def post(self, request, slug, pk):
        membership = get_object_or_404(BrandMembership, pk=pk, brand__slug=slug)
        services.brand_member_remove(membership=membership, actor=request.user)
        messages.success(request, _("Access removed."))
        return redirect(f"{membership.brand.get_absolute_url()}#members")


class BrandImportView(AgencyStaffRequiredMixin, FormView):
    """Step 1: upload a file; it is read and validated into a preview."""

    form_class = ImportUploadForm
    template_name = "brands/brand_import.html"

    def form_valid(self, form):
        try:
            batch = transfer.import_parse(form.cleaned_data["file"], user=self.request.user)
        except ValidationError as exc:
            form.add_error("file", exc)
            return self.form_invalid(form)
        return redirect("brands:brand_import_preview", pk=batch.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(columns=transfer.COLUMNS, **kwargs)


class BrandImportPreviewView(AgencyStaffRequiredMixin, DetailView):
    """Step 2: the row-by-row report; a file without errors can be applied, all rows or none."""

    template_name = "brands/brand_import_preview.html"
    context_object_name = "batch"

    def get_queryset(self):
        return ImportBatch.objects.filter(created_by=self.request.user)

    def get_context_data(self, **kwargs):
        batch = self.object
        counts = {"create": 0, "update": 0}
        for row in batch.rows:
            counts[row["action"]] += 1
        return super().get_context_data(preview=batch.rows[:200], counts=counts, **kwargs)

    def post(self, request, pk):
        batch = self.get_object()
        try:
            counts = transfer.import_apply(batch, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("brands:brand_import_preview", pk=batch.pk)
        messages.success(
            request,
            _("Import applied: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % counts,
        )
        return redirect("brands:brand_list")


class CompletenessRuleListView(AgencyStaffRequiredMixin, ListView):
    """The rules behind the completeness score; managers add and remove them."""

    model = CompletenessRule
    template_name = "brands/completenessrule_list.html"

    def get_context_data(self, **kwargs):
        labels = dict(completeness.FIELD_CHOICES)
        rules = [(rule, labels.get(rule.field, rule.field)) for rule in self.object_list]
        form = CompletenessRuleForm() if self.request.user.is_agency_manager else None
        return super().get_context_data(rules=rules, form=form, **kwargs)


class CompletenessRuleCreateView(AgencyManagerRequiredMixin, View):
    def post(self, request):
        form = CompletenessRuleForm(request.POST)
        if form.is_valid():
            services.completeness_rule_create(user=request.user, **form.cleaned_data)
            messages.success(request, _("Rule added; scores are being recomputed."))
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("brands:completenessrule_list")


class CompletenessRuleDeleteView(AgencyManagerRequiredMixin, View):
    def post(self, request, pk):
        rule = get_object_or_404(CompletenessRule, pk=pk)
        with transaction.atomic():
            services.completeness_rule_delete(rule=rule, user=request.user)
        messages.success(request, _("Rule removed; scores are being recomputed."))
        return redirect(reverse("brands:completenessrule_list"))
