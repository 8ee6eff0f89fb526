"""What the registry tells partners (the outbox, ``brandhub.events``): a brand was created, changed, reverted,
archived or restored. Called inside the transaction of the change; the payload names the changed fields, not
their values (the partner reads the brand from ``/api/v1/brands/{slug}/``)."""

from brandhub.events import event_record, iso
from brandhub.models import OutboxEvent

from .models import Brand


def brand_changed(brand: Brand, *, change: str, changes: list[dict]) -> None:
    """``change`` is the revision's action; ``changes`` the revision's entries (``stores[jd]`` → ``stores``)."""
    fields = sorted({entry["field"].split("[", 1)[0] for entry in changes})
    data = {
        "brand": {"id": brand.pk, "slug": brand.slug},
        "change": change,
        "fields": fields,
        "archived": brand.archived_at is not None,
        "updated_at": iso(brand.updated_at),
    }
    event_record(OutboxEvent.Type.BRAND_UPDATED, data, brand_ids=[brand.pk])
