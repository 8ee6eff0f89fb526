"""A brand's history as people read it: field labels in the reader's language, choices by their labels,
images as thumbnails, and the preview of a restore (what it changes, which newer revisions it undoes)."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .documents import BRAND_FIELDS, CHILDREN, diff, normalize
from .models import Brand, BrandRevision, ImageAsset

IMAGE_FIELDS = ("logo", "cover")
LANGUAGE_SUFFIXES = {"_zh_hans": "zh-hans", "_it": "it", "_en": "en"}


def _language_names() -> dict:
    return {"it": _("Italian"), "en": _("English"), "zh-hans": _("Chinese")}


@dataclass
class Line:
    """One change as shown: ``before_image`` / ``after_image`` are thumbnail URLs when the field is an image."""

    label: str
    before: str
    after: str
    before_image: str = ""
    after_image: str = ""


def field_label(name: str, model=Brand) -> str:
    """``description_zh_hans`` → "Description (Chinese)", in the reader's language (of a brand, or of a child
    model: a product's ``name_zh_hans`` → "Name (Chinese)")."""
    for suffix, language in LANGUAGE_SUFFIXES.items():
        if name.endswith(suffix):
            base = name[: -len(suffix)]
            try:
                field = model._meta.get_field(base)
            except Exception:  # not a translated field: fall through to the field itself
                break
            return f"{_first_upper(field.verbose_name)} ({_language_names()[language]})"
    return _first_upper(model._meta.get_field(name).verbose_name)


def _first_upper(text) -> str:
    """Only the first letter: ``str.capitalize`` would turn "price (CNY)" into "Price (cny)"."""
    text = str(text)
    return text[:1].upper() + text[1:]


def choice_label(name: str, value, model=Brand) -> str:
    """A stored value as people read it: a choice by its label in the reader's language, blanks as ""."""
    field = model._meta.get_field(name)
    if field.choices and value not in ("", None):
        return str(dict(field.flatchoices).get(value, value))
    return "" if value is None else str(value)


CHILD_KEY = re.compile(r"^(?P<kind>\w+)\[(?P<key>.*)\]$")


def child_label(field: str) -> str:
    """``stores[jd]`` → "Store · JD.com", ``products[FA-1]`` → "Product · FA-1", in the reader's language."""
    match = CHILD_KEY.match(field)
    if not match or match["kind"] not in CHILDREN:
        return field
    kind = CHILDREN[match["kind"]]
    key = match["key"]
    if kind.name == "stores":
        platform = kind.model._meta.get_field("platform")
        key = str(dict(platform.flatchoices).get(key, key))
    elif kind.name == "certifications":
        code, _sep, rest = key.partition(" / ")
        label = dict(kind.model._meta.get_field("kind").flatchoices).get(code, code)
        key = f"{label} · {rest}" if rest else str(label)
    return f"{kind.label} · {key}"


def readable(changes: list[dict], thumbs: dict[int, str]) -> list[Line]:
    lines = []
    for change in changes:
        name, before, after = change["field"], change.get("before", ""), change.get("after", "")
        if name in IMAGE_FIELDS:
            lines.append(
                Line(
                    label=field_label(name),
                    before="" if before else "—",
                    after="" if after else "—",
                    before_image=thumbs.get(before, "") if before else "",
                    after_image=thumbs.get(after, "") if after else "",
                )
            )
            if before and before not in thumbs:
                lines[-1].before = _("(image no longer stored)")
            if after and after not in thumbs:
                lines[-1].after = _("(image no longer stored)")
        elif name in BRAND_FIELDS:
            lines.append(Line(field_label(name), choice_label(name, before) or "—", choice_label(name, after) or "—"))
        else:
            lines.append(Line(child_label(name), str(before or "—"), str(after or "—")))
    return lines


def _thumbs(changes_lists) -> dict[int, str]:
    ids = {
        value
        for changes in changes_lists
        for change in changes
        if change["field"] in IMAGE_FIELDS
        for value in (change.get("before"), change.get("after"))
        if value
    }
    return {asset.pk: asset.thumb_url for asset in ImageAsset.objects.filter(pk__in=ids)}


def with_lines(revisions) -> list[BrandRevision]:
    """The revisions, each with ``lines``: its changes as people read them (one query for every thumbnail)."""
    revisions = list(revisions)
    thumbs = _thumbs(r.changes for r in revisions)
    for revision in revisions:
        revision.lines = readable(revision.changes, thumbs)
    return revisions


@dataclass
class RestorePreview:
    revision: BrandRevision
    lines: list[Line]
    undone: list[BrandRevision]  # the newer revisions whose changes the restore takes back


def restore_preview(brand: Brand, revision: BrandRevision, current: dict) -> RestorePreview:
    """What restoring ``revision`` would change on the brand as it is now (``current``: its document)."""
    target = normalize(revision.snapshot)
    for field in IMAGE_FIELDS:
        asset_id = target["fields"].get(field)
        if asset_id and not ImageAsset.objects.filter(pk=asset_id).exists():
            target["fields"][field] = ""
    changes = diff(normalize(current), target)
    undone = list(
        BrandRevision.objects.filter(brand=brand, number__gt=revision.number).select_related("user").order_by("number")
    )
    return RestorePreview(revision=revision, lines=readable(changes, _thumbs([changes])), undone=undone)
