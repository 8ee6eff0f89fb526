"""Profile completeness (Akeneo-style): which required fields a brand fills, as a percentage and a list.

What *can* be required is this fixed catalogue of checks; what *is* required is data
(``CompletenessRule`` rows, edited by managers): a rule applies to every brand, or only to brands
that have a store on one platform (a Tmall Global store needs its Chinese texts and a logo).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Check:
    label: str
    test: Callable[[dict], bool]


def _text(field: str) -> Callable[[dict], bool]:
    return lambda doc: bool((doc["fields"].get(field) or "").strip())


def _value(field: str) -> Callable[[dict], bool]:
    return lambda doc: doc["fields"].get(field) not in (None, "")


def _children(kind: str) -> Callable[[dict], bool]:
    return lambda doc: bool(doc.get(kind))


def _products_translated(lang: str) -> Callable[[dict], bool]:
    return lambda doc: bool(doc.get("products")) and all((p.get(f"name_{lang}") or "").strip() for p in doc["products"])


_LANG_LABELS = {
    "it": pgettext_lazy("language", "Italian"),
    "en": pgettext_lazy("language", "English"),
    "zh_hans": pgettext_lazy("language", "Chinese"),
}

CHECKS: dict[str, Check] = {
    **{
        f"{field}_{lang}": Check(format_lazy("{} ({})", label, lang_label), _text(f"{field}_{lang}"))
        for field, label in (("name", _("Name")), ("description", _("Description")), ("story", _("Story")))
        for lang, lang_label in _LANG_LABELS.items()
    },
    "subcategory": Check(_("Sub-category"), _text("subcategory")),
    "region": Check(_("Region"), _text("region")),
    "city": Check(_("City"), _text("city")),
    "founded_year": Check(_("Founding year"), _value("founded_year")),
    "website": Check(_("Website"), _text("website")),
    "joined_on": Check(_("Joined on"), _value("joined_on")),
    "logo": Check(_("Logo"), _value("logo")),
    "cover": Check(_("Cover image"), _value("cover")),
    "stores": Check(_("At least one store"), _children("stores")),
    "products": Check(_("At least one product"), _children("products")),
    "products_zh_hans": Check(_("Product names in Chinese"), _products_translated("zh_hans")),
    "products_en": Check(_("Product names in English"), _products_translated("en")),
    "certifications": Check(_("At least one certification"), _children("certifications")),
    "contacts": Check(_("At least one contact"), _children("contacts")),
}

FIELD_CHOICES = [(key, check.label) for key, check in CHECKS.items()]


@dataclass(frozen=True)
class Score:
    percent: int
    missing: list[str]


def score(doc: dict, rules: Iterable[tuple[str, str]]) -> Score:
    """Score one brand document (the shape of ``services.brand_document``) against ``(field, platform)`` rules.

    A platform rule applies only when the brand has a store there; a field required by two applicable rules
    counts once. No applicable rule means nothing is missing: 100%.
    """
    platforms = {s["platform"] for s in doc.get("stores", [])}
    required = list(dict.fromkeys(field for field, platform in rules if not platform or platform in platforms))
    required = [field for field in required if field in CHECKS]
    if not required:
        return Score(100, [])
    missing = [field for field in required if not CHECKS[field].test(doc)]
    return Score(round(100 * (len(required) - len(missing)) / len(required)), missing)


def missing_labels(keys: Iterable[str]) -> list[str]:
    return [str(CHECKS[key].label) for key in keys if key in CHECKS]
