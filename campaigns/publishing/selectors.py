"""Reads of the publishing desk: what waits for a person, what went out late, what goes out next."""

import datetime

from django.conf import settings
from django.utils import timezone

from campaigns.choices import ContentStatus
from campaigns.models import ContentItem

from .models import Publication

State = Publication.State


def _items(queryset):
    return queryset.select_related("campaign", "publication", "author").prefetch_related("brands")


def desk(user, now: datetime.datetime | None = None) -> dict:
    """The desk's sections, each one query: go-lives to confirm, held and failed items, late and next ones."""
    now = now or timezone.now()
    items = ContentItem.objects.visible_to(user)
    escalate = datetime.timedelta(seconds=settings.PUBLISH_CONFIRM_ESCALATE_SECONDS)
    due = list(
        _items(items.filter(status=ContentStatus.PUBLISHING, publication__state=State.DUE)).order_by(
            "publication__due_at", "pk"
        )
    )
    for item in due:
        item.waiting = now - item.publication.due_at
        item.escalated = item.waiting > escalate
    return {
        "due": due,
        "held": list(_items(items.filter(status=ContentStatus.HELD)).order_by("scheduled_at", "pk")),
        "failed": list(_items(items.filter(status=ContentStatus.FAILED)).order_by("-scheduled_at", "pk")[:50]),
        "late": list(
            _items(
                items.filter(
                    status=ContentStatus.PUBLISHED,
                    publication__late=True,
                    publication__finished_at__gte=now - datetime.timedelta(days=7),
                )
            ).order_by("-publication__finished_at")[:50]
        ),
        "next": list(
            _items(
                items.filter(
                    status=ContentStatus.SCHEDULED, scheduled_at__range=(now, now + datetime.timedelta(hours=24))
                )
            ).order_by("scheduled_at", "pk")[:100]
        ),
        "escalate_after": escalate,
    }


def attention(user, now: datetime.datetime | None = None) -> dict:
    """What waits for a person on the publishing desk, counted (one query): the staff home page's alert."""
    from django.db.models import Count, Q

    if not user.is_authenticated or not user.is_agency_staff:
        return {}
    now = now or timezone.now()
    escalate = now - datetime.timedelta(seconds=settings.PUBLISH_CONFIRM_ESCALATE_SECONDS)
    due = Q(status=ContentStatus.PUBLISHING, publication__state=State.DUE)
    counts = ContentItem.objects.aggregate(
        due=Count("pk", filter=due),
        escalated=Count("pk", filter=due & Q(publication__due_at__lt=escalate)),
        held=Count("pk", filter=Q(status=ContentStatus.HELD)),
        failed=Count("pk", filter=Q(status=ContentStatus.FAILED, scheduled_at__gte=now - datetime.timedelta(days=7))),
        late=Count(
            "pk",
            filter=Q(
                status=ContentStatus.PUBLISHED,
                publication__late=True,
                publication__finished_at__gte=now - datetime.timedelta(hours=24),
            ),
        ),
    )
    counts["any"] = any(counts.values())
    return counts


def confirm_wait(days: int = 30) -> dict:
    """How long go-lives waited from due to confirmed over the last ``days``: count, median and slowest."""
    since = timezone.now() - datetime.timedelta(days=days)
    waits = sorted(
        finished - due
        for due, finished in Publication.objects.filter(
            due_at__isnull=False, state=State.PUBLISHED, finished_at__gte=since
        ).values_list("due_at", "finished_at")
    )
    if not waits:
        return {"count": 0, "median": None, "slowest": None}
    return {"count": len(waits), "median": waits[len(waits) // 2], "slowest": waits[-1]}
