"""A message to one person, kept as data (its kind and parameters), never as rendered text.

A notification is rendered when it is read: on the notifications page in the reader's language of that moment,
in the mail in the recipient's saved language (``notifications.render``). So one row reads "Approvato" to an
Italian editor and "已批准" to the same editor switching the page to Chinese, and nothing is ever stored in
English only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def for_reader(self, user):
        """A person's own notifications, and nobody else's (there is no staff view of other people's)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one person, about one thing: written in the transaction of the change it reports, mailed
    after the commit (the database, not the broker, holds what is left to mail: see ``services``)."""

    class Kind(models.TextChoices):
        CONTENT_PUBLISHED = "content_published", _("Content live")
        CONTENT_APPROVED = "content_approved", _("Item approved")
        CONTENT_SENT_BACK = "content_sent_back", _("Changes requested")
        DIGEST = "digest", _("Daily digest")
        MATERIAL_DUE = "material_due", _("Material due")
        GOLIVE_DUE = "golive_due", _("Go-live due")
        GOLIVE_OVERDUE = "golive_overdue", _("Go-live waiting too long")
        CONTENT_HELD = "content_held", _("Item held")
        CONTENT_LATE = "content_late", _("Item went out late")
        MONTHLY_REPORT = "monthly_report", _("Monthly report")
        PROPOSAL_SUBMITTED = "proposal_submitted", _("Brand change proposed")
        PROPOSAL_DECIDED = "proposal_decided", _("Brand change decided")

    class Mail(models.TextChoices):
        PENDING = "pending", _("To be mailed")
        SENT = "sent", _("Mailed")
        SKIPPED = "skipped", _("Not mailed")
        FAILED = "failed", _("Mail failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    # What the message needs to be rendered in any language: ids, statuses, dates, and texts as the objects hold
    # them per language ({"it": …, "en": …, "zh_hans": …}). Built per recipient: a brand user's rows name only
    # their own brands.
    params = models.JSONField(_("parameters"), default=dict)
    # The page it is about (a path in the hub), and the item when there is one.
    url = models.CharField(_("link"), max_length=300, blank=True)
    item = models.ForeignKey(
        "campaigns.ContentItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set for messages that must exist once (a day's digest, a reminder for one due date): unique per recipient.
    key = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    mail_status = models.CharField(_("mail"), max_length=8, choices=Mail.choices, default=Mail.PENDING)
    mail_attempts = models.PositiveSmallIntegerField(_("mail attempts"), default=0)
    # Pending: when the sweep may (re)try the mail. A send in progress holds it a lease ahead.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("mailed at"), null=True, blank=True)
    mail_error = models.CharField(_("mail error"), max_length=300, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~Q(key=""),
                name="notification_once_per_key",
                violation_error_message=_("This message was already sent to this person."),
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_reader"),
            # The top bar's count: only unread rows are in it.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
            # The sweep reads only what is left to mail.
            models.Index(fields=["next_attempt_at"], condition=Q(mail_status="pending"), name="notification_to_mail"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient_id}"
