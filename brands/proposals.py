"""Brand users propose changes to their brand's profile; agency staff accept or reject them.

A brand *editor* membership does not write to the brand: the edit page saves a ``BrandChangeProposal`` instead
(one pending per user and brand: saving again updates it). A proposal keeps two documents, the profile as
proposed and the brand as it was when the proposal was saved (``base``); what the proposer changed is what
differs between them. Accepting applies only that, field by field and row by row, on top of the brand as it is
by then (``merge``), through ``brand_update``: one revision naming the proposer and the reviewer. So a change
staff made meanwhile to another field survives, and one made to the same field is shown to the reviewer as a
conflict (``brands.review``) before they decide.

New logo and cover images of a proposal are ingested like any upload (validated, re-encoded without metadata)
and stored privately: only the brand's users and staff see them, through the proposal's image view. Accepting
copies them to public storage; withdrawing, or replacing them with another upload, deletes them; a rejection
keeps them ``PROPOSAL_IMAGE_RETENTION_DAYS`` (``proposal_images_expire``, daily).
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brandhub.access import require_agency_staff
from brandhub.media import is_private

from .documents import AGENCY_ONLY_FIELDS, CHILDREN, PROPOSABLE_FIELDS, brand_document, diff, normalize
from .images import IngestedImage, image_discard, image_publish, image_store
from .models import Brand, BrandChangeProposal, BrandRevision, ImageAsset
from .services import brand_document_check, brand_update

IMAGE_FIELDS = ("logo", "cover")
Status = BrandChangeProposal.Status


# --- what a proposal changes ----------------------------------------------------------------------------------


def merge(base: dict, proposed: dict, current: dict) -> dict:
    """The brand ``current`` with the changes from ``base`` to ``proposed`` applied, and nothing else.

    Fields: the proposed value where the proposer changed it. Children, matched by natural key: a row the
    proposer removed goes, one they added comes, and in a row they edited only the values they changed are
    taken (a price change keeps the English name staff corrected meanwhile). A row staff removed meanwhile
    that the proposer edited comes back as proposed.
    """
    fields = dict(current["fields"])
    for name in PROPOSABLE_FIELDS:
        if proposed["fields"].get(name, "") != base["fields"].get(name, ""):
            fields[name] = proposed["fields"].get(name, "")
    result = {"fields": fields}
    for kind in CHILDREN.values():
        old = {kind.key_of(row): row for row in base.get(kind.name, [])}
        new = {kind.key_of(row): row for row in proposed.get(kind.name, [])}
        rows = {kind.key_of(row): row for row in current.get(kind.name, [])}
        for key in old.keys() | new.keys():
            before, after = old.get(key), new.get(key)
            if before == after:
                continue
            if after is None:
                rows.pop(key, None)
            elif key not in rows:
                rows[key] = dict(after)
            else:
                before = before or dict.fromkeys(kind.fields, "")
                now = rows[key]
                rows[key] = {
                    f: after.get(f, "") if after.get(f, "") != before.get(f, "") else now.get(f, "")
                    for f in kind.fields
                }
        result[kind.name] = sorted(rows.values(), key=kind.key_of)
    return result


def proposal_target(proposal: BrandChangeProposal, current: dict) -> dict:
    """The brand as it would be if ``proposal`` were accepted now (``current``: the brand's document)."""
    return merge(normalize(proposal.base), normalize(proposal.document), normalize(current))


# Functions ``(*, event, proposal, user)`` called inside the transaction of a proposal's ``"submitted"`` (a new
# proposal waits for staff), ``"accepted"`` or ``"rejected"`` (its proposer is told): the notifications app registers
# one from its AppConfig.ready(), as brands knows nothing of it.
PROPOSAL_LISTENERS: list = []


def _tell(event: str, proposal: BrandChangeProposal, user) -> None:
    for listener in PROPOSAL_LISTENERS:
        listener(event=event, proposal=proposal, user=user)


def _latest_revision(brand: Brand) -> int:
    return BrandRevision.objects.filter(brand=brand).order_by("-number").values_list("number", flat=True).first() or 0


def _image_ids(doc: dict) -> set[int]:
    """The ids of ``doc``'s logo and cover."""
    return {doc["fields"].get(name) for name in IMAGE_FIELDS} - {None, ""}


def _private(ids) -> list[ImageAsset]:
    """Those of these images stored privately: a proposal's own uploads (the brand's public images are not)."""
    return [asset for asset in ImageAsset.objects.filter(pk__in=ids) if is_private(asset.file.name)]


def _private_images(doc: dict) -> set[int]:
    """The ids of ``doc``'s logo and cover that are stored privately."""
    return {asset.pk for asset in _private(_image_ids(doc))}


def _discard_on_commit(asset_ids) -> None:
    """Delete these private images once the transaction that let go of them has committed."""
    asset_ids = set(asset_ids)
    if not asset_ids:
        return

    def discard():
        for asset in ImageAsset.objects.filter(pk__in=asset_ids):
            image_discard(asset)

    transaction.on_commit(discard)


# --- the services ---------------------------------------------------------------------------------------------


def _check_proposer(user, brand: Brand) -> None:
    if not (user is not None and user.is_authenticated and user.is_active):
        raise PermissionDenied
    if not Brand.objects.proposable_by(user).filter(pk=brand.pk).exists():
        raise PermissionDenied


def proposal_submit(
    *,
    brand: Brand,
    user,
    fields: dict | None = None,
    stores: list[dict] | None = None,
    products: list[dict] | None = None,
    certifications: list[dict] | None = None,
    contacts: list[dict] | None = None,
    logo: IngestedImage | None = None,
    cover: IngestedImage | None = None,
) -> BrandChangeProposal:
    """Propose a profile for ``brand``, in ``brand_update``'s terms: fields left out and child lists not given
    stay as the user's pending proposal has them (or as the brand is, without one).

    Only a brand editor of the brand proposes (``PermissionDenied``); the agency's own fields (slug, status,
    joining date) are refused. The proposal is checked as a save would be, so ``ValidationError`` comes now, not
    when staff accept it; a proposal that would change nothing is refused too (code ``no_changes``). Saving
    again updates the user's pending proposal, rebased on the brand as it is now.
    """
    _check_proposer(user, brand)
    stored: list[ImageAsset] = []
    try:
        with transaction.atomic():
            # The brand row is the lock: two saves of one user's proposal (two tabs) run one after the other.
            brand = Brand.objects.select_for_update().prefetch_related(*CHILDREN).get(pk=brand.pk)
            current = brand_document(brand)
            pending = BrandChangeProposal.objects.filter(brand=brand, proposed_by=user, status=Status.PENDING).first()
            start = proposal_target(pending, current) if pending else current
            given = dict(fields or {})
            asked = normalize({"fields": given}, current)["fields"]
            refused = [f for f in AGENCY_ONLY_FIELDS if f in given and asked[f] != current["fields"][f]]
            if refused:
                raise ValidationError({f: _("The agency decides this field; it cannot be proposed.") for f in refused})
            given = {k: v for k, v in given.items() if k not in AGENCY_ONLY_FIELDS and k not in IMAGE_FIELDS}
            doc = normalize(
                {"fields": given, "stores": stores, "products": products}
                | {"certifications": certifications, "contacts": contacts},
                start,
            )
            _check_product_images(doc, allowed=_product_images(current) | _product_images(start))
            for name, image in (("logo", logo), ("cover", cover)):
                if image is not None:
                    asset = image_store(image, original_name=image.original_name, user=user, private=True)
                    stored.append(asset)
                    doc["fields"][name] = asset.pk
            if not diff(current, doc):
                raise ValidationError(
                    _("Nothing differs from the brand's profile as it is now: there is nothing to propose."),
                    code="no_changes",
                )
            brand_document_check(brand=brand, doc=doc)
            if pending is None:
                proposal = BrandChangeProposal(brand=brand, proposed_by=user)
                dropped = set()
            else:
                proposal = BrandChangeProposal.objects.select_for_update().get(pk=pending.pk)
                proposal.version += 1
                dropped = _private_images(proposal.document) - _private_images(doc)
            proposal.document, proposal.base, proposal.base_revision = doc, current, _latest_revision(brand)
            proposal.full_clean(exclude=["document", "base"], validate_constraints=False)
            proposal.save()
            _discard_on_commit(dropped)
            if pending is None:  # a new proposal waits for staff; saving it again tells nobody twice
                _tell("submitted", proposal, user)
            return proposal
    except BaseException:
        for asset in stored:  # the database rolled back; the files written for the uploads must go too
            image_discard(asset)
        raise


def _product_images(doc: dict) -> set:
    return {row.get("image") for row in doc.get("products", []) if row.get("image")}


def _check_product_images(doc: dict, *, allowed: set) -> None:
    """A product's image is carried by id in the form: a proposal may keep or move the brand's own product
    images, never point at another image (another brand's, or a private creative)."""
    unknown = [row["code"] for row in doc["products"] if row.get("image") and row["image"] not in allowed]
    if unknown:
        raise ValidationError(
            {"products": _("Product %(codes)s: this image is not one of the brand's.") % {"codes": ", ".join(unknown)}}
        )


def proposal_withdraw(*, proposal: BrandChangeProposal, user) -> BrandChangeProposal:
    """The proposer takes back their pending proposal; its private images are deleted."""
    if user is None or not user.is_authenticated or proposal.proposed_by_id != user.pk:
        raise PermissionDenied
    with transaction.atomic():
        proposal = BrandChangeProposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != Status.PENDING:
            raise ValidationError(_("This proposal was already decided."), code="decided")
        proposal.status = Status.WITHDRAWN
        proposal.save(update_fields=["status", "updated_at"])
        _discard_on_commit(_private_images(proposal.document))
    return proposal


def _check_reviewable(proposal: BrandChangeProposal, version) -> None:
    if proposal.status != Status.PENDING:
        raise ValidationError(
            _("This proposal is no longer waiting for review: it is %(status)s.")
            % {"status": proposal.get_status_display().lower()},
            code="decided",
        )
    if str(version) != str(proposal.version):
        raise ValidationError(
            _("The proposal was changed after you opened it. Review it again before deciding."), code="stale"
        )


def proposal_accept(
    *, proposal: BrandChangeProposal, user, version: int, revision: int | None = None, comment: str = ""
) -> BrandChangeProposal:
    """Apply a pending proposal to its brand as one revision (``user``: the staff member accepting it).

    ``version`` is the proposal's version the reviewer saw, ``revision`` the brand's latest revision number on
    the page: if either moved since, nothing is written (``ValidationError``, code ``stale`` or
    ``brand_changed``), because what would be applied is no longer what was reviewed. Proposed images are copied
    to public storage; a proposal that no longer changes anything (staff made the same changes) is accepted
    without a revision.
    """
    require_agency_staff(user)
    published: list[ImageAsset] = []
    try:
        with transaction.atomic():
            # The brand first, then the proposal: the order ``proposal_submit`` takes them in, so an accept and a
            # save of the same proposal wait for each other instead of deadlocking.
            brand = Brand.objects.select_for_update().prefetch_related(*CHILDREN).get(pk=proposal.brand_id)
            proposal = (
                BrandChangeProposal.objects.select_for_update(of=("self",))
                .select_related("proposed_by")
                .get(pk=proposal.pk)
            )
            _check_reviewable(proposal, version)
            before = _latest_revision(brand)
            if revision is not None and str(revision) != str(before):
                raise ValidationError(
                    _("The brand was changed after you opened this page. Review the proposal again before deciding."),
                    code="brand_changed",
                )
            current = brand_document(brand)
            target = proposal_target(proposal, current)
            private = _private_images(proposal.document)
            for name in IMAGE_FIELDS:
                if target["fields"][name] in private:
                    public = image_publish(ImageAsset.objects.get(pk=target["fields"][name]))
                    published.append(public)
                    target["fields"][name] = proposal.document["fields"][name] = public.pk
            changed = {f: target["fields"][f] for f in PROPOSABLE_FIELDS if target["fields"][f] != current["fields"][f]}
            children = {k: target[k] for k in CHILDREN if target[k] != current[k]}
            proposer = proposal.proposed_by
            brand_update(
                brand=brand,
                user=user,
                fields=changed,
                **children,
                comment=comment.strip(),
                proposed_by=proposer,
            )
            after = _latest_revision(brand)
            proposal.status = Status.ACCEPTED
            proposal.reviewed_by, proposal.reviewed_at = user, timezone.now()
            proposal.review_comment = comment.strip()
            proposal.revision_number = after if after != before else None
            proposal.save()
            _discard_on_commit(private)
            _tell("accepted", proposal, user)
            return proposal
    except BaseException:
        for asset in published:
            image_discard(asset)
        raise


def proposal_reject(*, proposal: BrandChangeProposal, user, version: int, comment: str) -> BrandChangeProposal:
    """Refuse a pending proposal, saying why (``comment`` is required: the proposer reads it on the brand page).

    The proposal and its images are kept, so the proposer can see what was refused and propose again; the
    images for ``PROPOSAL_IMAGE_RETENTION_DAYS`` (``proposal_images_expire``).
    """
    require_agency_staff(user)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say why the proposal is rejected: the brand user reads it.")})
    with transaction.atomic():
        proposal = BrandChangeProposal.objects.select_for_update().get(pk=proposal.pk)
        _check_reviewable(proposal, version)
        proposal.status = Status.REJECTED
        proposal.reviewed_by, proposal.reviewed_at, proposal.review_comment = user, timezone.now(), comment
        proposal.save()
        _tell("rejected", proposal, user)
    return proposal


def proposal_images_expire(*, now=None) -> int:
    """Delete the uploaded (private) images of proposals rejected more than ``PROPOSAL_IMAGE_RETENTION_DAYS``
    ago; the proposals stay, showing "image no longer stored". An image a pending proposal still uses is kept.
    Returns how many images were deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.PROPOSAL_IMAGE_RETENTION_DAYS)
    documents = BrandChangeProposal.objects.values_list("document", flat=True)
    expired = set().union(*map(_image_ids, documents.filter(status=Status.REJECTED, reviewed_at__lt=cutoff)))
    still_used = set().union(*map(_image_ids, documents.filter(status=Status.PENDING)))
    ids = expired - still_used
    assets = _private(ids)  # one query for them all
    for asset in assets:
        image_discard(asset)
    return len(assets)
