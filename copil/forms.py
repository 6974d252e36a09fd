from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from support import aid_rules
from zel.lib.limits import SHORT_TEXT, bounded

from . import access
from .models import AgendaItem, Decision, Lever, Opinion
from .services import LeverInput


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.username} ({obj.organisation or '—'})"


class ChairChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.username} ({obj.organisation or '—'})"


class SessionForm(forms.Form):
    territory = forms.ModelChoiceField(label=_("Département"), queryset=None)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    starts_at = forms.TimeField(label=_("Heure"), required=False, widget=TimeInput())
    place = forms.CharField(label=_("Lieu"), max_length=200, required=False)
    video_link = forms.URLField(label=_("Lien de visioconférence"), required=False, assume_scheme="https")
    chair = ChairChoiceField(label=_("Président(e) de séance"), queryset=None)
    members = MemberChoiceField(label=_("Membres"), queryset=None, required=False,
                                widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = access.copil_territories(user)
        self.fields["chair"].queryset = access.copil_chair_candidates()
        self.fields["members"].queryset = access.copil_member_candidates()
        if editing:
            del self.fields["territory"]

    def clean(self):
        data = super().clean()
        if not data.get("place") and not data.get("video_link"):
            self.add_error("place", _("Indiquez un lieu ou un lien de visioconférence."))
        return data


class LeverForm(forms.Form):
    """A lever asks only for what its kind is measured in (support.aid_rules): copil.js shows the
    amount or the months field for the kind chosen; the server refuses the other."""

    kind = forms.ChoiceField(label=_("Levier"), choices=[("", "—")] + list(Lever.choices), required=False)
    amount = forms.DecimalField(label=_("Montant (€)"), required=False, min_value=0, max_digits=10, decimal_places=2)
    months = forms.IntegerField(label=_("Durée (mois)"), required=False, min_value=1, max_value=60)
    note = forms.CharField(label=_("Précision"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if (data.get("amount") is not None or data.get("months") is not None) and not kind:
            self.add_error("kind", _("Choisissez le levier de ce montant."))
        if kind:
            for field, message in aid_rules.measure_errors(kind=kind, amount=data.get("amount"),
                                                           months=data.get("months")).items():
                self.add_error(field.removesuffix("_requested"), message)
        return data


LeverFormSet = forms.formset_factory(LeverForm, extra=2, max_num=10)


def lever_inputs(formset) -> list[LeverInput]:
    return [LeverInput(kind=f.cleaned_data["kind"], amount=f.cleaned_data.get("amount"),
                       months=f.cleaned_data.get("months"), note=f.cleaned_data.get("note", ""))
            for f in formset.forms if f.cleaned_data.get("kind")]


def lever_measures() -> dict[str, str]:
    """kind -> "amount" | "months" | "none", for copil.js (a data attribute: no inline script)."""
    return {kind: aid_rules.measure_of(kind) for kind in Lever.values}


class AgendaItemForm(forms.Form):
    household = forms.ModelChoiceField(label=_("Ménage"), queryset=None)
    kind = forms.ChoiceField(label=_("Objet"), choices=AgendaItem.Kind.choices)
    expected_rent = forms.DecimalField(label=_("Loyer prévu (€)"), required=False, min_value=0, decimal_places=2,
                                       help_text=_("Pour le taux d'effort après (logement proposé, mutation)."))
    expected_charges = forms.DecimalField(label=_("Charges prévues (€)"), required=False, min_value=0,
                                          decimal_places=2)
    expected_housing_benefit = forms.DecimalField(label=_("APL prévue (€)"), required=False, min_value=0,
                                                  decimal_places=2)

    def __init__(self, *args, households=None, **kwargs):
        super().__init__(*args, **kwargs)
        if households is None:
            del self.fields["household"]
        else:
            self.fields["household"].queryset = households
            self.fields["household"].label_from_instance = (
                lambda h: f"{h.reference} – {h.display_name} ({h.get_status_display()})")

    def clean(self):
        data = super().clean()
        if data.get("expected_rent") is None and (data.get("expected_charges") is not None
                                                  or data.get("expected_housing_benefit") is not None):
            self.add_error("expected_rent", _("Indiquez le loyer prévu."))
        return data


class OpinionForm(forms.Form):
    value = forms.ChoiceField(label=_("Votre avis"), choices=Opinion.Value.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              validators=bounded(SHORT_TEXT))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Décision"), choices=Decision.Outcome.choices, widget=forms.RadioSelect)
    missing = forms.CharField(label=_("Ajourné : éléments manquants"), required=False, validators=bounded(SHORT_TEXT),
                              widget=forms.Textarea(attrs={"rows": 2}))
    comes_back_on = forms.DateField(label=_("Ajourné : représenté le"), required=False, widget=DateInput())
    reason = forms.CharField(label=_("Refusé : motif"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             validators=bounded(SHORT_TEXT))

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome == Decision.Outcome.ADJOURNED and not data.get("missing", "").strip():
            self.add_error("missing", _("Indiquez ce qui manque pour décider."))
        if outcome == Decision.Outcome.REFUSED and not data.get("reason", "").strip():
            self.add_error("reason", _("Indiquez le motif du refus."))
        back = data.get("comes_back_on")
        if outcome == Decision.Outcome.ADJOURNED and back and back < timezone.localdate():
            self.add_error("comes_back_on", _("La date de retour est passée."))
        return data


class DecisionLeverForm(LeverForm):
    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind and aid_rules.has_amount(kind) and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Indiquez le montant retenu."))
        if kind and aid_rules.has_months(kind) and data.get("months") is None and "months" not in self.errors:
            self.add_error("months", _("Indiquez la durée en mois."))
        return data


DecisionLeverFormSet = forms.formset_factory(DecisionLeverForm, extra=3, max_num=10)


class CorrectionForm(DecisionForm):
    correction_reason = forms.CharField(label=_("Motif de la rectification"), validators=bounded(SHORT_TEXT),
                                        widget=forms.Textarea(attrs={"rows": 2}))


class AttendanceForm(forms.Form):
    present = MemberChoiceField(label=_("Membres présents"), queryset=None, required=False,
                                widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.models import User

        self.fields["present"].queryset = User.objects.filter(copil_memberships__session=session).select_related(
            "organisation").order_by("last_name")


class WrittenConsultationForm(forms.Form):
    household = forms.ModelChoiceField(label=_("Ménage"), queryset=None)
    closes_on = forms.DateField(label=_("Clôture des avis le"), widget=DateInput())
    chair = ChairChoiceField(label=_("Président(e)"), queryset=None)
    members = MemberChoiceField(label=_("Membres consultés"), queryset=None, widget=forms.CheckboxSelectMultiple)
    expected_rent = forms.DecimalField(label=_("Loyer prévu (€)"), required=False, min_value=0, decimal_places=2)
    expected_charges = forms.DecimalField(label=_("Charges prévues (€)"), required=False, min_value=0,
                                          decimal_places=2)
    expected_housing_benefit = forms.DecimalField(label=_("APL prévue (€)"), required=False, min_value=0,
                                                  decimal_places=2)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = (access.copil_consultation_households(user)
                                             .exclude(status__in=["ended"]).order_by("reference"))
        self.fields["household"].label_from_instance = lambda h: f"{h.reference} – {h.display_name}"
        self.fields["members"].queryset = access.copil_member_candidates()
        if access.may_choose_chair(user):
            self.fields["chair"].queryset = access.copil_chair_candidates()
        else:
            del self.fields["chair"]  # a chair opening it chairs it

    def clean_closes_on(self):
        value = self.cleaned_data["closes_on"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("La date de clôture est passée."))
        return value


def _measures_json(_formset) -> str:
    import json

    return json.dumps(lever_measures())


for _formset_class in (LeverFormSet, DecisionLeverFormSet):
    _formset_class.lever_measures_json = property(_measures_json)
