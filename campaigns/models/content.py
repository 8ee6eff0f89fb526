"""Campaigns, the content pieces planned in them, their creatives and their review history."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from brands.choices import Category
from brands.models import Brand, BrandMembership, ImageAsset
from campaigns.choices import CampaignStatus, Channel, ContentStatus, PictureSubject, Topic

from .calendar import Festival

# What a brand user may see of a content item: what the agency has approved, and what follows from it.
BRAND_VISIBLE_STATUSES = (
    ContentStatus.APPROVED,
    ContentStatus.SCHEDULED,
    ContentStatus.PUBLISHING,
    ContentStatus.PUBLISHED,
)


def _brand_ids_of(user):
    return BrandMembership.objects.filter(user=user).values("brand_id")


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Agency staff see every campaign; a brand user sees the campaigns their brands take part in."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_agency_staff:
            return self
        return self.filter(pk__in=CampaignBrand.objects.filter(brand__in=_brand_ids_of(user)).values("campaign_id"))

    def editable_by(self, user):
        return self if user.is_authenticated and user.is_agency_staff else self.none()

    def in_feed(self, brand_ids=None):
        """What a partner API key sees: campaigns with at least one item in the feed (``ContentItem.in_feed``)."""
        return self.filter(pk__in=ContentItem.objects.in_feed(brand_ids).values("campaign_id"))


class Campaign(models.Model):
    """A plan of content around a festival (or a date range of its own) for a category and a set of brands."""

    title = models.CharField(_("title"), max_length=160)
    festival = models.ForeignKey(
        Festival, null=True, blank=True, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("festival")
    )
    festival_year = models.PositiveSmallIntegerField(_("festival year"), null=True, blank=True)
    category = models.CharField(_("category focus"), max_length=20, choices=Category.choices, blank=True)
    brands = models.ManyToManyField(
        Brand, through="CampaignBrand", related_name="campaigns", blank=True, verbose_name=_("brands")
    )
    channels = models.JSONField(_("channels"), default=list, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    budget_cny = models.DecimalField(
        _("media budget (CNY)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    target_followers = models.PositiveIntegerField(_("target followers"), null=True, blank=True)
    target_impressions = models.PositiveBigIntegerField(_("target impressions"), null=True, blank=True)
    target_interactions = models.PositiveBigIntegerField(_("target interactions"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("owner")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT, db_index=True
    )
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
                violation_error_message=_("The campaign cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(festival__isnull=True) | Q(festival_year__isnull=False),
                name="campaign_festival_has_year",
                violation_error_message=_("Choose the year of the festival."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaigns:campaign_detail", kwargs={"pk": self.pk})

    @property
    def channel_labels(self) -> list[str]:
        return [Channel(c).label for c in self.channels if c in Channel.values]


class CampaignBrand(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="campaign_brands")
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="campaign_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "brand"], name="campaign_brand_unique")]

    def __str__(self):
        return f"{self.campaign_id} · {self.brand_id}"


class ChannelRule(models.Model):
    """What a channel needs before its content can be approved (editable data)."""

    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, unique=True)
    required_languages = models.JSONField(_("required languages"), default=list, blank=True)
    needs_creative = models.BooleanField(_("needs a creative"), default=False)

    class Meta:
        verbose_name = _("channel rule")
        verbose_name_plural = _("channel rules")

    def __str__(self):
        return self.get_channel_display()


class CreativeSize(models.Model):
    """An image size a channel accepts, e.g. the Tmall PC full-width poster of 1920×540 (editable data)."""

    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, db_index=True)
    name = models.CharField(_("name"), max_length=80)
    width = models.PositiveIntegerField(_("width (px)"))
    height = models.PositiveIntegerField(_("height (px)"))

    class Meta:
        verbose_name = _("creative size")
        verbose_name_plural = _("creative sizes")
        ordering = ["channel", "-width"]

    def __str__(self):
        return f"{self.name} {self.width}×{self.height}"


class ContentItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Agency staff see every item; a brand user sees the reviewed items (approved or later) featuring
        one of their brands: never drafts, items in review, failed or cancelled ones."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_agency_staff:
            return self
        through = ContentItem.brands.through.objects.filter(brand__in=_brand_ids_of(user))
        return self.filter(pk__in=through.values("contentitem_id"), status__in=BRAND_VISIBLE_STATUSES)

    def editable_by(self, user):
        return self.filter(campaign__in=Campaign.objects.editable_by(user))

    def in_feed(self, brand_ids=None):
        """What a partner API key sees (the partner feed): published items only, so nothing before its hour, and
        for a key limited to some brands (``brand_ids``; None: every brand) only the items featuring one of them."""
        queryset = self.filter(status=ContentStatus.PUBLISHED)
        if brand_ids is not None:
            through = ContentItem.brands.through.objects.filter(brand_id__in=brand_ids)
            queryset = queryset.filter(pk__in=through.values("contentitem_id"))
        return queryset

    def overdue(self, today):
        """Material past its due date and not yet approved."""
        return self.filter(due_on__lt=today, status__in=[ContentStatus.DRAFT, ContentStatus.IN_REVIEW])


class ContentItem(models.Model):
    """One piece of content on one channel, scheduled at a moment (stored in UTC, entered in China time)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="items", verbose_name=_("campaign"))
    brands = models.ManyToManyField(Brand, related_name="content_items", blank=True, verbose_name=_("brands"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    # Texts per language as plain columns: an item may exist in Chinese only, so there is no "original".
    title_it = models.CharField(_("title (Italian)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_zh_hans = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    body_it = models.TextField(_("text (Italian)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    body_zh_hans = models.TextField(_("text (Chinese)"), blank=True)
    kol = models.ForeignKey(
        "campaigns.Kol",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("KOL"),
    )
    # The KOL as it was typed before KOLs were records, kept only where the data migration could not tell who it
    # was (``0010_kol_links``): staff see these under KOLs › Names not matched, and picking a KOL clears it.
    kol_text = models.CharField(_("KOL as typed before"), max_length=120, blank=True)
    scheduled_at = models.DateTimeField(_("scheduled at"), db_index=True)
    due_on = models.DateField(_("material due"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ContentStatus.choices, default=ContentStatus.DRAFT, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Bumped by every edit and every transition: a form or a review built on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContentItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("content item")
        verbose_name_plural = _("content items")
        ordering = ["scheduled_at"]
        indexes = [
            models.Index(fields=["status", "scheduled_at"], name="contentitem_status_due"),
            # The publishing dispatcher's claim (status = scheduled, scheduled_at <= now, oldest first): an index of
            # the scheduled items alone, as small as what waits. With only the others the planner walked the
            # scheduled_at index through every item already published (18 ms a tick with 20,000 of them beside
            # 100,000 future ones, growing with the history); with this one it reads what is due
            # (tests/bench/double11.py).
            models.Index(
                fields=["scheduled_at"], condition=Q(status=ContentStatus.SCHEDULED), name="contentitem_scheduled_due"
            ),
        ]

    def __str__(self):
        return self.title or f"#{self.pk}"

    def get_absolute_url(self):
        return reverse("campaigns:contentitem_detail", kwargs={"pk": self.pk})

    @property
    def title(self) -> str:
        """The title in the active language, else the first one written (zh-hans, en, it)."""
        language = get_language() or "en"
        preferred = {"it": "it", "zh-hans": "zh_hans"}.get(language, "en")
        return getattr(self, f"title_{preferred}") or self.title_zh_hans or self.title_en or self.title_it


class ContentTransition(models.Model):
    """Who moved an item from one status to another, when, and why."""

    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="transitions")
    # The workflow row taken (``campaigns.workflow.TRANSITIONS``): shown in the reader's language.
    action = models.CharField(max_length=32, blank=True)
    from_status = models.CharField(max_length=10, choices=ContentStatus.choices)
    to_status = models.CharField(max_length=10, choices=ContentStatus.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(blank=True)
    # Fields whose change caused the move (for "changed after approval"), as field names.
    changes = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.item_id}: {self.from_status} → {self.to_status}"

    @property
    def label(self) -> str:
        """The workflow step's name in the reader's language (older rows have no action: their statuses)."""
        from campaigns.workflow import TRANSITIONS

        step = TRANSITIONS.get(self.action)
        return str(step.label) if step else f"{self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def change_labels(self) -> list[str]:
        """The changed fields' names in the reader's language."""
        fields = {f.name: f.verbose_name for f in ContentItem._meta.get_fields() if hasattr(f, "verbose_name")}
        fields["creatives"] = _("creatives")
        return [str(fields.get(name, name)) for name in self.changes]


class Creative(models.Model):
    """A banner image of a content item, with what the results analysis compares: colour, subject, topic."""

    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="creatives")
    image = models.ForeignKey(ImageAsset, on_delete=models.PROTECT, related_name="+")
    dominant_hex = models.CharField(_("dominant colour"), max_length=7)
    dominant_name = models.CharField(_("colour name"), max_length=20)
    subject = models.CharField(_("picture subject"), max_length=12, choices=PictureSubject.choices, blank=True)
    topic = models.CharField(_("topic"), max_length=14, choices=Topic.choices, blank=True)
    # A size the channel does not take, kept as facts (not as a sentence in the uploader's language):
    # {"width": w, "height": h, "channel": channel, "expected": [[name, w, h], ...]}; empty when it fits.
    size_check = models.JSONField(_("size check"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("creative")
        verbose_name_plural = _("creatives")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.item} · {self.image.width}×{self.image.height}"

    @property
    def dominant_label(self) -> str:
        from campaigns.colors import COLOR_LABELS

        return str(COLOR_LABELS.get(self.dominant_name, self.dominant_name))

    @property
    def size_warning(self) -> str:
        """The size warning in the reader's language (empty when the image fits one of the channel's sizes)."""
        check = self.size_check
        if not check:
            return ""
        from django.utils.translation import gettext

        expected = ", ".join(f"{name} {w}×{h}" for name, w, h in check["expected"])
        return gettext("The image is %(w)s×%(h)s px; %(channel)s expects %(expected)s.") % {
            "w": check["width"],
            "h": check["height"],
            "channel": Channel(check["channel"]).label if check["channel"] in Channel.values else check["channel"],
            "expected": expected,
        }

    #: What ``image_url`` can point at: the stored image or one of its renditions.
    RENDITIONS = ("original", "thumb", "square", "banner")

    def image_url(self, rendition: str = "thumb") -> str:
        """The image (or a rendition) through the access-checked view ``campaigns:creative_image``: creatives are
        private files, shown only to those who may see their item, with no public URL."""
        return reverse("campaigns:creative_image", kwargs={"pk": self.pk, "rendition": rendition})

    @property
    def thumb_url(self) -> str:
        return self.image_url("thumb")
