"""Form widgets shared by the apps' forms (core: knows no app)."""

from django import forms
from django.utils import translation

SELECT2_LANGUAGES = {"zh-hans": "zh-CN", "it": "it"}


class DatePicker(forms.DateInput):
    """The browser's date picker. Its value is ISO (2026-12-06) whatever the page's language: a localized value
    (2026/12/06 in Chinese, 06/12/2026 in Italian) is not one the browser accepts, and it would show the field empty
    and send it back empty."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class SearchableSelectMultiple(forms.SelectMultiple):
    """A multiple choice with type-to-search (select2, shipped with Django's admin and served from our static
    files), and "add all of a group" buttons: each option carries its group (``group_of(obj)``), e.g. a brand's
    category. Without JavaScript it stays a plain multiple select."""

    def __init__(self, *args, group_of=None, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.group_of, self.groups = group_of, list(groups)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if self.group_of and instance is not None:
            option["attrs"]["data-group"] = self.group_of(instance)
        return option

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-picker"] = "1"
        attrs["data-groups"] = "|".join(f"{value}:{label}" for value, label in self.groups)
        attrs["data-language"] = SELECT2_LANGUAGES.get(translation.get_language() or "", "en")
        return attrs

    @property
    def media(self):
        language = SELECT2_LANGUAGES.get(translation.get_language() or "")
        scripts = ["admin/js/vendor/jquery/jquery.min.js", "admin/js/vendor/select2/select2.full.min.js"]
        if language:
            scripts.append(f"admin/js/vendor/select2/i18n/{language}.js")
        return forms.Media(
            css={"all": ["admin/css/vendor/select2/select2.min.css", "css/picker.css"]},
            js=[*scripts, "js/picker.js"],
        )


class SearchableSelect(forms.Select):
    """A single choice with type-to-search (the same select2 picker as ``SearchableSelectMultiple``): a KOL among
    hundreds, found by any part of a Latin or Chinese name. Without JavaScript it stays a plain select."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-picker"] = "1"
        attrs["data-language"] = SELECT2_LANGUAGES.get(translation.get_language() or "", "en")
        return attrs

    @property
    def media(self):
        return SearchableSelectMultiple().media
