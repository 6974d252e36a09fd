from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Territory
from zel.lib.formats import format_date
from zel.lib.forms import FrenchDecimalsMixin, VersionedFormMixin
from zel.lib.limits import SHORT_TEXT, bounded
from zel.lib.uploads import validate_pdf, validate_text_upload

from . import access
from . import dsf as dsf_spec
from .models import EventType, Outcome, RepaymentPlan, Stage

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProcedureFilterForm(forms.Form):
    q = forms.CharField(label=_("Bail ou nom"), required=False)
    landlord = forms.ModelChoiceField(label=_("Bailleur"), required=False, queryset=Organisation.objects.none(),
                                      empty_label=_("Tous"))
    departement = forms.ModelChoiceField(label=_("Département"), required=False, to_field_name="code",
                                         queryset=Territory.objects.all(), empty_label=_("Tous"))
    stage = forms.ChoiceField(label=_("Étape"), required=False, choices=[("", _("Toutes")), *Stage.choices])
    within = forms.TypedChoiceField(label=_("Prochaine échéance"), required=False, coerce=int, empty_value=None,
                                    choices=[("", _("Toutes")), (15, _("Sous 15 jours")),
                                             (30, _("Sous 30 jours")), (90, _("Sous 3 mois"))])

    def __init__(self, *args, landlords=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["landlord"].queryset = landlords if landlords is not None else Organisation.objects.none()


class ProcedureOpenForm(forms.Form):
    lease = forms.ModelChoiceField(label=_("Bail"), queryset=None)
    opened_on = forms.DateField(label=_("Ouverte le"), widget=DATE)
    bailiff = forms.ModelChoiceField(label=_("Commissaire de justice mandaté"), required=False, queryset=None)

    def __init__(self, *args, leases, bailiffs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lease"].queryset = leases
        self.fields["bailiff"].queryset = bailiffs


class BailiffForm(forms.Form):
    bailiff = forms.ModelChoiceField(label=_("Commissaire de justice mandaté"), required=False, queryset=None,
                                     empty_label=_("Aucun (retirer le mandat)"))

    def __init__(self, *args, bailiffs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bailiff"].queryset = bailiffs

    def clean_bailiff(self):
        # Removing the mandate is a choice the user makes in the list, never what a request without
        # the field (a truncated or hand-made POST) does.
        if self.add_prefix("bailiff") not in self.data:
            raise forms.ValidationError(_("Choisissez un commissaire de justice, ou « Aucun » pour retirer le mandat."))
        return self.cleaned_data["bailiff"]


def bailiff_choices():
    return access.bailiff_candidates()


# Steps a procedure normally has once: recording one again asks for confirmation, saying what exists.
ONCE_ONLY_STEPS = frozenset({
    EventType.IMPAYE_CONSTITUE, EventType.COMMANDEMENT_DE_PAYER, EventType.ASSIGNATION, EventType.JUGEMENT,
    EventType.SIGNIFICATION_JUGEMENT, EventType.COMMANDEMENT_DE_QUITTER, EventType.DEMANDE_CFP,
    EventType.EXPULSION_REALISEE, EventType.CLOTURE,
})


class EventForm(VersionedFormMixin, FrenchDecimalsMixin, forms.Form):
    type = forms.ChoiceField(label=_("Étape"))
    occurred_on = forms.DateField(label=_("Date de l'acte"), widget=DATE)
    hearing_on = forms.DateField(label=_("Date d'audience"), required=False, widget=DATE,
                                 help_text=_("Obligatoire pour une assignation ou un renvoi."))
    months = forms.IntegerField(label=_("Durée (mois)"), required=False, min_value=0, max_value=60,
                                help_text=_("Délais de paiement du jugement (0 à 36), délais du JEX (1 à 12), "
                                            "durée du protocole."))
    debt_amount = forms.DecimalField(label=_("Dette à cette date (€)"), required=False, min_value=0,
                                     max_digits=12, decimal_places=2)
    outcome = forms.ChoiceField(label=_("Issue (clôture)"), required=False, choices=[("", "—"), *Outcome.choices])
    note = forms.CharField(label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           validators=bounded(SHORT_TEXT))
    document = forms.FileField(label=_("Acte signifié (PDF)"), required=False)
    confirm_duplicate = forms.BooleanField(label=_("Je confirme : enregistrer quand même cette étape une seconde fois"),
                                           required=False)

    def __init__(self, *args, allowed_types, existing_events=(), **kwargs):
        """`existing_events`: the procedure's events (type, occurred_on, hearing_on), so that a step
        done once already (a second assignation, a second judgment) asks for confirmation."""
        super().__init__(*args, **kwargs)
        labels = dict(EventType.choices)
        self.fields["type"].choices = [("", "—")] + [(t, labels[t]) for t in allowed_types]
        self.existing = [e for e in existing_events if e.type in ONCE_ONLY_STEPS]
        # The confirmation box only shows once a duplicate was submitted.
        if not (self.is_bound and self._same_type_as(self.data.get("type"))):
            del self.fields["confirm_duplicate"]

    def _same_type_as(self, kind) -> list:
        return [e for e in self.existing if e.type == kind]

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            validate_pdf(document)
        return document

    def clean(self):
        data = super().clean()
        kind = data.get("type")
        if kind in (EventType.ASSIGNATION, EventType.AUDIENCE_RENVOYEE) and not data.get("hearing_on"):
            self.add_error("hearing_on", _("Indiquez la date d'audience."))
        if kind == EventType.DELAIS_JEX and not data.get("months"):
            self.add_error("months", _("Indiquez la durée des délais accordés (1 à 12 mois)."))
        if kind == EventType.CLOTURE and not data.get("outcome"):
            self.add_error("outcome", _("Indiquez l'issue de la procédure."))
        same = self._same_type_as(kind)
        if same and "confirm_duplicate" in self.fields and not data.get("confirm_duplicate"):
            done = ", ".join(
                _("le %(date)s") % {"date": format_date(e.occurred_on)}
                + (" " + _("(audience le %(date)s)") % {"date": format_date(e.hearing_on)} if e.hearing_on else "")
                for e in same)
            self.add_error("confirm_duplicate", _(
                "Cette procédure a déjà cette étape (%(type)s) : enregistrée %(done)s. Cochez la case pour en "
                "enregistrer une seconde, ou annulez.") % {"type": EventType(kind).label.lower(), "done": done})
        return data


class RentImportForm(forms.Form):
    file = forms.FileField(label=_("Export du compte locataire (CSV)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_text_upload(upload)
        return upload


class PlanForm(FrenchDecimalsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Nature"), choices=RepaymentPlan.Kind.choices)
    total_debt = forms.DecimalField(label=_("Dette à apurer (€)"), min_value=0, max_digits=12, decimal_places=2)
    starts_on = forms.DateField(label=_("Première échéance"), widget=DATE)
    months = forms.IntegerField(label=_("Nombre d'échéances mensuelles"), min_value=1, max_value=120)


def _dsf_field(entry):
    if entry.kind == "date":
        return forms.DateField(label=entry.label, required=False, widget=DATE)
    if entry.kind == "choice":
        return forms.ChoiceField(label=entry.label, required=False, choices=[("", "—"), *entry.choices])
    if entry.kind == "amount":
        return forms.DecimalField(label=entry.label, required=False, min_value=0, max_digits=9, decimal_places=2)
    if entry.kind == "text":
        return forms.CharField(label=entry.label, required=False, max_length=200)
    return forms.CharField(label=entry.label, required=False, validators=bounded(),
                           widget=forms.Textarea(attrs={"rows": 3}))


class _DsfFormBase(VersionedFormMixin, FrenchDecimalsMixin, forms.Form):
    def sections(self):
        """(section, bound fields) in the decree's order, for the template."""
        return [(section, [self[e.name] for e in section.entries]) for section in dsf_spec.SECTIONS]


# The worker's entries of the DSF, section by section (litigation.dsf.SECTIONS), declared once from
# the specification so that the form, the page and the PDF cannot drift apart.
DsfForm = type("DsfForm", (_DsfFormBase,), {entry.name: _dsf_field(entry) for entry in dsf_spec.ENTRIES})


class DsfSendingForm(forms.Form):
    sent_to_court_on = forms.DateField(label=_("Envoyé au juge le"), required=False, widget=DATE)
    sent_to_ccapex_on = forms.DateField(label=_("Envoyé à la CCAPEX le"), required=False, widget=DATE)
    sent_to_tenant_on = forms.DateField(label=_("Envoyé au locataire le"), required=False, widget=DATE)
    sent_to_landlord_on = forms.DateField(label=_("Envoyé au bailleur le"), required=False, widget=DATE)
