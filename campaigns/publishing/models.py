"""What the publisher keeps: one publication record per content item, the channels' late limits, a lock row."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.choices import Channel

# Used for a channel without a ``ChannelLateLimit`` row.
DEFAULT_LATE_LIMIT = datetime.timedelta(hours=6)


class Publication(models.Model):
    """The one record of an item's way out: claimed, queued, published (or due, failed, held), with its timings.

    One per item (the item is unique here): a task that runs twice finds the record already published under
    the item's row lock and does nothing. The item's status stays the workflow's truth; ``state`` says where
    the publisher is (a manual channel's item is *publishing* while its go-live is due).
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")  # claimed by the dispatcher: a publish task is on its way (or a retry)
        DUE = "due", _("Due for go-live")  # a channel without an API: a person puts it live and confirms
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed")
        HELD = "held", _("Held")  # found past the channel's late limit: a person decides

    item = models.OneToOneField(
        "campaigns.ContentItem", on_delete=models.CASCADE, related_name="publication", verbose_name=_("content item")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True)
    scheduled_for = models.DateTimeField(_("scheduled for"))
    claimed_at = models.DateTimeField(_("claimed at"))
    # When the last publish task was queued (or its retry is expected): the dispatcher re-queues an item whose
    # task has not finished ``PUBLISH_STUCK_SECONDS`` after this.
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    requeues = models.PositiveIntegerField(_("re-queued"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due for go-live at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # A manual go-live still unconfirmed past PUBLISH_CONFIRM_ESCALATE_SECONDS: when managers were alerted (once).
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    late = models.BooleanField(_("late"), default=False)
    # From ``scheduled_for`` to published (or to held): how late the item went out.
    lag = models.DurationField(_("lag"), null=True, blank=True)
    external_id = models.CharField(_("external id"), max_length=200, blank=True)
    url = models.URLField(_("live URL"), max_length=500, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-claimed_at", "-pk"]

    def __str__(self):
        return f"{self.item_id} · {self.get_state_display()}"

    @property
    def delay(self) -> datetime.timedelta:
        """How late the dispatcher claimed the item."""
        return self.claimed_at - self.scheduled_for


class ChannelLateLimit(models.Model):
    """How late an item of a channel may still go out unattended (editable data).

    Past it the dispatcher holds the item for a person (a Double 11 banner three days late is wrong): publish
    now, reschedule or cancel.
    """

    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, unique=True)
    limit_minutes = models.PositiveIntegerField(_("late limit (minutes)"))

    class Meta:
        verbose_name = _("channel late limit")
        verbose_name_plural = _("channel late limits")
        ordering = ["channel"]

    def __str__(self):
        return f"{self.get_channel_display()}: {self.limit_minutes} min"

    @property
    def limit(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.limit_minutes)


class DispatcherLock(models.Model):
    """One row, written first by every dispatcher transaction on a database without row locks (SQLite).

    On PostgreSQL dispatchers run side by side and skip each other's locked rows; on SQLite the write to this
    row takes the database's write lock, so two dispatchers take turns instead of claiming the same items.
    """

    taken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dispatcher lock")
        verbose_name_plural = _("dispatcher lock")

    def __str__(self):
        return f"dispatcher lock ({self.taken_at})"
