"""Calendar subscriptions: each person's ICS address (``campaigns.feeds`` builds what it holds)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarFeed(models.Model):
    """A person's calendar feed address. Its token is the only credential: calendar apps (Outlook, DingTalk, WeCom)
    fetch the address without a session. It is 256 random bits (``secrets``), kept as it is so the settings page can
    show the address again; whoever reads the database reads the calendars anyway. A reset replaces the token and
    the old address answers 404 from then on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("user")
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"{self.user} · {self.token[:6]}…"
