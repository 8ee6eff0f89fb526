"""Numbers read as the readers' other tools write them: 1,168,826 in Chinese as on the platforms' back offices
(Django's zh-hans default writes 1168826), 1.168.826 in Italian."""

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context, Template
from django.utils import translation


@pytest.mark.parametrize(("language", "shown"), [("zh-hans", "1,168,826"), ("it", "1.168.826"), ("en", "1,168,826")])
def test_large_numbers_are_grouped_in_every_language(language, shown):
    with translation.override(language):
        assert intcomma(1168826) == shown
        assert Template("{% load humanize %}{{ n|intcomma }}").render(Context({"n": 1168826})) == shown


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("DATE_FORMAT", "1 dicembre 2026"),
        ("DATETIME_FORMAT", "1 dicembre 2026, 14:30"),
        ("YEAR_MONTH_FORMAT", "dicembre 2026"),
        ("MONTH_DAY_FORMAT", "1 dicembre"),
        ("SHORT_DATE_FORMAT", "01/12/2026"),
    ],
)
def test_italian_dates_write_months_in_lower_case(name, shown):
    """Django's Italian catalogue capitalises months ("01 Dicembre 2026"); Italian does not."""
    import datetime

    from django.utils import formats

    with translation.override("it"):
        assert formats.date_format(datetime.datetime(2026, 12, 1, 14, 30), name) == shown
        page = Template('{{ day|date:"DATE_FORMAT" }}').render(Context({"day": datetime.date(2027, 7, 22)}))
        assert page == "22 luglio 2027"
