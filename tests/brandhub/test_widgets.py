"""Date pickers keep their value in every language: the browser's date input takes ISO dates only, so a localized
value (2026/12/06 in Chinese, 06/12/2026 in Italian) showed the field empty and a save sent it back empty."""

import datetime
import importlib

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from tests.campaigns.conftest import make_campaign

FORM_MODULES = (
    "brandhub.forms",
    "brands.forms",
    "campaigns.forms",
    "campaigns.kol_forms",
    "campaigns.livestream_forms",
    "campaigns.tracking.forms",
    "campaigns.results.forms.entry",
    "campaigns.results.forms.livestreams",
    "campaigns.results.periods",
)
VALUES = {"date": (datetime.date(2026, 12, 6), "2026-12-06"),
          "datetime-local": (datetime.datetime(2026, 12, 6, 20, 30), "2026-12-06T20:30")}  # fmt: skip


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _date_fields():
    for module in FORM_MODULES:
        importlib.import_module(module)
    for form in set(_subclasses(forms.BaseForm)):
        if not form.__module__.startswith(("brandhub", "brands", "campaigns")):
            continue
        for name, field in getattr(form, "base_fields", {}).items():
            if getattr(field.widget, "input_type", None) in VALUES:
                yield f"{form.__module__}.{form.__name__}.{name}", field.widget


def test_every_date_picker_of_every_form_shows_its_value_in_every_language():
    fields = list(_date_fields())
    assert len(fields) >= 12, [name for name, _widget in fields]
    wrong = []
    for language in ("zh-hans", "it", "en"):
        with translation.override(language):
            for name, widget in fields:
                value, shown = VALUES[widget.input_type]
                if f'value="{shown}"' not in widget.render("x", value):
                    wrong.append(f"{language} {name}: {widget.render('x', value)}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "it"])
def test_a_campaign_opened_for_editing_in_chinese_or_italian_keeps_its_dates(client_for, manager, brand, language):
    campaign = make_campaign(user=manager, brands=[brand])
    client = client_for(manager)
    client.cookies["django_language"] = language

    page = client.get(reverse("campaigns:campaign_update", kwargs={"pk": campaign.pk})).content.decode()

    assert f'lang="{language}"' in page
    assert f'name="starts_on" value="{campaign.starts_on.isoformat()}"' in page
    assert f'name="ends_on" value="{campaign.ends_on.isoformat()}"' in page
