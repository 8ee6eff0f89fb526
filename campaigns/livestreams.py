"""Every write on livestream sessions: the session (its content item and session data together), its hosts and its
run sheet.

A session is a content item of the livestream channel: ``livestream_save`` writes the item through
``services.content_save`` (so the version check, the due date and "changed after approval" apply as to any item) and
the session data in the same transaction. The run sheet is production material, changed up to the last minute: it
does not send the item back to review, but it is closed once the session has gone out or was cancelled.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import kol_selectors, services, workflow
from .choices import Channel, ContentStatus
from .models import Campaign, ContentItem, LivestreamSession, RunSheetStep, SessionHost

SESSION_FIELDS = ("platform", "duration_minutes", "room_url", "notes")
STEP_FIELDS = (
    "minutes",
    "product",
    "title",
    "talking_points_zh",
    "talking_points_en",
    "talking_points_it",
    "offer",
    "live_price_cny",
    "link_code",
)
RUN_SHEET_CLOSED = (ContentStatus.PUBLISHED, ContentStatus.CANCELLED)
MAX_STEPS = 60


def _require_editable(user, item: ContentItem) -> None:
    if not (user and user.is_authenticated) or not ContentItem.objects.editable_by(user).filter(pk=item.pk).exists():
        raise PermissionDenied


def livestream_save(
    *,
    user,
    campaign: Campaign,
    item: ContentItem | None = None,
    version: int | None = None,
    brands=None,
    products=None,
    hosts: list[dict] | None = None,
    session: dict | None = None,
    **item_fields,
) -> LivestreamSession:
    """Create or change a livestream session: its content item (time, brands, titles ...; ``item_fields`` as
    ``content_save`` takes them), its session data (``session``: platform, duration, room URL, notes), its featured
    products (SKUs of the item's brands) and its hosts (``hosts``: dicts of kol, name, brand, role, in order).

    The item's KOL is the first KOL among the hosts, so the calendar and the item page name who presents it. Once the
    item has gone out (or is on its way, held or cancelled) its time, texts and brands are closed, but the session data
    still changes: a product whose sales are to be recorded after the live, a host's name put right.
    """
    if item is not None and item.channel != Channel.LIVESTREAM:
        raise ValidationError(_("This content item is not a livestream."))
    kols = [host["kol"] for host in hosts or [] if host.get("kol") is not None]
    closed = item is not None and item.status in workflow.CLOSED
    if hosts is not None and not closed:
        item_fields["kol"] = kols[0] if kols else None
    with transaction.atomic():
        if closed:
            _require_editable(user, item)
        else:
            item = services.content_save(
                user=user,
                campaign=campaign,
                item=item,
                version=version,
                brands=brands,
                channel=Channel.LIVESTREAM,
                **item_fields,
            )
        record = LivestreamSession.objects.select_for_update().filter(item=item).first() or LivestreamSession(item=item)
        for name, value in (session or {}).items():
            if name in SESSION_FIELDS:
                setattr(record, name, value.strip() if isinstance(value, str) else value)
        record.full_clean(exclude=["item"])
        record.save()
        if products is not None:
            _set_products(record, list(products))
        if hosts is not None:
            _set_hosts(record, hosts)
    return record


def _set_products(session: LivestreamSession, products: list) -> None:
    brand_ids = set(session.item.brands.values_list("pk", flat=True))
    strangers = [p for p in products if p.brand_id not in brand_ids]
    if strangers:
        raise ValidationError(
            {"products": _("%(product)s is not a product of the session's brands.") % {"product": strangers[0]}}
        )
    kept = {p.pk for p in products}
    on_sheet = session.steps.exclude(product__isnull=True).exclude(product__in=kept).select_related("product").first()
    if on_sheet is not None:
        raise ValidationError(
            {
                "products": _("%(product)s is on the run sheet: take it off the run sheet first.")
                % {"product": on_sheet.product}
            }
        )
    session.products.set(products)


def _set_hosts(session: LivestreamSession, hosts: list[dict]) -> None:
    brand_ids = set(session.item.brands.values_list("pk", flat=True))
    rows = []
    for position, host in enumerate(hosts):
        row = SessionHost(
            session=session,
            position=position,
            kol=host.get("kol"),
            name=(host.get("name") or "").strip(),
            brand=host.get("brand"),
            role=(host.get("role") or "").strip(),
        )
        if row.brand is not None and row.brand.pk not in brand_ids:
            raise ValidationError(_("%(brand)s does not take part in this session.") % {"brand": row.brand})
        row.full_clean(exclude=["session"])
        rows.append(row)
    session.hosts.all().delete()
    SessionHost.objects.bulk_create(rows)


def run_sheet_save(*, user, session: LivestreamSession, steps: list[dict]) -> list[str]:
    """Replace the run sheet with ``steps`` (dicts of ``STEP_FIELDS``, in running order). Each product must be one
    of the session's featured products, each code one the run sheet may show (``kol_selectors.screen_codes``).
    Returns warnings that do not stop the save (a run sheet longer than the session)."""
    item = session.item
    _require_editable(user, item)
    if len(steps) > MAX_STEPS:
        raise ValidationError(_("A run sheet has at most %(n)s steps.") % {"n": MAX_STEPS})
    featured = set(session.products.values_list("pk", flat=True))
    codes = kol_selectors.screen_codes(user, session)
    rows, errors = [], []
    for position, values in enumerate(steps, start=1):
        step = RunSheetStep(session=session, position=position)
        for name in STEP_FIELDS:
            value = values.get(name)
            if isinstance(value, str):
                value = value.strip()
            if value is not None:
                setattr(step, name, value)
        if step.product_id is not None and step.product_id not in featured:
            errors.append(
                _("Step %(n)s: %(product)s is not featured in this session.") % {"n": position, "product": step.product}
            )
        if step.link_code and step.link_code not in codes:
            errors.append(
                _("Step %(n)s: no code “%(code)s” for this session.") % {"n": position, "code": step.link_code}
            )
        try:
            step.full_clean(exclude=["session"])
        except ValidationError as exc:
            errors.extend(_("Step %(n)s: %(error)s") % {"n": position, "error": m} for m in exc.messages)
        rows.append(step)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = ContentItem.objects.select_for_update().get(pk=item.pk)
        if locked.status in RUN_SHEET_CLOSED:
            raise ValidationError(_("The session has gone out or was cancelled: its run sheet is closed."))
        session.steps.all().delete()
        RunSheetStep.objects.bulk_create(rows)
    total = sum(step.minutes for step in rows)
    if total > session.duration_minutes:
        return [
            _("The run sheet runs %(total)s minutes: %(over)s past the session's %(duration)s.")
            % {"total": total, "over": total - session.duration_minutes, "duration": session.duration_minutes}
        ]
    return []
