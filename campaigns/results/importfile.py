"""An export's layout: where its header row is (under the title lines platforms put above it), what each column holds,
what the file lacks before it can be checked, and why a file cannot be imported — in the reader's language.

Read from the first rows only (``read_layout``): the upload page and the mapping page never read a whole file.
"""

import datetime
from dataclasses import dataclass, field
from itertools import islice

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from brandhub.sheets import FileError, SheetReader
from brandhub.sheets import message as sheet_message

from . import parsing
from .facts import field_label
from .metrics import FIELDS, METRIC_NAMES, field_for_header, normalise_header

HEAD_ROWS = 30  # the header row is looked for among the first rows
SAMPLE_ROWS = 20  # rows read after the header for the mapping page's samples
SAMPLES = 3  # sample values shown per column
FIGURE_FIELDS = frozenset((*METRIC_NAMES, "ctr"))

# What a file as a whole may lack, written in the reader's language (``problem_message``).
PROBLEMS = {
    "unknown": _("Choose what the column “%(column)s” holds, or ignore it."),
    "no_date": _("The file has no date column: choose the column that holds the date."),
    "no_brand": _("The file has no brand column: choose the column that names the brand, or a brand for every row."),
    "no_channel": _(
        "The file has no channel column: choose the column that names the channel, or a channel for every row."
    ),
    "no_figures": _("No column holds a figure (impressions, clicks, followers …): choose at least one."),
    "duplicate": _("%(columns)s are all mapped to “%(field)s”: keep one and ignore the others."),
}
# Why a run stopped, written in the reader's language (``failure_message``); the reader's codes are in sheets.
FAILURES = {
    "empty": _("The file has no rows."),
    "no_rows": _("The file has a header but no rows."),
    "header_lost": _("The header row was not found in the file any more: upload it again."),
    "file_missing": _("The uploaded file is gone from storage: upload it again."),
    "crashed": _("The import stopped on an unexpected error and wrote nothing. Try again; if it fails again, tell us."),
}


class ImportRefused(FileError):
    """A file that cannot start an import (empty, no header); ``code`` is one of ``FAILURES``."""

    def __init__(self, code: str):
        self.raw_params = {}
        super().__init__(str(FAILURES[code]), code=code)


def _text(cell) -> str:
    if isinstance(cell, datetime.datetime | datetime.date):
        return cell.isoformat()
    return str(cell).strip() if cell is not None else ""


def header_cells(row) -> list[str]:
    cells = [_text(c) for c in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def is_blank(row) -> bool:
    for cell in row:
        if isinstance(cell, str):
            if cell.strip():
                return False
        elif cell is not None:
            return False
    return True


# The totals line platforms add under the days ("合计" in the date column): a sum of rows, not a day of its own.
SUMMARY_WORDS = frozenset(("合计", "总计", "汇总", "小计", "total", "totals", "totale", "subtotal", "sum", "somma"))


def is_summary(value) -> bool:
    return isinstance(value, str) and value.strip().lower().rstrip(":：") in SUMMARY_WORDS


def columns_for(headers: list[str], mapping: dict | None) -> list[str | None]:
    """Each header's field: a field name, "" to ignore the column, None when nobody knows it yet."""
    columns = []
    for header in headers:
        if not normalise_header(header):
            columns.append("")  # a column without a name holds nothing a person could map
            continue
        columns.append(field_for_header(header, mapping))
    return columns


def _looks_like_header(row: list[str], mapping) -> bool:
    fields = {field_for_header(cell, mapping) for cell in row if cell}
    return "date" in fields and bool(fields & FIGURE_FIELDS)


def _header_index(head: list[list], mapping) -> int | None:
    """The header row among the first rows: the first naming a date and a figure; failing that (headers nobody knows
    yet), the first of the widest rows made of text — a title line above it has one cell, data rows hold numbers."""
    texts = [header_cells(row) for row in head[:HEAD_ROWS]]
    for index, cells in enumerate(texts):
        if _looks_like_header(cells, mapping):
            return index
    widths = [sum(1 for c in cells if c) for cells in texts]
    if not widths or max(widths) == 0:
        return None
    widest = max(widths)
    for index, cells in enumerate(texts):
        if widths[index] == widest and not any(_is_number(c) for c in cells if c):
            return index
    return widths.index(widest)


def _is_number(text: str) -> bool:
    try:
        parsing.parse_decimal(text)
    except ValueError:
        try:
            parsing.parse_date(text)
        except ValueError:
            return False
    return True


@dataclass
class Layout:
    """What the first rows of a file say: where the header is, its cells and their fields, and sample values."""

    header_row: int  # as a person counts rows in the file (1 = the first)
    headers: list[str]
    columns: list[str | None]
    samples: list[list[str]] = field(default_factory=list)  # per column, a few values of the first data rows
    has_rows: bool = False
    format: str = "csv"


def read_layout(handle, *, name: str, mapping: dict | None) -> Layout:
    """The layout of an uploaded file (``SheetError`` / ``ImportRefused`` when there is nothing to import)."""
    reader = SheetReader(handle, name=name)
    head = list(islice(iter(reader), HEAD_ROWS + SAMPLE_ROWS))
    index = _header_index(head, mapping)
    if index is None:
        raise ImportRefused("empty")
    headers = header_cells(head[index])
    columns = columns_for(headers, mapping)
    data = [row for row in head[index + 1 :] if not is_blank(row)]
    return Layout(
        header_row=index + 1,
        headers=headers,
        columns=columns,
        samples=samples_of(headers, data),
        has_rows=bool(data),
        format=reader.format,
    )


def samples_of(headers: list[str], rows: list[list]) -> list[list[str]]:
    samples = [[] for _ in headers]
    for row in rows:
        for position, cell in enumerate(row[: len(headers)]):
            text = _text(cell)
            if text and len(samples[position]) < SAMPLES:
                samples[position].append(text[:60])
    return samples


def problems(columns: list[str | None], headers: list[str], defaults: dict) -> list[tuple[str, dict]]:
    """What keeps a file from being checked, as codes with their values (``problem_message``)."""
    found = [("unknown", {"column": headers[i]}) for i, f in enumerate(columns) if f is None]
    mapped = [f for f in columns if f]
    if "date" not in mapped:
        found.append(("no_date", {}))
    for name in ("brand", "channel"):
        if name not in mapped and not defaults.get(name):
            found.append((f"no_{name}", {}))
    if not FIGURE_FIELDS & set(mapped):
        found.append(("no_figures", {}))
    for name in FIELDS:
        same = [headers[i] for i, f in enumerate(columns) if f == name]
        if len(same) > 1:
            found.append(("duplicate", {"field": name, "columns": same}))
    return found


def problem_message(code: str, params: dict) -> str:
    values = dict(params)
    if "field" in values:
        values["field"] = field_label(values["field"])
    if "columns" in values:
        values["columns"] = ", ".join(f"“{c}”" for c in values["columns"])
    return gettext(str(PROBLEMS[code])) % values


def failure_message(failure: dict) -> str:
    code, params = failure.get("code", ""), failure.get("params", {})
    if code in FAILURES:
        return gettext(str(FAILURES[code]))
    return sheet_message(code, params)
