"""The shipped catalogues are complete: no untranslated or fuzzy entry, format fields (%(name)s) kept."""

import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]")


@pytest.mark.parametrize("language", ["it", "zh_Hans"])
def test_catalogue_is_complete_and_keeps_format_fields(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 300
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    for entry in catalogue.translated_entries():
        expected = set(PLACEHOLDER.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert set(PLACEHOLDER.findall(text)) == expected, entry.msgid


def test_every_string_in_the_code_is_in_both_catalogues(tmp_path):
    """``makemessages`` over a copy of the sources finds nothing untranslated: no new string ships in English."""
    import os
    import shutil
    import subprocess
    import sys

    if not shutil.which("xgettext"):
        if os.environ.get("CI") == "true":
            pytest.fail("GNU gettext (xgettext) is needed for this check: apt-get install -y gettext")
        pytest.skip("GNU gettext (xgettext) is not installed")
    root = LOCALE.parent
    copy = tmp_path / "src"
    keep = shutil.ignore_patterns(".venv", "var", "node_modules", "*.pyc", "__pycache__", "tests", "*.mo", ".git")
    shutil.copytree(root, copy, ignore=keep)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "it", "--locale", "zh_Hans", "--no-obsolete",
         "--ignore", "var/*", "-v", "0"],
        cwd=copy, check=True, env={**os.environ, "BRANDHUB_VAR_DIR": str(tmp_path / "var")},
    )  # fmt: skip
    for language in ("it", "zh_Hans"):
        catalogue = polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / "django.po"))
        missing = [e.msgid for e in catalogue.untranslated_entries()] + [e.msgid for e in catalogue.fuzzy_entries()]
        assert missing == [], f"{language}: translate these in locale/{language}/LC_MESSAGES/django.po"
