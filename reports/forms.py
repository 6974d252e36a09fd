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


class DashboardForm(forms.Form):
    """Any period and territory within the manager's scope (issue 16)."""

    start = forms.DateField(label=_("Du"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("Au"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    territory = forms.ChoiceField(label=_("Département"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.territories = {t.code: t for t in access.dashboard_territories(user)}
        self.fields["territory"].choices = [("", _("Tous mes départements"))] + [
            (code, str(t)) for code, t in self.territories.items()]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("La fin de la période précède son début."))
        if start and start < quarters.PROGRAMME_START:
            self.add_error("start", _("Le programme a commencé le %(date)s.")
                           % {"date": quarters.PROGRAMME_START.strftime("%d/%m/%Y")})
        return cleaned

    def territory_codes(self) -> list[str]:
        code = self.cleaned_data.get("territory")
        return [code] if code else list(self.territories)


def dashboard_initial(today=None) -> dict:
    today = today or timezone.localdate()
    start, _end = quarters.bounds(quarters.of(today))
    return {"start": start.isoformat(), "end": today.isoformat(), "territory": ""}
