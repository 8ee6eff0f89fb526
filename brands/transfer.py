"""Brand import and export, CSV and XLSX, in one column layout: an export is a valid import file.

Import is two steps. ``import_parse`` reads and validates every row and keeps the result in an
``ImportBatch`` (nothing written to the registry); staff see the row-by-row report, and only a file
without a single error can be applied, all rows in one transaction, by ``import_apply``.
"""

import codecs
import csv
import io
from collections.abc import Iterable, Iterator

import openpyxl
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from brandhub.sheets import FileError, read_rows

from .api.documents import brand_documents_rebuild
from .choices import BrandStatus, Category, CertificationKind, Platform, Region, RevisionAction, SalesChannel, StoreType
from .documents import BRAND_FIELDS, plain
from .models import Brand, ImportBatch
from .services import brand_create, brand_update, completeness_rules

# Every brand field but the images, which have no place in a spreadsheet.
FIELD_COLUMNS = tuple(f for f in BRAND_FIELDS if f not in ("logo", "cover"))
LIST_COLUMNS = ("certifications", "stores")
COLUMNS = (*FIELD_COLUMNS, *LIST_COLUMNS)
# Headers as people write them in spreadsheets (and as Chinese platform tools export them).
HEADER_ALIASES = {
    "name": "name_it",
    "brand": "name_it",
    "name_zh": "name_zh_hans",
    "chinese_name": "name_zh_hans",
    "中文名": "name_zh_hans",
    "品牌": "name_it",
    "description": "description_it",
    "story": "story_it",
    "founded": "founded_year",
    "channel": "sales_channel",
}
MAX_ROWS = 20_000


# The file as a whole cannot be read (format, encoding, size, header): raised here and by the shared sheet reader.
ImportFileError = FileError


def _choice_lookup(choices) -> dict[str, str]:
    """Accept a stored value or its label in English, Italian or Chinese, any case: "Food & beverage",
    "Toscana", "托斯卡纳" -> "food_beverage", "toscana"."""
    lookup = {}
    for language in ("zh-hans", "it", "en"):  # English last: it wins where labels collide
        with translation.override(language):
            for value, label in choices:
                for key in (value, str(label), str(label).replace("-", " ")):
                    lookup[key.strip().lower()] = value
    return lookup


def valid_values(choices) -> str:
    """The values a column takes, each with its label in the active language: ``toscana (托斯卡纳)``."""
    return ", ".join(f"{value} ({label})" if str(label).lower() != value else value for value, label in choices)


class _LenientChoiceField(forms.ChoiceField):
    """Takes a value or its label in any of the three languages; a bad one is told the valid values, with
    their labels in the reader's language."""

    def __init__(self, *, choices, **kwargs):
        super().__init__(choices=choices, **kwargs)
        self.lookup = _choice_lookup(choices)

    def validate(self, value):
        try:
            super().validate(value)
        except ValidationError as exc:
            if exc.code != "invalid_choice":
                raise
            raise ValidationError(
                _("“%(value)s” is not a valid value. Valid values: %(values)s.")
                % {"value": value, "values": valid_values(self.choices)},
                code="invalid_choice",
            ) from None

    def to_python(self, value):
        value = super().to_python(value)
        return self.lookup.get(value.strip().lower(), value) if value else value


class BrandRowForm(forms.Form):
    slug = forms.SlugField(max_length=80)
    name_it = forms.CharField(max_length=120)
    name_en = forms.CharField(max_length=120, required=False)
    name_zh_hans = forms.CharField(max_length=120, required=False)
    category = _LenientChoiceField(choices=Category.choices)
    subcategory = forms.CharField(max_length=60, required=False)
    region = _LenientChoiceField(choices=Region.choices, required=False)
    city = forms.CharField(max_length=80, required=False)
    founded_year = forms.IntegerField(min_value=1000, max_value=2100, required=False)
    website = forms.URLField(required=False, assume_scheme="https")
    status = _LenientChoiceField(choices=BrandStatus.choices, required=False)
    joined_on = forms.DateField(required=False)
    sales_channel = _LenientChoiceField(choices=SalesChannel.choices, required=False)
    description_it = forms.CharField(required=False)
    description_en = forms.CharField(required=False)
    description_zh_hans = forms.CharField(required=False)
    story_it = forms.CharField(required=False)
    story_en = forms.CharField(required=False)
    story_zh_hans = forms.CharField(required=False)
    certifications = forms.CharField(required=False)
    stores = forms.CharField(required=False)

    _platforms = _choice_lookup(Platform.choices)
    _store_types = _choice_lookup(StoreType.choices)
    _cert_kinds = _choice_lookup(CertificationKind.choices)

    def clean_certifications(self):
        """``kind[:label]`` items separated by ``;``: ``docg: Chianti Classico DOCG; organic``."""
        rows = []
        for item in _items(self.cleaned_data["certifications"]):
            kind, _sep, label = item.partition(":")
            value = self._cert_kinds.get(kind.strip().lower())
            if value is None:
                raise ValidationError(
                    _("unknown certification %(kind)r. Valid values: %(values)s.")
                    % {"kind": kind.strip(), "values": valid_values(CertificationKind.choices)}
                )
            rows.append({"kind": value, "label": label.strip()})
        return rows

    def clean_stores(self):
        """``platform[|store type][|url]`` items separated by ``;``: ``tmall_global|flagship|https://...``."""
        rows, seen = [], set()
        url_field = forms.URLField(required=False, assume_scheme="https")
        for item in _items(self.cleaned_data["stores"]):
            parts = [p.strip() for p in item.split("|")]
            platform = self._platforms.get(parts[0].lower())
            if platform is None:
                raise ValidationError(
                    _("unknown platform %(platform)r. Valid values: %(values)s.")
                    % {"platform": parts[0], "values": valid_values(Platform.choices)}
                )
            if platform in seen:
                raise ValidationError(_("two stores on %(platform)s") % {"platform": platform})
            seen.add(platform)
            store_type, url = StoreType.OFFICIAL, ""
            for part in parts[1:]:
                if part.lower() in self._store_types:
                    store_type = self._store_types[part.lower()]
                elif part:
                    try:
                        url = url_field.clean(part)
                    except ValidationError as exc:
                        raise ValidationError(_("store %(platform)s: bad URL") % {"platform": platform}) from exc
            rows.append({"platform": platform, "store_type": store_type, "url": url, "opened_on": None})
        return rows


# A cell starting with one of these would run as a formula in Excel: exports quote it, imports unquote it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _escape(value):
    return f"'{value}" if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def _unescape(value) -> str:
    text = "" if value is None else str(value).strip()
    return text[1:] if text.startswith("'") and text[1:2] and text[1:].startswith(_FORMULA_START) else text


def _items(text: str) -> list[str]:
    return [item.strip() for item in (text or "").split(";") if item.strip()]


def _normalize_header(name) -> str:
    key = str(name or "").strip().lower().replace(" ", "_").replace("-", "_")
    key = key.replace("(", "").replace(")", "").replace("__", "_")
    return HEADER_ALIASES.get(key, key)


def _read_rows(upload) -> Iterator[list]:
    return read_rows(upload, name=getattr(upload, "name", "") or "")


def import_parse(upload, *, user) -> ImportBatch:
    """Read and validate a whole file into an ``ImportBatch`` (status preview). Writes nothing else."""
    if getattr(upload, "size", 0) > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(mb)s MB.") % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    rows = _read_rows(upload)
    header = next(rows, None)
    if not header:
        raise ImportFileError(_("The file is empty."))
    columns = [_normalize_header(h) for h in header]
    unknown = [str(h) for h, c in zip(header, columns, strict=True) if c and c not in COLUMNS]
    if unknown:
        raise ImportFileError(
            _("Unknown columns: %(columns)s. The columns are: %(valid)s.")
            % {"columns": ", ".join(unknown), "valid": ", ".join(COLUMNS)}
        )
    for required in ("slug", "name_it", "category"):
        if required not in columns:
            raise ImportFileError(_("The column %(column)s is required.") % {"column": required})
    existing = dict(Brand.objects.values_list("slug", "pk"))
    parsed, errors, seen = [], [], {}
    for number, values in enumerate(rows, start=2):
        if not any(str(v).strip() for v in values):
            continue
        if len(parsed) + len(errors) >= MAX_ROWS:
            raise ImportFileError(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
        data = {c: _unescape(v) for c, v in zip(columns, values, strict=False) if c}
        row_errors = _validate_row(data, columns)
        slug = data.get("slug", "")
        if slug in seen:
            row_errors.append(_("slug: %(slug)s is also on row %(row)s") % {"slug": slug, "row": seen[slug]})
        seen.setdefault(slug, number)
        if row_errors:
            errors.append({"row": number, "slug": slug, "errors": row_errors})
        else:
            parsed.append(
                {"row": number, "action": "update" if slug in existing else "create", **_row_values(data, columns)}
            )
    if not parsed and not errors:
        raise ImportFileError(_("The file has a header but no rows."))
    return ImportBatch.objects.create(
        file_name=(getattr(upload, "name", "") or "")[:255], rows=parsed, errors=errors, created_by=user
    )


def _validate_row(data: dict, columns) -> list[str]:
    form = BrandRowForm(data={c: data.get(c, "") for c in COLUMNS})
    if form.is_valid():
        data.update(_cleaned=form.cleaned_data)
        return []
    present = set(columns)
    return [
        f"{field}: {message}" if field != "__all__" else message
        for field, messages in form.errors.items()
        if field in present or field in ("slug", "name_it", "category", "__all__")
        for message in messages
    ]


def _row_values(data: dict, columns) -> dict:
    """Only the columns present in the file: absent ones leave existing brands untouched."""
    cleaned = data["_cleaned"]
    return {c: [dict(r) for r in cleaned[c]] if c in LIST_COLUMNS else plain(cleaned[c]) for c in columns if c}


def import_apply(batch: ImportBatch, *, user) -> dict:
    """Write every row of a valid batch, all or nothing. Returns counts of created, updated and unchanged."""
    if batch.status != ImportBatch.Status.PREVIEW:
        raise ValidationError(_("This import has been applied already."))
    if not batch.is_valid:
        raise ValidationError(_("This file has errors; fix them and upload it again. Nothing was written."))
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    rules, written = completeness_rules(), []
    with transaction.atomic():
        brands = Brand.objects.in_bulk([row["slug"] for row in batch.rows], field_name="slug")
        for row in batch.rows:
            fields = {k: v for k, v in row.items() if k in FIELD_COLUMNS}
            children = {k: row[k] for k in LIST_COLUMNS if k in row}
            brand = brands.get(row["slug"])
            try:
                options = {"user": user, "action": RevisionAction.IMPORTED, "rules": rules, "build_document": False}
                if brand is None:
                    written.append(brand_create(fields=fields, **options, **children).pk)
                    counts["created"] += 1
                else:
                    before = brand.updated_at
                    updated = brand_update(brand=brand, fields=fields, **options, **children)
                    if updated.updated_at != before:
                        written.append(brand.pk)
                    counts["updated" if updated.updated_at != before else "unchanged"] += 1
            except ValidationError as exc:
                raise ValidationError(
                    _("Row %(row)s (%(slug)s): %(errors)s")
                    % {"row": row["row"], "slug": row["slug"], "errors": "; ".join(exc.messages)}
                ) from exc
        # API documents in bulk, a chunk of brands at a time, rather than one brand per row.
        brand_documents_rebuild(written)
        batch.status, batch.applied_at = ImportBatch.Status.APPLIED, timezone.now()
        batch.save(update_fields=["status", "applied_at"])
    return counts


def export_rows(brands: Iterable[Brand]) -> Iterator[list]:
    """The header, then one row per brand (brands with ``stores`` and ``certifications`` prefetched)."""
    yield list(COLUMNS)
    for brand in brands:
        row = [plain(getattr(brand, c)) for c in FIELD_COLUMNS]
        row.append("; ".join(f"{c.kind}:{c.label}" if c.label else c.kind for c in brand.certifications.all()))
        row.append("; ".join("|".join(filter(None, (s.platform, s.store_type, s.url))) for s in brand.stores.all()))
        yield [_escape(value) for value in row]


class _Echo:
    def write(self, value):
        return value


def export_csv_chunks(brands: Iterable[Brand]) -> Iterator[str]:
    """CSV text with a BOM, so Excel opens Chinese names correctly; streamed row by row."""
    writer = csv.writer(_Echo())
    yield codecs.BOM_UTF8.decode("utf-8")
    for row in export_rows(brands):
        yield writer.writerow(row)


def export_xlsx(brands: Iterable[Brand]) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("brands")
    for row in export_rows(brands):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
