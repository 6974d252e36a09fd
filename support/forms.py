from datetime import date

from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from households import access as household_access
from households.models import Household, HousingSituation
from zel.lib.forms import FrenchDecimalsMixin, VersionedFormMixin, apply_validation_error
from zel.lib.limits import SHORT_TEXT, bounded

from . import access
from .models import Appointment, BudgetCharge, BudgetDebt, Diagnosis, Intervention, PlanGoal, SupportEpisode, Theme
from .services import check_visit


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _care_circle_of(household: Household):
    return household_access.care_circle_of(household).order_by("last_name", "first_name")


class DiagnosisForm(FrenchDecimalsMixin, forms.ModelForm):
    authors = forms.ModelMultipleChoiceField(queryset=User.objects.none(), required=False,
                                             widget=forms.CheckboxSelectMultiple, label=_("Co-signataires"))

    class Meta:
        model = Diagnosis
        fields = ["kind", "done_on", "family_situation", "budget_notes", "rent_debt", "energy_debt",
                  "other_debts", "debts_notes", "rights_opened", "rights_not_claimed", "housing_type",
                  "housing_place", "housing_ties", "employment", "goals", "committee_summary",
                  "health", "mental_health", "addictions", "target_typology", "target_place", "target_max_rent"]
        widgets = {"done_on": DateInput(), **{f: forms.Textarea(attrs={"rows": 3}) for f in (
            "family_situation", "budget_notes", "debts_notes", "rights_opened", "rights_not_claimed",
            "housing_ties", "employment", "goals", "committee_summary", "health", "mental_health", "addictions")}}

    SECTIONS = [
        (_("Situation familiale"), ["family_situation"]),
        (_("Budget et dettes"), ["budget_notes", "rent_debt", "energy_debt", "other_debts", "debts_notes"]),
        (_("Droits"), ["rights_opened", "rights_not_claimed"]),
        (_("Logement adapté"), ["housing_type", "housing_place", "housing_ties"]),
        (_("Emploi et objectifs"), ["employment", "goals"]),
        (_("Synthèse pour le COPIL"), ["committee_summary"]),
        (_("Section confidentielle (santé) — cercle travailleur social / psychologue"),
         ["health", "mental_health", "addictions"]),
        (_("Co-diagnostic relogement : logement visé"), ["target_typology", "target_place", "target_max_rent"]),
    ]

    def __init__(self, *args, household: Household, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authors"].queryset = _care_circle_of(household).exclude(pk=user.pk)
        if self.instance.pk:
            self.initial["authors"] = [a.pk for a in self.instance.authors.all() if a.pk != user.pk]
        if not access.can_read_sensitive(user):
            for name in Diagnosis.SENSITIVE_FIELDS:
                del self.fields[name]

    def sections(self):
        return [(title, [self[name] for name in names if name in self.fields]) for title, names in self.SECTIONS]

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        if done_on > timezone.localdate():
            raise forms.ValidationError(_("La date du diagnostic ne peut pas être dans le futur."))
        return done_on

    def clean(self):
        data = super().clean()
        if data.get("kind") == Diagnosis.Kind.RELOCATION:
            for name in ("target_typology", "target_max_rent"):
                if not data.get(name):
                    self.add_error(name, _("Obligatoire pour un co-diagnostic relogement."))
        return data

    def domain_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "authors")}


class DiagnosisEditForm(VersionedFormMixin, DiagnosisForm):
    """The form of an existing diagnosis: under optimistic locking."""


THEME_CHOICES = Theme.choices


class VisitForm(forms.Form):
    """The one-screen visit form. Everything a doorstep visit needs, nothing more."""

    household = forms.TypedChoiceField(label=_("Ménage"), coerce=int, choices=())
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    mode = forms.ChoiceField(label=_("Mode"), choices=Intervention.Mode.choices,
                             initial=Intervention.Mode.HOME_VISIT)
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"), required=False, max_value=720,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "step": 5}),
        error_messages={"invalid": _("Indiquez une durée en minutes.")})
    themes = forms.MultipleChoiceField(label=_("Thèmes abordés"), choices=THEME_CHOICES, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    participants = forms.CharField(label=_("Participants"), required=False, max_length=200)
    summary = forms.CharField(label=_("Compte rendu"), required=False, validators=bounded(),
                              widget=forms.Textarea(attrs={"rows": 4}))
    no_show = forms.BooleanField(label=_("Ménage absent au rendez-vous"), required=False)
    planned = forms.BooleanField(label=_("Visite prévue (à venir)"), required=False)
    action_title = forms.CharField(label=_("Prochaine action"), required=False, max_length=200)
    action_due = forms.DateField(label=_("Pour le"), required=False, widget=DateInput())
    action_theme = forms.ChoiceField(label=_("Thème de l'action"), choices=[("", "—"), *THEME_CHOICES],
                                     required=False)
    # Issue 15: the next action may be an appointment with the household (reminders as consented).
    appointment_day = forms.DateField(label=_("Rendez-vous le"), required=False, widget=DateInput())
    appointment_time = forms.TimeField(label=_("à"), required=False,
                                       widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}))
    appointment_place = forms.ChoiceField(label=_("Lieu du rendez-vous"), required=False,
                                          choices=Appointment.Place.choices, initial=Appointment.Place.HOME)
    appointment_address = forms.CharField(label=_("Adresse du bureau"), required=False, max_length=200)
    # The honoured appointment this visit reports on (pre-filled from ?rendez_vous=).
    appointment = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input" if isinstance(widget, forms.CheckboxInput) else "btn-check"
            else:
                widget.attrs["class"] = "form-select" if isinstance(widget, forms.Select) else "form-control"
        self.fields["mode"].widget = forms.RadioSelect(attrs={"class": "btn-check"}, choices=Intervention.Mode.choices)
        self.household_map = {h.pk: h for h in households}
        self.fields["household"].choices = [("", "—")] + [(h.pk, str(h)) for h in households]
        self.fields["household"].error_messages["invalid_choice"] = _(
            "Ce ménage ne fait pas partie de vos dossiers.")

    def clean_duration_minutes(self):
        value = self.cleaned_data.get("duration_minutes")
        if value is not None and value <= 0:
            raise forms.ValidationError(_("La durée doit être un nombre de minutes positif."))
        return value

    def full_clean(self):
        super().full_clean()
        # Bootstrap shows an invalid field in red and screen readers read its message.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-describedby"] = f"id_{name}-error"

    def clean(self):
        data = super().clean()
        if data.get("action_title") and not data.get("action_due"):
            self.add_error("action_due", _("Indiquez une échéance pour la prochaine action."))
        if data.get("action_due") and not data.get("action_title"):
            self.add_error("action_title", _("Décrivez la prochaine action."))
        if bool(data.get("appointment_day")) != bool(data.get("appointment_time")):
            missing = "appointment_time" if data.get("appointment_day") else "appointment_day"
            self.add_error(missing, _("Indiquez la date et l'heure du rendez-vous."))
        due = data.get("action_due")
        if due and due < timezone.localdate():
            self.add_error("action_due", _("L'échéance d'une prochaine action ne peut pas être passée."))
        # The service's rules, checked here too so that every error shows at once on the phone.
        if data.get("occurred_on"):
            try:
                check_visit(occurred_on=data["occurred_on"], planned=data.get("planned", False),
                            no_show=data.get("no_show", False), summary=data.get("summary", ""),
                            duration_minutes=None)
            except forms.ValidationError as error:
                apply_validation_error(self, error, skip_fields_with_errors=True)
        return data

    @property
    def selected_household(self) -> Household | None:
        pk = self.cleaned_data.get("household") if hasattr(self, "cleaned_data") else None
        return self.household_map.get(pk)


class OfflineVisitForm(VisitForm):
    """The visit form of the offline page (issue 19): the same fields and rules, without the
    appointment booking, which needs the agenda and so a connection. Its household list is filled on
    the phone from the stored caseload; the server checks the household on receipt."""

    OFFLINE_EXCLUDED = ("appointment_day", "appointment_time", "appointment_place", "appointment_address",
                        "appointment")

    def __init__(self, *args, households=(), **kwargs):
        super().__init__(*args, households=households, **kwargs)
        for name in self.OFFLINE_EXCLUDED:
            del self.fields[name]


class VisitEditForm(forms.ModelForm):
    class Meta:
        model = Intervention
        fields = ["occurred_on", "mode", "duration_minutes", "themes", "participants", "summary",
                  "no_show", "planned"]
        widgets = {"occurred_on": DateInput()}

    themes = forms.MultipleChoiceField(label=_("Thèmes abordés"), choices=THEME_CHOICES, required=False,
                                       widget=forms.CheckboxSelectMultiple)


class AddendumForm(forms.Form):
    content = forms.CharField(label=_("Complément"), widget=forms.Textarea(attrs={"rows": 3}), validators=bounded())


class PlanGoalForm(forms.ModelForm):
    class Meta:
        model = PlanGoal
        fields = ["theme", "title", "owner", "due_on", "status"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _care_circle_of(household)
        self.fields["owner"].empty_label = _("Le ménage")


class EpisodeOpenForm(forms.Form):
    opened_on = forms.DateField(label=_("Ouvert le"), widget=DateInput(), initial=timezone.localdate)
    intensity = forms.ChoiceField(label=_("Intensité"), choices=SupportEpisode.Intensity.choices,
                                  initial=SupportEpisode.Intensity.STANDARD)


class EpisodeCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Clos le"), widget=DateInput(), initial=timezone.localdate)
    exit_reason = forms.ChoiceField(label=_("Motif de sortie"),
                                    choices=[("", "—"), *SupportEpisode.ExitReason.choices])
    housing_at_exit = forms.ChoiceField(label=_("Situation de logement à la sortie"), required=False,
                                        choices=[("", "—"), *HousingSituation.choices])


class PsychologistNoteForm(forms.Form):
    occurred_on = forms.DateField(label=_("Date de l'entretien"), widget=DateInput(), initial=timezone.localdate)
    content = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 6}), validators=bounded())

    def clean_occurred_on(self) -> date:
        value = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("La date de l'entretien ne peut pas être dans le futur."))
        return value


class ChargeForm(FrenchDecimalsMixin, forms.ModelForm):
    class Meta:
        model = BudgetCharge
        fields = ["kind", "label", "monthly_amount"]


class DebtForm(FrenchDecimalsMixin, forms.ModelForm):
    class Meta:
        model = BudgetDebt
        fields = ["kind", "creditor", "amount", "monthly_repayment"]


ChargeFormSet = inlineformset_factory(Household, BudgetCharge, form=ChargeForm, extra=1, can_delete=True)
DebtFormSet = inlineformset_factory(Household, BudgetDebt, form=DebtForm, extra=1, can_delete=True)


class HandoverForm(forms.Form):
    from_worker = forms.ModelChoiceField(label=_("Intervenant sortant"), queryset=User.objects.none())
    to_worker = forms.ModelChoiceField(label=_("Intervenant repreneur"), queryset=User.objects.none())
    households = forms.ModelMultipleChoiceField(
        label=_("Ménages à transférer"), queryset=Household.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Aucun coché : tout le portefeuille."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        workers = household_access.assignable_workers(user)
        self.fields["from_worker"].queryset = workers
        self.fields["to_worker"].queryset = workers
        self.fields["households"].queryset = household_access.visible_households(user)
        self.user = user

    def clean(self):
        data = super().clean()
        source, target = data.get("from_worker"), data.get("to_worker")
        if source and target and source.pk == target.pk:
            self.add_error("to_worker", _("Choisissez un autre intervenant que l'intervenant sortant."))
        if source:
            caseload = household_access.visible_households(self.user).filter(assigned_workers=source)
            chosen = data.get("households")
            if chosen:
                foreign = [h for h in chosen if not caseload.filter(pk=h.pk).exists()]
                if foreign:
                    self.add_error("households", _("Ces ménages ne sont pas suivis par l'intervenant sortant."))
            else:
                data["households"] = list(caseload)
                if not data["households"]:
                    self.add_error("from_worker", _("Cet intervenant n'a aucun ménage dans votre périmètre."))
        return data


class OfflineVisitResolveForm(forms.Form):
    """The decision on a visit held for review: a reason, required to set it aside (the service says so)."""

    note = forms.CharField(label=_("Motif de la décision"), required=False, validators=bounded(SHORT_TEXT),
                           widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))
    service_error_fields = {"resolution_note": "note"}
