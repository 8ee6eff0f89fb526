"""Scheduled publishing: the dispatcher's tick, the publish step, and a person's decisions on held items.

The database is the source of truth; the broker only carries "look at item N now". Beat ticks
``publications_dispatch`` every ``PUBLISH_TICK_SECONDS``. A tick

1. claims due items (``scheduled``, ``scheduled_at <= now``) in batches with ``select_for_update(skip_locked=True)``,
   so a second dispatcher running at the same time takes other rows or none (SQLite, which has no row locks,
   takes turns on ``DispatcherLock``);
2. moves each through the workflow in the claiming transaction: ``dispatch`` (→ publishing, one ``Publication``
   queued, one task sent after the commit) or, past its channel's late limit, ``hold`` (→ held, for a person);
3. re-queues items left in *publishing* whose task has not finished ``PUBLISH_STUCK_SECONDS`` after it was
   queued (a worker killed mid-task, a message lost, the broker down at the commit);
4. escalates manual go-lives still unconfirmed ``PUBLISH_CONFIRM_ESCALATE_SECONDS`` after they fell due, once each.

Who is told is not decided here: ``PUBLICATION_LISTENERS`` (filled by the notifications app) are called inside the
transaction of each moment a person must act on — a go-live due, a go-live waiting too long — as the workflow's
listeners are for status changes (held, published late).

``publication_publish`` locks the item and its publication, does nothing unless the item is *publishing* and the
publication *queued* (so a task delivered twice, or re-queued while the first copy was slow, publishes once),
calls the channel's publisher and records the outcome in the same transaction.
"""

import datetime
import logging
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import events, workflow
from campaigns.api.feed import feed_changed
from campaigns.choices import CampaignStatus, ContentStatus
from campaigns.models import Campaign, ContentItem
from campaigns.services import CHINA

from .models import DEFAULT_LATE_LIMIT, ChannelLateLimit, DispatcherLock, Publication
from .publishers import PublishError, Result, publisher_for

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
# Attempts at one item (task runs that reached the publisher) before it fails for good.
MAX_ATTEMPTS = 8
State = Publication.State


# Functions ``(*, event, item, publication)`` called inside the transaction of a publishing moment that is not a
# status change: ``"golive_due"`` (a manual channel's item fell due: someone puts it live) and ``"golive_overdue"``
# (still unconfirmed past the escalation time). Apps register them from their AppConfig.ready().
PUBLICATION_LISTENERS: list = []


def _tell(event: str, item: ContentItem, publication: Publication) -> None:
    for listener in PUBLICATION_LISTENERS:
        listener(event=event, item=item, publication=publication)


@dataclass
class Tick:
    """What one dispatcher tick did."""

    dispatched: int = 0
    held: int = 0
    requeued: int = 0
    escalated: int = 0


def _duration(delta: datetime.timedelta) -> str:
    return str(datetime.timedelta(seconds=int(delta.total_seconds())))


def _take_turns(now: datetime.datetime) -> None:
    """Without row locks to skip (SQLite), write the lock row first: the write lock makes dispatchers take turns."""
    if connection.features.has_select_for_update_skip_locked:
        return
    if not DispatcherLock.objects.filter(pk=1).update(taken_at=now):
        DispatcherLock.objects.create(pk=1, taken_at=now)


def _queue(item_id: int) -> None:
    from .tasks import publication_publish

    publication_publish.delay(item_id)


def _queue_after_commit(item_id: int) -> None:
    # robust: a broker down at this moment is logged; the stuck-item pass re-queues the item later.
    transaction.on_commit(partial(_queue, item_id), robust=True)


def _queue_after_commit_many(item_ids: list[int]) -> None:
    """One publish task per item, sent after the commit (one callback each: a failed send loses only its item)."""
    for item_id in item_ids:
        _queue_after_commit(item_id)


def late_limits() -> dict[str, datetime.timedelta]:
    return {row.channel: row.limit for row in ChannelLateLimit.objects.all()}


def publications_dispatch(*, now: datetime.datetime | None = None, batch_size: int = BATCH_SIZE) -> Tick:
    """One dispatcher tick: claim every due item (batch by batch), then re-queue the stuck ones."""
    now = now or timezone.now()
    tick = Tick()
    limits = late_limits()
    while _claim_batch(now=now, batch_size=batch_size, limits=limits, tick=tick) == batch_size:
        pass
    _requeue_stuck(now=now, batch_size=batch_size, tick=tick)
    tick.escalated = publications_escalate(now=now)
    if tick.dispatched or tick.held or tick.requeued or tick.escalated:
        logger.info(
            "publishing: dispatched %s, held %s, re-queued %s, escalated %s",
            tick.dispatched,
            tick.held,
            tick.requeued,
            tick.escalated,
        )
    return tick


def publications_escalate(*, now: datetime.datetime, batch_size: int = BATCH_SIZE) -> int:
    """Manual go-lives due for longer than ``PUBLISH_CONFIRM_ESCALATE_SECONDS`` and not confirmed: marked escalated
    and told to the listeners (managers are alerted), once per go-live."""
    cutoff = now - datetime.timedelta(seconds=settings.PUBLISH_CONFIRM_ESCALATE_SECONDS)
    with transaction.atomic():
        publications = list(
            Publication.objects.filter(state=State.DUE, due_at__lt=cutoff, escalated_at__isnull=True)
            .select_related("item")
            .order_by("due_at", "pk")
            .select_for_update(skip_locked=True, of=("self",))[:batch_size]
        )
        Publication.objects.filter(pk__in=[p.pk for p in publications]).update(escalated_at=now)
        for publication in publications:
            publication.escalated_at = now
            _tell("golive_overdue", publication.item, publication)
    return len(publications)


def _claim_batch(*, now, batch_size, limits, tick: Tick) -> int:
    late_after = datetime.timedelta(seconds=settings.PUBLISH_LATE_AFTER_SECONDS)
    with transaction.atomic():
        _take_turns(now)
        rows = list(
            ContentItem.objects.filter(status=ContentStatus.SCHEDULED, scheduled_at__lte=now)
            .order_by("scheduled_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", "channel", "scheduled_at")[:batch_size]
        )
        records, held, dispatched = {}, {}, {}
        for pk, channel, scheduled_at in rows:
            delay = now - scheduled_at
            record = Publication(
                item_id=pk, channel=channel, scheduled_for=scheduled_at, claimed_at=now, late=delay > late_after
            )
            if delay > limits.get(channel, DEFAULT_LATE_LIMIT):
                held[pk] = _("Found %(delay)s late, past the channel's limit: a person decides.") % {
                    "delay": _duration(delay)
                }
                record.state, record.lag = State.HELD, delay
            else:
                dispatched[pk] = _("Late by %(delay)s.") % {"delay": _duration(delay)} if record.late else ""
                record.state, record.queued_at = State.QUEUED, now
            records[pk] = record
        # The whole batch in a few statements per action (the rows are locked: all of them move).
        moved = set()
        for action, comments in (("hold", held), ("dispatch", dispatched)):
            if comments:
                items = workflow.transition_many(
                    item_ids=list(comments), user=None, action=action, comments=comments, system=True
                )
                moved.update(item.pk for item in items)
        for pk in held.keys() & moved:
            tick.held += 1
            logger.warning("publishing: item %s held, %s late", pk, _duration(records[pk].lag))
        queue = [pk for pk in dispatched if pk in moved]
        tick.dispatched += len(queue)
        _queue_after_commit_many(queue)
        records = [record for pk, record in records.items() if pk in moved]
        # One record per item: a new claim starts a fresh one (in one statement for the batch).
        Publication.objects.filter(item_id__in=[r.item_id for r in records]).delete()
        Publication.objects.bulk_create(records)
    return len(rows)


def _requeue_stuck(*, now, batch_size, tick: Tick) -> None:
    cutoff = now - datetime.timedelta(seconds=settings.PUBLISH_STUCK_SECONDS)
    while True:
        with transaction.atomic():
            _take_turns(now)
            # A running task holds the item's row lock: skip_locked leaves it alone.
            ids = list(
                ContentItem.objects.filter(
                    status=ContentStatus.PUBLISHING, publication__state=State.QUEUED, publication__queued_at__lt=cutoff
                )
                .order_by("pk")
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("pk", flat=True)[:batch_size]
            )
            Publication.objects.filter(item_id__in=ids).update(queued_at=now, requeues=F("requeues") + 1)
            for pk in ids:
                _queue_after_commit(pk)
        tick.requeued += len(ids)
        if ids:
            logger.warning("publishing: re-queued %s items stuck in publishing", len(ids))
        if len(ids) < batch_size:
            return


def campaign_mark_live(*, campaign_id: int) -> bool:
    """Make a draft or planned campaign live: its first item went out (a done or cancelled one stays as it is).

    Called in the transaction that publishes the item (its ``campaign.status_changed`` event commits with it).
    Returns whether the campaign changed.
    """
    # Locked when it is still to change, so of two items published at once one changes it and tells partners.
    before = (
        Campaign.objects.select_for_update()
        .filter(pk=campaign_id, status__in=[CampaignStatus.DRAFT, CampaignStatus.PLANNED])
        .values_list("status", flat=True)
        .first()
    )
    if before is None:
        return False
    Campaign.objects.filter(pk=campaign_id).update(status=CampaignStatus.LIVE, updated_at=timezone.now())
    events.campaign_status_changed(campaign_id, before=before, after=CampaignStatus.LIVE)
    return True


def campaigns_mark_done(*, today: datetime.date | None = None) -> int:
    """Live campaigns whose last day (China time) has passed become done; partners are told of each. Returns
    how many changed. Beat runs it every hour; a campaign still holding items on their way out waits for them."""
    today = today or timezone.localdate(timezone=CHINA)
    on_their_way = (ContentStatus.SCHEDULED, ContentStatus.PUBLISHING, ContentStatus.HELD)
    done = 0
    with transaction.atomic():
        ids = list(
            Campaign.objects.select_for_update(skip_locked=True)
            .filter(status=CampaignStatus.LIVE, ends_on__lt=today)
            .exclude(items__status__in=on_their_way)
            .values_list("pk", flat=True)
        )
        for campaign_id in ids:
            Campaign.objects.filter(pk=campaign_id).update(status=CampaignStatus.DONE, updated_at=timezone.now())
            events.campaign_status_changed(campaign_id, before=CampaignStatus.LIVE, after=CampaignStatus.DONE)
            done += 1
        if done:
            feed_changed()  # the partner feed shows campaign statuses: its held answers go after the commit
    return done


def _lock(item_id: int):
    """The item and its publication, row-locked, if the item is waiting for its publisher; else None."""
    item = ContentItem.objects.select_for_update().filter(pk=item_id).first()
    if item is None or item.status != ContentStatus.PUBLISHING:
        return None
    publication = Publication.objects.select_for_update().filter(item=item).first()
    if publication is None or publication.state != State.QUEUED:
        return None
    return item, publication


def _published(item: ContentItem, publication: Publication, *, now, user=None, external_id="", url="") -> None:
    comment = (
        _("Late by %(delay)s.") % {"delay": _duration(now - publication.scheduled_for)} if publication.late else ""
    )
    # The live URL goes to the workflow's listeners too (the brand users' "now live" message names it), and how
    # late it went out (staff are alerted of a late item).
    details = {"url": url or publication.url}
    if publication.late:
        details["late_seconds"] = int((now - publication.scheduled_for).total_seconds())
    # The item is row-locked by the caller (``_lock`` or ``publication_confirm``) in this transaction.
    workflow.transition(
        item=item, user=user, action="publish", comment=comment, system=True, details=details, already_locked=True
    )
    publication.state = State.PUBLISHED
    publication.finished_at = now
    publication.lag = now - publication.scheduled_for
    publication.external_id = external_id or publication.external_id
    publication.url = url or publication.url
    publication.error = ""
    events.content_published(item, published_at=now, late=publication.late, url=publication.url)
    campaign_mark_live(campaign_id=item.campaign_id)


def publication_publish(*, item_id: int) -> str:
    """Publish a claimed item through its channel's publisher, once: the outcome state, or "skipped".

    Raises ``TransientPublishError`` for the task to retry (nothing is written: the lock is released);
    a ``PublishError`` fails the item with the reason.
    """
    try:
        with transaction.atomic():
            locked = _lock(item_id)
            if locked is None:
                return "skipped"
            item, publication = locked
            now = timezone.now()
            publication.started_at = publication.started_at or now
            publication.attempts += 1
            result: Result = publisher_for(item.channel).publish(item)
            now = timezone.now()
            if result.state == State.PUBLISHED:
                _published(item, publication, now=now, external_id=result.external_id, url=result.url)
            elif result.state == State.DUE:
                publication.state, publication.due_at, publication.error = State.DUE, now, ""
                _tell("golive_due", item, publication)
            else:
                raise PublishError(f"Unknown publisher result {result.state!r}.")
            publication.save()
            return publication.state
    except PublishError as exc:
        publication_fail(item_id=item_id, reason=str(exc))
        return State.FAILED


def publication_defer(*, item_id: int, reason: str, retry_in: float) -> bool:
    """Record a transient failure; True when the task should retry in ``retry_in`` seconds, False when the item
    has used up its attempts (it fails) or no longer waits for its publisher."""
    with transaction.atomic():
        locked = _lock(item_id)
        if locked is None:
            return False
        _item, publication = locked
        if publication.attempts + 1 < MAX_ATTEMPTS:
            now = timezone.now()
            publication.attempts += 1
            publication.started_at = publication.started_at or now
            publication.error = reason
            # The stuck-item pass counts from the expected retry, not from now.
            publication.queued_at = now + datetime.timedelta(seconds=retry_in)
            publication.save(update_fields=["attempts", "started_at", "error", "queued_at"])
            return True
    Publication.objects.filter(item_id=item_id).update(attempts=F("attempts") + 1)
    publication_fail(
        item_id=item_id, reason=_("Gave up after %(n)s attempts: %(reason)s") % {"n": MAX_ATTEMPTS, "reason": reason}
    )
    return False


def publication_fail(*, item_id: int, reason: str) -> bool:
    """Fail a claimed item with the reason (workflow ``fail``); False if it was no longer waiting to publish."""
    with transaction.atomic():
        locked = _lock(item_id)
        if locked is None:
            return False
        item, publication = locked
        workflow.transition(item=item, user=None, action="fail", comment=reason, system=True)
        publication.state, publication.error, publication.finished_at = State.FAILED, reason, timezone.now()
        publication.save()
        events.content_failed(item, failed_at=publication.finished_at)
    logger.error("publishing: item %s failed: %s", item_id, reason)
    return True


# --- what people do -------------------------------------------------------------------------------


def _require(user, item: ContentItem, *, manager: bool) -> None:
    allowed = user and user.is_authenticated and (user.is_agency_manager if manager else user.is_agency_staff)
    if not allowed or not ContentItem.objects.editable_by(user).filter(pk=item.pk).exists():
        raise PermissionDenied(_("Only an agency manager can do this.") if manager else None)


def publication_confirm(*, item: ContentItem, user, url: str) -> Publication:
    """A person put a manual channel's item live: record the live URL and publish it (workflow ``publish``)."""
    _require(user, item, manager=False)
    with transaction.atomic():
        locked = ContentItem.objects.select_for_update().get(pk=item.pk)
        publication = Publication.objects.select_for_update().filter(item=locked).first()
        if locked.status != ContentStatus.PUBLISHING or publication is None or publication.state != State.DUE:
            raise ValidationError(_("This item is not waiting for a go-live confirmation."))
        publication.url = url
        publication.full_clean(exclude=["item"])
        _published(locked, publication, now=timezone.now(), user=user, url=url)
        publication.save()
    return publication


def publication_publish_now(*, item: ContentItem, user) -> Publication:
    """Publish a held item now, late as it is (a manager's decision)."""
    _require(user, item, manager=True)
    with transaction.atomic():
        workflow.transition(item=item, user=user, action="publish_now", system=True)
        now = timezone.now()
        publication, _created = Publication.objects.select_for_update().get_or_create(
            item_id=item.pk,
            defaults={"channel": item.channel, "scheduled_for": item.scheduled_at, "claimed_at": now, "late": True},
        )
        publication.state, publication.queued_at, publication.late = State.QUEUED, now, True
        publication.save()
        _queue_after_commit(item.pk)
    return publication


def publication_reschedule(*, item: ContentItem, user, scheduled_at: datetime.datetime) -> ContentItem:
    """Give a held or failed item a new time in the future: it is scheduled again (the approved content does not
    change, so it needs no new review). Retrying a failed item is this, at a time a few minutes from now."""
    _require(user, item, manager=False)
    with transaction.atomic():
        locked = ContentItem.objects.select_for_update().get(pk=item.pk)
        if locked.status not in (ContentStatus.HELD, ContentStatus.FAILED):
            raise ValidationError(_("Only a held or failed item is rescheduled here."))
        previous = locked.scheduled_at
        ContentItem.objects.filter(pk=locked.pk).update(scheduled_at=scheduled_at)
        comment = _("Was due %(when)s.") % {"when": previous.isoformat(timespec="minutes")}
        item = workflow.transition(
            item=locked, user=user, action="reschedule", comment=comment, changes=["scheduled_at"], system=True
        )
        # The next claim starts a fresh record; the decision itself is in the item's history.
        Publication.objects.filter(item_id=item.pk).delete()
    return item


def publication_cancel(*, item: ContentItem, user, comment: str = "") -> ContentItem:
    """Cancel a held item (workflow ``cancel``: managers)."""
    with transaction.atomic():
        item = workflow.transition(item=item, user=user, action="cancel", comment=comment)
        Publication.objects.filter(item_id=item.pk, state=State.HELD).update(error=_("Cancelled while held."))
    return item
