"""A brand as one plain document: its fields and its stores, products, certifications and contacts.

The same shape serves as the input of ``services.brand_update``, the snapshot of a ``BrandRevision``,
the input of completeness scoring and the unit of comparison for history: so restoring an old version
is an ordinary update, and "what changed" is a comparison of two documents.
"""

import contextlib
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Brand, Certification, Contact, Product, Store

BRAND_FIELDS = (
    "slug",
    "name_it",
    "name_en",
    "name_zh_hans",
    "category",
    "subcategory",
    "region",
    "city",
    "founded_year",
    "description_it",
    "description_en",
    "description_zh_hans",
    "story_it",
    "story_en",
    "story_zh_hans",
    "website",
    "status",
    "joined_on",
    "sales_channel",
    "logo",
    "cover",
)

# What the agency decides: brand users see these fields but never propose a change to them.
AGENCY_ONLY_FIELDS = ("slug", "status", "joined_on")
# What a brand user may propose a change to: the rest of the profile, its images and every child list.
PROPOSABLE_FIELDS = tuple(f for f in BRAND_FIELDS if f not in AGENCY_ONLY_FIELDS)


@dataclass(frozen=True)
class ChildKind:
    """One kind of row owned by a brand, matched between versions by its natural key."""

    name: str
    model: type
    fields: tuple[str, ...]
    key: tuple[str, ...]
    label: str

    def key_of(self, row: dict) -> tuple:
        return tuple(row.get(f) or "" for f in self.key)


CHILDREN: dict[str, ChildKind] = {
    kind.name: kind
    for kind in (
        ChildKind("stores", Store, ("platform", "store_type", "url", "opened_on"), ("platform",), _("Store")),
        ChildKind(
            "products",
            Product,
            ("code", "name_it", "name_en", "name_zh_hans", "price_cny", "category", "image"),
            ("code",),
            _("Product"),
        ),
        ChildKind("certifications", Certification, ("kind", "label"), ("kind", "label"), _("Certification")),
        ChildKind("contacts", Contact, ("name", "role", "email", "phone", "wechat"), ("name", "email"), _("Contact")),
    )
}


def plain(value):
    """A JSON-friendly, comparable form of a field value: dates as ISO text, money as text, blanks as ""."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, str):
        return value.strip()
    return value


def row_of(obj, fields) -> dict:
    """The plain values of ``fields`` on a model instance (foreign keys as ids)."""
    return {f: plain(getattr(obj, f"{f}_id" if f in ("image", "logo", "cover") else f)) for f in fields}


def brand_document(brand: Brand) -> dict:
    """The brand as it is stored now. Children come from ``prefetch_related`` caches when present."""
    doc = {"fields": row_of(brand, BRAND_FIELDS)}
    for kind in CHILDREN.values():
        rows = [row_of(obj, kind.fields) for obj in getattr(brand, kind.name).all()]
        doc[kind.name] = sorted(rows, key=kind.key_of)
    return doc


def empty_document() -> dict:
    """A new brand: model defaults (status, sales channel) and no children."""
    return {"fields": row_of(Brand(), BRAND_FIELDS), **{k: [] for k in CHILDREN}}


def normalize(doc: dict, base: dict | None = None) -> dict:
    """Complete a partial input document from ``base`` and bring every value to its plain form.

    Keys left out of the input keep the base value; a child list given replaces the whole list.
    """
    base = base or empty_document()
    given = doc.get("fields") or {}
    fields = {**base["fields"], **{k: _plain_field(Brand, k, v) for k, v in given.items() if k in BRAND_FIELDS}}
    result = {"fields": fields}
    for kind in CHILDREN.values():
        rows = doc.get(kind.name)
        if rows is None:
            result[kind.name] = base[kind.name]
        else:
            rows = [{f: _plain_field(kind.model, f, row.get(f)) for f in kind.fields} for row in rows]
            result[kind.name] = sorted(rows, key=kind.key_of)
    return result


def _plain_field(model, name: str, value):
    """``plain`` after the model field's own conversion, so "39" and Decimal("39.00") compare equal.

    A value the field cannot convert is kept as given: validation reports it later, with its row.
    """
    field = model._meta.get_field(name)
    if value not in (None, "") and not field.is_relation:
        with contextlib.suppress(ValidationError):
            value = field.to_python(value)
    return plain(value)


def diff(before: dict, after: dict) -> list[dict]:
    """What differs, as ``{"field", "before", "after"}`` entries; children are named by their natural key."""
    changes = [
        {"field": f, "before": before["fields"].get(f, ""), "after": after["fields"].get(f, "")}
        for f in BRAND_FIELDS
        if before["fields"].get(f, "") != after["fields"].get(f, "")
    ]
    for kind in CHILDREN.values():
        old = {kind.key_of(r): r for r in before.get(kind.name, [])}
        new = {kind.key_of(r): r for r in after.get(kind.name, [])}
        for key in sorted(old.keys() | new.keys()):
            if old.get(key) != new.get(key):
                changes.append(
                    {
                        "field": f"{kind.name}[{' / '.join(str(k) for k in key if k)}]",
                        "before": _describe(old.get(key)),
                        "after": _describe(new.get(key)),
                    }
                )
    return changes


def _describe(row: dict | None) -> str:
    if row is None:
        return ""
    return ", ".join(f"{k}: {v}" for k, v in row.items() if v not in ("", None))
