"""A proposal as people read it: field by field, the brand now beside the brand as the proposal would make it.

Only what would change is listed, with labels in the reader's language, choices by their labels and images as
thumbnails. When the brand changed on a field since the proposal was saved (staff edited it meanwhile), the
line says so and shows the value the proposer started from: the reviewer then knows accepting overwrites a
newer change. A decided proposal is shown as what it proposed against what the brand was then.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from brandhub.media import is_private

from .documents import CHILDREN, PROPOSABLE_FIELDS, brand_document, normalize
from .history import child_label, choice_label, field_label
from .models import Brand, BrandChangeProposal, ImageAsset
from .proposals import merge

IMAGE_FIELDS = ("logo", "cover", "image")
LANGUAGES = {"_zh_hans": "zh-Hans", "_it": "it", "_en": "en"}


@dataclass
class Line:
    """One field that differs. ``*_image`` are thumbnail URLs; ``conflict``: the brand changed on this field
    since the proposal was saved, from ``was`` (what the proposer saw) to ``now``."""

    label: str
    now: str
    proposed: str
    now_image: str = ""
    proposed_image: str = ""
    conflict: bool = False
    was: str = ""
    was_image: str = ""
    lang: str = ""


def _lang(name: str) -> str:
    return next((lang for suffix, lang in LANGUAGES.items() if name.endswith(suffix)), "")


def _shown(model, name: str, value, thumb) -> tuple[str, str]:
    """(text, thumbnail URL) of one value."""
    if name in IMAGE_FIELDS:
        if value in ("", None):
            return "—", ""
        url = thumb(value)
        return ("", url) if url else (_("(image no longer stored)"), "")
    return choice_label(name, value, model) or "—", ""


def _line(label: str, model, name: str, now, proposed, was, thumb) -> Line:
    now_text, now_image = _shown(model, name, now, thumb)
    new_text, new_image = _shown(model, name, proposed, thumb)
    line = Line(label, now_text, new_text, now_image, new_image, lang=_lang(name))
    if was != now:
        line.conflict = True
        line.was, line.was_image = _shown(model, name, was, thumb)
    return line


def _summary(kind, row: dict | None) -> str:
    if not row:
        return "—"
    return " · ".join(
        f"{field_label(f, kind.model)}: {choice_label(f, row[f], kind.model)}"
        for f in kind.fields
        if f not in IMAGE_FIELDS and row.get(f) not in ("", None)
    )


def compare(base: dict, proposed: dict, current: dict, thumb) -> list[Line]:
    """What accepting ``proposed`` (made on ``base``) would change on ``current``; ``thumb(asset_id)`` gives an
    image's thumbnail URL, or "" when the image is no longer stored."""
    base, proposed, current = normalize(base), normalize(proposed), normalize(current)
    target = merge(base, proposed, current)
    lines = []
    for name in PROPOSABLE_FIELDS:
        now, new = current["fields"].get(name, ""), target["fields"].get(name, "")
        if now != new:
            lines.append(_line(field_label(name), Brand, name, now, new, base["fields"].get(name, ""), thumb))
    for kind in CHILDREN.values():
        old = {kind.key_of(row): row for row in base[kind.name]}
        cur = {kind.key_of(row): row for row in current[kind.name]}
        new = {kind.key_of(row): row for row in target[kind.name]}
        for key in sorted(cur.keys() | new.keys()):
            if cur.get(key) == new.get(key):
                continue
            label = child_label(f"{kind.name}[{' / '.join(str(k) for k in key if k)}]")
            if key not in new:
                lines.append(
                    Line(
                        label,
                        _summary(kind, cur[key]),
                        _("(removed)"),
                        conflict=old.get(key) != cur[key],
                        was=_summary(kind, old.get(key)) if old.get(key) != cur[key] else "",
                    )
                )
                continue
            now_row, was_row = cur.get(key) or {}, old.get(key) or {}
            # A new row's natural key is in its label already (Product · FA-NEW-250): not repeated as a line.
            shown = [f for f in kind.fields if key in cur or f not in kind.key]
            for f in shown:
                if now_row.get(f, "") != new[key].get(f, ""):
                    lines.append(
                        _line(
                            f"{label} · {field_label(f, kind.model)}",
                            kind.model,
                            f,
                            now_row.get(f, ""),
                            new[key].get(f, ""),
                            was_row.get(f, ""),
                            thumb,
                        )
                    )
    return lines


def _image_ids(doc: dict) -> set:
    ids = {doc["fields"].get("logo"), doc["fields"].get("cover")}
    ids |= {row.get("image") for row in doc.get("products", [])}
    return ids - {None, ""}


def image_url(proposal: BrandChangeProposal, asset: ImageAsset, rendition: str = "thumb") -> str:
    """A public image by its file URL; a proposal's private upload through the proposal's image view."""
    if is_private(asset.file.name):
        kwargs = {"slug": proposal.brand.slug, "pk": proposal.pk, "asset": asset.pk, "rendition": rendition}
        return reverse("brands:brandchangeproposal_image", kwargs=kwargs)
    return asset.rendition_url(rendition)


def with_lines(proposals, current: dict[int, dict] | None = None) -> list[BrandChangeProposal]:
    """The proposals, each with ``lines`` and ``conflicts`` (how many lines are conflicts), in one query for
    every image. A pending proposal is compared with its brand now (``current``: brand id → document, read from
    ``proposal.brand``'s prefetched children when missing); a decided one with the brand it was made on."""
    proposals = list(proposals)
    current = dict(current or {})
    for proposal in proposals:
        if proposal.is_pending and proposal.brand_id not in current:
            current[proposal.brand_id] = brand_document(proposal.brand)
    ids = set()
    for proposal in proposals:
        ids |= _image_ids(proposal.document) | _image_ids(proposal.base)
        if proposal.is_pending:
            ids |= _image_ids(current[proposal.brand_id])
    assets = ImageAsset.objects.in_bulk(ids) if ids else {}
    for proposal in proposals:

        def thumb(asset_id, proposal=proposal):
            asset = assets.get(asset_id) if isinstance(asset_id, int) else None
            return image_url(proposal, asset) if asset else ""

        now = current[proposal.brand_id] if proposal.is_pending else proposal.base
        proposal.lines = compare(proposal.base, proposal.document, now, thumb)
        proposal.conflicts = sum(line.conflict for line in proposal.lines)
    return proposals
