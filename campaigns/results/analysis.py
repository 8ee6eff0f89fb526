"""Which banners work: click-through rates with their confidence intervals, and whether a difference is real.

Pure statistics (no SciPy: ``math.erfc`` gives the normal tail) and the comparison of a campaign's or a period's
creatives by dominant colour, picture subject and topic, said plainly in the reader's language.

How the comparison decides
--------------------------
* Each group (say, the red creatives) has its impressions, clicks, click-through rate (CTR) and a 95% **Wilson
  score interval** for that CTR. Wilson, not the textbook ``p ± z·√(p(1−p)/n)``: CTRs are small proportions
  (1-3%), where the textbook interval dips below 0 and is far too narrow on a few hundred impressions; Wilson's
  stays inside [0, 1] and keeps close to its promised 95% even then.
* The **best group** is tested against **all the other creatives together** with a pooled two-proportion z-test
  (two-sided); the difference is significant when p < 0.05.
* **Too few impressions to tell**: the z-test leans on the normal approximation of two binomials, which holds
  when, under the pooled CTR p̂, each side expects at least ``MIN_EXPECTED`` = 10 clicks *and* 10 non-clicks
  (n·p̂ ≥ 10 and n·(1−p̂) ≥ 10 — the usual rule of thumb, at its stricter value; 5 is the lenient one). At a 2%
  CTR that is 500 impressions a side. Below it, p-values are unreliable in both directions, so we do not give
  one; we say how many impressions a fair test would need. A fixed minimum of impressions would be wrong for
  CTRs: 1,000 impressions are plenty at 10% and too few at 0.3%.
* A group too small to be tested is never named best over one that can be: the best group is the highest CTR
  among the groups with enough impressions against the rest (and, when none has, the highest CTR, with the
  verdict "too few"). Creatives whose subject or topic was not set form a group of their own that is shown
  and counted in "the rest", but never named best. Two groups with exactly the same CTR at the top tie: none
  is named best.
* The best and worst **single creatives** are ranked the same way (only creatives with enough impressions at
  the overall CTR, when at least two have), and tested against each other.
"""

import math
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Sum
from django.utils import formats
from django.utils.translation import gettext, gettext_noop, pgettext_lazy

from campaigns.choices import PictureSubject, Topic
from campaigns.colors import COLOR_LABELS
from campaigns.models import ContentItem, Creative
from campaigns.models.content import BRAND_VISIBLE_STATUSES

from .models import MetricFact

Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal: a two-sided 95% level
ALPHA = 0.05
MIN_EXPECTED = 10  # expected clicks and non-clicks a side needs for the z-test (see the module's docstring)


# --- statistics ---------------------------------------------------------------------------------------------------


def wilson_interval(clicks: int, impressions: int, *, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of the CTR ``clicks / impressions`` (95% by default); None without impressions.

    centre = (p + z²/2n) / (1 + z²/n), half-width = z·√(p(1−p)/n + z²/4n²) / (1 + z²/n).
    """
    if impressions <= 0:
        return None
    n = impressions
    p = min(max(clicks, 0), n) / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class ZTest:
    """A pooled two-proportion z-test of a against b: ``z`` > 0 when a's rate is higher; ``p_value`` two-sided."""

    z: float
    p_value: float
    enough: bool  # both sides expect MIN_EXPECTED clicks and non-clicks under the pooled rate

    @property
    def significant(self) -> bool:
        return self.enough and self.p_value < ALPHA


def enough_impressions(clicks_a: int, impressions_a: int, clicks_b: int, impressions_b: int) -> bool:
    """The rule for "too few impressions to tell": under the pooled CTR, each side expects at least
    ``MIN_EXPECTED`` clicks and ``MIN_EXPECTED`` non-clicks."""
    total = impressions_a + impressions_b
    if impressions_a <= 0 or impressions_b <= 0:
        return False
    pooled = (clicks_a + clicks_b) / total
    return all(n * pooled >= MIN_EXPECTED and n * (1 - pooled) >= MIN_EXPECTED for n in (impressions_a, impressions_b))


def impressions_needed(clicks: int, impressions: int) -> int | None:
    """Impressions a side would need for the rule at this pooled CTR (None while there is no click at all)."""
    if impressions <= 0 or clicks <= 0:
        return None
    rate = min(clicks / impressions, 1 - clicks / impressions)
    return math.ceil(MIN_EXPECTED / rate) if rate > 0 else None


def two_proportion_z_test(clicks_a: int, impressions_a: int, clicks_b: int, impressions_b: int) -> ZTest:
    """z = (p_a − p_b) / √(p̂(1−p̂)(1/n_a + 1/n_b)) with the pooled p̂ = (x_a + x_b) / (n_a + n_b);
    p = erfc(|z| / √2), the two-sided tail of the standard normal."""
    if impressions_a <= 0 or impressions_b <= 0:
        return ZTest(0.0, 1.0, False)
    clicks_a, clicks_b = min(clicks_a, impressions_a), min(clicks_b, impressions_b)
    pooled = (clicks_a + clicks_b) / (impressions_a + impressions_b)
    error = math.sqrt(pooled * (1 - pooled) * (1 / impressions_a + 1 / impressions_b))
    enough = enough_impressions(clicks_a, impressions_a, clicks_b, impressions_b)
    if error == 0:  # no click anywhere, or every impression clicked: no difference to test
        return ZTest(0.0, 1.0, enough)
    z = (clicks_a / impressions_a - clicks_b / impressions_b) / error
    return ZTest(z, math.erfc(abs(z) / math.sqrt(2)), enough)


# --- wording ------------------------------------------------------------------------------------------------------


def percent(rate: float | None) -> str:
    """A CTR as the reader writes a percentage (3.05% / 3,05%)."""
    if rate is None:
        return "—"
    # Rounded first: Django's number_format cuts the digits it does not show.
    return f"{formats.number_format(round(rate * 100, 2), 2, use_l10n=True)}%"


def p_text(p_value: float) -> str:
    if p_value < 0.001:
        return "< " + formats.number_format(0.001, 3, use_l10n=True)
    return "= " + formats.number_format(round(p_value, 3), 3, use_l10n=True)


NOT_SET = pgettext_lazy("creative attribute", "not set")
# (key, heading, the word in a sentence, the creative's attribute)
DIMENSIONS = (
    ("colour", pgettext_lazy("banner comparison", "Colour"), pgettext_lazy("in a sentence", "colour"), "dominant_name"),
    (
        "subject",
        pgettext_lazy("banner comparison", "Picture subject"),
        pgettext_lazy("in a sentence", "picture subject"),
        "subject",
    ),
    ("topic", pgettext_lazy("banner comparison", "Topic"), pgettext_lazy("in a sentence", "topic"), "topic"),
)
_LABELS = {
    "colour": COLOR_LABELS,
    "subject": dict(PictureSubject.choices),
    "topic": dict(Topic.choices),
}


def group_label(dimension: str, key: str):
    """The group's name in the reader's language (lazy: it is written when shown)."""
    if not key:
        return NOT_SET
    return _LABELS[dimension].get(key, key)


# --- the comparison -----------------------------------------------------------------------------------------------


@dataclass
class Rate:
    """Clicks out of impressions, with the CTR and its 95% interval."""

    clicks: int = 0
    impressions: int = 0

    @property
    def ctr(self) -> float | None:
        return min(self.clicks, self.impressions) / self.impressions if self.impressions else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.clicks, self.impressions)

    @property
    def low(self) -> float | None:
        return self.interval[0] if self.impressions else None

    @property
    def high(self) -> float | None:
        return self.interval[1] if self.impressions else None

    @property
    def ctr_text(self) -> str:
        return percent(self.ctr)

    @property
    def interval_text(self) -> str:
        """The 95% interval as the reader writes percentages ("2.11% – 4.25%")."""
        return f"{percent(self.low)} – {percent(self.high)}" if self.impressions else "—"

    @property
    def fraction(self) -> Fraction:
        """The exact CTR, so ties are ties (3/100 and 30/1000 are the same rate)."""
        return Fraction(min(self.clicks, self.impressions), self.impressions) if self.impressions else Fraction(0)

    def add(self, clicks: int, impressions: int) -> None:
        self.clicks += clicks
        self.impressions += impressions


@dataclass
class CreativeRate(Rate):
    creative: Creative | None = None
    enough: bool = False  # enough impressions at the overall CTR to be ranked

    @property
    def colour(self) -> str:
        return group_label("colour", self.creative.dominant_name)

    @property
    def subject(self) -> str:
        return group_label("subject", self.creative.subject)

    @property
    def topic(self) -> str:
        return group_label("topic", self.creative.topic)


@dataclass
class Group(Rate):
    key: str = ""
    label: object = ""  # lazy text
    creatives: list = field(default_factory=list)  # CreativeRate, best CTR first
    enough: bool = False  # enough impressions to be tested against the rest
    best: bool = False
    share: float = 0.0  # the CTR against the dimension's highest CTR, for bars (0..1)


@dataclass
class Verdict:
    """The best group (or creative) against the rest (or the worst creative), and the words for it.

    ``kind``: ``significant``, ``not_significant``, ``too_few`` (impressions), ``tie``, ``single`` (nothing to
    compare with), ``unset`` (no creative has the attribute) or ``empty`` (no impressions). ``scope``: ``group``
    (a dimension's best group against the other creatives) or ``creative`` (the best creative against the worst).
    """

    kind: str
    scope: str = "group"
    dimension: object = ""  # what is compared, in a sentence ("colour"; lazy text)
    best: Rate | None = None
    best_label: object = ""  # lazy text
    rest: Rate | None = None
    test: ZTest | None = None
    tied: list = field(default_factory=list)  # labels of the groups tied at the top

    @property
    def significant(self) -> bool:
        return self.kind == "significant"

    @property
    def needed(self) -> str:
        """Impressions a side needs for a fair test, as the reader writes numbers ("" when not known)."""
        if self.best is None or self.rest is None:
            return ""
        needed = impressions_needed(self.best.clicks + self.rest.clicks, self.best.impressions + self.rest.impressions)
        return formats.number_format(needed, use_l10n=True, force_grouping=True) if needed else ""

    @property
    def message(self) -> str:
        """The verdict in the reader's language (evaluated when shown, so it follows the active language)."""
        values = {
            "dimension": str(self.dimension),
            "group": str(self.best_label),
            "groups": ", ".join(str(label) for label in self.tied),
            "ctr": percent(self.best.ctr) if self.best else "—",
            "rest": percent(self.rest.ctr) if self.rest else "—",
            "p": p_text(self.test.p_value) if self.test else "",
            "needed": self.needed,
        }
        if self.kind == "empty":
            return gettext("No creative has impressions yet: nothing to compare.")
        if self.kind == "too_few" and not values["needed"]:
            return gettext("Too few impressions to tell: there is no click yet.")
        template = (_CREATIVE_WORDS if self.scope == "creative" else _GROUP_WORDS)[self.kind]
        return gettext(template) % values


# Kept as plain strings marked for translation; ``Verdict.message`` translates them when shown.
_GROUP_WORDS = {
    "unset": gettext_noop("No creative has its %(dimension)s set: set it on the creatives to compare them."),
    "single": gettext_noop(
        "Every creative with impressions has the same %(dimension)s (%(group)s): nothing to compare."
    ),
    "tie": gettext_noop("%(groups)s have the same click-through rate (%(ctr)s): none did better."),
    "too_few": gettext_noop(
        "Too few impressions to tell: “%(group)s” leads with %(ctr)s against %(rest)s for the other creatives, "
        "but a fair test needs about %(needed)s impressions on each side."
    ),
    "significant": gettext_noop(
        "“%(group)s” did better: %(ctr)s click-through rate against %(rest)s for the other creatives. The "
        "difference is significant at 95%% (p %(p)s): very unlikely to be chance."
    ),
    "not_significant": gettext_noop(
        "“%(group)s” did best (%(ctr)s against %(rest)s for the other creatives), but the difference is not "
        "significant at 95%% (p %(p)s): it could be chance."
    ),
}
_CREATIVE_WORDS = {
    "single": gettext_noop("Only one creative has impressions: nothing to compare."),
    "tie": gettext_noop("The best and the worst creative have the same click-through rate (%(ctr)s)."),
    "too_few": gettext_noop(
        "Too few impressions to tell the best creative (%(ctr)s) from the worst (%(rest)s): a fair test needs "
        "about %(needed)s impressions each."
    ),
    "significant": gettext_noop(
        "The best creative (%(ctr)s) did better than the worst (%(rest)s), and the difference is significant at "
        "95%% (p %(p)s)."
    ),
    "not_significant": gettext_noop(
        "The best creative (%(ctr)s) and the worst (%(rest)s) differ, but not significantly at 95%% (p %(p)s): "
        "it could be chance."
    ),
}


@dataclass
class Dimension:
    key: str
    label: object  # lazy text
    groups: list  # Group, best CTR first
    verdict: Verdict


@dataclass
class VariantComparison:
    """The creatives of a campaign (or campaigns, or a period) of the reader's brands, compared."""

    creatives: list = field(default_factory=list)  # CreativeRate, best CTR first
    dimensions: list = field(default_factory=list)  # Dimension: colour, subject, topic
    total: Rate = field(default_factory=Rate)
    best_creative: CreativeRate | None = None
    worst_creative: CreativeRate | None = None
    creative_verdict: Verdict = field(default_factory=lambda: Verdict("empty", "creative"))

    @property
    def empty(self) -> bool:
        return not self.creatives


def rank(rates: list) -> list:
    """Highest CTR first; equal rates by more impressions, then in a stable order."""
    return sorted(rates, key=lambda r: (-r.fraction, -r.impressions))


def _others(groups: list, best: Group) -> Rate:
    rest = Rate()
    for group in groups:
        if group is not best:
            rest.add(group.clicks, group.impressions)
    return rest


def _dimension(key: str, heading, word, attribute: str, creatives: list) -> Dimension:
    by_key: dict[str, Group] = {}
    for rate in creatives:
        value = getattr(rate.creative, attribute) or ""
        group = by_key.get(value)
        if group is None:
            group = by_key[value] = Group(key=value, label=group_label(key, value))
        group.add(rate.clicks, rate.impressions)
        group.creatives.append(rate)
    groups = rank(list(by_key.values()))
    top = max((g.ctr or 0 for g in groups), default=0)
    for group in groups:
        group.share = (group.ctr or 0) / top if top else 0.0
        rest = _others(groups, group)
        group.enough = enough_impressions(group.clicks, group.impressions, rest.clicks, rest.impressions)

    def verdict(kind, **values):
        return Dimension(key, heading, groups, Verdict(kind, "group", word, **values))

    eligible = [g for g in groups if g.key]
    if not groups:
        return verdict("empty")
    if not eligible:
        return verdict("unset")
    if len(groups) == 1:
        return verdict("single", best_label=groups[0].label)
    tested = [g for g in eligible if g.enough]
    best = (tested or eligible)[0]
    tied = [g for g in eligible if g is not best and g.fraction == best.fraction]
    if tied:
        return verdict("tie", best=best, best_label=best.label, tied=[best.label, *(g.label for g in tied)])
    best.best = True
    rest = _others(groups, best)
    test = two_proportion_z_test(best.clicks, best.impressions, rest.clicks, rest.impressions)
    return verdict(_kind(test), best=best, best_label=best.label, rest=rest, test=test)


def _kind(test: ZTest) -> str:
    if not test.enough:
        return "too_few"
    return "significant" if test.significant and test.z > 0 else "not_significant"


def compare(creatives: list[CreativeRate]) -> VariantComparison:
    """Group and test creatives whose figures are known (``CreativeRate`` with ``creative`` set)."""
    creatives = rank([c for c in creatives if c.impressions > 0])
    result = VariantComparison(creatives=creatives)
    for rate in creatives:
        result.total.add(rate.clicks, rate.impressions)
    overall = result.total.ctr or 0
    for rate in creatives:
        rate.enough = rate.impressions * overall >= MIN_EXPECTED and rate.impressions * (1 - overall) >= MIN_EXPECTED
    result.dimensions = [_dimension(*dimension, creatives) for dimension in DIMENSIONS]
    if not creatives:
        return result
    if len(creatives) == 1:
        result.best_creative = creatives[0]
        result.creative_verdict = Verdict("single", "creative", best=creatives[0])
        return result
    ranked = [c for c in creatives if c.enough]
    ranked = ranked if len(ranked) >= 2 else creatives
    best, worst = ranked[0], ranked[-1]
    result.best_creative, result.worst_creative = best, worst
    if best.fraction == worst.fraction:
        result.creative_verdict = Verdict("tie", "creative", best=best, rest=worst)
        return result
    test = two_proportion_z_test(best.clicks, best.impressions, worst.clicks, worst.impressions)
    result.creative_verdict = Verdict(_kind(test), "creative", best=best, rest=worst, test=test)
    return result


def creative_rates(brand_ids, *, campaigns=None, start=None, end=None, channel=None) -> list[CreativeRate]:
    """Each creative's impressions and clicks, of ``campaigns`` (campaigns or their ids) and/or of the days
    ``start``..``end``, and of ``channel`` when given.

    ``brand_ids``: the reader's brands (None for agency staff). A brand user counts only their own brands' figures,
    on the creatives of items they may see (reviewed items featuring one of their brands): on a campaign shared with
    another brand, the other brand's creatives and figures stay out. Two queries: the facts summed per creative
    (a campaign's creatives are few; a period is read through the brand and date index), then the creatives with
    their items.
    """
    facts = MetricFact.objects.filter(creative__isnull=False)
    if campaigns is not None:
        facts = facts.filter(campaign_id__in=[getattr(c, "pk", c) for c in campaigns])
    if start is not None:
        facts = facts.filter(date__gte=start)
    if end is not None:
        facts = facts.filter(date__lte=end)
    if channel is not None:
        facts = facts.filter(item__channel=channel)
    if brand_ids is not None:
        brand_ids = list(brand_ids)
        visible = ContentItem.objects.filter(
            status__in=BRAND_VISIBLE_STATUSES,
            pk__in=ContentItem.brands.through.objects.filter(brand_id__in=brand_ids).values("contentitem_id"),
        )
        facts = facts.filter(brand_id__in=brand_ids, item__in=visible.values("pk"))
    rows = list(facts.order_by().values("creative_id").annotate(impressions=Sum("impressions"), clicks=Sum("clicks")))
    rows = [row for row in rows if row["impressions"]]
    found = Creative.objects.select_related("item").in_bulk([row["creative_id"] for row in rows]) if rows else {}
    return [
        CreativeRate(clicks=row["clicks"] or 0, impressions=row["impressions"], creative=found[row["creative_id"]])
        for row in rows
        if row["creative_id"] in found
    ]


def variant_comparison(brand_ids, *, campaigns=None, start=None, end=None, channel=None) -> VariantComparison:
    """The creatives of ``campaigns`` and/or of a period (see ``creative_rates``) compared by dominant colour,
    picture subject and topic. Without ``channel``, creatives of every channel are compared together: fine for one
    channel's campaign, misleading across channels (see ``variant_comparisons``)."""
    return compare(creative_rates(brand_ids, campaigns=campaigns, start=start, end=end, channel=channel))


def variant_comparisons(brand_ids, *, campaigns=None, start=None, end=None) -> list[tuple[str, VariantComparison]]:
    """One comparison per channel, the channel with the most creatives first: a RED note's click-through rate is
    not a banner's (RED readers click three times as often), so comparing across channels would credit a colour or
    a subject with the channel's audience. Channels with a single creative have nothing to compare and are left out.
    The same two queries as ``variant_comparison``."""
    by_channel: dict[str, list] = {}
    for rate in creative_rates(brand_ids, campaigns=campaigns, start=start, end=end):
        by_channel.setdefault(rate.creative.item.channel, []).append(rate)
    ranked = sorted(by_channel.items(), key=lambda pair: (-len(pair[1]), pair[0]))
    return [(channel, compare(rates)) for channel, rates in ranked if len(rates) >= 2]


__all__ = [
    "ALPHA",
    "MIN_EXPECTED",
    "Z95",
    "CreativeRate",
    "Dimension",
    "Group",
    "Rate",
    "VariantComparison",
    "Verdict",
    "ZTest",
    "compare",
    "creative_rates",
    "enough_impressions",
    "impressions_needed",
    "percent",
    "rank",
    "two_proportion_z_test",
    "variant_comparison",
    "variant_comparisons",
    "wilson_interval",
]
