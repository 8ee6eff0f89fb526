"""Serves plotly.js from the ``plotly`` package's wheel as one of our static files: ``vendor/plotly/plotly.min.js``.

The charts library comes from PyPI (``plotly`` ships the built plotly.js in ``plotly/package_data``), so it is never
copied into the repository and never loaded from a third-party host: ``collectstatic`` copies it next to our own
files (hashed and compressed by whitenoise like them), and the development server finds it here. Only that one file
is exposed — not the package's data sets, templates or widget bundle, which a ``STATICFILES_DIRS`` entry pointing at
the folder would publish too.
"""

import functools
import re
from pathlib import Path

from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

PREFIX = "vendor/plotly"
FILE_NAME = "plotly.min.js"
STATIC_PATH = f"{PREFIX}/{FILE_NAME}"


def package_data() -> Path | None:
    """The folder holding the installed plotly.js, None when the ``plotly`` package is missing."""
    try:
        import plotly
    except ImportError:
        return None
    return Path(plotly.__file__).resolve().parent / "package_data"


# A bundled library's stylesheet injected as <style id="<hash>"> unless an element with that id exists already
# (maplibre-gl's, in plotly.js 4: map traces, which we do not draw).
_GUARDED_STYLE = re.compile(r'getElementById\("([^"]+)"\)\)\{var [\w$]+=document\.createElement\("style"\)')


@functools.cache
def style_guards() -> tuple[str, ...]:
    """The ids whose presence in the page stops plotly.js's bundle from injecting an inline <style> at load.

    Our CSP (style-src 'self') refuses inline styles, and the browser reports each refusal; a page with charts
    writes an empty element with each of these ids (results/_chart_assets.html), so nothing is injected. plotly's
    own rules are skipped the documented way instead (``.no-inline-styles``): see static/css/charts.css. Read from
    the installed file, so a new plotly.js brings its ids along.
    """
    folder = package_data()
    if folder is None or not (folder / FILE_NAME).is_file():
        return ()
    return tuple(dict.fromkeys(_GUARDED_STYLE.findall((folder / FILE_NAME).read_text(encoding="utf-8"))))


class PlotlyFinder(BaseFinder):
    """Finds ``vendor/plotly/plotly.min.js`` and nothing else."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.folder = package_data()
        self.storage = None
        if self.folder is not None:
            self.storage = FileSystemStorage(location=self.folder)
            self.storage.prefix = PREFIX  # collectstatic writes the file under this folder

    def check(self, **kwargs):
        if self.folder is None or not (self.folder / FILE_NAME).is_file():
            return [
                Error(
                    "plotly.js was not found: the charts need the 'plotly' package (pip install -e .).",
                    id="results.E001",
                )
            ]
        return []

    def find(self, path, find_all=False, **kwargs):
        if path != STATIC_PATH or self.folder is None or not (self.folder / FILE_NAME).is_file():
            return [] if find_all else None
        found = str(self.folder / FILE_NAME)
        return [found] if find_all else found

    def list(self, ignore_patterns):
        if self.storage is not None and self.storage.exists(FILE_NAME):
            yield FILE_NAME, self.storage
