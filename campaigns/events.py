"""What planning and publishing tell partners (the outbox, ``brandhub.events``): content published or failed,
a campaign's status changed. Called inside the transaction of the change. Payloads hold ids, keys, statuses
and times only, never texts or budgets: the README lists their shapes, which only ever gain fields in v1.
"""

from brandhub.events import event_record, iso
from brandhub.models import OutboxEvent

from .models import Campaign, ContentItem


def _brands(obj) -> list[dict]:
    return [{"id": pk, "slug": slug} for pk, slug in obj.brands.order_by("pk").values_list("pk", "slug")]


def _content(item: ContentItem) -> dict:
    return {
        "id": item.pk,
        "campaign_id": item.campaign_id,
        "channel": item.channel,
        "scheduled_at": iso(item.scheduled_at),
    }


def content_published(item: ContentItem, *, published_at, late: bool, url: str = "") -> None:
    brands = _brands(item)
    data = {
        "content": {**_content(item), "published_at": iso(published_at), "late": late, "url": url or None},
        "brands": brands,
    }
    event_record(OutboxEvent.Type.CONTENT_PUBLISHED, data, brand_ids=[b["id"] for b in brands])


def content_failed(item: ContentItem, *, failed_at) -> None:
    brands = _brands(item)
    data = {"content": {**_content(item), "failed_at": iso(failed_at)}, "brands": brands}
    event_record(OutboxEvent.Type.CONTENT_FAILED, data, brand_ids=[b["id"] for b in brands])


def campaign_status_changed(campaign_id: int, *, before: str | None, after: str) -> None:
    campaign = Campaign.objects.select_related("festival").get(pk=campaign_id)
    brands = _brands(campaign)
    data = {
        "campaign": {
            "id": campaign.pk,
            "festival": campaign.festival.key if campaign.festival_id else None,
            "festival_year": campaign.festival_year,
            "starts_on": iso(campaign.starts_on),
            "ends_on": iso(campaign.ends_on),
        },
        "from": before,
        "to": after,
        "brands": brands,
    }
    event_record(OutboxEvent.Type.CAMPAIGN_STATUS_CHANGED, data, brand_ids=[b["id"] for b in brands])
