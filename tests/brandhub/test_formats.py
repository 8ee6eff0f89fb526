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
