from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class UserSettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "timezone"]


class UserForm(forms.ModelForm):
    """What a manager sets on an account; the password is chosen by the user through the invitation."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "timezone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["role"].help_text = _(
            "Brand users see only the brands they are given access to (on each brand's page)."
        )


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All")), *User.Role.choices])
