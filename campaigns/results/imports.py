"""File imports of metrics: a platform's export (CSV or XLSX) read, mapped, checked row by row, then written — or not.

The way of a file (``MetricImport``, one per upload):

1. **Upload** (``metric_import_create``): the file is stored in private storage, so a worker on another host reads
   it; its header row is found among the first lines (exports put a title and a description above it: the first
   row naming a date and a metric), and each column gets its field from the synonyms in ``metrics`` or from what
   its source remembers (``MetricSource.mapping``); ``importfile`` reads that layout.
2. **Mapping** (``metric_import_map``): a column nobody knows yet, a missing date, brand or channel, or two columns
   for one field stop the file here until a person chooses; the choices are remembered by the source.
3. **Check** (pass 1, in a Celery task): every row goes through ``FactChecker``; nothing is written but the bad
   rows' issues (``MetricImportIssue``: row number as a person counts it in the file, column, code and values).
4. **Write** (pass 2): with no bad row it follows at once; with bad rows the import waits (``REVIEW``) until a
   person chooses to import the good rows (``metric_import_accept``) or cancels. A write that follows the check at
   once reads the checked rows back from a local spool; a later one (after the review, or a redelivery) reads the
   file and checks it again. ``facts_upsert`` writes them in one transaction together with the run's final counts:
   a worker killed half way leaves nothing written, and the task delivered again (``acks_late``) starts the pass
   over. Facts are keyed by source, so running a file again updates instead of doubling.

Progress survives a page reload: the check pass writes its row count to the run's row from time to time (outside
any transaction, so the page's connection sees it), and both passes put their position in the cache — the write
pass has no other way, since what it writes to the database inside its transaction stays invisible to every other
connection until the end (``import_progress`` reads both).
"""

import logging
import pickle
import tempfile
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from itertools import islice
from pathlib import PurePosixPath

from django.core.cache import cache
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from brandhub.sheets import FileError, SheetReader

from . import parsing
from .facts import FactChecker, FactRow, field_label, issue_message
from .importfile import (
    HEAD_ROWS,
    SAMPLE_ROWS,
    ImportRefused,
    header_cells,
    is_blank,
    is_summary,
    problems,
    read_layout,
    samples_of,
)
from .metrics import BY_NAME, FIELDS, METRIC_NAMES, field_for_header, normalise_header
from .models import MetricImport, MetricImportIssue, MetricSource
from .services import facts_upsert, source_for

log = logging.getLogger(__name__)
Status = MetricImport.Status

MAX_STORED_ISSUES = 1000  # issues kept for the report; every bad row is counted
ISSUE_BATCH = 500
PROGRESS_EVERY = 2000  # rows between two looks at the clock during the check
PROGRESS_SECONDS = 1.0  # the check pass writes its progress at most this often
PROGRESS_TTL = 24 * 3600
SPOOL_CHUNK = 5000
WAITING = (Status.MAPPING, Status.QUEUED, Status.CHECKING, Status.REVIEW, Status.IMPORTING)
# What can be cancelled: everything that has written nothing and will write nothing without a person (or a task
# not yet at its write); a write under way is one transaction and finishes or leaves nothing.
CANCELLABLE = (Status.MAPPING, Status.QUEUED, Status.CHECKING, Status.REVIEW, Status.FAILED)


class _RowsChanged(Exception):
    """The write pass met a bad row the check did not see (the registry changed in between): nothing is written."""


# --- the run's life -------------------------------------------------------------------------------------------------


def _queue(run_id: int) -> None:
    from .tasks import metric_import_run

    metric_import_run.delay(run_id)


def _queue_after_commit(run_id: int) -> None:
    # robust: a broker down at this moment is logged; the page offers "Start again" for a run that never started.
    transaction.on_commit(lambda: _queue(run_id), robust=True)


def _stored_name(file_name: str) -> str:
    suffix = PurePosixPath(file_name).suffix.lower()
    return f"{uuid.uuid4().hex}{suffix if suffix in ('.csv', '.txt', '.tsv', '.xlsx') else ''}"


def metric_import_create(*, user, upload, source: MetricSource | None = None, source_name: str = "", defaults: dict):
    """Store an uploaded export and read its layout. With every column known and nothing missing the check is
    queued at once; otherwise the run waits for the mapping step. ``SheetError`` / ``ImportRefused`` for a file
    that cannot be imported (nothing is stored then)."""
    name = getattr(upload, "name", "") or "export.csv"
    source_name = " ".join(source_name.split())[:120]
    if source is None:
        source = MetricSource.objects.filter(kind=MetricSource.Kind.FILE, name__iexact=source_name).first()
    layout = read_layout(upload, name=name, mapping=source.mapping if source is not None else {})
    if not layout.has_rows:
        raise ImportRefused("no_rows")
    defaults = {key: value for key, value in defaults.items() if value not in (None, "")}
    ready = not problems(layout.columns, layout.headers, defaults)
    upload.seek(0)
    with transaction.atomic():
        if source is None:
            source = source_for(MetricSource.Kind.FILE, source_name)  # a new source: its first file
        run = MetricImport(
            source=source,
            file_name=name[:255],
            file_size=getattr(upload, "size", 0) or 0,
            file_format=layout.format,
            headers=layout.headers,
            columns=layout.columns,
            defaults=defaults,
            status=Status.QUEUED if ready else Status.MAPPING,
            created_by=user,
        )
        upload.seek(0)
        run.file.save(_stored_name(name), upload, save=False)
        run.save()
        if ready:
            _queue_after_commit(run.pk)
    return run


def run_samples(run: MetricImport) -> list[list[str]] | None:
    """A few values of each column of the stored file, for the mapping page; None when the file is gone."""
    if not run.file:
        return None
    try:
        with run.file.open("rb") as handle:
            reader = SheetReader(handle, name=run.file_name)
            rows = iter(reader)
            for number, cells in enumerate(rows, start=1):
                if header_cells(cells) == run.headers:
                    break
                if number >= HEAD_ROWS:
                    return None
            data = [row for row in islice(rows, SAMPLE_ROWS) if not is_blank(row)]
    except (OSError, FileError):
        return None
    return samples_of(run.headers, data)


def metric_import_map(*, run: MetricImport, user, columns: list[str], defaults: dict) -> MetricImport:
    """The person's choice for each column (a field, or "" to ignore it) and the defaults; remembered by the run's
    source for its next file, and the check queued. ``ValueError`` when the choice still leaves a problem."""
    if len(columns) != len(run.headers) or any(c and c not in FIELDS for c in columns):
        raise ValueError("columns")
    defaults = {key: value for key, value in defaults.items() if value not in (None, "")}
    if problems(columns, run.headers, defaults):
        raise ValueError("problems")
    with transaction.atomic():
        locked = MetricImport.objects.select_for_update().get(pk=run.pk)
        if locked.status != Status.MAPPING:
            return locked
        source = MetricSource.objects.select_for_update().get(pk=run.source_id)
        mapping = dict(source.mapping)
        for header, chosen in zip(run.headers, columns, strict=True):
            key = normalise_header(header)
            if not key:
                continue
            known = field_for_header(header)  # what the synonyms alone say
            if chosen != known or key in mapping:
                mapping[key] = chosen
        if mapping != source.mapping:
            source.mapping = mapping
            source.save(update_fields=["mapping", "updated_at"])
        locked.columns, locked.defaults, locked.status = list(columns), defaults, Status.QUEUED
        locked.save(update_fields=["columns", "defaults", "status"])
        _queue_after_commit(locked.pk)
    return locked


def metric_import_accept(*, run: MetricImport, user) -> bool:
    """ "Import the good rows" of a run waiting in review: the write pass is queued, bad rows left out."""
    with transaction.atomic():
        changed = MetricImport.objects.filter(pk=run.pk, status=Status.REVIEW, rows_ok__gt=0).update(
            status=Status.IMPORTING, good_rows_only=True, rows_done=0
        )
        if changed:
            _queue_after_commit(run.pk)
    return bool(changed)


def metric_import_cancel(*, run: MetricImport, user) -> bool:
    """Stop a run that has written nothing (mapping, queued, checking, review, or failed): its file is deleted."""
    changed = MetricImport.objects.filter(pk=run.pk, status__in=CANCELLABLE).update(
        status=Status.CANCELLED, finished_at=timezone.now()
    )
    if changed:
        _discard_file(run.pk)
    return bool(changed)


def metric_import_retry(*, run: MetricImport, user) -> bool:
    """Start again a run that stopped on an unexpected error, or whose task never arrived (the broker was down)."""
    if not can_retry(run):
        return False
    with transaction.atomic():
        changed = MetricImport.objects.filter(pk=run.pk, status=run.status).update(
            status=Status.QUEUED if run.status != Status.IMPORTING else Status.IMPORTING, failure={}
        )
        if changed:
            _queue_after_commit(run.pk)
    return bool(changed)


STALE_SECONDS = 10 * 60


def can_retry(run: MetricImport) -> bool:
    if run.status == Status.FAILED:
        return run.failure.get("code") == "crashed" and bool(run.file)
    if run.status in (Status.QUEUED, Status.CHECKING, Status.IMPORTING):
        seen = cache.get(_progress_key(run.pk))
        last = (seen or {}).get("at") or (run.started_at or run.created_at).timestamp()
        return time.time() - last > STALE_SECONDS
    return False


def _discard_file(run_id: int) -> None:
    """The uploaded file is kept until the run ends (private data: not a day longer)."""
    run = MetricImport.objects.filter(pk=run_id).only("file").first()
    if run is None or not run.file:
        return
    name = run.file.name
    MetricImport.objects.filter(pk=run_id).update(file="")
    try:
        run.file.storage.delete(name)
    except OSError:
        log.warning("could not delete %s", name)


# --- the passes -----------------------------------------------------------------------------------------------------


def _progress_key(run_id: int) -> str:
    return f"results:import:{run_id}:progress"


def _set_progress(run_id: int, phase: str, done: int, total: int | None, fraction: float | None) -> None:
    value = {"phase": phase, "done": done, "total": total, "fraction": fraction, "at": time.time()}
    try:
        cache.set(_progress_key(run_id), value, PROGRESS_TTL)
    except Exception:  # a cache that does not answer must not stop an import: the page falls back to the database
        log.warning("progress of import %s not cached", run_id, exc_info=True)


def _forget_progress(run_id: int) -> None:
    try:
        cache.delete(_progress_key(run_id))
    except Exception:
        log.warning("progress of import %s not cleared", run_id, exc_info=True)


def metric_import_run(*, run_id: int) -> str:
    """The task's work: the check pass, and the write pass when the file has no bad row (or a person accepted the
    good rows). Safe to run again at any point: a pass starts over, and writes are one transaction."""
    run = MetricImport.objects.select_related("source").filter(pk=run_id).first()
    if run is None:
        return "gone"
    try:
        with tempfile.TemporaryFile(prefix="metric-import-") as spool:
            if run.status in (Status.QUEUED, Status.CHECKING):
                if not _check(run, spool=spool):
                    return MetricImport.objects.get(pk=run_id).status
                run.refresh_from_db()
                if run.rows_bad:
                    return Status.REVIEW
                if not MetricImport.objects.filter(pk=run.pk, status=Status.CHECKING).update(status=Status.IMPORTING):
                    return MetricImport.objects.get(pk=run_id).status
                run.status = Status.IMPORTING
            else:
                spool = None  # a write pass of its own (the good rows accepted, a worker died): rows checked again
            if run.status == Status.IMPORTING:
                return _write(run, spool=spool)
            return run.status
    except (OperationalError, InterfaceError):
        # The database went away: the task retries, and the pass starts over at once (not taken for another
        # worker's check still running).
        _forget_progress(run_id)
        raise
    except FileError as exc:
        _fail(run, {"code": exc.code, "params": getattr(exc, "raw_params", {})})
        return Status.FAILED
    except FileNotFoundError:
        _fail(run, {"code": "file_missing", "params": {}})
        return Status.FAILED
    except Exception:
        log.exception("import %s crashed", run_id)
        _fail(run, {"code": "crashed", "params": {}}, keep_file=True)
        raise


def _fail(run: MetricImport, failure: dict, keep_file: bool = False) -> None:
    MetricImport.objects.filter(pk=run.pk, status__in=WAITING).update(
        status=Status.FAILED, failure=failure, finished_at=timezone.now()
    )
    if not keep_file:
        _discard_file(run.pk)


def _rows(run: MetricImport, reader: SheetReader) -> Iterator[tuple[int, dict]]:
    """(row number in the file, field -> raw value) for each data row: the header row is found again by its cells,
    blank rows are skipped (and still counted in the numbering, as a spreadsheet shows them)."""
    rows = iter(reader)
    number = 0
    for number, cells in enumerate(rows, start=1):
        if header_cells(cells) == run.headers:
            break
        if number >= HEAD_ROWS:
            raise ImportRefused("header_lost")
    else:
        raise ImportRefused("header_lost")
    positions = [(index, name) for index, name in enumerate(run.columns) if name]
    figures = [name for _index, name in positions if name in METRIC_NAMES]
    money = {name for name in figures if BY_NAME[name].decimal}  # a count with a fraction is the checker's to refuse
    dates: dict = {}
    for number, cells in enumerate(rows, start=number + 1):  # noqa: B020
        if is_blank(cells):
            continue
        width = len(cells)
        values = {name: cells[index] for index, name in positions if index < width}
        if is_summary(values.get("date")) or is_summary(cells[0]):
            continue
        # Plain numbers (a sign, thousands separators, a decimal point) are handed over as numbers, as an XLSX cell
        # gives them: for such text the checker's reading is exactly int() or Decimal(); anything else (万, ¥, %)
        # it reads itself. Most cells of an export are plain: this halves the time of the check.
        for name in figures:
            value = values.get(name)
            if value.__class__ is str:
                plain = value.replace(",", "")
                digits = plain[1:] if plain[:1] == "-" else plain
                if digits.isascii():
                    if digits.isdigit():
                        values[name] = int(plain)
                    elif name in money and digits.replace(".", "", 1).isdigit():
                        values[name] = Decimal(plain)
        # Daily exports repeat a few hundred dates: each is read once (the checker takes a date as it is).
        raw = values.get("date")
        if isinstance(raw, str):
            if raw not in dates:
                try:
                    dates[raw] = parsing.parse_date(raw)
                except ValueError:
                    dates[raw] = None
            if dates[raw] is not None:
                values["date"] = dates[raw]
        yield number, values


def _column_names(run: MetricImport) -> dict:
    """Field -> the file's header for it: issues name the column as the file does."""
    return {name: run.headers[index] for index, name in enumerate(run.columns) if name}


def _open(run: MetricImport):
    if not run.file:
        raise FileNotFoundError(run.file_name)
    return run.file.open("rb")


ALIVE_SECONDS = 20  # a check pass reports every second or so while it runs: silent this long, it is gone


def _spool_write(spool, rows: list) -> None:
    pickle.dump([_spooled(row) for row in rows], spool, protocol=pickle.HIGHEST_PROTOCOL)


def _spooled(row: FactRow) -> tuple:
    figures = row.figures
    return (
        row.source_key,
        row.date,
        row.channel,
        row.brand_id,
        row.campaign_id,
        row.item_id,
        row.creative_id,
        tuple(figures.get(name) for name in METRIC_NAMES),
    )


def _spool_read(spool) -> Iterator[FactRow]:
    spool.seek(0)
    while True:
        try:
            chunk = pickle.load(spool)
        except EOFError:
            return
        for key, date, channel, brand, campaign, item, creative, figures in chunk:
            yield FactRow(
                key,
                date,
                channel,
                brand,
                campaign,
                item,
                creative,
                {name: value for name, value in zip(METRIC_NAMES, figures, strict=True) if value is not None},
            )


def _check(run: MetricImport, spool=None) -> bool:
    """Pass 1: count the rows and store the bad rows' issues; writes no fact. False when the run was cancelled, or
    when another worker is checking it right now (a second delivery of the task while the first still runs).

    ``spool``: a local temporary file that keeps the checked rows, so a write pass that follows at once in this
    process reads them instead of checking every row a second time (half the work of a clean file)."""
    if run.status == Status.CHECKING:
        seen = cache.get(_progress_key(run.pk)) or {}
        if seen.get("phase") == Status.CHECKING and time.time() - seen.get("at", 0) < ALIVE_SECONDS:
            return False
    started = timezone.now()
    if not MetricImport.objects.filter(pk=run.pk, status__in=[Status.QUEUED, Status.CHECKING]).update(
        status=Status.CHECKING, started_at=started, rows_done=0, rows_total=None, rows_ok=0, rows_bad=0, failure={}
    ):
        return False
    MetricImportIssue.objects.filter(run=run).delete()  # a pass started over forgets the last one's issues
    checker = FactChecker(defaults=run.defaults)
    names = _column_names(run)
    pending: list[MetricImportIssue] = []
    good: list[FactRow] = []
    stored = done = ok = bad = 0
    last = time.monotonic()
    _set_progress(run.pk, Status.CHECKING, 0, None, 0.0)
    with _open(run) as handle:
        reader = SheetReader(handle, name=run.file_name)
        for number, values in _rows(run, reader):
            done += 1
            _row, issues = checker.check(values)
            if issues:
                bad += 1
                for issue in issues:
                    if stored < MAX_STORED_ISSUES:
                        stored += 1
                        pending.append(
                            MetricImportIssue(
                                run=run,
                                row=number,
                                column=names.get(issue.column, "")[:120],
                                code=issue.code,
                                params=issue.params,
                            )
                        )
                if len(pending) >= ISSUE_BATCH:
                    MetricImportIssue.objects.bulk_create(pending)
                    pending = []
            else:
                ok += 1
                if spool is not None and not bad:  # after a bad row the file stops at the review: no write follows
                    good.append(_row)
                    if len(good) >= SPOOL_CHUNK:
                        _spool_write(spool, good)
                        good = []
            if done % PROGRESS_EVERY == 0 and time.monotonic() - last >= PROGRESS_SECONDS:
                last = time.monotonic()
                _set_progress(run.pk, Status.CHECKING, done, None, reader.fraction_read())
                if not MetricImport.objects.filter(pk=run.pk, status=Status.CHECKING).update(rows_done=done):
                    return False  # cancelled meanwhile
    MetricImportIssue.objects.bulk_create(pending)
    if spool is not None and good and not bad:
        _spool_write(spool, good)
    if done == 0:
        raise ImportRefused("no_rows")
    _set_progress(run.pk, Status.CHECKING, done, done, 1.0)
    counts = {"rows_total": done, "rows_done": done, "rows_ok": ok, "rows_bad": bad}
    if bad:
        return bool(
            MetricImport.objects.filter(pk=run.pk, status=Status.CHECKING).update(status=Status.REVIEW, **counts)
        )
    return bool(MetricImport.objects.filter(pk=run.pk, status=Status.CHECKING).update(**counts))


def _write(run: MetricImport, spool=None) -> str:
    """Pass 2: the good rows written as facts of the run's source, with the run's counts, in one transaction (read
    from ``spool`` when the check just kept them, else from the file and checked again)."""
    checker = FactChecker(defaults=run.defaults)
    total = run.rows_ok or None
    _set_progress(run.pk, Status.IMPORTING, 0, total, 0.0)

    def good_rows(reader):
        for _number, values in _rows(run, reader):
            row, issues = checker.check(values)
            if issues:
                if not run.good_rows_only:
                    raise _RowsChanged
                continue
            yield row

    def progress(done):
        _set_progress(run.pk, Status.IMPORTING, done, total, done / total if total else None)

    try:
        with _open(run) as handle, transaction.atomic():
            # The run's row is locked with the facts: a second delivery of the task waits here, then finds it done.
            if not MetricImport.objects.select_for_update().filter(pk=run.pk, status=Status.IMPORTING).exists():
                return MetricImport.objects.get(pk=run.pk).status
            rows = _spool_read(spool) if spool is not None else good_rows(SheetReader(handle, name=run.file_name))
            result = facts_upsert(source=run.source, rows=rows, run=run, progress=progress)
            MetricImport.objects.filter(pk=run.pk).update(
                status=Status.DONE,
                rows_done=result.created + result.updated + result.unchanged,
                created=result.created,
                updated=result.updated,
                unchanged=result.unchanged,
                finished_at=timezone.now(),
            )
    except _RowsChanged:
        # A row went bad between the passes (a brand or an item was removed): check again, and let a person decide.
        MetricImport.objects.filter(pk=run.pk, status=Status.IMPORTING).update(status=Status.QUEUED)
        return metric_import_run(run_id=run.pk)
    done = run.rows_ok
    _set_progress(run.pk, Status.DONE, done, done, 1.0)
    transaction.on_commit(lambda: _discard_file(run.pk))
    return Status.DONE


# --- what the pages read --------------------------------------------------------------------------------------------


PASSES = {
    Status.CHECKING: _("Pass 1 of 2: checking the rows"),
    Status.IMPORTING: _("Pass 2 of 2: writing the facts"),
}


def import_progress(run: MetricImport) -> dict:
    """The run's state for its page and its status URL: status, pass, rows done and total, percent (None when the
    pass cannot tell yet), and a line of text in the reader's language."""
    seen = None
    if run.status in (Status.CHECKING, Status.IMPORTING):
        try:
            seen = cache.get(_progress_key(run.pk))
        except Exception:
            seen = None
        if seen and seen.get("phase") != run.status:
            seen = None
    done, total, fraction = run.rows_done, None, None
    if run.status == Status.CHECKING:
        done = max(done, (seen or {}).get("done") or 0)
        fraction = (seen or {}).get("fraction")
    elif run.status == Status.IMPORTING:
        total = run.rows_ok or None
        done = (seen or {}).get("done") or 0
        fraction = done / total if total else None
    elif run.status in (Status.REVIEW, Status.DONE):
        done = total = run.rows_total or run.rows_done
        fraction = 1.0
    percent = None if fraction is None else max(0, min(100, int(fraction * 100)))
    if run.status == Status.CHECKING:
        text = ngettext("%(done)s row checked", "%(done)s rows checked", done) % {"done": _n(done)}
    elif run.status == Status.IMPORTING:
        text = gettext("%(done)s of %(total)s rows written") % {"done": _n(done), "total": _n(total or 0)}
    elif run.status == Status.DONE:
        text = gettext("Done: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % {
            "created": _n(run.created),
            "updated": _n(run.updated),
            "unchanged": _n(run.unchanged),
        }
    else:
        text = str(run.get_status_display())
    if percent is not None and run.status in (Status.CHECKING, Status.IMPORTING):
        text = f"{text} · {percent}%"
    return {
        "status": run.status,
        "status_label": str(run.get_status_display()),
        "pass": str(PASSES[run.status]) if run.status in PASSES else "",
        "done": done,
        "total": total,
        "percent": percent,
        "text": text,
        "running": run.status in (Status.QUEUED, Status.CHECKING, Status.IMPORTING),
    }


def _n(value) -> str:
    """A count as the reader's language groups digits (12,345 · 12.345)."""
    return number_format(value or 0, force_grouping=True)


def issue_rows(issues) -> Iterator[dict]:
    """Issues for the report, each with its message in the reader's language."""
    for issue in issues:
        yield {
            "row": issue.row,
            "column": issue.column or (field_label(issue.params["field"]) if "field" in issue.params else ""),
            "code": issue.code,
            "message": issue_message(issue.code, issue.params),
        }
