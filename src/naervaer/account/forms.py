from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "class": "ds-input",
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].replace(" ", "").lower()


class UnlockForm(forms.Form):
    kind = forms.ChoiceField(choices=[("username", "username"), ("ip_address", "ip_address")])
    value = forms.CharField(max_length=255)
