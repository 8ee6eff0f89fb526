"""The content workflow: the one table of how an item moves from status to status, and the one function that moves it.

Everything that changes a content item's status comes through ``transition`` — the review views, the
edit service (an approved item that changes goes back to review), the Django admin (whose workflow
fields are read-only) and the coming publishing dispatcher. Each row of ``TRANSITIONS`` says from which
statuses an action starts, where it leads, who may take it and what must hold; the buttons a page shows
come from ``allowed_actions``, so a page can never offer what the service would refuse.

A transition locks the item's row (``select_for_update``), re-reads its status and version, checks the
rules against what is in the database (not against a copy a view built earlier), writes only the
workflow fields and bumps the version, so a form built on an older version is refused.

``transition_many`` applies one row without checks (the dispatcher's ``dispatch`` and ``hold``) to many items in
a few statements, with the same guarantees: each item locked and re-read, only those still in a source status
moved, only the workflow fields written, each version bumped, each move in the item's history.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .api.feed import feed_changed
from .choices import ContentStatus as S
from .models import ContentItem, ContentTransition

STAFF, MANAGER, SYSTEM = "staff", "manager", "system"
# Statuses in which an item is closed: its texts, creatives and time no longer change.
# (Publishing and held items are out for publication as approved: a change would publish unreviewed content.)
CLOSED = (S.PUBLISHED, S.CANCELLED, S.PUBLISHING, S.HELD)
# A change to these after approval needs a new review.
REVIEWED_FIELDS = (
    "channel",
    "scheduled_at",
    "brands",
    "creatives",
    *(f"{f}_{s}" for f in ("title", "body") for s in ("it", "en", "zh_hans")),
)


class StaleVersion(ValidationError):
    """The item changed since the form was built: the user must look again before acting."""

    def __init__(self):
        super().__init__(
            _("Someone else changed this item while you were looking at it. Reload the page, check, and try again."),
            code="stale",
        )


def _not_own_work(item: ContentItem, user, **_kwargs) -> None:
    if user.pk in (item.author_id, item.last_edited_by_id):
        raise PermissionDenied(
            _("Nobody approves their own item or their own change: another manager must approve it.")
        )


def _nothing_blocking(item: ContentItem, user, **_kwargs) -> None:
    from .services import content_problems

    blocking = [p.message for p in content_problems(item) if p.blocking]
    if blocking:
        raise ValidationError(blocking)


def _in_the_future(item: ContentItem, user, *, now: datetime.datetime, **_kwargs) -> None:
    if item.scheduled_at <= now:
        raise ValidationError(_("The scheduled time has passed: choose a new time first."))


def _warnings_accepted(item: ContentItem, user, *, accept_warnings: bool, **_kwargs) -> None:
    from .services import content_problems

    warnings = [p.message for p in content_problems(item) if not p.blocking]
    if warnings and not accept_warnings:
        # Each message carries the code, so a caller can tell "accept the warnings?" from a refusal.
        raise ValidationError([ValidationError(message, code="warnings") for message in warnings])


def _has_comment(item: ContentItem, user, *, comment: str, **_kwargs) -> None:
    if not comment.strip():
        raise ValidationError({"comment": _("Say what needs to change.")})


@dataclass(frozen=True)
class Transition:
    """One row of the workflow: ``action`` moves an item from one of ``sources`` to ``target``."""

    action: str
    sources: tuple[str, ...]
    target: str
    who: str  # STAFF (managers and editors), MANAGER, or SYSTEM (the publisher and the edit service)
    label: str
    checks: tuple[Callable, ...] = ()
    primary: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("submit", (S.DRAFT,), S.IN_REVIEW, STAFF, gettext_lazy("Submit for review"), primary=True),
        Transition(
            "approve",
            (S.IN_REVIEW,),
            S.APPROVED,
            MANAGER,
            gettext_lazy("Approve"),
            checks=(_not_own_work, _nothing_blocking),
        ),
        Transition(
            "request_changes",
            (S.IN_REVIEW, S.APPROVED, S.SCHEDULED),
            S.DRAFT,
            MANAGER,
            gettext_lazy("Ask for changes"),
            checks=(_has_comment,),
        ),
        Transition(
            "schedule",
            (S.APPROVED,),
            S.SCHEDULED,
            STAFF,
            gettext_lazy("Schedule"),
            checks=(_nothing_blocking, _in_the_future, _warnings_accepted),
            primary=True,
        ),
        Transition("unschedule", (S.SCHEDULED,), S.APPROVED, STAFF, gettext_lazy("Unschedule")),
        Transition(
            "cancel",
            (S.DRAFT, S.IN_REVIEW, S.APPROVED, S.SCHEDULED, S.HELD),
            S.CANCELLED,
            MANAGER,
            gettext_lazy("Cancel the item"),
        ),
        # Taken by the publishing dispatcher (``campaigns.publishing``) when a scheduled item's hour comes: it hands
        # the item to the channel's publisher, or holds it when it is found past the channel's late limit.
        Transition("dispatch", (S.SCHEDULED,), S.PUBLISHING, SYSTEM, gettext_lazy("Sent to the publisher")),
        Transition("hold", (S.SCHEDULED,), S.HELD, SYSTEM, gettext_lazy("Held: too late to publish unattended")),
        Transition("publish", (S.SCHEDULED, S.PUBLISHING), S.PUBLISHED, SYSTEM, gettext_lazy("Published")),
        Transition("fail", (S.SCHEDULED, S.PUBLISHING), S.FAILED, SYSTEM, gettext_lazy("Publishing failed")),
        # A person's decisions on a held (or failed) item, taken through the publishing services (which check the role
        # and queue the publisher, or move the time); cancelling a held item is the ordinary "cancel".
        Transition("publish_now", (S.HELD,), S.PUBLISHING, SYSTEM, gettext_lazy("Publish now (late)")),
        # A failed item is retried the same way: its approved content goes out at the new time, without review.
        Transition(
            "reschedule", (S.HELD, S.FAILED), S.SCHEDULED, SYSTEM, gettext_lazy("Rescheduled"), checks=(_in_the_future,)
        ),
        # Not a button: the edit service takes it when an approved item's reviewed content changes.
        Transition(
            "changed_after_approval",
            (S.APPROVED, S.SCHEDULED),
            S.IN_REVIEW,
            SYSTEM,
            gettext_lazy("Changed after approval"),
        ),
    )
}
# Functions ``(*, item, action, previous, user, comment, details)`` that apps register from their AppConfig.ready(),
# called inside the transaction of every transition after it is written (``item`` is the locked row, in its new
# status; ``details`` what the caller knows that the row does not hold, e.g. a publication's live URL): the
# notifications app writes its messages there without campaigns importing it.
TRANSITION_LISTENERS: list = []
# Two rows in one step, offered where both would be allowed: approve, then schedule.
COMBINED = {"approve_schedule": (("approve", "schedule"), gettext_lazy("Approve and schedule"))}


def _may(transition: Transition, user) -> bool:
    if transition.who == SYSTEM:
        return False
    if not (user and user.is_authenticated and user.is_agency_staff):
        return False
    return transition.who == STAFF or user.is_agency_manager


def allowed_actions(item: ContentItem, user) -> list[tuple[str, str, bool]]:
    """(action, label, primary) for the buttons this user may press on this item now.

    Only the cheap rules are applied here (status, role, own work); content checks run on press and
    explain themselves.
    """
    actions = []
    for t in TRANSITIONS.values():
        if item.status not in t.sources or not _may(t, user):
            continue
        if _not_own_work in t.checks and user.pk in (item.author_id, item.last_edited_by_id):
            continue
        actions.append((t.action, t.label, t.primary))
        for combined, (steps, label) in COMBINED.items():
            if steps[0] == t.action:
                actions.append((combined, label, True))
    return actions


def transition(
    *,
    item: ContentItem,
    user,
    action: str,
    comment: str = "",
    accept_warnings: bool = False,
    version: int | None = None,
    now: datetime.datetime | None = None,
    changes: list[str] | None = None,
    system: bool = False,
    details: dict | None = None,
    already_locked: bool = False,
) -> ContentItem:
    """Move ``item`` by ``action`` or raise ``PermissionDenied`` / ``ValidationError`` (``StaleVersion``).

    ``version``, when given, is the version the user saw: anything newer is refused. ``system`` is for
    the services' own moves (the edit service, the publisher); people never take system rows. ``details`` is passed
    to the ``TRANSITION_LISTENERS``. ``already_locked``: the caller read ``item`` with ``select_for_update`` in the
    transaction it is in (the publisher does, on every publish task): it is used as it is, without reading and
    locking it again in a savepoint of its own — two round trips of three fewer a publication.
    """
    if action in COMBINED:
        with transaction.atomic():
            steps, _label = COMBINED[action]
            for step in steps:
                item = transition(
                    item=item,
                    user=user,
                    action=step,
                    comment=comment if step == steps[0] else "",
                    accept_warnings=accept_warnings,
                    version=version,
                    now=now,
                )
                version = item.version
            return item
    t = TRANSITIONS.get(action)
    if t is None:
        raise ValidationError(_("Unknown action."))
    if t.who == SYSTEM and not system:
        raise PermissionDenied(_("This step is taken by the system, not by hand."))
    if t.who != SYSTEM and not _may(t, user):
        if user and user.is_authenticated and user.is_agency_staff:
            raise PermissionDenied(_("Only an agency manager can do this."))
        raise PermissionDenied
    if already_locked and not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition(already_locked=True) needs the caller's transaction, which holds the row lock")
    with transaction.atomic(savepoint=not already_locked):
        locked = item if already_locked else ContentItem.objects.select_for_update().get(pk=item.pk)
        if not system and not ContentItem.objects.editable_by(user).filter(pk=locked.pk).exists():
            raise PermissionDenied
        if version is not None and locked.version != version:
            raise StaleVersion
        if locked.status not in t.sources:
            raise ValidationError(
                _("This item is %(status)s: it cannot be moved that way.") % {"status": locked.get_status_display()}
            )
        for check in t.checks:
            check(locked, user, comment=comment, accept_warnings=accept_warnings, now=now or timezone.now())
        previous = locked.status
        locked.status = t.target
        if action == "approve":
            locked.approved_by, locked.approved_at = user, timezone.now()
        elif t.target in (S.DRAFT, S.IN_REVIEW):
            locked.approved_by, locked.approved_at = None, None
        # The row is locked since it was read: its version + 1 is what the database would compute.
        locked.version += 1
        locked.save(update_fields=["status", "approved_by", "approved_at", "version", "updated_at"])
        ContentTransition.objects.create(
            item=locked,
            action=action,
            from_status=previous,
            to_status=t.target,
            user=user if user and user.is_authenticated else None,
            comment=comment.strip(),
            changes=changes or [],
        )
        if S.PUBLISHED in (previous, t.target):
            feed_changed()  # the partner feed shows published items: its held answers go once this commits
        for listener in TRANSITION_LISTENERS:
            listener(
                item=locked, action=action, previous=previous, user=user, comment=comment.strip(), details=details or {}
            )
    return locked


def transition_many(
    *,
    item_ids,
    user,
    action: str,
    comment: str = "",
    comments: dict[int, str] | None = None,
    system: bool = False,
    details: dict | None = None,
) -> list[ContentItem]:
    """Move many items by one row of the table that has no checks, in a few statements; the items moved.

    Each item is locked and re-read (in pk order); only those still in one of the row's source statuses move
    (the others are left as they are: the caller learns which moved from the result). Only the workflow fields
    are written, each version is bumped by one, each item gets its history row (``comments`` by item id, else
    ``comment``) and the ``TRANSITION_LISTENERS`` are called for each, as ``transition`` does for one item.
    """
    t = TRANSITIONS.get(action)
    if t is None:
        raise ValidationError(_("Unknown action."))
    if t.checks:
        raise ValueError(f"{action!r} has checks to run on each item: use transition().")
    if t.who == SYSTEM and not system:
        raise PermissionDenied(_("This step is taken by the system, not by hand."))
    if t.who != SYSTEM and not _may(t, user):
        raise PermissionDenied
    comments = comments or {}
    with transaction.atomic():
        queryset = ContentItem.objects.filter(pk__in=list(item_ids), status__in=t.sources)
        if not system:
            queryset = queryset.filter(pk__in=ContentItem.objects.editable_by(user).values("pk"))
        # FOR UPDATE re-checks the status on a row another transaction changed meanwhile: one that left its
        # source status is not returned, so it is neither moved nor overwritten.
        items = list(queryset.select_for_update(of=("self",)).order_by("pk"))
        if not items:
            return []
        now = timezone.now()
        fields = {"status": t.target, "version": F("version") + 1, "updated_at": now}
        if t.target in (S.DRAFT, S.IN_REVIEW):
            fields |= {"approved_by": None, "approved_at": None}
        ContentItem.objects.filter(pk__in=[item.pk for item in items]).update(**fields)
        actor = user if user and user.is_authenticated else None
        steps = []
        for item in items:
            steps.append(
                ContentTransition(
                    item=item,
                    action=action,
                    from_status=item.status,
                    to_status=t.target,
                    user=actor,
                    comment=comments.get(item.pk, comment).strip(),
                )
            )
            # The rows are locked since they were read: these are the values just written.
            item.status, item.version, item.updated_at = t.target, item.version + 1, now
            if t.target in (S.DRAFT, S.IN_REVIEW):
                item.approved_by, item.approved_at = None, None
        ContentTransition.objects.bulk_create(steps)
        if S.PUBLISHED in (*t.sources, t.target):
            feed_changed()
        for item, step in zip(items, steps, strict=True):
            for listener in TRANSITION_LISTENERS:
                listener(
                    item=item, action=action, previous=step.from_status, user=user, comment=step.comment,
                    details=details or {},
                )  # fmt: skip
    return items
