"""Every write to the registry. Views, forms, imports, commands and tasks call these and nothing else.

Each service validates (``full_clean``), writes in one transaction, keeps the derived columns
(completeness, search text) current and records a ``BrandRevision`` with who, when, before and after.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from . import completeness
from .api.documents import brand_documents_rebuild
from .choices import MembershipRole, RevisionAction
from .documents import BRAND_FIELDS, CHILDREN, brand_document, diff, normalize, row_of
from .events import brand_changed
from .images import IngestedImage, image_discard, image_store
from .models import Brand, BrandMembership, BrandRevision, CompletenessRule, ImageAsset
from .search import build_search_text

IMAGE_FIELDS = ("logo", "cover")


def _check_actor(user, brand: Brand | None = None, *, manager: bool = False) -> None:
    """The acting person must be allowed what the pages allow them, so no command or API write skips the rule.

    ``None`` is the system itself (imports run by staff pass their user; the demo loader and data fixes pass
    none). A person changes a brand only if ``editable_by`` lets them (agency staff: a brand user proposes
    changes instead, ``brands.proposals``); creating, archiving and memberships are agency work.
    """
    if user is None:
        return
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied
    if manager:
        if not user.is_agency_manager:
            raise PermissionDenied
    elif user.is_agency_staff:
        return  # staff edit every brand: no query (an import of 10,000 rows makes 10,000 calls)
    elif brand is None or brand.pk is None or not Brand.objects.editable_by(user).filter(pk=brand.pk).exists():
        raise PermissionDenied


def completeness_rules() -> list[tuple[str, str]]:
    return list(CompletenessRule.objects.values_list("field", "platform"))


def _derived(doc: dict, rules) -> dict:
    fields = doc["fields"]
    result = completeness.score(doc, rules)
    return {
        "completeness": result.percent,
        "completeness_missing": result.missing,
        "search_text": build_search_text(
            fields["name_it"], fields["name_en"], fields["name_zh_hans"], fields["slug"], fields["city"]
        ),
    }


def _validate_children(doc: dict, brand: Brand) -> dict[str, list]:
    """Build unsaved child objects and validate them; duplicate natural keys are an error, not a silent merge."""
    objects, errors = {}, {}
    for kind in CHILDREN.values():
        seen, objects[kind.name] = set(), []
        for number, row in enumerate(doc[kind.name], start=1):
            values = {(f"{f}_id" if f == "image" else f): (row[f] if row[f] != "" else None) for f in kind.fields}
            obj = kind.model(brand=brand, **{k: v for k, v in values.items() if v is not None})
            try:
                obj.full_clean(exclude=["brand"], validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors.setdefault(kind.name, []).extend(
                        _("%(kind)s %(number)s: %(field)s: %(message)s")
                        % {"kind": kind.label, "number": number, "field": field, "message": message}
                        for message in messages
                    )
            key = kind.key_of(row)
            if key in seen:
                errors.setdefault(kind.name, []).append(
                    _("%(kind)s %(number)s repeats %(key)s.")
                    % {"kind": kind.label, "number": number, "key": " / ".join(str(k) for k in key if k)}
                )
            seen.add(key)
            objects[kind.name].append(obj)
    if errors:
        raise ValidationError(errors)
    return objects


def _sync_children(brand: Brand, objects: dict[str, list], existing: dict[str, list]) -> None:
    """Make the stored children equal the wanted ones: matched by natural key, updated, created, deleted."""
    for kind in CHILDREN.values():
        current = {kind.key_of(row_of(obj, kind.fields)): obj for obj in existing.get(kind.name, [])}
        wanted = {kind.key_of(row_of(obj, kind.fields)): obj for obj in objects[kind.name]}
        stale = [obj.pk for key, obj in current.items() if key not in wanted]
        if stale:
            kind.model.objects.filter(pk__in=stale).delete()
        new = []
        for key, obj in wanted.items():
            if key not in current:
                new.append(obj)
            elif row_of(current[key], kind.fields) != row_of(obj, kind.fields):
                obj.pk = current[key].pk
                obj.save()
        if new:
            kind.model.objects.bulk_create(new)


def _apply_fields(brand: Brand, fields: dict) -> None:
    for name in BRAND_FIELDS:
        value = fields[name]
        if name in IMAGE_FIELDS:
            setattr(brand, f"{name}_id", value or None)
        elif name in ("founded_year", "joined_on"):
            setattr(brand, name, value if value != "" else None)
        else:
            setattr(brand, name, value)


def _store_images(images: dict, user) -> dict:
    """Store newly uploaded images; returns {field: ImageAsset}."""
    stored = {}
    for field, image in images.items():
        if isinstance(image, IngestedImage):
            stored[field] = image_store(image, original_name=image.original_name, user=user)
        elif isinstance(image, ImageAsset):
            stored[field] = image
    return stored


def _save(
    brand: Brand | None,
    *,
    user,
    doc: dict,
    images: dict,
    action: str,
    comment: str = "",
    rules=None,
    build_document: bool = True,
    proposed_by=None,
) -> Brand:
    """The one write path behind create, update, revert, import and accepted proposals.

    ``build_document=False`` leaves the API document to the caller (an import rebuilds them all at the end).
    """
    _check_actor(user, brand)
    new_assets = {f: img for f, img in images.items() if isinstance(img, IngestedImage)}
    stored: dict = {}
    try:
        with transaction.atomic():
            if brand is None:
                brand, before, existing = Brand(), None, {}
            else:
                brand = Brand.objects.select_for_update().prefetch_related(*CHILDREN).get(pk=brand.pk)
                before = brand_document(brand)
                existing = {name: list(getattr(brand, name).all()) for name in CHILDREN}
            stored = _store_images(images, user) if images else {}
            wanted = normalize(doc, before)
            for field, asset in stored.items():
                wanted["fields"][field] = asset.pk
            changes = diff(before, wanted) if before is not None else []
            if before is not None and not changes:
                return brand
            _apply_fields(brand, wanted["fields"])
            brand.full_clean(exclude=["completeness", "completeness_missing", "search_text"])
            objects = _validate_children(wanted, brand)
            # What is about to be stored, built from the validated objects themselves: no re-read needed.
            after = {"fields": row_of(brand, BRAND_FIELDS)}
            for kind in CHILDREN.values():
                after[kind.name] = sorted((row_of(obj, kind.fields) for obj in objects[kind.name]), key=kind.key_of)
            for name, value in _derived(after, completeness_rules() if rules is None else rules).items():
                setattr(brand, name, value)
            brand.save()
            _sync_children(brand, objects, existing)
            if build_document:
                brand_documents_rebuild([brand.pk])
            _record(
                brand,
                user=user,
                action=action,
                snapshot=after,
                changes=changes,
                comment=comment,
                number=1 if before is None else None,
                proposed_by=proposed_by,
            )
            brand_changed(brand, change=action, changes=changes)
            return brand
    except BaseException:
        # The database rolled back; the files written for new images must go too.
        for field, asset in stored.items():
            if field in new_assets:
                image_discard(asset)
        raise


def brand_document_check(*, brand: Brand, doc: dict) -> None:
    """Raise the ``ValidationError`` that saving the whole document ``doc`` on ``brand`` would raise; write
    nothing. A proposal is checked with it when it is made, so staff are not handed one that cannot be saved."""
    candidate = Brand.objects.get(pk=brand.pk)
    _apply_fields(candidate, doc["fields"])
    candidate.full_clean(exclude=["completeness", "completeness_missing", "search_text"])
    _validate_children(doc, candidate)


def _reload(brand: Brand) -> Brand:
    return Brand.objects.prefetch_related(*CHILDREN).get(pk=brand.pk)


def _record(
    brand: Brand,
    *,
    user,
    action: str,
    snapshot: dict,
    changes: list,
    comment: str = "",
    number: int | None = None,
    proposed_by=None,
) -> BrandRevision:
    if number is None:
        number = (brand.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    return BrandRevision.objects.create(
        brand=brand,
        number=number,
        action=action,
        user=user if user is not None and user.is_authenticated else None,
        snapshot=snapshot,
        changes=changes,
        comment=comment[:200],
        proposed_by=proposed_by,
    )


def brand_create(
    *,
    user,
    fields: dict,
    stores: list[dict] = (),
    products: list[dict] = (),
    certifications: list[dict] = (),
    contacts: list[dict] = (),
    logo: IngestedImage | ImageAsset | None = None,
    cover: IngestedImage | ImageAsset | None = None,
    action: str = RevisionAction.CREATED,
    rules=None,
    build_document: bool = True,
) -> Brand:
    """Create a brand with its children. Raises ``ValidationError`` and writes nothing when anything is invalid."""
    doc = {
        "fields": fields,
        "stores": list(stores),
        "products": list(products),
        "certifications": list(certifications),
        "contacts": list(contacts),
    }
    images = {k: v for k, v in (("logo", logo), ("cover", cover)) if v is not None}
    return _save(None, user=user, doc=doc, images=images, action=action, rules=rules, build_document=build_document)


def brand_update(
    *,
    brand: Brand,
    user,
    fields: dict | None = None,
    stores: list[dict] | None = None,
    products: list[dict] | None = None,
    certifications: list[dict] | None = None,
    contacts: list[dict] | None = None,
    logo: IngestedImage | ImageAsset | None = None,
    cover: IngestedImage | ImageAsset | None = None,
    action: str = RevisionAction.UPDATED,
    comment: str = "",
    rules=None,
    build_document: bool = True,
    proposed_by=None,
) -> Brand:
    """Change a brand. Fields left out stay; a child list given replaces that list (matched by natural key).

    No change, no write and no revision. ``proposed_by``: the brand user whose accepted proposal this is
    (``user`` is then the staff member who accepted it); the revision names both.
    """
    doc = {"fields": fields or {}, "stores": stores, "products": products}
    doc.update(certifications=certifications, contacts=contacts)
    images = {k: v for k, v in (("logo", logo), ("cover", cover)) if v is not None}
    return _save(
        brand,
        user=user,
        doc=doc,
        images=images,
        action=action,
        comment=comment,
        rules=rules,
        build_document=build_document,
        proposed_by=proposed_by,
    )


def brand_revert(*, brand: Brand, revision: BrandRevision, user) -> Brand:
    """Bring a brand back to a past revision's state. The revert is itself a new revision."""
    if revision.brand_id != brand.pk:
        raise ValidationError(_("This revision belongs to another brand."))
    snapshot = normalize(revision.snapshot)
    for field in IMAGE_FIELDS:
        asset_id = snapshot["fields"].get(field)
        if asset_id and not ImageAsset.objects.filter(pk=asset_id).exists():
            snapshot["fields"][field] = ""
    return _save(
        brand,
        user=user,
        doc=snapshot,
        images={},
        action=RevisionAction.REVERTED,
        # The page words it in the reader's language; the comment keeps only the number.
        comment=f"#{revision.number}",
    )


def _set_archived(brand: Brand, *, user, archived: bool) -> Brand:
    if user is not None and not user.is_agency_staff:
        raise PermissionDenied
    with transaction.atomic():
        brand = Brand.objects.select_for_update().get(pk=brand.pk)
        if brand.is_archived == archived:
            return brand
        before = brand.archived_at
        brand.archived_at = timezone.now() if archived else None
        brand.save(update_fields=["archived_at", "updated_at"])
        brand_documents_rebuild([brand.pk])
        _record(
            brand,
            user=user,
            action=RevisionAction.ARCHIVED if archived else RevisionAction.UNARCHIVED,
            snapshot=brand_document(_reload(brand)),
            changes=[{"field": "archived_at", "before": str(before or ""), "after": str(brand.archived_at or "")}],
        )
        action = RevisionAction.ARCHIVED if archived else RevisionAction.UNARCHIVED
        brand_changed(brand, change=action, changes=[{"field": "archived_at"}])
        return brand


def brand_archive(*, brand: Brand, user) -> Brand:
    """Take a brand out of the working lists. Nothing is deleted; ``brand_unarchive`` brings it back."""
    return _set_archived(brand, user=user, archived=True)


def brand_unarchive(*, brand: Brand, user) -> Brand:
    return _set_archived(brand, user=user, archived=False)


def brand_completeness_refresh(*, brand_ids: Iterable[int] | None = None, chunk_size: int = 500) -> int:
    """Recompute completeness for some or all brands (after a rule change). Returns how many scores changed."""
    rules = completeness_rules()
    queryset = Brand.objects.prefetch_related(*CHILDREN).order_by("pk")
    if brand_ids is not None:
        queryset = queryset.filter(pk__in=list(brand_ids))
    changed = []
    for brand in queryset.iterator(chunk_size=chunk_size):
        result = completeness.score(brand_document(brand), rules)
        if (brand.completeness, brand.completeness_missing) != (result.percent, result.missing):
            brand.completeness, brand.completeness_missing = result.percent, result.missing
            changed.append(brand)
    for start in range(0, len(changed), chunk_size):
        Brand.objects.bulk_update(changed[start : start + chunk_size], ["completeness", "completeness_missing"])
    return len(changed)


def completeness_rule_create(*, field: str, platform: str = "", user=None) -> CompletenessRule:
    """Require a field (per platform, or everywhere); every brand's score is recomputed on the worker."""
    _check_actor(user, manager=True)
    rule = CompletenessRule(field=field, platform=platform)
    rule.full_clean()
    with transaction.atomic():
        rule.save()
        _queue_completeness_refresh()
    return rule


def completeness_rule_delete(*, rule: CompletenessRule, user=None) -> None:
    _check_actor(user, manager=True)
    with transaction.atomic():
        rule.delete()
        _queue_completeness_refresh()


def _queue_completeness_refresh() -> None:
    from .tasks import brand_completeness_refresh_all

    transaction.on_commit(brand_completeness_refresh_all.delay)


def brand_member_add(*, brand: Brand, user, role: str = MembershipRole.VIEWER, actor=None) -> BrandMembership:
    """Give a brand user access to a brand (or change their role there). ``actor``: the manager doing it."""
    _check_actor(actor, manager=True)
    if user.is_agency_staff:
        raise ValidationError(_("Agency staff see every brand already; memberships are for brand users."))
    membership, _created = BrandMembership.objects.update_or_create(user=user, brand=brand, defaults={"role": role})
    return membership


def brand_member_remove(*, membership: BrandMembership, actor=None) -> None:
    _check_actor(actor, manager=True)
    membership.delete()
