from django import forms
from django.utils.translation import gettext_lazy as _


class ErasureForm(forms.Form):
    """The manager types the file's reference: an erasure cannot be undone."""

    reference = forms.CharField(label=_("Référence du dossier, pour confirmer"), max_length=40)
    request_received_on = forms.DateField(label=_("Demande de la personne reçue le"),
                                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household

    def clean_reference(self):
        value = self.cleaned_data["reference"].strip()
        if value.upper() != (self.household.reference or str(self.household.pk)).upper():
            raise forms.ValidationError(_("La référence ne correspond pas à ce dossier."))
        return value
