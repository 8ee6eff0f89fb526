"""``manage.py calendar``: the year's festival dates from the festivals in the database."""

import datetime
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from campaigns.calendar import CATEGORIES, occurrences
from campaigns.models import Festival

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]

# /work/shared/CALENDAR.md, "Known Gregorian dates for checking lunar rules", 2027 column.
REFERENCE_2027 = {
    "spring-festival": "2027-02-06",
    "lantern": "2027-02-20",
    "dragon-boat": "2027-06-09",
    "qixi": "2027-08-08",
    "mid-autumn": "2027-09-15",
    "black-friday": "2027-11-26",
}


def run(*args) -> str:
    out = StringIO()
    call_command("calendar", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def run_json(*args) -> list[dict]:
    return json.loads(run(*args, "--json"))


def by_key(entries: list[dict]) -> dict[str, dict]:
    return {entry["key"]: entry for entry in entries}


class TestJson:
    def test_2027_has_the_twenty_default_festivals_with_the_reference_dates(self):
        entries = run_json("--year", "2027")
        assert len(entries) == 20
        found = by_key(entries)
        for key, date in REFERENCE_2027.items():
            assert found[key]["date"] == date, key
        assert found["golden-week"]["date"] == "2027-10-01"
        assert found["golden-week"]["end_date"] == "2027-10-07"
        assert found["double-11"]["date"] == "2027-11-11"
        assert {entry["year"] for entry in entries} == {2027}

    def test_entries_carry_the_names_dates_and_categories(self):
        entries = run_json("--year", "2027")
        for entry in entries:
            for key in ("key", "name_en", "name_zh", "date", "window_start", "window_end", "categories"):
                assert entry[key], (entry["key"], key)
            assert entry["window_start"] <= entry["date"] <= entry["window_end"]
            assert set(entry["categories"]) <= set(CATEGORIES)
        spring = by_key(entries)["spring-festival"]
        assert spring["name_zh"] == "春节"
        assert spring["name_en"] == "Spring Festival"

    def test_chinese_is_printed_as_chinese_not_escaped(self):
        output = run("--year", "2027", "--json")
        assert "春节" in output
        assert "中秋节" in output
        assert "\\u" not in output

    def test_same_as_the_engine_on_the_default_festivals_in_the_same_order(self):
        # The migration loads the defaults, so until someone edits them the database gives the engine's answer.
        for year in (1900, 2025, 2027, 2099):
            assert run_json("--year", str(year)) == [o.as_dict() for o in occurrences(year)], year

    def test_sorted_by_window_start_then_date_then_key(self):
        entries = run_json("--year", "2027")
        order = [(e["window_start"], e["date"], e["key"]) for e in entries]
        assert order == sorted(order)


class TestCategory:
    @pytest.mark.parametrize("category", CATEGORIES)
    def test_only_festivals_of_the_category(self, category):
        entries = run_json("--year", "2027", "--category", category)
        expected = [o.key for o in occurrences(2027) if category in o.spec.categories]
        assert [e["key"] for e in entries] == expected
        assert 0 < len(entries) < 20
        assert all(category in e["categories"] for e in entries)

    def test_fashion_leaves_out_food_only_festivals(self):
        keys = {e["key"] for e in run_json("--year", "2027", "--category", "fashion")}
        assert "qixi" in keys
        assert "wine-99" not in keys
        assert "mid-autumn" not in keys

    def test_unknown_category_is_refused(self):
        with pytest.raises(CommandError, match="invalid choice"):
            run("--year", "2027", "--category", "cars")

    def test_category_in_the_table(self):
        output = run("--year", "2027", "--category", "fashion")
        assert "suited to fashion" in output
        assert "wine-99" not in output


class TestYear:
    @pytest.mark.parametrize("year", ["2100", "1899", "3000"])
    def test_outside_the_range_is_a_command_error_with_the_engine_message(self, year):
        with pytest.raises(CommandError) as caught:
            run("--year", year)
        message = str(caught.value)
        assert "1900" in message
        assert "2099" in message
        assert year in message

    def test_bounds_are_covered(self):
        assert len(run_json("--year", "1900")) == 20
        assert len(run_json("--year", "2099")) == 20

    def test_not_a_number_is_refused(self):
        with pytest.raises(CommandError):
            run("--year", "next")

    def test_default_is_the_current_year_in_china(self):
        # 2026-12-31 17:00 UTC is already 2027-01-01 01:00 in Shanghai.
        now = datetime.datetime(2026, 12, 31, 17, 0, tzinfo=datetime.UTC)
        with mock.patch("django.utils.timezone.now", return_value=now):
            entries = run_json()
        assert {e["year"] for e in entries} == {2027}
        assert by_key(entries)["spring-festival"]["date"] == "2027-02-06"

    def test_default_year_before_midnight_in_china(self):
        now = datetime.datetime(2026, 12, 31, 15, 59, tzinfo=datetime.UTC)
        with mock.patch("django.utils.timezone.now", return_value=now):
            assert {e["year"] for e in run_json()} == {2026}


class TestDatabaseData:
    def test_editing_a_festival_row_changes_the_output(self):
        Festival.objects.filter(key="wine-99").update(day=8)
        wine = by_key(run_json("--year", "2027"))["wine-99"]
        assert wine["date"] == "2027-09-08"
        assert wine["window_end"] == "2027-09-08"

    def test_editing_names_and_windows_changes_the_output(self):
        Festival.objects.filter(key="qixi").update(name_zh_hans="七夕节", window_start=-7, content_due_days=10)
        qixi = by_key(run_json("--year", "2027"))["qixi"]
        assert qixi["name_zh"] == "七夕节"
        assert qixi["window_start"] == "2027-08-01"
        assert qixi["content_due"] == "2027-07-29"
        assert "七夕节" in run("--year", "2027")

    def test_a_new_festival_is_listed(self):
        Festival.objects.create(
            key="vinitaly",
            name_it="Vinitaly",
            name_en="Vinitaly",
            name_zh_hans="意大利国际葡萄酒展",
            rule_kind="nth_weekday",
            month=4,
            weekday=6,
            nth=2,
            window_start=-7,
            content_due_days=14,
            categories=["food_beverage"],
        )
        entries = run_json("--year", "2027")
        assert len(entries) == 21
        assert by_key(entries)["vinitaly"]["date"] == "2027-04-11"

    def test_deactivating_a_festival_removes_it(self):
        Festival.objects.filter(key="double-12").update(is_active=False)
        entries = run_json("--year", "2027")
        assert len(entries) == 19
        assert "double-12" not in by_key(entries)
        assert "double-12" not in run("--year", "2027")

    def test_an_inactive_anchor_still_dates_its_offset_festivals_but_is_not_listed(self):
        # The New Year goods festival is anchored on Spring Festival (an offset rule).
        assert Festival.objects.get(key="nianhuo").anchor.key == "spring-festival"
        expected = by_key(run_json("--year", "2027"))["nianhuo"]
        Festival.objects.filter(key="spring-festival").update(is_active=False)
        entries = by_key(run_json("--year", "2027"))
        assert "spring-festival" not in entries
        assert entries["nianhuo"] == expected
        assert len(entries) == 19

    def test_anchors_are_followed_through_a_chain_of_inactive_festivals(self):
        spring = Festival.objects.get(key="spring-festival")
        # "eve" is anchored on Spring Festival, "pre-eve" on "eve"; only "pre-eve" is active.
        eve = Festival.objects.create(
            key="eve", name_it="Vigilia", name_en="Eve", name_zh_hans="除夕", rule_kind="offset", anchor=spring,
            day_offset=-1, window_start=0, content_due_days=0, categories=["lifestyle"], is_active=False,
        )  # fmt: skip
        Festival.objects.create(
            key="pre-eve", name_it="Pre", name_en="Pre", name_zh_hans="小年", rule_kind="offset", anchor=eve,
            day_offset=-1, window_start=0, content_due_days=0, categories=["lifestyle"],
        )  # fmt: skip
        Festival.objects.filter(key="spring-festival").update(is_active=False)
        entries = by_key(run_json("--year", "2027"))
        assert entries["pre-eve"]["date"] == "2027-02-04"
        assert "eve" not in entries
        assert "spring-festival" not in entries

    def test_a_broken_festival_row_is_a_command_error(self):
        Festival.objects.filter(key="qixi").update(day=31)  # a lunar month has at most 30 days
        with pytest.raises(CommandError, match="qixi"):
            run("--year", "2027")

    def test_no_active_festival(self):
        Festival.objects.update(is_active=False)
        assert run_json("--year", "2027") == []
        assert "No active festivals in 2027" in run("--year", "2027")


class TestTable:
    def test_lists_keys_dates_and_chinese_names_in_aligned_columns(self):
        output = run("--year", "2027")
        lines = output.splitlines()
        assert lines[0] == "Festivals of 2027: 20"
        header, rule, *rows = lines[1:]
        assert header.split()[:3] == ["key", "festival", "window"]
        assert len(rows) == 20
        spring = next(line for line in rows if line.startswith("spring-festival "))
        assert "2027-02-06" in spring
        assert "春节" in spring
        golden = next(line for line in rows if line.startswith("golden-week "))
        assert "2027-10-01 - 2027-10-07" in golden
        # Columns start at the same place on every line (the Chinese names are last).
        column = header.index("festival")
        assert rule[column - 2 : column] == "  "
        for line in rows:
            assert line[column - 2 : column] == "  " and line[column] == "2", line
        name = header.index("name")
        assert all(line[name - 2 : name] == "  " and line[name] != " " for line in rows)

    def test_same_order_as_the_engine(self):
        rows = run("--year", "2027").splitlines()[3:]
        assert [line.split()[0] for line in rows] == [o.key for o in occurrences(2027)]


def test_command_line_error_goes_to_stderr_with_exit_code_1():
    """The range is checked before the database is touched, so the subprocess needs no migrated database."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "brandhub.settings.test"}
    result = subprocess.run(
        [sys.executable, "manage.py", "calendar", "--year", "2100"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert "The calendar covers the years 1900 to 2099; 2100 is outside." in result.stderr
    assert "Traceback" not in result.stderr
