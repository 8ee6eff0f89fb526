"""People: one user model with an agency role. Brand users reach brands through ``brands.BrandMembership``."""

from django.contrib.auth.models import AbstractUser
from django.db import models
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
