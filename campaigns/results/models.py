"""Metric facts, where they came from, the rollups every page reads, and file imports with their row reports.

A *fact* is one row of a platform's figures: date × channel × brand, optionally narrowed to a campaign, a content
item and a creative, with followers, impressions, interactions, viewers, clicks, items sold and GMV. Facts are
never aggregated by pages: every write of facts adds its difference to the rollups (``MetricRollup`` per day ×
brand × campaign × channel, ``BrandDay`` per day × brand) in the same transaction (``services.facts_upsert``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from brands.models import Brand, BrandMembership
from campaigns.choices import Channel


def _brand_ids_of(user):
    return BrandMembership.objects.filter(user=user).values("brand_id")


class MetricSource(models.Model):
    """Where facts come from: a platform's export format, a partner (API), or manual entry.

    Facts are unique per source and source key, so re-importing a file or re-sending a batch updates the facts it
    wrote before instead of adding them again. Writes of one source are serialised on this row (``select_for_update``)
    so the differences added to the rollups are exact. A file source remembers how its unknown column headers map
    to metrics (``mapping``).
    """

    class Kind(models.TextChoices):
        FILE = "file", _("File import")
        API = "api", _("Partner API")
        MANUAL = "manual", _("Manual entry")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    # Normalised header -> field name ("" to ignore the column): the headers a person mapped for this source.
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("metric source")
        verbose_name_plural = _("metric sources")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "name"],
                name="metricsource_kind_name_unique",
                violation_error_message=_("A source with this name exists already."),
            )
        ]

    def __str__(self):
        return self.name


class FactFigures(models.Model):
    """A fact's figures: empty when the source did not report it (not the same as 0)."""

    followers_total = models.PositiveBigIntegerField(_("followers"), null=True, blank=True)
    followers_gained = models.BigIntegerField(_("followers gained"), null=True, blank=True)  # may be negative
    impressions = models.PositiveBigIntegerField(_("impressions"), null=True, blank=True)
    interactions = models.PositiveBigIntegerField(_("interactions"), null=True, blank=True)
    viewers = models.PositiveBigIntegerField(_("viewers"), null=True, blank=True)
    clicks = models.PositiveBigIntegerField(_("clicks"), null=True, blank=True)
    items_sold = models.PositiveBigIntegerField(_("items sold"), null=True, blank=True)
    gmv_cny = models.DecimalField(_("GMV (CNY)"), max_digits=16, decimal_places=2, null=True, blank=True)

    class Meta:
        abstract = True


class RollupFigures(models.Model):
    """Sums of facts' figures (what was not reported adds nothing) and how many facts they cover."""

    facts = models.IntegerField(default=0)
    followers_total = models.BigIntegerField(default=0)
    followers_gained = models.BigIntegerField(default=0)
    impressions = models.BigIntegerField(default=0)
    interactions = models.BigIntegerField(default=0)
    viewers = models.BigIntegerField(default=0)
    clicks = models.BigIntegerField(default=0)
    items_sold = models.BigIntegerField(default=0)
    gmv_cny = models.DecimalField(max_digits=18, decimal_places=2, default=0)

    class Meta:
        abstract = True


class FactQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Agency staff see every fact; a brand user the facts of their own brands (and nothing of another brand
        of a campaign they share)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_agency_staff:
            return self
        return self.filter(brand__in=_brand_ids_of(user))


class MetricFact(FactFigures):
    """One day of one channel's figures for one brand (and, when known, one campaign, content item, creative)."""

    source = models.ForeignKey(MetricSource, on_delete=models.PROTECT, related_name="facts", verbose_name=_("source"))
    source_key = models.CharField(_("source key"), max_length=200)
    date = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="metric_facts", verbose_name=_("brand"))
    # Results are history: a campaign, item or creative with facts cannot be deleted (cancel it instead).
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="metric_facts",
        verbose_name=_("campaign"),
    )
    item = models.ForeignKey(
        "campaigns.ContentItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="metric_facts",
        verbose_name=_("content item"),
    )
    creative = models.ForeignKey(
        "campaigns.Creative",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="metric_facts",
        verbose_name=_("creative"),
    )
    # The import that wrote the fact last (file facts), the person who entered it (manual facts).
    run = models.ForeignKey(
        "results.MetricImport", null=True, blank=True, on_delete=models.SET_NULL, related_name="facts"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"))

    objects = FactQuerySet.as_manager()

    class Meta:
        verbose_name = _("metric fact")
        verbose_name_plural = _("metric facts")
        ordering = ["-date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_key"],
                name="metricfact_source_key_unique",
                violation_error_message=_("This source has a fact with this key already."),
            ),
        ]
        indexes = [
            models.Index(fields=["brand", "date"], name="metricfact_brand_date"),
            models.Index(fields=["campaign", "brand"], name="metricfact_campaign_brand"),
            models.Index(fields=["item"], name="metricfact_item"),
            models.Index(fields=["creative"], name="metricfact_creative", condition=Q(creative__isnull=False)),
        ]

    def __str__(self):
        return f"{self.date} · {self.get_channel_display()} · {self.brand_id}"


class RollupQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_agency_staff:
            return self
        return self.filter(brand__in=_brand_ids_of(user))


class MetricRollup(RollupFigures):
    """The sums of one day × brand × campaign × channel: what campaign results, channels and targets read.

    ``campaign_key`` is the campaign's id, 0 for facts outside any campaign: a unique key over a nullable column
    would let the database keep two rows for "no campaign". ``followers_total`` sums only facts about a brand's
    account (no content item): the same level repeated on each item's row would count it many times.
    """

    day = models.DateField()
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+")
    campaign_key = models.BigIntegerField(default=0)
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="metric_rollups"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)

    objects = RollupQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "brand", "campaign_key", "channel"], name="metricrollup_unique_day_brand_campaign"
            )
        ]
        indexes = [
            models.Index(fields=["campaign_key", "brand"], name="metricrollup_campaign_brand"),
            models.Index(fields=["brand", "day"], name="metricrollup_brand_day"),
        ]

    def __str__(self):
        return f"{self.day} · {self.brand_id} · {self.campaign_key} · {self.channel}"


class BrandDay(RollupFigures):
    """The sums of one brand's facts on one day, every campaign and channel together: the portal's and the agency
    dashboard's time series read this (103 brands × 2 years is 75,000 rows, not millions of facts)."""

    day = models.DateField()
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+")

    objects = RollupQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["brand", "day"], name="brandday_unique")]
        indexes = [models.Index(fields=["day"], name="brandday_day")]

    def __str__(self):
        return f"{self.day} · {self.brand_id}"


class CampaignTotal(RollupFigures):
    """The sums of one campaign's facts for one brand, every day and channel together: a few rows a campaign, kept
    current with the other rollups. Campaign lists, targets met, festival results and last year's lesson read these
    instead of adding up the campaign's daily rows (a year of campaigns was ~300,000 rows: 0.8 s a dashboard).
    ``followers_total`` is kept for symmetry and never read: a level summed over days means nothing."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="metric_totals")
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+")

    objects = RollupQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "brand"], name="campaigntotal_unique")]

    def __str__(self):
        return f"{self.campaign_id} · {self.brand_id}"


class MetricImport(models.Model):
    """One uploaded export (CSV or XLSX) on its way in: mapped, checked row by row, then written — or not.

    The file is kept (private storage) until the run ends, so a Celery worker on another host reads it; the page
    reads ``status`` and the row counters to draw its progress bar, so a reload loses nothing. A file with bad
    rows writes nothing until a person chooses to import its good rows.
    """

    class Status(models.TextChoices):
        MAPPING = "mapping", _("Waiting for the column mapping")
        QUEUED = "queued", _("Queued")
        CHECKING = "checking", _("Checking rows")
        REVIEW = "review", _("Bad rows: waiting for a decision")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", pgettext_lazy("import", "Cancelled")

    source = models.ForeignKey(MetricSource, on_delete=models.PROTECT, related_name="imports", verbose_name=_("source"))
    file = models.FileField(upload_to="private/results-imports/%Y/%m/", blank=True)
    file_name = models.CharField(_("file"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("size"), default=0)
    file_format = models.CharField(max_length=4)  # csv / xlsx
    # The file's header row as written, and each column's field (by position; "" to ignore).
    headers = models.JSONField(default=list, blank=True)
    columns = models.JSONField(default=list, blank=True)
    # Values for what the file has no column for: {"brand": id, "channel": key, "campaign": id}.
    defaults = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.MAPPING, db_index=True)
    rows_total = models.PositiveIntegerField(_("rows"), null=True, blank=True)  # known once the check has counted
    rows_done = models.PositiveIntegerField(default=0)  # progress of the current pass
    rows_ok = models.PositiveIntegerField(default=0)
    rows_bad = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(_("facts created"), default=0)
    updated = models.PositiveIntegerField(_("facts updated"), default=0)
    unchanged = models.PositiveIntegerField(_("facts unchanged"), default=0)
    good_rows_only = models.BooleanField(default=False)
    # A failure of the run itself (unreadable file ...), as a code and its values, written in the reader's language.
    failure = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("metric import")
        verbose_name_plural = _("metric imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.file_name

    def get_absolute_url(self):
        return reverse("results:import_detail", kwargs={"pk": self.pk})


class MetricImportIssue(models.Model):
    """A bad row of an import: its row number in the file, the column, and what is wrong as a code with its values,
    so the report is written in the reader's language, not the uploader's."""

    run = models.ForeignKey(MetricImport, on_delete=models.CASCADE, related_name="issues")
    row = models.PositiveIntegerField()
    column = models.CharField(max_length=120, blank=True)
    code = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["row", "pk"]
        indexes = [models.Index(fields=["run", "row"], name="metricimportissue_run_row")]

    def __str__(self):
        return f"{self.run_id}:{self.row} {self.code}"


# --- livestream sessions ----------------------------------------------------------------------------------------------


class LivestreamResult(models.Model):
    """A livestream session's audience as the platform's live dashboard reports it, and the baseline period staff chose
    to measure its uplift against.

    The session's figures are written here as entered (the session's total viewers show to every brand of a shared
    session, its peak has no place among additive facts); ``livestreams.livestream_results_save`` also writes them,
    shared among the session's brands, as metric facts of the session's item, so the rollups, the portal and the
    campaign results count each viewer once.
    """

    item = models.OneToOneField(
        "campaigns.ContentItem", primary_key=True, on_delete=models.PROTECT, related_name="livestream_result"
    )
    peak_viewers = models.PositiveBigIntegerField(_("peak viewers"), null=True, blank=True)
    viewers = models.PositiveBigIntegerField(_("total viewers"), null=True, blank=True)
    interactions = models.PositiveBigIntegerField(_("interactions"), null=True, blank=True)
    followers_gained = models.BigIntegerField(_("followers gained"), null=True, blank=True)
    baseline_starts_on = models.DateField(_("baseline from"), null=True, blank=True)
    baseline_ends_on = models.DateField(_("baseline until"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("livestream result")
        verbose_name_plural = _("livestream results")
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_starts_on__isnull=True, baseline_ends_on__isnull=True)
                | Q(baseline_ends_on__gte=models.F("baseline_starts_on")),
                name="livestreamresult_baseline_in_order",
                violation_error_message=_("The baseline period cannot end before it starts."),
            )
        ]

    def __str__(self):
        return f"{self.item_id}"


class ProductSaleQuerySet(FactQuerySet):
    pass


class ProductSale(models.Model):
    """Items sold and GMV of one product (SKU) on a day: a livestream session's sales of it (``item`` set), or the
    store's sales of the day (no item), from which baselines are made.

    Keyed like facts (source, source key), so entering or importing the same figures again corrects them. A product
    taken out of the registry leaves its rows (``product`` empty, its code and name kept): sales are history.
    """

    source = models.ForeignKey(MetricSource, on_delete=models.PROTECT, related_name="product_sales")
    source_key = models.CharField(max_length=200)
    product = models.ForeignKey(
        "brands.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="sales"
    )
    product_code = models.CharField(_("SKU code"), max_length=40)
    product_name = models.CharField(_("product"), max_length=160, blank=True)
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="product_sales")
    day = models.DateField(_("day"))
    item = models.ForeignKey(
        "campaigns.ContentItem", null=True, blank=True, on_delete=models.PROTECT, related_name="product_sales"
    )
    items_sold = models.PositiveBigIntegerField(_("items sold"), default=0)
    gmv_cny = models.DecimalField(_("GMV (CNY)"), max_digits=16, decimal_places=2, default=0)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductSaleQuerySet.as_manager()

    class Meta:
        verbose_name = _("product sales")
        verbose_name_plural = _("product sales")
        ordering = ["day", "product_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_key"],
                name="productsale_source_key_unique",
                violation_error_message=_("This source has sales with this key already."),
            )
        ]
        indexes = [
            models.Index(fields=["product", "day"], name="productsale_product_day"),
            models.Index(fields=["item"], name="productsale_item", condition=Q(item__isnull=False)),
        ]

    def __str__(self):
        return f"{self.day} · {self.product_code} · {self.items_sold}"
