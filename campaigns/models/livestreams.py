"""Livestream sessions: a content item of the livestream channel, with what a session needs besides its texts.

A session *is* its content item (``item`` is the primary key): its time (China time), campaign, brands and workflow
are the item's, so it is on the calendar and goes live through the publishing desk like any item. The session adds
the platform it streams on, its length, its hosts (KOLs, or the brands' own people), the featured products and the
run sheet: the products in order with their time slots, what to say about each in each language, the offer and the
code shown on screen.

On a session shared by several brands, a brand user sees their own brands' part: their products and run-sheet
steps, the hosts who are KOLs or their own people (``visible_products``, ``visible_steps``, ``visible_hosts``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from brands.models import Brand, Product
from campaigns.choices import LivePlatform

from .content import ContentItem
from .kols import Kol


class LivestreamQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Exactly the sessions whose content item the user may see."""
        return self.filter(item__in=ContentItem.objects.visible_to(user))

    def editable_by(self, user):
        return self.filter(item__in=ContentItem.objects.editable_by(user))


class LivestreamSession(models.Model):
    """The session data of a livestream content item."""

    item = models.OneToOneField(
        ContentItem,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="livestream",
        verbose_name=_("content item"),
    )
    platform = models.CharField(_("platform"), max_length=20, choices=LivePlatform.choices)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=120, validators=[MinValueValidator(10), MaxValueValidator(720)]
    )
    products = models.ManyToManyField(
        Product, blank=True, related_name="livestream_sessions", verbose_name=_("featured products")
    )
    room_url = models.URLField(_("live room URL"), max_length=500, blank=True)
    notes = models.TextField(_("internal notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LivestreamQuerySet.as_manager()

    class Meta:
        verbose_name = _("livestream session")
        verbose_name_plural = _("livestream sessions")

    def __str__(self):
        return str(self.item)

    def get_absolute_url(self):
        return reverse("campaigns:livestream_detail", kwargs={"pk": self.pk})

    @property
    def starts_at(self) -> datetime.datetime:
        return self.item.scheduled_at

    @property
    def ends_at(self) -> datetime.datetime:
        return self.item.scheduled_at + datetime.timedelta(minutes=self.duration_minutes)


class SessionHost(models.Model):
    """Who presents a session: a KOL, or a person of a brand (the winemaker) or of the agency (no brand)."""

    session = models.ForeignKey(LivestreamSession, on_delete=models.CASCADE, related_name="hosts")
    position = models.PositiveSmallIntegerField(default=0)
    kol = models.ForeignKey(
        Kol, null=True, blank=True, on_delete=models.PROTECT, related_name="hosted_sessions", verbose_name=_("KOL")
    )
    name = models.CharField(_("name"), max_length=120, blank=True, help_text=_("A brand's or the agency's own host."))
    brand = models.ForeignKey(
        Brand, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("of the brand")
    )
    role = models.CharField(_("role"), max_length=80, blank=True, help_text=_("E.g. host, winemaker, translator."))

    class Meta:
        verbose_name = _("host")
        verbose_name_plural = _("hosts")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kol__isnull=False) | ~Q(name=""),
                name="sessionhost_is_someone",
                violation_error_message=_("Choose a KOL or give the host's name."),
            )
        ]

    def __str__(self):
        return str(self.kol) if self.kol_id else self.name


class RunSheetStep(models.Model):
    """One step of a session's run sheet: a product (or a moment such as the opening), for ``minutes``. Its time
    slot follows from the steps before it: step n starts when steps 1 … n-1 have run."""

    session = models.ForeignKey(LivestreamSession, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("order"))
    minutes = models.PositiveSmallIntegerField(_("minutes"), validators=[MinValueValidator(1), MaxValueValidator(240)])
    # A product taken out of the registry leaves its step (its talking points stay): the step shows it is gone.
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("product")
    )
    title = models.CharField(
        _("what happens"), max_length=120, blank=True, help_text=_("E.g. opening, lucky draw, Q&A.")
    )
    talking_points_zh = models.TextField(_("talking points (Chinese)"), blank=True)
    talking_points_en = models.TextField(_("talking points (English)"), blank=True)
    talking_points_it = models.TextField(_("talking points (Italian)"), blank=True)
    offer = models.CharField(_("offer"), max_length=200, blank=True, help_text=_("E.g. 直播间专享：买二赠一."))
    live_price_cny = models.DecimalField(
        _("live price (CNY)"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    # The code of a tracked link (``campaigns.tracking``) shown on screen: by code, so this app never imports
    # tracking; ``selectors.SCREEN_CODES`` resolves it to its label, address and QR image.
    link_code = models.CharField(_("code on screen"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("run sheet step")
        verbose_name_plural = _("run sheet steps")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title or (str(self.product) if self.product_id else "")

    def clean(self):
        # Not a database constraint: a product deleted from the registry empties ``product`` on a step without title.
        if self.product_id is None and not self.title.strip():
            raise ValidationError(_("Choose a product or say what happens in this step."))
