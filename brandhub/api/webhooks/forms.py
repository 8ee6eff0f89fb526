from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from brandhub.models import OutboxEvent, WebhookDelivery


class WebhookEndpointForm(forms.Form):
    """What a manager registers for a partner. The URL is checked by the service (scheme and addresses)."""

    name = forms.CharField(label=_("Partner"), max_length=120, help_text=_("e.g. Tmall Global pavilion team"))
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("An https:// address of the partner's server; private and local addresses are refused."),
    )
    events = forms.MultipleChoiceField(
        label=pgettext_lazy("webhook", "Events"), choices=OutboxEvent.Type.choices, widget=forms.CheckboxSelectMultiple
    )
    brands = forms.ModelMultipleChoiceField(
        label=_("Only these brands"),
        required=False,
        queryset=None,
        help_text=_("Leave empty for every brand."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        required=False,
        min_length=24,
        max_length=128,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, editing=False, **kwargs):
        from brands.models import Brand

        super().__init__(*args, **kwargs)
        self.fields["brands"].queryset = Brand.objects.active().order_by("name_it")
        self.fields["secret"].help_text = (
            _("Leave empty to keep the current secret.")
            if editing
            else _("Leave empty and one is generated (shown once); or enter the one agreed with the partner.")
        )


class DeliveryFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *WebhookDelivery.State.choices]
    )
