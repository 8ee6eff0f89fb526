"""Writing notifications where things happen, and mailing them without losing one.

**Where they are written.** In the transaction of the change they report, so a change that rolls back tells
nobody and one that commits is never forgotten:

- the workflow calls ``notifications_for_transition`` inside every transition (``campaigns.workflow``'s
  listeners): *publish* tells the brand users of the item's brands (each only of their own brands: never the
  other brand of a shared campaign); *approve* and *request_changes* tell the item's author and last editor;
- the publishing dispatcher calls ``notifications_for_publication`` (``campaigns.publishing``'s listeners) when a
  manual channel's item falls due — the person it is assigned to (the campaign's owner, else the item's author,
  else the managers) gets the go-live pack — and when such a go-live is still unconfirmed past the escalation time
  (the managers); the workflow's *hold* alerts the managers, the campaign's owner and the item's author, and a
  *publish* that went out late alerts the campaign's owner and the item's author;
- ``notifications_daily`` (beat, every ``NOTIFY_DAILY_TICK_SECONDS``, from ``NOTIFY_DAILY_HOUR`` China time) writes
  each agency editor's and manager's digest of the items whose material is due within ``NOTIFY_DIGEST_DAYS`` and
  not approved (none when there is nothing), and reminds brand users ``NOTIFY_BRAND_DUE_DAYS`` before their
  material is due. Both are keyed (one digest per person and day, one reminder per person, item and due date),
  so a run repeated the same day, or two at once, sends nothing twice.

**How they are mailed.** The database holds what is left to mail. After the commit one task per transaction is
sent to mail its rows at once; a row whose mail has not gone out a minute after it was written (the broker was
down at the commit, the message was lost, a worker died) is sent by the sweep (beat, every
``NOTIFY_SWEEP_SECONDS``). A send first claims its row (one ``UPDATE``: attempts + 1, the next attempt a lease
ahead), so a duplicate task or a concurrent sweep finds it taken. A failed send is retried by the sweep
``NOTIFY_RETRY_BASE_SECONDS`` later, four times longer each time, ``NOTIFY_MAIL_MAX_ATTEMPTS`` times in all.
A worker killed between the mail and the mark sends that one mail again after the lease: at least once, never lost.
"""

import contextlib
import contextvars
import datetime
import logging
from collections import defaultdict
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from brandhub.events import iso
from brands.models import BrandMembership
from campaigns.choices import ContentStatus
from campaigns.models import ContentItem
from campaigns.services import CHINA

from .models import Notification
from .render import MailWithdrawn, email_for

logger = logging.getLogger(__name__)
Kind, Mail = Notification.Kind, Notification.Mail
LANGUAGE_FIELDS = ("it", "en", "zh_hans")
NOT_APPROVED = (ContentStatus.DRAFT, ContentStatus.IN_REVIEW)
# A digest lists this many items; the rest are counted ("… and 12 more on the To do page").
DIGEST_LIMIT = 50
# How long a send holds its row before the sweep may try it again (a worker that died mid-send).
MAIL_LEASE_SECONDS = 120
SWEEP_BATCH = 100
_UNMAILED = contextvars.ContextVar("notifications_unmailed", default=False)


def _texts(obj, field: str) -> dict:
    return {code: getattr(obj, f"{field}_{code}", "") or "" for code in LANGUAGE_FIELDS}


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def item_params(item: ContentItem) -> dict:
    """What staff are told of an item: its title per language, channel, status, campaign, festival and dates."""
    festival = item.campaign.festival
    return {
        "id": item.pk,
        "title": _texts(item, "title"),
        "channel": item.channel,
        "status": item.status,
        "campaign": item.campaign.title,
        "festival": _texts(festival, "name") if festival else None,
        "scheduled_at": iso(item.scheduled_at),
        "due_on": iso(item.due_on),
        "url": item.get_absolute_url(),
    }


def material_params(item: ContentItem) -> dict:
    """What a brand user is told of an item whose material is due: never its title, texts, status or hour (a
    brand user never sees an item before it is approved), only the channel, the campaign their brand takes part
    in, its festival and the due date."""
    festival = item.campaign.festival
    return {
        "channel": item.channel,
        "campaign": item.campaign.title,
        "festival": _texts(festival, "name") if festival else None,
        "due_on": iso(item.due_on),
    }


# --- writing ----------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def notifications_unmailed():
    """Notifications written inside are kept for the page but never mailed: the demo's year of history
    (``seed_demo``) is not news to anyone's inbox."""
    token = _UNMAILED.set(True)
    try:
        yield
    finally:
        _UNMAILED.reset(token)


def _mail_soon(ids: list[int]) -> None:
    """After the commit: one task mails this transaction's rows. A broker that cannot be reached is only logged:
    the rows wait in the database and the sweep mails them."""
    from .tasks import notifications_send

    try:
        notifications_send.apply_async((ids,), retry=False)
    except Exception as exc:  # the broker is down
        logger.warning("notifications: could not queue %s mails (%s); the sweep sends them", len(ids), exc)


def notifications_write(notifications: list[Notification]) -> list[Notification]:
    """Store unsaved notifications in the caller's transaction and mail them once it commits.

    Rows for a person without an e-mail address (or written under ``notifications_unmailed``) are kept for the
    page and marked as not mailed.
    """
    if not notifications:
        return []
    now = timezone.now()
    grace = datetime.timedelta(seconds=settings.NOTIFY_MAIL_GRACE_SECONDS)
    unmailed = _UNMAILED.get()
    for notification in notifications:
        notification.created_at = now
        if notification.recipient.email and not unmailed:
            notification.mail_status, notification.next_attempt_at = Mail.PENDING, now + grace
        else:
            notification.mail_status, notification.next_attempt_at = Mail.SKIPPED, None
    created = Notification.objects.bulk_create(notifications)
    ids = [n.pk for n in created if n.mail_status == Mail.PENDING]
    if ids:
        transaction.on_commit(partial(_mail_soon, ids))
    return created


def notifications_for_transition(*, item: ContentItem, action: str, previous: str, user, comment: str, details: dict):
    """The workflow's listener: who is told of this step (inside the transition's transaction)."""
    if action == "publish":
        _content_published(item, live_url=details.get("url", ""))
        if details.get("late_seconds"):
            _to_staff(item, Kind.CONTENT_LATE, _owner_and_author(item), late_seconds=details["late_seconds"])
    elif action == "hold":
        _to_staff(item, Kind.CONTENT_HELD, _managers() | _owner_and_author(item), reason=comment)
    elif action == "approve":
        _reviewed(item, kind=Kind.CONTENT_APPROVED, actor=user)
    elif action == "request_changes":
        _reviewed(item, kind=Kind.CONTENT_SENT_BACK, actor=user, comment=comment)


def _content_published(item: ContentItem, *, live_url: str) -> None:
    """The brand users of the item's brands, each told only of their own brands on it."""
    User = get_user_model()
    memberships = (
        BrandMembership.objects.filter(brand__content_items=item, user__role=User.Role.BRAND, user__is_active=True)
        .select_related("user", "brand")
        .order_by("user_id", "brand__name_it")
    )
    brands_of = defaultdict(list)
    users = {}
    for membership in memberships:
        users[membership.user_id] = membership.user
        brands_of[membership.user_id].append(_texts(membership.brand, "name"))
    if not users:
        return
    item = ContentItem.objects.select_related("campaign__festival").get(pk=item.pk)
    now = timezone.now()
    base = {"item": item_params(item), "published_at": iso(now), "live_url": live_url}
    notifications_write(
        [
            Notification(
                recipient=user,
                kind=Kind.CONTENT_PUBLISHED,
                item=item,
                url=item.get_absolute_url(),
                params={**base, "brands": brands_of[pk]},
            )
            for pk, user in users.items()
        ]
    )


def notifications_for_publication(*, event: str, item: ContentItem, publication) -> None:
    """The publishing dispatcher's listener: a manual go-live fell due, or waits too long for its confirmation."""
    if event == "golive_due":
        _to_staff(item, Kind.GOLIVE_DUE, _assignee(item), pack=_golive_pack(item), due_at=iso(publication.due_at))
    elif event == "golive_overdue":
        _to_staff(item, Kind.GOLIVE_OVERDUE, _managers() | _assignee(item), due_at=iso(publication.due_at))


def _active_staff(ids) -> set[int]:
    User = get_user_model()
    return {u.pk for u in User.objects.filter(pk__in=set(ids) - {None}, is_active=True) if u.is_agency_staff}


def _managers() -> set[int]:
    User = get_user_model()
    return set(User.objects.filter(role=User.Role.MANAGER, is_active=True).values_list("pk", flat=True))


def _owner_and_author(item: ContentItem) -> set[int]:
    return _active_staff({item.campaign.owner_id, item.author_id})


def _assignee(item: ContentItem) -> set[int]:
    """Who puts a manual go-live live: the campaign's owner, else the item's author, else every manager (someone
    must be told: an account deleted or switched off leaves the go-live to the managers)."""
    for candidate in (item.campaign.owner_id, item.author_id):
        found = _active_staff({candidate})
        if found:
            return found
    return _managers()


def _golive_pack(item: ContentItem) -> dict:
    """What a go-live mail carries: the texts in every language written, the creatives' pack page (cut to the
    channel's sizes there) and the campaign's active tracked links."""
    from django.urls import reverse

    links = getattr(item.campaign, "tracked_links", None)
    return {
        "url": reverse("publishing:golive_pack", kwargs={"pk": item.pk}),
        "texts": [
            {"language": code, "title": getattr(item, f"title_{code}"), "body": getattr(item, f"body_{code}")}
            for code in LANGUAGE_FIELDS
            if getattr(item, f"title_{code}") or getattr(item, f"body_{code}")
        ],
        "creatives": item.creatives.count(),
        "links": [
            {"label": link.label, "url": link.tracked_url()}
            for link in (links.filter(status="active").order_by("pk")[:10] if links is not None else [])
        ],
    }


def _to_staff(item: ContentItem, kind: str, recipients: set[int], **extra) -> None:
    if not recipients:
        return
    item = ContentItem.objects.select_related("campaign__festival").get(pk=item.pk)
    params = {"item": item_params(item), **extra}
    users = get_user_model().objects.filter(pk__in=recipients).order_by("pk")
    url = extra["pack"]["url"] if "pack" in extra else reverse_desk()
    notifications_write([Notification(recipient=u, kind=kind, item=item, url=url, params=params) for u in users])


def reverse_desk() -> str:
    from django.urls import reverse

    return reverse("publishing:desk")


def notifications_for_proposal(*, event: str, proposal, user) -> None:
    """The brands app's listener for profile change proposals: a new one tells the agency's editors and managers
    (who review them); a decision tells its proposer, with the reviewer's comment."""
    from django.urls import reverse

    brand = proposal.brand
    params = {
        "brand": _texts(brand, "name"),
        "by": _name(user),
        "decision": event,
        "comment": proposal.review_comment,
    }
    User = get_user_model()
    if event == "submitted":
        staff = User.objects.filter(role__in=[User.Role.EDITOR, User.Role.MANAGER], is_active=True).order_by("pk")
        url = reverse("brands:brandchangeproposal_detail", kwargs={"slug": brand.slug, "pk": proposal.pk})
        notifications_write(
            [Notification(recipient=u, kind=Kind.PROPOSAL_SUBMITTED, url=url, params=params) for u in staff]
        )
    elif event in ("accepted", "rejected"):
        proposer = proposal.proposed_by
        if proposer is None or not proposer.is_active:
            return
        url = reverse("brands:brand_detail", kwargs={"slug": brand.slug})
        notifications_write([Notification(recipient=proposer, kind=Kind.PROPOSAL_DECIDED, url=url, params=params)])


def _reviewed(item: ContentItem, *, kind: str, actor, comment: str = "") -> None:
    """The item's author and its last editor (not the reviewer), when they are still agency staff."""
    ids = {item.author_id, item.last_edited_by_id} - {None, getattr(actor, "pk", None)}
    recipients = [u for u in get_user_model().objects.filter(pk__in=ids, is_active=True) if u.is_agency_staff]
    if not recipients:
        return
    item = ContentItem.objects.select_related("campaign__festival").get(pk=item.pk)
    params = {"item": item_params(item), "by": _name(actor), "comment": comment}
    notifications_write(
        [
            Notification(recipient=user, kind=kind, item=item, url=item.get_absolute_url(), params=params)
            for user in sorted(recipients, key=lambda u: u.pk)
        ]
    )


# --- the daily run ----------------------------------------------------------------------------------------------


def notifications_daily(*, now: datetime.datetime | None = None) -> dict:
    """Today's digests and material reminders (China date), once: beat runs this every few minutes, and it does
    something from ``NOTIFY_DAILY_HOUR`` on, for whoever has not had today's yet (a beat that was down at the hour
    sends them when it is back)."""
    now = now or timezone.now()
    local = timezone.localtime(now, CHINA)
    if local.hour < settings.NOTIFY_DAILY_HOUR:
        return {"digests": 0, "reminders": 0}
    today = local.date()
    try:
        with transaction.atomic():
            result = {"digests": len(_digests(today)), "reminders": len(_material_reminders(today))}
    except IntegrityError:
        # Another run of the same day wrote them between our read and our write: they are there, once.
        logger.info("notifications: today's digests and reminders were written by another run")
        return {"digests": 0, "reminders": 0}
    if any(result.values()):
        logger.info("notifications: %(digests)s digests, %(reminders)s material reminders", result)
    return result


def digest_items(today: datetime.date):
    """Items whose material is due from today to ``NOTIFY_DIGEST_DAYS`` ahead and that are not approved yet."""
    last = today + datetime.timedelta(days=settings.NOTIFY_DIGEST_DAYS)
    return ContentItem.objects.filter(due_on__range=(today, last), status__in=NOT_APPROVED).order_by(
        "due_on", "scheduled_at", "pk"
    )


def _digests(today: datetime.date) -> list[Notification]:
    from django.urls import reverse

    User = get_user_model()
    key = f"digest:{today.isoformat()}"
    staff = (
        User.objects.filter(is_active=True)
        .filter(Q(role__in=[User.Role.MANAGER, User.Role.EDITOR]) | Q(is_superuser=True))
        .exclude(notifications__key=key)
        .order_by("pk")
    )
    recipients = list(staff)
    if not recipients:
        return []
    queryset = digest_items(today)
    items = list(queryset.select_related("campaign__festival")[: DIGEST_LIMIT + 1])
    if not items:
        return []  # nothing due: no digest
    more = queryset.count() - DIGEST_LIMIT if len(items) > DIGEST_LIMIT else 0
    params = {
        "day": today.isoformat(),
        "days": settings.NOTIFY_DIGEST_DAYS,
        "items": [item_params(item) for item in items[:DIGEST_LIMIT]],
        "more": more,
    }
    url = reverse("campaigns:todo")
    return notifications_write(
        [Notification(recipient=user, kind=Kind.DIGEST, key=key, url=url, params=params) for user in recipients]
    )


def material_items(today: datetime.date):
    """Items whose material is due from today to ``NOTIFY_BRAND_DUE_DAYS`` ahead and is still being prepared."""
    last = today + datetime.timedelta(days=settings.NOTIFY_BRAND_DUE_DAYS)
    return ContentItem.objects.filter(due_on__range=(today, last), status__in=NOT_APPROVED).order_by("due_on", "pk")


def _material_reminders(today: datetime.date) -> list[Notification]:
    """One reminder per brand user and item (and due date: a date moved later is reminded again), naming only
    their own brands on the item."""
    User = get_user_model()
    items = list(material_items(today).select_related("campaign__festival").prefetch_related("brands"))
    brand_ids = {brand.pk for item in items for brand in item.brands.all()}
    if not brand_ids:
        return []
    members = defaultdict(list)
    for membership in BrandMembership.objects.filter(
        brand_id__in=brand_ids, user__role=User.Role.BRAND, user__is_active=True
    ).select_related("user"):
        members[membership.brand_id].append(membership.user)
    keys = {item.pk: f"material:{item.pk}:{item.due_on.isoformat()}" for item in items}
    done = set(Notification.objects.filter(key__in=keys.values()).values_list("recipient_id", "key"))
    notifications = []
    for item in items:
        told: dict[int, tuple] = {}
        for brand in sorted(item.brands.all(), key=lambda b: b.name_it):
            for user in members[brand.pk]:
                told.setdefault(user.pk, (user, []))[1].append(_texts(brand, "name"))
        for pk, (user, brands) in sorted(told.items()):
            if (pk, keys[item.pk]) in done:
                continue
            notifications.append(
                Notification(
                    recipient=user,
                    kind=Kind.MATERIAL_DUE,
                    key=keys[item.pk],
                    item=item,
                    # The campaign's page: the item itself is not theirs to see before it is approved.
                    url=item.campaign.get_absolute_url(),
                    params={"item": material_params(item), "brands": brands},
                )
            )
    return notifications_write(notifications)


# --- mailing ----------------------------------------------------------------------------------------------------


def _retry_delay(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.NOTIFY_RETRY_BASE_SECONDS * 4 ** max(attempts - 1, 0))


def notification_send(*, notification_id: int, now: datetime.datetime | None = None) -> str:
    """Mail one notification if it is still to be mailed and nobody else is sending it: "sent", "retry",
    "failed", "skipped" (no address, or not ours to send now)."""
    now = now or timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id, mail_status=Mail.PENDING)
        .filter(Q(mail_attempts=0) | Q(next_attempt_at__lte=now))
        .update(
            mail_attempts=F("mail_attempts") + 1, next_attempt_at=now + datetime.timedelta(seconds=MAIL_LEASE_SECONDS)
        )
    )
    if not claimed:
        return "skipped"
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    user = notification.recipient
    if not user.email or not user.is_active:
        Notification.objects.filter(pk=notification_id).update(mail_status=Mail.SKIPPED, next_attempt_at=None)
        return "skipped"
    try:
        email_for(notification).send()
    except MailWithdrawn as reason:
        Notification.objects.filter(pk=notification_id).update(
            mail_status=Mail.SKIPPED, next_attempt_at=None, mail_error=str(reason)[:300]
        )
        return "skipped"
    except Exception as exc:  # SMTP refused, timed out, a server that went away: the sweep tries again later
        error = f"{type(exc).__name__}: {exc}"[:300]
        attempts = notification.mail_attempts
        if attempts >= settings.NOTIFY_MAIL_MAX_ATTEMPTS:
            fields = {"mail_status": Mail.FAILED, "next_attempt_at": None}
        else:
            fields = {"next_attempt_at": timezone.now() + _retry_delay(attempts)}
        Notification.objects.filter(pk=notification_id).update(mail_error=error, **fields)
        logger.warning("notifications: mail %s failed (attempt %s): %s", notification_id, attempts, error)
        return "failed" if "mail_status" in fields else "retry"
    Notification.objects.filter(pk=notification_id).update(
        mail_status=Mail.SENT, emailed_at=timezone.now(), next_attempt_at=None, mail_error=""
    )
    return "sent"


def notifications_send(*, ids: list[int]) -> dict:
    outcomes = defaultdict(int)
    for pk in ids:
        outcomes[notification_send(notification_id=pk)] += 1
    return dict(outcomes)


def notifications_sweep(*, now: datetime.datetime | None = None) -> int:
    """Mail what is still to be mailed past its time (a minute after it was written, or its retry's time)."""
    now = now or timezone.now()
    sent = 0
    ids = list(
        Notification.objects.filter(mail_status=Mail.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for pk in ids:
        sent += notification_send(notification_id=pk, now=now) == "sent"
    if ids:
        logger.info("notifications: the sweep mailed %s of %s", sent, len(ids))
    return sent


# --- reading ----------------------------------------------------------------------------------------------------


def notifications_mark_read(*, user) -> int:
    """Mark all of a person's notifications read; returns how many were unread."""
    return Notification.objects.for_reader(user).unread().update(read_at=timezone.now())
