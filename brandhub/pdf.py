"""Text in every language of the hub, in PDFs and SVGs: Noto Sans SC from a package, subset to what a document uses.

One place for the font, shared by the QR codes' SVG captions and PNG captions (``campaigns.tracking.qr``), the QR
sheets and table tents (``campaigns.tracking.sheets``) and the results reports (``campaigns.results.reports``).
Noto Sans SC covers Chinese, Latin (Italian accents included) and digits, so one family serves all three languages.

``CjkPdf`` is an fpdf2 document (pure Python, installs with pip) with the font in regular and bold, plus text
helpers (fit a line, wrap, shrink to fit). Its font is, when the document's texts allow it, the **base font**: a
static instance of Noto Sans SC for Latin (Italian and English), punctuation and the 6,763 characters of GB 2312
(the Chinese of brand names, titles and cities in practice), made once and kept on disk in ``VAR_DIR/fonts``; fpdf2
embeds only the glyphs a document uses. A document with a character outside it gets a font subset to its own
texts instead (about a second more). Making a static instance of the variable font is what costs (the 17 MB font
parsed, its outlines interpolated): once per machine for the base font instead of for every document.

``CjkPdf`` notes any character it was asked to measure or draw that its font lacks; ``cjk_pdf_bytes`` then draws
the document once more with a font that has them, so a caller that forgot a string still gets every glyph, never
an empty box.
"""

import functools
import hashlib
import io
import logging
import os
import string
import tempfile
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path

from fpdf import FPDF

FONT = "NotoSansSC"
ELLIPSIS = "…"
_FONT_FILE = ("fonts", "ofl", "notosanssc", "NotoSansSC[wght].ttf")
# fontTools reports every table it subsets at INFO level: dozens of lines per document in the logs.
logging.getLogger("fontTools").setLevel(logging.WARNING)
logger = logging.getLogger(__name__)


@functools.cache
def cjk_font_path() -> Path:
    """Noto Sans SC (a variable font, SIL OFL) from the ``justmytype-intl-cjk`` package: Chinese, Latin, digits."""
    path = Path(str(resources.files("justmytype_intl_cjk").joinpath(*_FONT_FILE)))
    if not path.is_file():  # pragma: no cover - a broken install
        raise FileNotFoundError(f"Noto Sans SC is missing from justmytype-intl-cjk: {path}")
    return path


def subset_characters(text: str) -> str:
    """The characters a subset for ``text`` holds: its own, printable ASCII, the space and the ellipsis (sorted, so
    the same text always gives the same cache key)."""
    return "".join(sorted(set(text) | set(string.printable.strip()) | {" ", ELLIPSIS}))


@functools.lru_cache(maxsize=32)
def _variable_subset(characters: str, layout: bool = True) -> bytes:
    return _make_variable_subset(characters, layout)


def _make_variable_subset(characters: str, layout: bool) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.notdef_outline = True
    if not layout:
        # Kerning and ligature tables: fpdf2 lays text out without them (no shaping engine), and interpolating them
        # is two thirds of the time a static instance takes.
        options.layout_features = []
        options.drop_tables += ["GSUB", "GPOS", "GDEF"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    font = TTFont(cjk_font_path())
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _static(variable: bytes, weight: int) -> bytes:
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = instancer.instantiateVariableFont(TTFont(io.BytesIO(variable)), {"wght": weight})
    # The names still say "Thin", the variable font's default instance; PDF readers show the PostScript name.
    style = {400: "Regular", 500: "Medium", 700: "Bold"}.get(weight, f"W{weight}")
    names = font["name"]
    for name_id in (16, 17, 21, 22):  # typographic and WWS names, which readers prefer to the plain ones
        names.removeNames(nameID=name_id)
    for name_id, value in ((1, "Noto Sans SC"), (2, style), (4, f"Noto Sans SC {style}"), (6, f"NotoSansSC-{style}")):
        names.removeNames(nameID=name_id)
        names.setName(value, name_id, 3, 1, 0x409)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def cjk_font_subset(text: str, weight: int = 400, *, layout: bool = True) -> bytes:
    """A small static TrueType font holding the characters of ``text`` (plus printable ASCII) at ``weight``.

    The packaged font is a 17 MB variable font. Subsetting first and fixing the weight afterwards takes about a
    second, while fixing the weight of the whole font takes half a minute; the result is a few kilobytes, to embed
    in a PDF or an SVG. The subset is cached, so a second weight of the same text costs a fraction of a second.
    ``layout=False`` leaves out the kerning and ligature tables (a PDF made by fpdf2 does not use them).
    """
    return _static(_variable_subset(subset_characters(text), layout), weight)


# --- the base font: one static instance for (nearly) every document -------------------------------------------------

BASE_VERSION = "1"  # change it when the base characters or the way the base font is made change
WEIGHTS = (("", 400), ("B", 700))


@functools.cache
def base_characters() -> str:
    """Latin with its accents, punctuation, symbols, CJK punctuation, full-width forms and GB 2312's 6,763 hanzi."""
    characters = set(string.printable.strip()) | {" ", ELLIPSIS}
    for first, last in ((0xA0, 0x24F), (0x2010, 0x205E), (0x20A0, 0x20BF), (0x2190, 0x2199), (0x2212, 0x2212),
                        (0x25A0, 0x25CF), (0x2605, 0x2606), (0x3000, 0x303F), (0xFF01, 0xFF5E)):  # fmt: skip
        characters.update(chr(code) for code in range(first, last + 1))
    for high in range(0xB0, 0xF8):  # GB 2312's hanzi: levels 1 and 2
        for low in range(0xA1, 0xFF):
            try:
                characters.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(sorted(characters))


def _fonts_dir() -> Path:
    try:
        from django.conf import settings

        folder = Path(settings.PDF_FONT_DIR)
    except Exception:  # used without Django settings
        folder = Path(tempfile.gettempdir()) / "brandhub-fonts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@functools.cache
def base_font() -> tuple[dict[str, Path], frozenset]:
    """The base font's files by style ("" and "B") and the characters it has, made on first use (some seconds,
    once per machine: written to a temporary file and renamed into place, so processes starting together at worst
    both make it)."""
    source = cjk_font_path()
    key = hashlib.sha256(f"{BASE_VERSION}|{source.stat().st_size}|{base_characters()}".encode()).hexdigest()[:16]
    folder = _fonts_dir()
    paths, variable = {}, None
    for style, weight in WEIGHTS:
        path = folder / f"{FONT}-base-{weight}-{key}.ttf"
        if not path.is_file():
            logger.info("pdf: making the base font at weight %s (once)", weight)
            data = _static(variable or (variable := _make_variable_subset(base_characters(), False)), weight)
            partial = path.with_suffix(f".{os.getpid()}.partial")
            partial.write_bytes(data)
            os.replace(partial, path)
        paths[style] = path
    return paths, _cmap(paths[""])


def _cmap(path: Path) -> frozenset:
    """The characters a font file has glyphs for."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(chr(code) for code in font.getBestCmap())


def wrap_lines(text: str, fits) -> list[str]:
    """Break ``text`` into lines that ``fits``: at spaces, and between any two characters of a word too long (CJK)."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if fits(candidate):
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:
            if line and not fits(line + char):
                lines.append(line)
                line = ""
            line += char
    if line:
        lines.append(line)
    return lines


class CjkPdf(FPDF):
    """An FPDF in millimetres with Noto Sans SC regular ("") and bold ("B"): the base font when it has every
    character of ``texts``, else a font subset to them (written to a temporary folder that lives as long as the
    document: fpdf2 reads font files lazily, up to ``output()``)."""

    def __init__(self, *, texts: Iterable[str], orientation: str = "portrait", page_format="A4"):
        super().__init__(orientation=orientation, unit="mm", format=page_format)
        self.set_creator("helloITA Brand Hub")
        wanted = subset_characters("".join(t for t in texts if t))
        paths, characters = base_font()
        self.missing: set[str] = set()  # characters asked for that the font lacks (see ``cjk_pdf_bytes``)
        if not set(wanted) <= characters:
            self._font_dir = tempfile.TemporaryDirectory(prefix="brandhub-pdf-")
            paths = {}
            for style, weight in WEIGHTS:
                paths[style] = Path(self._font_dir.name) / f"{FONT}-{weight}.ttf"
                paths[style].write_bytes(cjk_font_subset(wanted, weight, layout=False))
            characters = _cmap(paths[""])
        self.characters = characters
        for style, path in paths.items():
            self.add_font(FONT, style=style, fname=path)
        self.set_font(FONT, size=10)

    def normalize_text(self, text: str) -> str:
        # fpdf2 passes every string it measures or draws through here: the place to see what the subset lacks.
        self.missing.update(c for c in text if c not in self.characters and not c.isspace())
        return super().normalize_text(text)

    # --- text helpers ------------------------------------------------------------------------------------------

    def fit(self, text: str, width: float) -> str:
        """``text`` on one line of ``width`` mm, cut with an ellipsis if it does not fit."""
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + ELLIPSIS) > width:
            text = text[:-1]
        return text.rstrip() + ELLIPSIS

    def wrapped(self, text: str, width: float) -> list[str]:
        """``text`` broken into lines of ``width`` mm at the current font."""
        return wrap_lines(" ".join(text.split()), lambda line: self.get_string_width(line) <= width)

    def lines(self, text: str, width: float, max_lines: int) -> list[str]:
        """``text`` broken into at most ``max_lines`` lines of ``width`` mm at the current font."""
        lines = self.wrapped(text, width)
        if len(lines) > max_lines:
            lines = [*lines[: max_lines - 1], self.fit(" ".join(lines[max_lines - 1 :]), width)]
        return lines

    def size_to_fit(self, text: str, width: float, max_lines: int, start_pt: float, min_pt: float, style=""):
        """The largest size, in half points from ``start_pt`` down to ``min_pt``, that fits; None if none does."""
        size = start_pt
        while size >= min_pt:
            self.set_font(FONT, style=style, size=size)
            if len(self.wrapped(text, width)) <= max_lines:
                return size
            size -= 0.5
        return None

    def shrink_to_fit(self, text: str, width: float, max_lines: int, start_pt: float, min_pt: float, style=""):
        """A size at which ``text`` fits and its lines; past ``min_pt`` the last line is cut with an ellipsis."""
        size = self.size_to_fit(text, width, max_lines, start_pt, min_pt, style) or min_pt
        self.set_font(FONT, style=style, size=size)
        return size, self.lines(text, width, max_lines)

    def centred(self, lines: list[str], x: float, y: float, width: float, line_mm: float) -> float:
        """Draw ``lines`` centred in ``width`` from the top ``y``; return the y below them."""
        for line in lines:
            self.set_xy(x, y)
            self.cell(w=width, h=line_mm, text=line, align="C")
            y += line_mm
        return y


def cjk_pdf_bytes(draw: Callable[[CjkPdf], None], *, texts: Iterable[str], pdf_class=CjkPdf, **options) -> bytes:
    """The bytes of the document ``draw`` makes on a fresh ``pdf_class(texts=texts, **options)``.

    If the drawing used characters outside the texts (a label formatted while drawing), it is drawn once more with
    a subset that has them: the layout of the first pass measured missing glyphs, so it is not kept.
    """
    texts = list(texts)
    pdf = pdf_class(texts=texts, **options)
    draw(pdf)
    if pdf.missing:
        logger.debug("pdf: %s characters outside the subset, drawn again with them", len(pdf.missing))
        pdf = pdf_class(texts=[*texts, "".join(sorted(pdf.missing))], **options)
        draw(pdf)
    return bytes(pdf.output())
