"""Writing facts, and keeping the rollups true to them.

``facts_upsert`` is the one way facts are written (file imports, the partner API, manual entry all end here): it
inserts or updates facts by (source, source key) and adds to the rollups exactly the difference it made — the new
figures at the fact's new coordinates, minus the old figures at its old ones — in the same transaction. So a
re-import of the same file changes nothing, a corrected figure moves the sums by the correction, and a fact moved to
another day or brand leaves its old day. Writes of one source are serialised on the source's row, so two imports of
one source never both count the same new fact; different sources write side by side.
"""

import datetime
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

import orjson
from django.db import connection, transaction
from django.utils import timezone

from brandhub.access import require_agency_staff

from .facts import FactRow
from .metrics import METRIC_NAMES
from .models import BrandDay, CampaignTotal, MetricFact, MetricRollup, MetricSource

CHUNK = 5000
_FACT_COLUMNS = ("date", "channel", "brand_id", "campaign_id", "item_id", "creative_id", *METRIC_NAMES)
# A rollup's vector: the fact count, then the figures in METRIC_NAMES order.
_WIDTH = 1 + len(METRIC_NAMES)
_FOLLOWERS = METRIC_NAMES.index("followers_total")
_MONEY = METRIC_NAMES.index("gmv_cny")


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: "UpsertResult") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged

    @property
    def written(self) -> int:
        return self.created + self.updated


def source_for(kind: str, name: str) -> MetricSource:
    """The source of this kind and name, created on first use."""
    source, _created = MetricSource.objects.get_or_create(kind=kind, name=name[:120])
    return source


def _chunks(rows: Iterable[FactRow], size: int) -> Iterator[list[FactRow]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def facts_upsert(
    *, source: MetricSource, rows: Iterable[FactRow], run=None, user=None, chunk: int = CHUNK, progress=None
) -> UpsertResult:
    """Insert or update ``rows`` (checked ``FactRow``s) as facts of ``source`` and move the rollups by the difference.

    One transaction: all rows or none. Within the rows, a key given twice keeps its last row. ``progress(n)`` is
    called after each chunk with the number of rows written so far (the import's progress bar).
    """
    result = UpsertResult()
    done = 0
    with transaction.atomic():
        # The source's row is the lock: another write of this source waits here until this one commits.
        MetricSource.objects.select_for_update().filter(pk=source.pk).exists()
        for batch in _chunks(rows, chunk):
            result.add(_upsert_batch(source, batch, run=run, user=user))
            done += len(batch)
            if progress is not None:
                progress(done)
    return result


_ZEROS = tuple(Decimal(0) if index == _MONEY else 0 for index in range(len(METRIC_NAMES)))


def _vector(fact) -> list:
    """What one fact adds to its rollup rows (``fact``: a FactRow's figures or a stored fact's values): the count,
    then each figure (not reported adds 0)."""
    figures = fact["figures"]
    vector = [1, *[figures.get(name) or zero for name, zero in zip(METRIC_NAMES, _ZEROS, strict=True)]]
    if fact["item_id"] is not None:
        # followers_total is the account's level: an item's row repeating it would count it again.
        vector[1 + _FOLLOWERS] = 0
    return vector


def _upsert_batch(source: MetricSource, batch: list[FactRow], *, run, user) -> UpsertResult:
    rows = {row.source_key: row for row in batch}  # the last row of a key wins
    old = {
        values["source_key"]: values
        for values in MetricFact.objects.filter(source=source, source_key__in=list(rows)).values(
            "source_key", *_FACT_COLUMNS
        )
    }
    result = UpsertResult()
    deltas: dict[tuple, list] = defaultdict(lambda: [0] * _WIDTH)
    changed: list[FactRow] = []
    for key, row in rows.items():
        new = {
            "date": row.date,
            "channel": row.channel,
            "brand_id": row.brand_id,
            "campaign_id": row.campaign_id,
            "item_id": row.item_id,
            "creative_id": row.creative_id,
            "figures": {name: row.figures.get(name) for name in METRIC_NAMES},
        }
        before = old.get(key)
        if before is not None:
            before = {**before, "figures": {name: before[name] for name in METRIC_NAMES}}
            if all(before[c] == new[c] for c in _FACT_COLUMNS[:6]) and _same(before["figures"], new["figures"]):
                result.unchanged += 1
                continue
            _add(deltas, before, _vector(before), -1)
            result.updated += 1
        else:
            result.created += 1
        _add(deltas, new, _vector(new), 1)
        changed.append(row)
    if changed:
        _write_facts(source, changed, run=run, user=user, known=old.keys())
        _apply_deltas(deltas)
    return result


def _same(a: dict, b: dict) -> bool:
    """Equal figures, where "not reported" differs from 0."""
    return all(a[name] == b[name] and (a[name] is None) == (b[name] is None) for name in METRIC_NAMES)


def _add(deltas, fact: dict, vector: list, sign: int) -> None:
    key = (fact["date"], fact["brand_id"], fact["campaign_id"] or 0, fact["channel"])
    target = deltas.get(key)
    if target is None:
        deltas[key] = vector if sign == 1 else [-value for value in vector]
    else:
        deltas[key] = [a + sign * b for a, b in zip(target, vector, strict=True)]


def _write_facts(source: MetricSource, rows: list[FactRow], *, run, user, known=None) -> None:
    """Insert or update the facts of ``rows``. ``known``: the keys the source has already (read under its lock by
    the caller): on PostgreSQL the other rows cannot conflict, and go in by ``COPY`` straight into the table."""
    now = timezone.now()
    table = connection.ops.quote_name(MetricFact._meta.db_table)
    columns = ("source_id", "source_key", *_FACT_COLUMNS, "run_id", "entered_by_id", "updated_at")
    updates = [c for c in columns if c not in ("source_id", "source_key")]
    values = [
        (
            source.pk,
            row.source_key,
            row.date,
            str(row.channel),
            row.brand_id,
            row.campaign_id,
            row.item_id,
            row.creative_id,
            *(row.figures.get(name) for name in METRIC_NAMES),
            run.pk if run is not None else None,
            user.pk if user is not None else None,
            now,
        )
        for row in rows
    ]
    suffix = "ON CONFLICT (source_id, source_key) DO UPDATE SET " + ", ".join(
        f"{connection.ops.quote_name(c)} = excluded.{connection.ops.quote_name(c)}" for c in updates
    )
    if connection.vendor == "postgresql" and known is not None:
        fresh = [value for value in values if value[1] not in known]
        if fresh:
            _copy(table, columns, fresh)
            values = [value for value in values if value[1] in known]
    _insert(table, columns, values, suffix)


def _apply_deltas(deltas: dict) -> None:
    """Add the differences to ``MetricRollup`` (day × brand × campaign × channel), ``BrandDay`` (day × brand) and
    ``CampaignTotal`` (campaign × brand)."""
    per_day: dict[tuple, list] = defaultdict(lambda: [0] * _WIDTH)
    per_campaign: dict[tuple, list] = defaultdict(lambda: [0] * _WIDTH)
    rollup_rows = []
    for (day, brand_id, campaign_key, channel), vector in deltas.items():
        if not any(vector):
            continue
        rollup_rows.append((day, brand_id, campaign_key, campaign_key or None, str(channel), *vector))
        for target in (per_day[(day, brand_id)], per_campaign[(campaign_key, brand_id)] if campaign_key else None):
            if target is not None:
                for index, value in enumerate(vector):
                    target[index] += value
    figures = ("facts", *METRIC_NAMES)
    rollup = connection.ops.quote_name(MetricRollup._meta.db_table)
    _insert(
        rollup,
        ("day", "brand_id", "campaign_key", "campaign_id", "channel", *figures),
        rollup_rows,
        "ON CONFLICT (day, brand_id, campaign_key, channel) DO UPDATE SET "
        + ", ".join(f"{c} = {rollup}.{c} + excluded.{c}" for c in figures),
        order=("day", "brand_id", "campaign_key", "channel"),
    )
    brand_day = connection.ops.quote_name(BrandDay._meta.db_table)
    _insert(
        brand_day,
        ("day", "brand_id", *figures),
        [(day, brand_id, *vector) for (day, brand_id), vector in per_day.items() if any(vector)],
        "ON CONFLICT (brand_id, day) DO UPDATE SET "
        + ", ".join(f"{c} = {brand_day}.{c} + excluded.{c}" for c in figures),
        order=("brand_id", "day"),
    )
    totals = connection.ops.quote_name(CampaignTotal._meta.db_table)
    _insert(
        totals,
        ("campaign_id", "brand_id", *figures),
        [(campaign, brand_id, *vector) for (campaign, brand_id), vector in per_campaign.items() if any(vector)],
        "ON CONFLICT (campaign_id, brand_id) DO UPDATE SET "
        + ", ".join(f"{c} = {totals}.{c} + excluded.{c}" for c in figures),
        order=("campaign_id", "brand_id"),
    )


def _insert(table: str, columns: tuple, rows: list, suffix: str, order: tuple = ()) -> None:
    """``INSERT … ON CONFLICT …`` for many rows in one statement. On PostgreSQL the rows travel as one JSON array
    unpacked by the server (``json_populate_recordset``: no per-row parameters to quote, no temporary table),
    ``order`` giving the order rows are locked in (two writers moving the same rollups lock them in the same order
    instead of deadlocking); SQLite uses ``executemany`` (in process, no round trips)."""
    if not rows:
        return
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            payload = orjson.dumps([dict(zip(columns, row, strict=True)) for row in rows], default=str).decode()
            ordering = f" ORDER BY {', '.join(connection.ops.quote_name(c) for c in order)}" if order else ""
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM json_populate_recordset(NULL::{table}, %s::json)"
                f"{ordering} {suffix}",
                [payload],
            )
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks}) {suffix}", rows)


def _copy(table: str, columns: tuple, rows: list) -> None:
    """New rows straight into ``table`` with PostgreSQL's ``COPY`` (its text format: NULL as ``\\N``; backslash,
    tab and line ends escaped in text; dates and datetimes in ISO form), the fastest way rows go in."""
    text, date = str, datetime.date
    buffer = io.StringIO()
    buffer.writelines(
        "\t".join(
            [
                "\\N"
                if value is None
                else value.translate(_COPY_ESCAPES)
                if isinstance(value, text)
                else value.isoformat()
                if isinstance(value, date)
                else text(value)
                for value in row
            ]
        )
        + "\n"
        for row in rows
    )
    buffer.seek(0)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN", buffer)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def rollups_rebuild(*, brand_ids: Iterable[int] | None = None) -> int:
    """Recompute the rollups from the facts (of some brands, or all): for an operator after a manual database change.
    Pages never need it — every write keeps the rollups current."""
    with transaction.atomic():
        rollups = MetricRollup.objects.all()
        days = BrandDay.objects.all()
        totals = CampaignTotal.objects.all()
        facts = MetricFact.objects.all()
        if brand_ids is not None:
            brand_ids = list(brand_ids)
            rollups, days, totals, facts = (q.filter(brand_id__in=brand_ids) for q in (rollups, days, totals, facts))
        rollups.delete()
        days.delete()
        totals.delete()
        deltas: dict[tuple, list] = defaultdict(lambda: [0] * _WIDTH)
        count = 0
        for values in facts.values(*_FACT_COLUMNS).iterator(chunk_size=CHUNK):
            fact = {**values, "figures": {name: values[name] for name in METRIC_NAMES}}
            _add(deltas, fact, _vector(fact), 1)
            count += 1
            if len(deltas) >= CHUNK:
                _apply_deltas(deltas)
                deltas.clear()
        _apply_deltas(deltas)
    return count


# --- manual entry ---------------------------------------------------------------------------------------------------

MANUAL_SOURCE = "Manual entry"


def manual_key(row: FactRow) -> str:
    """A typed-in fact's key: its grain (day, channel, brand, item, creative) and its campaign, so entering the same
    again corrects it, and a campaign's livestream figures never replace the brand's own figures of that day."""
    return f"{row.natural_key()}|{row.campaign_id or ''}"


def fact_enter(*, user, row: FactRow, replaces: MetricFact | None = None) -> UpsertResult:
    """Write one fact a staff member typed in (checked by ``FactChecker``), under the manual source, with who
    entered it; the same coordinates entered again replace its figures. ``replaces``: the entry being corrected,
    which goes in the same transaction when the correction moved it (another day, brand or item), so the figures
    are never counted at both places."""
    require_agency_staff(user)
    row.source_key = manual_key(row)
    with transaction.atomic():
        result = facts_upsert(source=source_for(MetricSource.Kind.MANUAL, MANUAL_SOURCE), rows=[row], user=user)
        if replaces is not None and replaces.source_key != row.source_key:
            fact_delete(user=user, fact=replaces)
    return result


def fact_delete(*, user, fact: MetricFact) -> bool:
    """Delete a fact a staff member typed in (figures entered for the wrong day, brand or item): the rollups move
    back by what it added, in the same transaction. Only the manual entries: imported and pushed facts are put right
    at their source, and a livestream session's facts on the session's page. False when it was deleted already."""
    require_agency_staff(user)
    with transaction.atomic():
        # The source's lock, as every write of the source takes it: a correction of the same entry waits.
        MetricSource.objects.select_for_update().filter(pk=fact.source_id).exists()
        values = (
            MetricFact.objects.filter(pk=fact.pk, source__name=MANUAL_SOURCE, source__kind=MetricSource.Kind.MANUAL)
            .values(*_FACT_COLUMNS)
            .first()
        )
        if values is None:
            return False
        before = {**values, "figures": {name: values[name] for name in METRIC_NAMES}}
        deltas: dict[tuple, list] = {}
        _add(deltas, before, _vector(before), -1)
        MetricFact.objects.filter(pk=fact.pk).delete()
        _apply_deltas(deltas)
    return True
