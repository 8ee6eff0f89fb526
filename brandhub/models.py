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
