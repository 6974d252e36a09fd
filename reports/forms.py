from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import access, quarters


def quarter_choices(today=None, n: int = 8) -> list[tuple[str, str]]:
    """The last n finished quarters, most recent first."""
    last = quarters.previous(quarters.of(today or timezone.localdate()))
    return [(q, quarters.label(q)) for q in reversed(quarters.last_n(last, n))]


class ReportRequestForm(forms.Form):
    quarter = forms.ChoiceField(label=_("Trimestre"))
    scope = forms.ChoiceField(label=_("Périmètre"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = quarter_choices()
        self.scopes = {("all" if t is None else t.code): t for t in access.requestable_territories(user)}
        self.fields["scope"].choices = [
            (key, _("Ensemble du programme") if t is None else str(t)) for key, t in self.scopes.items()]

    def clean_scope(self):
        return self.scopes[self.cleaned_data["scope"]]
