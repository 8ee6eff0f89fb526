"""Proposed changes to brand profiles: staff's review queue and review page, the proposer's withdraw, and the
proposals' private images. Access from querysets; writes through ``brands.proposals``."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from brandhub.access import AgencyStaffRequiredMixin
from brandhub.media import private_file_response

from . import proposals, review, selectors
from .documents import brand_document
from .forms import ProposalAcceptForm, ProposalRejectForm
from .models import BrandChangeProposal, BrandRevision, ImageAsset

Status = BrandChangeProposal.Status


class BrandChangeProposalListView(AgencyStaffRequiredMixin, ListView):
    """The review queue: pending proposals, longest waiting first, each with what it changes and its conflicts;
    the decided ones (``?status=``) newest first."""

    template_name = "brands/brandchangeproposal_list.html"
    paginate_by = 25

    def get_queryset(self):
        status = self.request.GET.get("status", Status.PENDING)
        self.status = status if status in Status.values else Status.PENDING
        queryset = BrandChangeProposal.objects.filter(status=self.status)
        order = "updated_at" if self.status == Status.PENDING else "-updated_at"
        return selectors.proposals_with_brands(queryset).order_by(order, "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = dict(BrandChangeProposal.objects.values_list("status").annotate(n=Count("pk")).order_by())
        context.update(
            proposals=review.with_lines(context["object_list"]),
            status=self.status,
            querystring=f"status={self.status}",
            tabs=[(value, label, counts.get(value, 0)) for value, label in Status.choices],
        )
        return context


class ProposalLookupMixin(LoginRequiredMixin):
    """The proposal in the URL, among those the user may see (another brand's answers 404)."""

    def get_proposal(self, queryset=None):
        queryset = queryset if queryset is not None else BrandChangeProposal.objects.visible_to(self.request.user)
        return get_object_or_404(
            queryset.select_related("brand", "proposed_by", "reviewed_by"),
            pk=self.kwargs["pk"],
            brand__slug=self.kwargs["slug"],
        )


class BrandChangeProposalDetailView(ProposalLookupMixin, DetailView):
    """Side by side, field by field: the brand now and as the proposal would make it, with what changed since
    the proposal was saved. Staff accept or reject a pending one here; its proposer may withdraw it."""

    template_name = "brands/brandchangeproposal_detail.html"
    context_object_name = "proposal"

    def get_object(self, queryset=None):
        return self.get_proposal()

    def get_context_data(self, **kwargs):
        proposal, user = self.object, self.request.user
        brand = selectors.brands_with_children().get(pk=proposal.brand_id)
        review.with_lines([proposal], {brand.pk: brand_document(brand)})
        revision = BrandRevision.objects.filter(brand=brand).order_by("-number").first()
        return super().get_context_data(
            brand=brand,
            revision=revision,
            can_review=proposal.is_pending and user.is_agency_staff,
            accept_form=ProposalAcceptForm(auto_id="accept-%s"),
            reject_form=ProposalRejectForm(auto_id="reject-%s"),
            can_withdraw=proposal.is_pending and proposal.proposed_by_id == user.pk,
            **kwargs,
        )


class ProposalDecisionMixin(AgencyStaffRequiredMixin, ProposalLookupMixin):
    """POST only: a staff decision, checked by ``form_class`` and taken by ``decide``. Brand users get 403 for any
    proposal, like every staff action; a refusal (a stale page, a proposal decided already, a missing comment)
    goes back to the review page with the reason, a decision to the queue."""

    form_class: type

    def post(self, request, slug, pk):
        proposal = self.get_proposal()
        form = self.form_class(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            messages.success(request, self.decide(proposal, form.cleaned_data["comment"]))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(proposal)
        return redirect("brands:brandchangeproposal_list")


class BrandChangeProposalAcceptView(ProposalDecisionMixin, View):
    """Apply the proposal as the reviewer saw it: the page posts the proposal's version and the brand's revision."""

    form_class = ProposalAcceptForm

    def decide(self, proposal, comment) -> str:
        accepted = proposals.proposal_accept(
            proposal=proposal,
            user=self.request.user,
            version=self.request.POST.get("version", ""),
            revision=self.request.POST.get("revision"),
            comment=comment,
        )
        if accepted.revision_number:
            return _("Accepted: the profile of %(brand)s is updated (revision #%(number)s).") % {
                "brand": accepted.brand,
                "number": accepted.revision_number,
            }
        return _("Accepted: %(brand)s already had these values; nothing changed.") % {"brand": accepted.brand}


class BrandChangeProposalRejectView(ProposalDecisionMixin, View):
    """Refuse the proposal with a comment the proposer reads."""

    form_class = ProposalRejectForm

    def decide(self, proposal, comment) -> str:
        proposals.proposal_reject(
            proposal=proposal, user=self.request.user, version=self.request.POST.get("version", ""), comment=comment
        )
        return _("Rejected: the proposer reads your comment on the brand page.")


class BrandChangeProposalWithdrawView(ProposalLookupMixin, View):
    """POST only: the proposer takes back their pending proposal; anyone else gets 404."""

    def post(self, request, slug, pk):
        proposal = self.get_proposal(BrandChangeProposal.objects.withdrawable_by(request.user))
        proposals.proposal_withdraw(proposal=proposal, user=request.user)
        messages.success(request, _("Your proposal was withdrawn."))
        return redirect(f"{proposal.brand.get_absolute_url()}#proposals")


class BrandChangeProposalImageView(ProposalLookupMixin, View):
    """A logo or cover image uploaded with a proposal, for those who may see the proposal. It is private until
    the proposal is accepted (``brandhub.media``): served after this check, never from a public URL."""

    RENDITIONS = ("thumb", "square", "banner")

    def get(self, request, slug, pk, asset, rendition):
        if rendition not in self.RENDITIONS:
            raise Http404
        proposal = self.get_proposal()
        if asset not in (proposal.document["fields"].get("logo"), proposal.document["fields"].get("cover")):
            raise Http404
        image = get_object_or_404(ImageAsset, pk=asset)
        return private_file_response(image.file.storage, image.rendition_path(rendition))
