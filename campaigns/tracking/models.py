"""Offline events, their tracked links, the scans those links receive and the hourly rollups pages read."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from brands.models import Brand, BrandMembership, Product


def _brand_ids_of(user):
    return BrandMembership.objects.filter(user=user).values("brand_id")


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Agency staff see every event; a brand user the events one of their brands takes part in."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_agency_staff:
            return self
        return self.filter(
            pk__in=OfflineEvent.brands.through.objects.filter(brand__in=_brand_ids_of(user)).values("offlineevent_id")
        )

    def editable_by(self, user):
        return self if user.is_authenticated and user.is_active and user.is_agency_staff else self.none()


class OfflineEvent(models.Model):
    """A pop-up, a fair, a supermarket promotion ...: a place and days where visitors scan a code for a reward."""

    class Kind(models.TextChoices):
        POPUP = "popup", _("Pop-up")
        FAIR = "fair", _("Fair")
        ROADSHOW = "roadshow", _("Roadshow")
        SUPERMARKET = "supermarket", _("Supermarket promotion")
        COOKING_SHOW = "cooking_show", _("Cooking show")
        TRAINING = "training", _("Training")

    title = models.CharField(_("title"), max_length=160)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    city = models.CharField(_("city"), max_length=80)
    venue = models.CharField(_("venue"), max_length=160, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    partner = models.CharField(_("partner"), max_length=160, blank=True, help_text=_("E.g. Hema, Slow Food, a fair."))
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offline_events",
        verbose_name=_("campaign"),
    )
    brands = models.ManyToManyField(Brand, related_name="offline_events", verbose_name=_("brands"))
    products = models.ManyToManyField(
        Product, blank=True, related_name="offline_events", verbose_name=_("featured products")
    )
    reward_zh = models.CharField(
        _("reward (Chinese)"),
        max_length=120,
        blank=True,
        help_text=_("What a visitor gets for scanning: 送冰淇淋一杯."),
    )
    reward_en = models.CharField(_("reward (English)"), max_length=120, blank=True)
    # Until the results issue brings metric facts: entered by hand after the event.
    followers_gained = models.PositiveIntegerField(
        _("followers gained"),
        null=True,
        blank=True,
        help_text=_("The followers the brands gained during the event, from the platforms' figures."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("offline event")
        verbose_name_plural = _("offline events")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="event_ends_after_start",
                violation_error_message=_("The event cannot end before it starts."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("tracking:event_detail", args=[self.pk])

    @property
    def reward(self) -> str:
        return self.reward_zh or self.reward_en


class LinkQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see every link; a brand user the links of their brands and the brand-less links of their events."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_agency_staff:
            return self
        through = TrackedLink.brands.through.objects
        own = through.filter(brand__in=_brand_ids_of(user)).values("trackedlink_id")
        # Subqueries, not joins: sums over a user's links must not count a link once per shared brand. A link
        # of a shared event made for another brand only stays out; one made for no brand is the event's.
        unbranded = Q(event__in=OfflineEvent.objects.visible_to(user)) & ~Q(pk__in=through.values("trackedlink_id"))
        return self.filter(Q(pk__in=own) | unbranded)

    def editable_by(self, user):
        return self if user.is_authenticated and user.is_active and user.is_agency_staff else self.none()


class TrackedLink(models.Model):
    """A short code printed as a QR code: the code never changes, the destination may (after printing too).

    ``/q/<code>`` redirects to ``destination`` only: the target is stored here, never taken from the request,
    so the redirect cannot be turned into an open redirect.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("tracked link", "Active")
        PAUSED = "paused", pgettext_lazy("tracked link", "Paused")
        ARCHIVED = "archived", pgettext_lazy("tracked link", "Archived")

    code = models.CharField(_("code"), max_length=16, unique=True, editable=False)
    label = models.CharField(_("label"), max_length=120, help_text=_("For staff: where the code is printed."))
    destination = models.URLField(_("destination URL"), max_length=1000)
    event = models.ForeignKey(
        OfflineEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="links", verbose_name=_("event")
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tracked_links",
        verbose_name=_("campaign"),
    )
    brands = models.ManyToManyField(Brand, blank=True, related_name="tracked_links", verbose_name=_("brands"))
    city = models.CharField(_("city"), max_length=80, blank=True)
    venue = models.CharField(_("venue"), max_length=160, blank=True)
    reward = models.CharField(_("reward"), max_length=120, blank=True)
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    scan_cap = models.PositiveIntegerField(
        _("scan limit"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("After this many scans the code shows that the offer has run out."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    wechat_interstitial = models.BooleanField(
        _("help WeChat visitors open Taobao/Tmall"),
        default=True,
        help_text=_(
            "Inside WeChat, Taobao and Tmall pages are limited: show a page that explains how to open the link in "
            "the browser."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("tracked link")
        verbose_name_plural = _("tracked links")
        ordering = ["event_id", "city", "venue", "label", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gt=models.F("valid_from")),
                name="link_valid_until_after_from",
                violation_error_message=_("The end of validity must come after its start."),
            )
        ]

    def __str__(self):
        return f"{self.label} ({self.code})"

    def get_absolute_url(self):
        return reverse("tracking:link_detail", args=[self.pk])

    def tracked_url(self, source: str = "qr") -> str:
        """The address printed in the code: ``source=qr`` tells scans from clicks on a shared link."""
        return f"{settings.TRACKING_BASE_URL.rstrip('/')}/q/{self.code}?s={source}"

    def availability(self, now=None) -> str:
        """``ok``, or why the code does not redirect: ``paused``, ``not_started`` or ``expired`` (not the cap)."""
        now = now or timezone.now()
        if self.status != self.Status.ACTIVE:
            return "paused"
        if self.valid_from and now < self.valid_from:
            return "not_started"
        if self.valid_until and now >= self.valid_until:
            return "expired"
        return "ok"


class Outcome(models.TextChoices):
    REDIRECT = "redirect", _("Redirected")
    INTERSTITIAL = "interstitial", _("WeChat help page")
    EXPIRED = "expired", _("Expired")
    NOT_STARTED = "not_started", _("Not yet valid")
    CAPPED = "capped", _("Limit reached")
    PAUSED = "paused", _("Paused")


class Source(models.TextChoices):
    QR = "qr", _("QR code")
    LINK = "link", _("Shared link")


class App(models.TextChoices):
    WECHAT = "wechat", _("WeChat")
    ALIPAY = "alipay", _("Alipay")
    TAOBAO = "taobao", _("Taobao / Tmall")
    DOUYIN = "douyin", _("Douyin")
    WEIBO = "weibo", _("Weibo")
    BROWSER = "browser", _("Browser or camera")


class Device(models.TextChoices):
    PHONE = "phone", _("Phone")
    TABLET = "tablet", _("Tablet")
    DESKTOP = "desktop", _("Computer")
    BOT = "bot", _("Bot")
    OTHER = "other", _("Other")


class Scan(models.Model):
    """One request to ``/q/<code>``, classified by the flush task (the request path only records raw facts).

    ``token`` is made when the request is answered: the flush inserts each token once, so a flush that dies
    half-way and runs again counts nothing twice.
    """

    token = models.CharField(max_length=32, unique=True)
    link = models.ForeignKey(TrackedLink, on_delete=models.CASCADE, related_name="scans")
    scanned_at = models.DateTimeField(db_index=True)
    source = models.CharField(max_length=8, choices=Source.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    app = models.CharField(max_length=10, choices=App.choices)
    device = models.CharField(max_length=10, choices=Device.choices)
    os = models.CharField(max_length=40, blank=True)
    is_bot = models.BooleanField(default=False)
    language = models.CharField(max_length=16, blank=True)
    # HMAC of the IP with a secret salt: never the IP itself. With the device, it tells unique visitors per day.
    visitor = models.CharField(max_length=32)
    first_of_day = models.BooleanField(default=False)
    user_agent = models.CharField(max_length=400, blank=True)

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        ordering = ["-scanned_at"]
        indexes = [models.Index(fields=["link", "scanned_at"], name="scan_link_time")]

    def __str__(self):
        return f"{self.link_id} · {self.scanned_at:%Y-%m-%d %H:%M:%S}"


class ScanHour(models.Model):
    """Scans of one link in one hour by source, outcome, app and device: what every chart and table reads."""

    link = models.ForeignKey(TrackedLink, on_delete=models.CASCADE, related_name="scan_hours")
    hour = models.DateTimeField()
    source = models.CharField(max_length=8, choices=Source.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    app = models.CharField(max_length=10, choices=App.choices)
    device = models.CharField(max_length=10, choices=Device.choices)
    os = models.CharField(max_length=40, blank=True)
    is_bot = models.BooleanField(default=False)
    scans = models.PositiveIntegerField(default=0)
    # Visitors whose first scan of the (China) day fell in this hour: sums to unique visitors per day.
    uniques = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["link", "hour", "source", "outcome", "app", "device", "os", "is_bot"], name="scanhour_unique"
            )
        ]
        indexes = [models.Index(fields=["hour"], name="scanhour_hour")]

    def __str__(self):
        return f"{self.link_id} · {self.hour:%Y-%m-%d %H}h · {self.scans}"


class ScanVisitor(models.Model):
    """A visitor (hashed IP + device) seen on a link on a day: how the flush knows a scan is the day's first."""

    link = models.ForeignKey(TrackedLink, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    visitor = models.CharField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["link", "day", "visitor"], name="scanvisitor_unique")]

    def __str__(self):
        return f"{self.link_id} · {self.day}"


class FlushLock(models.Model):
    """One row: the flush holds it (``select_for_update``) so two flushes never count the same batch."""

    name = models.CharField(max_length=20, primary_key=True)
    held_at = models.DateTimeField(null=True)

    def __str__(self):
        return self.name
