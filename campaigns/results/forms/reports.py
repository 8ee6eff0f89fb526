"""The managers' form to send a brand's monthly report mail (again)."""

import datetime
import re
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from brands.models import Brand

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class ReportMailForm(forms.Form):
    """A brand and a month (``YYYY-MM``, as ``<input type="month">`` sends it). ``token`` is made once per form, so
    the same form posted twice sends the mails once."""

    brand = forms.ModelChoiceField(label=_("Brand"), queryset=Brand.objects.active().order_by("name_it"))
    month = forms.CharField(
        label=_("Month"),
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
        help_text=_("Year and month, e.g. 2026-11."),
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4().hex)

    def clean_month(self) -> datetime.date:
        found = MONTH.match(self.cleaned_data["month"].strip())
        if not found or not 1 <= int(found[2]) <= 12 or not 2000 <= int(found[1]) <= 2100:
            raise forms.ValidationError(_("Write the month as year and month, e.g. 2026-11."), code="invalid_month")
        return datetime.date(int(found[1]), int(found[2]), 1)
