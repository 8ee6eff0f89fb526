from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User
from .widgets import DatePicker


class UserSettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "timezone", "language"]


class UserForm(forms.ModelForm):
    """What a manager sets on an account; the password is chosen by the user through the invitation."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "timezone", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["role"].help_text = _(
            "Brand users see only the brands they are given access to (on each brand's page)."
        )
        self.fields["language"].help_text = _("Their e-mails come in this language.")


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All")), *User.Role.choices])


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Partner"), max_length=120, help_text=_("e.g. Tmall Global pavilion team"))
    scopes = forms.MultipleChoiceField(label=_("Scopes"), widget=forms.CheckboxSelectMultiple)
    brands = forms.ModelMultipleChoiceField(
        label=_("Only these brands"),
        required=False,
        queryset=None,
        help_text=_("Leave empty for every brand."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DatePicker())

    def __init__(self, *args, **kwargs):
        from brands.models import Brand

        from .models import ApiKey

        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = ApiKey.Scope.choices
        self.fields["brands"].queryset = Brand.objects.active().order_by("name_it")
