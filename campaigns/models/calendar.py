"""Festivals of the Chinese online shopping calendar, kept as rules (never as typed-in dates).

Each row holds a rule (fixed date, lunar date, nth weekday, span, or offset from another festival),
a campaign window and lead times as day offsets, all editable; ``campaigns.calendar`` turns a row into
dates for any year the lunar library supports.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.calendar import CalendarError, FestivalSpec, LeadTimes, Rule, Window
from campaigns.choices import RuleKind


class FestivalQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def specs(self) -> list[FestivalSpec]:
        return [festival.spec() for festival in self.select_related("anchor")]


class Festival(models.Model):
    """A recurring date the agency plans campaigns around (Spring Festival, 618, Qixi, Double 11 ...)."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    rule_kind = models.CharField(_("rule"), max_length=12, choices=RuleKind.choices)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), null=True, blank=True, help_text=_("0 = Monday … 6 = Sunday")
    )
    nth = models.SmallIntegerField(_("nth"), null=True, blank=True, help_text=_("1-5, or -1 for the last"))
    day_offset = models.SmallIntegerField(_("day offset"), default=0)
    anchor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("anchor festival")
    )
    length_days = models.PositiveSmallIntegerField(_("length in days"), default=1)
    window_start = models.SmallIntegerField(_("window starts (days from the festival)"), default=-14)
    window_peak = models.SmallIntegerField(_("peak (days from the festival)"), default=0)
    window_end = models.SmallIntegerField(_("window ends (days after its last day)"), default=0)
    content_due_days = models.PositiveSmallIntegerField(_("content due (days before)"), default=21)
    ship_by_days = models.PositiveSmallIntegerField(_("cross-border ship-by (days before)"), null=True, blank=True)
    signup_days = models.PositiveSmallIntegerField(_("platform sign-up (days before)"), null=True, blank=True)
    categories = models.JSONField(_("suited categories"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = FestivalQuerySet.as_manager()

    class Meta:
        verbose_name = _("festival")
        verbose_name_plural = _("festivals")
        ordering = ["month", "day", "key"]

    def __str__(self):
        # ``name`` reads the active language (modeltranslation), falling back to English, then Italian.
        return self.name or self.key

    @property
    def category_labels(self) -> list[str]:
        from brands.choices import Category

        return [Category(c).label for c in self.categories if c in Category.values]

    def rule(self) -> Rule:
        return Rule(
            kind=self.rule_kind,
            month=self.month,
            day=self.day,
            weekday=self.weekday,
            nth=self.nth,
            day_offset=self.day_offset,
            anchor=self.anchor.key if self.anchor_id else None,
            length_days=self.length_days,
        )

    def spec(self) -> FestivalSpec:
        return FestivalSpec(
            key=self.key,
            name_it=self.name_it or "",
            name_en=self.name_en or "",
            name_zh=self.name_zh_hans or "",
            rule=self.rule(),
            window=Window(start=self.window_start, peak=self.window_peak, end=self.window_end),
            lead=LeadTimes(content_due=self.content_due_days, ship_by=self.ship_by_days, signup=self.signup_days),
            categories=tuple(self.categories),
            notes_en=self.notes,
        )

    def clean(self):
        try:
            self.rule().validate()
        except CalendarError as exc:
            raise ValidationError(str(exc)) from exc
