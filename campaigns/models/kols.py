"""KOLs (key opinion leaders), their platform accounts with a dated history of followers, and their bookings.

A KOL is agency data: their fees, contacts and notes are for staff only. Brand users meet KOLs through the bookings
their brands took part in (``KolBooking.objects.visible_to``): the KOL's name, the dates and deliverables, and their
own brand's results — never the fee, which is the agency's contract with the KOL.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns.choices import BookingStatus, KolFocus, KolLanguage, KolPlatform

from .content import Campaign, ContentItem


class KolQuerySet(models.QuerySet):
    def visible_to(self, user):
        """KOL records are the agency's (fees, contacts): staff only."""
        if user.is_authenticated and user.is_active and user.is_agency_staff:
            return self
        return self.none()

    editable_by = visible_to


class Kol(models.Model):
    """A person the agency books to speak for the brands: a name in Latin letters and/or a Chinese name."""

    name = models.CharField(_("name"), max_length=120, blank=True, help_text=_("In Latin letters, e.g. Lily."))
    name_zh = models.CharField(
        _("Chinese name"), max_length=120, blank=True, help_text=_("As the platforms show it, e.g. 意式生活家Lily.")
    )
    focus = models.JSONField(_("focus"), default=list, blank=True)  # KolFocus values
    languages = models.JSONField(_("languages"), default=list, blank=True)  # KolLanguage values
    agency = models.CharField(_("agency"), max_length=160, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_wechat = models.CharField(_("contact WeChat ID"), max_length=60, blank=True)
    fee_min_cny = models.DecimalField(
        _("fee from (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    fee_max_cny = models.DecimalField(
        _("fee up to (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    notes = models.TextField(_("notes"), blank=True)
    # Derived, kept by ``save``: the list filters on them without joins or JSON lookups (which SQLite lacks).
    followers = models.PositiveBigIntegerField(_("followers"), default=0, db_index=True)  # latest count per account
    tags = models.CharField(max_length=200, blank=True, editable=False)  # " focus:wine lang:zh "
    search_text = models.TextField(blank=True, editable=False)  # names, handles, agency: folded and in pinyin
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = KolQuerySet.as_manager()

    class Meta:
        verbose_name = _("KOL")
        verbose_name_plural = _("KOLs")
        ordering = ["name", "name_zh", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name="") | ~Q(name_zh=""),
                name="kol_has_a_name",
                violation_error_message=_("Give the KOL a name, in Latin letters or in Chinese."),
            ),
            models.CheckConstraint(
                condition=Q(fee_min_cny__isnull=True)
                | Q(fee_max_cny__isnull=True)
                | Q(fee_max_cny__gte=models.F("fee_min_cny")),
                name="kol_fee_range_in_order",
                violation_error_message=_("The highest fee cannot be lower than the lowest."),
            ),
        ]

    def __str__(self):
        if self.name_zh and self.name and self.name.casefold() not in self.name_zh.casefold():
            return f"{self.name_zh} ({self.name})"
        return self.name_zh or self.name

    def save(self, *args, **kwargs):
        from brands.search import build_search_text

        self.tags = " ".join(
            [""] + [f"focus:{f}" for f in self.focus] + [f"lang:{code}" for code in self.languages] + [""]
        )
        handles = []
        if self.pk:
            handles = [handle for handle in self.accounts.values_list("handle", flat=True) if handle]
        # The brands' search forms: as typed, folded, and the pinyin of Chinese names (老陈 is found by "laochen").
        self.search_text = build_search_text(self.name, self.name_zh, self.agency, *handles)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "tags", "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("campaigns:kol_detail", kwargs={"pk": self.pk})

    @property
    def focus_labels(self) -> list[str]:
        return [str(KolFocus(f).label) for f in self.focus if f in KolFocus.values]

    @property
    def language_labels(self) -> list[str]:
        return [str(KolLanguage(code).label) for code in self.languages if code in KolLanguage.values]


class KolAccount(models.Model):
    """A KOL's account on one platform, with its latest follower count (``followers``, from ``counts``)."""

    kol = models.ForeignKey(Kol, on_delete=models.CASCADE, related_name="accounts", verbose_name=_("KOL"))
    platform = models.CharField(_("platform"), max_length=20, choices=KolPlatform.choices)
    handle = models.CharField(_("handle"), max_length=120, blank=True)
    profile_url = models.URLField(_("profile URL"), max_length=500, blank=True)
    # The latest count of ``counts`` (derived, kept by ``kol_followers_record``).
    followers = models.PositiveBigIntegerField(_("followers"), null=True, blank=True)
    followers_on = models.DateField(_("counted on"), null=True, blank=True)

    class Meta:
        verbose_name = _("KOL account")
        verbose_name_plural = _("KOL accounts")
        ordering = ["kol", "platform"]
        constraints = [
            models.UniqueConstraint(
                fields=["kol", "platform"],
                name="kolaccount_one_per_platform",
                violation_error_message=_("This KOL already has an account on this platform."),
            )
        ]

    def __str__(self):
        return f"{self.kol} · {self.get_platform_display()}"


class KolFollowerCount(models.Model):
    """An account's followers on a day: the dated history (followers gained between two counts is growth)."""

    account = models.ForeignKey(KolAccount, on_delete=models.CASCADE, related_name="counts")
    day = models.DateField(_("day"))
    followers = models.PositiveBigIntegerField(_("followers"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("follower count")
        verbose_name_plural = _("follower counts")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "day"],
                name="kolfollowercount_one_per_day",
                violation_error_message=_("This account has a count for this day already."),
            )
        ]

    def __str__(self):
        return f"{self.account_id} · {self.day}: {self.followers}"


# What a brand user may see of bookings: the agreed ones, not proposals or cancellations.
BRAND_VISIBLE_BOOKINGS = (BookingStatus.CONFIRMED, BookingStatus.DELIVERED, BookingStatus.PAID)


class KolBookingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see every booking. A brand user sees the agreed bookings their brands took part in: one for content
        items when one of those items is visible to them (reviewed, featuring their brand); one for a whole campaign
        when the campaign is theirs."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_agency_staff:
            return self
        items = ContentItem.objects.visible_to(user)
        through = KolBooking.items.through.objects
        with_items = through.values("kolbooking_id")
        return self.filter(status__in=BRAND_VISIBLE_BOOKINGS).filter(
            Q(pk__in=through.filter(contentitem__in=items).values("kolbooking_id"))
            | (~Q(pk__in=with_items) & Q(campaign__in=Campaign.objects.visible_to(user)))
        )

    def editable_by(self, user):
        return self if user.is_authenticated and user.is_active and user.is_agency_staff else self.none()


class KolBooking(models.Model):
    """A KOL booked for a campaign, or for some of its content items (a livestream session, RED notes ...)."""

    kol = models.ForeignKey(Kol, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("KOL"))
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="kol_bookings", verbose_name=_("campaign")
    )
    items = models.ManyToManyField(
        ContentItem,
        blank=True,
        related_name="kol_bookings",
        verbose_name=_("content items"),
        help_text=_("Leave empty when the KOL is booked for the whole campaign."),
    )
    fee_cny = models.DecimalField(_("fee (CNY)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    deliverables = models.TextField(_("deliverables"), help_text=_("E.g. one 3-hour livestream and two RED notes."))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.PROPOSED, db_index=True
    )
    notes = models.TextField(_("internal notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = KolBookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("KOL booking")
        verbose_name_plural = _("KOL bookings")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="kolbooking_ends_after_start",
                violation_error_message=_("The booking cannot end before it starts."),
            )
        ]

    def __str__(self):
        return f"{self.kol} · {self.campaign}"

    def get_absolute_url(self):
        return reverse("campaigns:kolbooking_update", kwargs={"pk": self.pk})
