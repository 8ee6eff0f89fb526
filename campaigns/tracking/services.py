"""Writes of the tracking app: events, tracked links (one, or many from a CSV) and their destinations."""

import csv
import dataclasses
import functools
import io
import secrets
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from brandhub.access import require_agency_staff

from . import recorder
from .models import OfflineEvent, TrackedLink

# No 0/O, 1/l/I, 2/Z, 5/S, 8/B: a code read aloud or typed from a poster cannot be mistaken.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXYabcdefghijkmnpqrstuvwxyz"
CODE_LENGTH = 8  # 49**8 ≈ 3·10^13: unguessable by scanning, short enough for a small QR code
EVENT_FIELDS = [
    "title",
    "kind",
    "city",
    "venue",
    "starts_on",
    "ends_on",
    "partner",
    "campaign",
    "reward_zh",
    "reward_en",
    "followers_gained",
    "notes",
]
LINK_FIELDS = [
    "label",
    "destination",
    "event",
    "campaign",
    "city",
    "venue",
    "reward",
    "valid_from",
    "valid_until",
    "scan_cap",
    "status",
    "wechat_interstitial",
]
BULK_MAX_ROWS = 500


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def validate_destination(url: str) -> None:
    """An absolute http(s) address with a host: anything else is refused before it is stored."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(
            {"destination": _("The destination must be a full web address starting with https:// or http://.")},
            code="destination_scheme",
        )


def event_save(*, user, event: OfflineEvent | None = None, brands=None, products=None, **fields) -> OfflineEvent:
    """Create or change an event; its featured products must belong to its brands."""
    require_agency_staff(user)
    event = event or OfflineEvent(created_by=user)
    for name, value in fields.items():
        if name in EVENT_FIELDS:
            setattr(event, name, value)
    event.full_clean()
    if brands is not None and products is not None:
        brand_ids = {brand.pk for brand in brands}
        strays = [str(product) for product in products if product.brand_id not in brand_ids]
        if strays:
            raise ValidationError(
                {
                    "products": _("These products belong to brands not in the event: %(products)s")
                    % {"products": ", ".join(strays)}
                }
            )
    with transaction.atomic():
        event.save()
        if brands is not None:
            event.brands.set(brands)
        if products is not None:
            event.products.set(products)
    return event


def link_save(*, user, link: TrackedLink | None = None, brands=None, **fields) -> TrackedLink:
    """Create a link (with a new code) or change one; the next scan sees a changed destination."""
    require_agency_staff(user)
    link = link or TrackedLink(created_by=user)
    for name, value in fields.items():
        if name in LINK_FIELDS:
            setattr(link, name, value)
    validate_destination(link.destination)
    if link.event_id and not link.campaign_id:
        link.campaign_id = link.event.campaign_id
    creating = not link.pk
    for attempt in range(5):
        if creating:
            link.code = new_code()
        link.full_clean(exclude=["code"])
        try:
            with transaction.atomic():
                link.save()
                if brands is not None:
                    link.brands.set(brands)
                elif creating and link.event_id:
                    link.brands.set(link.event.brands.all())
                if not creating:  # a new code has no copies to drop (a bulk import of 50 venues waits for nothing)
                    transaction.on_commit(functools.partial(recorder.forget_link, link.code))
            return link
        except IntegrityError:
            if not creating or attempt == 4:
                raise
            link.pk = None  # a code taken in the meantime (1 in 10^13): draw another
    return link


@dataclasses.dataclass
class BulkReport:
    created: list[TrackedLink] = dataclasses.field(default_factory=list)
    errors: list[tuple[int, str]] = dataclasses.field(default_factory=list)  # (line number, message)


BULK_COLUMNS = ("label", "destination", "city", "venue", "reward", "scan_cap")


def links_bulk_create(*, user, event: OfflineEvent, data: bytes) -> BulkReport:
    """One link per CSV row (label, destination, city, venue, reward, scan_cap). All rows or none.

    Every row is checked first; with any bad row nothing is written and the report lists each error with
    its line number.
    """
    require_agency_staff(user)
    report = BulkReport()
    if data.startswith((b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or b"\x00" in data[:4096]:
        # A PDF, an Excel workbook (zip or the old binary format), or another binary file.
        report.errors.append((0, _("This is not a CSV file. Save the sheet as CSV (UTF-8) and try again.")))
        return report
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.errors.append((0, _("The file is not UTF-8 text: save it as CSV (UTF-8) and try again.")))
        return report
    reader = csv.DictReader(io.StringIO(text))
    headers = [header.strip().lower() for header in reader.fieldnames or []]
    missing = [column for column in ("label", "destination") if column not in headers]
    if missing:
        report.errors.append(
            (
                1,
                _("Missing columns: %(missing)s. The columns are: %(columns)s.")
                % {"missing": ", ".join(missing), "columns": ", ".join(BULK_COLUMNS)},
            )
        )
        return report
    unknown = [header for header in headers if header not in BULK_COLUMNS]
    if unknown:
        report.errors.append(
            (
                1,
                _("Unknown columns: %(unknown)s. The columns are: %(columns)s.")
                % {"unknown": ", ".join(unknown), "columns": ", ".join(BULK_COLUMNS)},
            )
        )
        return report
    rows = []
    for number, row in enumerate(reader, start=2):
        row = {(key or "").strip().lower(): (value or "").strip() for key, value in row.items()}
        if not any(row.values()):
            continue
        if len(rows) >= BULK_MAX_ROWS:
            report.errors.append((number, _("At most %(n)d links per file.") % {"n": BULK_MAX_ROWS}))
            break
        fields = {key: row.get(key, "") for key in BULK_COLUMNS}
        cap = fields.pop("scan_cap")
        try:
            fields["scan_cap"] = int(cap) if cap else None
            if fields["scan_cap"] is not None and fields["scan_cap"] < 1:
                raise ValueError
        except ValueError:
            report.errors.append(
                (number, _("scan_cap must be a whole number above 0, not “%(value)s”.") % {"value": cap})
            )
            continue
        link = TrackedLink(event=event, campaign_id=event.campaign_id, created_by=user, code="x", **fields)
        try:
            validate_destination(link.destination)
            link.full_clean(exclude=["code", "event", "campaign"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                label = field if field != "__all__" else ""
                report.errors.append((number, f"{label}: {' '.join(messages)}" if label else " ".join(messages)))
            continue
        rows.append(fields)
    if report.errors:
        return report
    if not rows:
        report.errors.append((0, _("The file has no rows.")))
        return report
    with transaction.atomic():
        for fields in rows:
            report.created.append(link_save(user=user, event=event, **fields))
    return report
