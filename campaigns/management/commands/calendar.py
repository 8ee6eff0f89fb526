"""``manage.py calendar --year 2027 [--json] [--category food_beverage]``: the year's festivals from the database.

The festivals are the editable rows of :class:`campaigns.models.Festival` (active ones only), turned into dates by
the rule engine :mod:`campaigns.calendar`. An active festival anchored on an inactive one (an offset rule) still
gets its dates: the anchor is passed to the engine too, but is not listed.
"""

import datetime
import json
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaigns.calendar import CATEGORIES, MAX_YEAR, MIN_YEAR, CalendarError, FestivalSpec, check_year, occurrences
from campaigns.models import Festival

# The shopping calendar is China's: "this year" is the year in Shanghai (on Dec 31 from 16:00 UTC it is already
# the next year there).
CHINA = ZoneInfo("Asia/Shanghai")


def current_year() -> int:
    return timezone.now().astimezone(CHINA).year


def database_specs() -> tuple[list[FestivalSpec], set[str]]:
    """The specs of the active festivals plus, transitively, the inactive festivals they are anchored on.

    Returns ``(specs, listed_keys)``: every spec the engine needs, and the keys of the active festivals (the ones
    to show).
    """
    specs = Festival.objects.active().specs()
    listed = {spec.key for spec in specs}
    known = set(listed)
    missing = {s.rule.anchor for s in specs if s.rule.anchor and s.rule.anchor not in known}
    while missing:
        anchors = Festival.objects.filter(key__in=missing).specs()
        if not anchors:
            break  # the engine names the missing anchor
        specs.extend(anchors)
        known.update(spec.key for spec in anchors)
        missing = {s.rule.anchor for s in anchors if s.rule.anchor and s.rule.anchor not in known}
    return specs, listed


def _span(first: datetime.date, last: datetime.date) -> str:
    return first.isoformat() if first == last else f"{first.isoformat()} - {last.isoformat()}"


class Command(BaseCommand):
    help = (
        f"List the festival dates of a year ({MIN_YEAR}-{MAX_YEAR}) from the festivals in the database:"
        " festival day, campaign window and deadlines."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help=f"Year to list, {MIN_YEAR} to {MAX_YEAR} (default: the current year in China).",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print a JSON list of occurrences (dates as YYYY-MM-DD) instead of a table.",
        )
        parser.add_argument(
            "--category",
            choices=CATEGORIES,
            default=None,
            help="Only the festivals that suit this category.",
        )

    def handle(self, *args, **options):
        year = current_year() if options["year"] is None else options["year"]
        category = options["category"]
        try:
            check_year(year)  # before touching the database
            specs, listed = database_specs()
            found = occurrences(year, specs)
        except CalendarError as exc:
            raise CommandError(str(exc)) from exc
        found = [o for o in found if o.key in listed and (category is None or category in o.spec.categories)]
        if options["json"]:
            self._write_json(found)
        else:
            self._write_table(year, category, found)

    def _write_json(self, found) -> None:
        self.stdout.write(json.dumps([o.as_dict() for o in found], ensure_ascii=False, indent=2))

    def _write_table(self, year, category, found) -> None:
        suffix = f" suited to {category}" if category else ""
        if not found:
            self.stdout.write(f"No active festivals in {year}{suffix}.")
            return
        headers = ("key", "festival", "window", "peak", "content due", "ship by", "name")
        rows = [
            (
                o.key,
                _span(o.date, o.end_date),
                _span(o.window_start, o.window_end),
                o.peak.isoformat(),
                o.content_due.isoformat(),
                o.ship_by.isoformat() if o.ship_by else "-",
                f"{o.spec.name_zh} {o.spec.name_en}".strip(),
            )
            for o in found
        ]
        # Every column but the last holds ASCII only, so padding aligns them; the names (Chinese) come last.
        widths = [max(len(row[i]) for row in (headers, *rows)) for i in range(len(headers) - 1)]

        def line(row) -> str:
            return "  ".join([*(cell.ljust(width) for cell, width in zip(row, widths, strict=False)), row[-1]])

        self.stdout.write(f"Festivals of {year}{suffix}: {len(found)}")
        self.stdout.write(line(headers))
        self.stdout.write(line(["-" * width for width in widths] + ["-" * 4]))
        for row in rows:
            self.stdout.write(line(row))
