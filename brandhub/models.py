"""People: one user model with an agency role. Brand users reach brands through ``brands.BrandMembership``."""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in. ``role`` says what part of the hub they work in."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("Agency manager")
        EDITOR = "editor", _("Agency editor")
        BRAND = "brand", _("Brand user")

    class TimeZone(models.TextChoices):
        SHANGHAI = "Asia/Shanghai", _("China (Asia/Shanghai)")
        ROME = "Europe/Rome", _("Italy (Europe/Rome)")
        UTC = "UTC", _("UTC")

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.BRAND)
    timezone = models.CharField(_("time zone"), max_length=32, choices=TimeZone.choices, default=TimeZone.SHANGHAI)
    # The language of their mail (notifications); empty: the site's default. Pages follow the language switcher.
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Your e-mails come in this language; saving also switches these pages to it."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_agency_staff(self) -> bool:
        """Agency managers and editors (and superusers) work on every brand."""
        return self.is_active and (self.is_superuser or self.role in (self.Role.MANAGER, self.Role.EDITOR))

    @property
    def is_agency_manager(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == self.Role.MANAGER)


class ApiKeyQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiKey(models.Model):
    """A partner platform's key to the REST API. Only a SHA-256 of the key is stored; the key is shown once.

    A fast hash is right here (unlike passwords): keys are 32 random bytes, so there is nothing to guess,
    and the check runs on every request.
    """

    class Scope(models.TextChoices):
        BRANDS_READ = "brands:read", _("Read brands")
        CALENDAR_READ = "calendar:read", _("Read the calendar")
        CAMPAIGNS_READ = "campaigns:read", _("Read published campaigns")
        METRICS_WRITE = "metrics:write", _("Push result metrics")
        WEBHOOKS_MANAGE = "webhooks:manage", _("Manage webhooks")

    name = models.CharField(_("partner"), max_length=120)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    brands = models.ManyToManyField(
        "brands.Brand",
        blank=True,
        related_name="+",
        verbose_name=_("only these brands"),
        help_text=_("Empty: every brand."),
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())


# --- the event outbox (core) and the webhooks that carry it to partners (edge: ``brandhub.api.webhooks``) ----------
# The models live here because an app has one models module; the logic that uses them does not.


class OutboxEvent(models.Model):
    """Something a partner may be told about, written by ``brandhub.events.event_record`` in the transaction of
    the change itself: if the change rolls back, so does its event; if it commits, the event is there even when
    the broker is down at that moment. The relay (``brandhub.api.webhooks``) turns each row into deliveries once.
    """

    class Type(models.TextChoices):
        CONTENT_PUBLISHED = "content.published", _("Content published")
        CONTENT_FAILED = "content.failed", _("Content failed to publish")
        CAMPAIGN_STATUS_CHANGED = "campaign.status_changed", _("Campaign status changed")
        BRAND_UPDATED = "brand.updated", _("Brand updated")

    uuid = models.UUIDField(_("event id"), unique=True, editable=False)
    type = models.CharField(_("event"), max_length=40, choices=Type.choices)
    data = models.JSONField(_("data"), default=dict)
    # The brands the event concerns: an endpoint limited to some brands hears only of those.
    brand_ids = models.JSONField(default=list)
    occurred_at = models.DateTimeField(_("occurred at"))
    relayed_at = models.DateTimeField(_("relayed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox event")
        verbose_name_plural = _("outbox events")
        ordering = ["-pk"]
        indexes = [
            # The relay reads only what is left to relay: the index stays as small as that.
            models.Index(fields=["id"], condition=models.Q(relayed_at__isnull=True), name="outbox_unrelayed"),
            models.Index(fields=["relayed_at"], name="outbox_relayed_at"),
        ]

    def __str__(self):
        return f"{self.type} {self.uuid}"


class WebhookEndpointQuerySet(models.QuerySet):
    def managed_by_key(self, client):
        """The endpoints an API key registered (a key sees and changes only its own)."""
        return self.filter(api_key_id=client.id)


class WebhookEndpoint(models.Model):
    """A partner's URL that receives signed events: registered by a manager in the console or by the partner's
    key (scope ``webhooks:manage``). Only http(s) URLs to public addresses are accepted in production."""

    name = models.CharField(_("partner"), max_length=120)
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=128)
    active = models.BooleanField(_("active"), default=True)
    brands = models.ManyToManyField(
        "brands.Brand",
        blank=True,
        related_name="+",
        verbose_name=_("only these brands"),
        help_text=_("Empty: every brand."),
    )
    api_key = models.ForeignKey(
        ApiKey,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("registered with the key"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.url})"

    @property
    def event_choices(self) -> list[tuple[str, str]]:
        """(type, label) of the events it hears, for pages."""
        return [(e, OutboxEvent.Type(e).label) for e in self.events if e in OutboxEvent.Type.values]


class WebhookDelivery(models.Model):
    """One event on its way to one endpoint: its exact body, each attempt and the outcome.

    The database drives retries (``next_attempt_at``), not the broker: no long countdowns sit in Redis.
    A redelivery is a new row with the same event (the same event id for the receiver) and a new signature.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        DEAD = "dead", _("Dead letter")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("event"))
    body = models.TextField(_("body"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Pending: when the next attempt may start (the relay's tick sends it then). A task on its way holds the row
    # until this moves on by the lease, so a lost message is sent again and a duplicate one finds it taken.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    response_status = models.PositiveIntegerField(_("response code"), null=True, blank=True)
    response_snippet = models.TextField(_("response"), blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    # Every attempt: {"at", "status", "error", "ms"}.
    log = models.JSONField(_("attempts log"), default=list)
    redelivery_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("redelivery of")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("redelivered by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "endpoint"],
                condition=models.Q(redelivery_of__isnull=True),
                name="webhook_delivery_once_per_endpoint",
                violation_error_message=_("This event was already relayed to this endpoint."),
            )
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=models.Q(state="pending"), name="webhook_delivery_due"),
            models.Index(
                fields=["last_attempt_at"], condition=models.Q(state="sending"), name="webhook_delivery_sending"
            ),
            models.Index(fields=["endpoint", "-id"], name="webhook_delivery_log"),
        ]

    def __str__(self):
        return f"{self.event.type} → {self.endpoint_id} · {self.get_state_display()}"
