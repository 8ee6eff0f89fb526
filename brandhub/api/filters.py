"""Filter pieces every partner list uses the same way."""

import datetime

import django_filters
from django import forms


def since_in_utc(value: datetime.datetime) -> datetime.datetime:
    """An ``updated_since`` moment in UTC: PostgreSQL refuses offsets beyond ±15:59 that Python accepts (found by
    the API fuzzer), and a moment before year 1 in UTC is the earliest one."""
    try:
        return value.astimezone(datetime.UTC)
    except OverflowError:
        return datetime.datetime.min.replace(tzinfo=datetime.UTC)


MAX_ID = 2**63 - 1  # the largest id a database column holds


class IdFilter(django_filters.NumberFilter):
    """An object's id: a whole number from 1 (a NumberFilter would take 1.5 and match id 1)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
