"""The periods the portal and the dashboard show, picked in a small GET form; and the CSV download's date range.

``this month`` (by day), ``the last 3 months`` (by week), ``the last 12 months`` (by month) and a festival year
(January to December, or to today for this year, by month; the festivals' totals are those of campaigns of that
festival year). A value the form does not know is reported and the default period shown.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from brandhub.widgets import DatePicker

DEFAULT = "3m"
MAX_EXPORT_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    key: str
    start: datetime.date
    end: datetime.date
    step: str  # "day", "week" or "month": one point of the charts
    label: str
    festival_year: int

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period of the same length just before this one (for "against the previous period")."""
        end = self.start - datetime.timedelta(days=1)
        return Period(self.key, end - datetime.timedelta(days=self.days - 1), end, self.step, self.label,
                      self.festival_year - 1)  # fmt: skip


def _months_back(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month ``months`` months before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def periods(today: datetime.date, years: tuple[int, int] | None = None) -> list[Period]:
    """The periods on offer: the fixed ones, then each festival year with figures (``years``: the first and the last
    year with figures), this year always, at most six."""
    found = [
        Period("month", today.replace(day=1), today, "day", gettext("This month"), today.year),
        Period("3m", _months_back(today, 2), today, "week", gettext("Last 3 months"), today.year),
        Period("12m", _months_back(today, 11), today, "month", gettext("Last 12 months"), today.year),
    ]
    first, last = years or (today.year, today.year)
    last = max(last, today.year)
    for year in range(last, max(min(first, today.year), last - 5) - 1, -1):
        end = today if year == today.year else datetime.date(year, 12, 31)
        label = gettext("Festival year %(year)s") % {"year": year}
        found.append(Period(str(year), datetime.date(year, 1, 1), end, "month", label, year))
    return found


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), required=False)

    def __init__(self, data, *, choices: list[Period]):
        super().__init__(data, initial={"period": DEFAULT})
        self.choices = {p.key: p for p in choices}
        self.fields["period"].choices = [(p.key, p.label) for p in choices]

    @property
    def chosen(self) -> Period:
        """The chosen period; the default one when nothing (or something unknown) was chosen."""
        key = self.cleaned_data.get("period") if self.is_valid() else None
        return self.choices.get(key or DEFAULT, self.choices[DEFAULT])


def pick_period(request, today: datetime.date, years: tuple[int, int] | None = None) -> tuple[PeriodForm, Period]:
    form = PeriodForm(request.GET or None, choices=periods(today, years))
    if form.data:
        form.is_valid()
    return form, form.chosen


class DateRangeForm(forms.Form):
    """The CSV download's range: both dates included, at most three years."""

    start = forms.DateField(label=_("From"), widget=DatePicker())
    end = forms.DateField(label=_("To"), widget=DatePicker())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The end date comes before the start date."), code="order")
            if (end - start).days + 1 > MAX_EXPORT_DAYS:
                raise forms.ValidationError(_("Choose at most three years at a time."), code="too_long")
        return cleaned

    @staticmethod
    def initial_for(today: datetime.date) -> dict:
        return {"start": _months_back(today, 11), "end": today}
