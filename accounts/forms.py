from django import forms
from django.utils.translation import gettext_lazy as _


class OTPTokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code à 6 chiffres (ou code de secours)"), max_length=16, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True, "spellcheck": "false"}))


class OTPConfirmForm(forms.Form):
    token = forms.CharField(
        label=_("Code affiché par l'application"), max_length=8, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "spellcheck": "false"}))
