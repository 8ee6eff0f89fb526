"""Spreadsheets people upload, read row by row: CSV as Chinese and Italian Excel save it, and XLSX.

One reader for every import (the brand registry's, the results' file import), so every import refuses the same
wrong files with the same words and reads the same encodings:

- a file is told by its bytes, not its name: a PDF, an old ``.xls``, an image, a ZIP archive that is not a
  workbook (or a Word / OpenDocument file) or any other binary file is refused with a message naming what it is;
- CSV in UTF-8 (with or without BOM), GB18030 / GBK (Chinese Excel's "CSV") and UTF-16 (Excel's "Unicode text",
  tab-separated); the delimiter (comma, tab, semicolon, bar) is found from the first lines, even when they start
  with a title or a description before the header row, as platforms' exports do;
- XLSX: the first sheet, through openpyxl's read-only mode.

Rows are streamed: a million-row file never sits in memory. An unreadable file raises ``SheetError`` with a code
and its values (``message(code, params)`` writes it in the reader's language, e.g. later in a worker's report).
"""

import codecs
import csv
import zipfile
from collections import Counter
from collections.abc import Iterator
from itertools import islice

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CHUNK = 1 << 20  # bytes read at a time
SNIFF_LINES = 40  # lines the delimiter is guessed from

# Files people pick by mistake, told by their first bytes (GB18030 decodes almost any bytes as text).
NOT_A_SHEET = (
    (b"%PDF", "PDF"),
    (b"\xd0\xcf\x11\xe0", "XLS"),  # the old Excel format (and Word .doc)
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf", "7Z"),
    (b"\x1f\x8b", "GZIP"),
    (b"RIFF", "RIFF"),  # WebP images, WAV sounds
)
ZIP = b"PK\x03\x04"
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))

MESSAGES = {
    "not_a_sheet": _(
        "This file is not CSV or XLSX (it is a %(kind)s file). Save the sheet as CSV (UTF-8) or XLSX and upload that."
    ),
    "bad_xlsx": _("The file is not a readable XLSX workbook."),
    "bad_encoding": _("The file is neither UTF-8 nor GB18030 text, nor an XLSX workbook."),
    "bad_text": _("Row %(row)s is not %(encoding)s text like the rows before it: save the file again as CSV (UTF-8)."),
    "bad_csv": _("Row %(row)s cannot be read as CSV (%(error)s)."),
}
# Kinds of file that have a word rather than a name (the others are names: PDF, XLS, PNG ...).
KINDS = {"binary": _("binary"), "zip": _("ZIP archive"), "docx": _("Word"), "pptx": _("PowerPoint")}


def message(code: str, params: dict) -> str:
    """A stored ``SheetError`` (code and values) in the active language."""
    return str(MESSAGES[code]) % _shown(params) if code in MESSAGES else code


def _shown(params: dict) -> dict:
    return {**params, "kind": KINDS.get(params["kind"], params["kind"])} if "kind" in params else params


class FileError(ValidationError):
    """The file as a whole cannot be read (format, encoding, size, header): each import raises it for its own
    reasons too (a brand file without a slug column)."""


class SheetError(FileError):
    """The file is not a spreadsheet we read. ``code`` and ``raw_params`` (plain values) can be stored and written
    later in another reader's language with ``message``."""

    def __init__(self, code: str, **params):
        self.raw_params = params
        # Written now, in the language of the request that reads the file, as any form error is.
        super().__init__(message(code, params), code=code)


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        size = file.seek(0, 2)
        file.seek(position)
    return size


def _zip_kind(file) -> str | None:
    """None for an XLSX workbook; what else the ZIP archive is, otherwise."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "zip"
    finally:
        file.seek(0)
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return None
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("ppt/") for n in names):
        return "pptx"
    if "mimetype" in names and "content.xml" in names:
        return "OpenDocument"
    return "zip"


def _utf16_without_bom(head: bytes) -> str | None:
    """Excel's "Unicode text" has a BOM; a file saved by other tools may not: mostly-ASCII UTF-16 has a zero byte
    every second byte."""
    sample = head[: len(head) // 2 * 2][:512]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _text_encoding(file) -> str:
    """UTF-8 unless the bytes say otherwise: the first stretch with a non-ASCII character decides between UTF-8 and
    GB18030 (GBK text is practically never valid UTF-8). A file of plain ASCII is UTF-8."""
    file.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := file.read(64 * 1024):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                break
            if not chunk.isascii():
                return "utf-8"
        else:
            return "utf-8"
        try:
            chunk.decode("gb18030")
        except UnicodeDecodeError:
            # The chunk may end inside a character: only the bytes before the last few count.
            try:
                chunk[:-4].decode("gb18030")
            except UnicodeDecodeError:
                raise SheetError("bad_encoding") from None
        return "gb18030"
    finally:
        file.seek(0)


class SheetReader:
    """Rows of an uploaded file as lists of cells (text for CSV; numbers, dates and text for XLSX).

    ``format`` is ``csv`` or ``xlsx`` once the reader is made (a file that is neither raises ``SheetError``).
    Iterating reads the file from its start each time; ``fraction_read()`` tells how far the current pass got
    (by bytes for CSV, by rows against the sheet's stated size for XLSX; None when unknown).
    """

    def __init__(self, file, *, name: str = ""):
        self.file = file
        self.name = (name or getattr(file, "name", "") or "").lower()
        self.size = _size(file)
        self.encoding = self.delimiter = None
        self._read = 0
        self._total = None
        file.seek(0)
        head = file.read(4096)
        file.seek(0)
        self.format = self._sniff(head)

    def _sniff(self, head: bytes) -> str:
        kind = next((kind for magic, kind in NOT_A_SHEET if head.startswith(magic)), None)
        if kind is not None:
            raise SheetError("not_a_sheet", kind=kind)
        if head.startswith(ZIP):
            kind = _zip_kind(self.file)
            if kind is not None:
                raise SheetError("not_a_sheet", kind=kind)
            return "xlsx"
        if self.name.endswith(".xlsx"):
            raise SheetError("bad_xlsx")
        bom = next((encoding for mark, encoding in BOMS if head.startswith(mark)), None)
        if bom is None and b"\x00" in head:
            bom = _utf16_without_bom(head)
            if bom is None:
                raise SheetError("not_a_sheet", kind="binary")
        self.encoding = bom or _text_encoding(self.file)
        self.delimiter = self._find_delimiter()
        return "csv"

    # --- CSV ---------------------------------------------------------------------------------------------------

    def _lines(self) -> Iterator[str]:
        """The text's lines, each with its line end, decoded as the file is read (never the whole file)."""
        self.file.seek(0)
        decoder = codecs.getincrementaldecoder(self.encoding)()
        pending = ""
        line = 0
        while chunk := self.file.read(CHUNK):
            self._read += len(chunk)
            try:
                text = pending + decoder.decode(chunk)
            except UnicodeDecodeError:
                raise SheetError(
                    "bad_text", row=line + pending.count("\n") + 1, encoding=self._encoding_name()
                ) from None
            lines = text.split("\n")
            pending = lines.pop()
            line += len(lines)
            for one in lines:
                yield one + "\n"
        try:
            pending += decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise SheetError("bad_text", row=line + 1, encoding=self._encoding_name()) from None
        if pending:
            yield pending

    def _encoding_name(self) -> str:
        return {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "gb18030": "GB18030"}.get(self.encoding, "UTF-16")

    def _find_delimiter(self) -> str:
        """The delimiter that splits most of the first lines into the same number of cells (more than one): title
        lines before the header have one cell whatever the delimiter, so they do not count."""
        sample = list(islice(self._lines(), SNIFF_LINES))
        self._read = 0
        best, best_score = ",", (0, 0)
        for delimiter in (",", "\t", ";", "|"):
            try:
                widths = [len(row) for row in csv.reader(sample, delimiter=delimiter) if len(row) > 1]
            except csv.Error:
                continue
            if not widths:
                continue
            width, rows = Counter(widths).most_common(1)[0]
            if (rows, width) > best_score:
                best, best_score = delimiter, (rows, width)
        return best

    def _csv_rows(self) -> Iterator[list]:
        reader = csv.reader(self._lines(), delimiter=self.delimiter)
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise SheetError("bad_csv", row=reader.line_num, error=str(exc)) from None
            yield row

    # --- XLSX --------------------------------------------------------------------------------------------------

    def _xlsx_rows(self) -> Iterator[list]:
        import openpyxl

        self.file.seek(0)
        try:
            workbook = openpyxl.load_workbook(self.file, read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise SheetError("bad_xlsx") from exc
        try:
            self._total = sheet.max_row if (sheet.max_row or 0) > 1 else None
            # A writer's stated size may be short of the real one: openpyxl would stop reading there.
            sheet.reset_dimensions()
            try:
                for row in sheet.iter_rows(values_only=True):
                    self._read += 1
                    yield ["" if value is None else value for value in row]
            except Exception as exc:  # a damaged sheet part
                raise SheetError("bad_xlsx") from exc
        finally:
            workbook.close()

    # --- both --------------------------------------------------------------------------------------------------

    def __iter__(self) -> Iterator[list]:
        self._read, self._total = 0, None
        if self.format == "xlsx":
            return self._xlsx_rows()
        self._total = self.size
        return self._csv_rows()

    def fraction_read(self) -> float | None:
        if not self._total:
            return None
        return min(1.0, self._read / self._total)


def read_rows(file, *, name: str = "") -> Iterator[list]:
    """The rows of an uploaded CSV or XLSX file (``SheetError`` when it is neither, or unreadable)."""
    return iter(SheetReader(file, name=name))
