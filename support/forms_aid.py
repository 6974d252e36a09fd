"""Forms of aid applications and the document vault (issue 14)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import access, aid_rules
from .aid_rules import AidKind, Nature
from .models_aid import Document


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class _MeasureMixin:
    """Only what the kind is measured in: an amount, months, or nothing (refused next to the field)."""

    def check_measure(self, kind: str, data: dict) -> None:
        errors = aid_rules.measure_errors(kind=kind, amount=data.get("amount_requested"),
                                          months=data.get("months_requested"))
        for field, message in errors.items():
            self.add_error(field, message)


class AidApplicationForm(_MeasureMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Aide"), choices=[("", "—"), *AidKind.choices])
    examining_body = forms.CharField(label=_("Organisme instructeur"), max_length=120, required=False,
                                     help_text=_("Laissé vide : l'organisme habituel de cette aide."))
    nature = forms.ChoiceField(label=_("Forme"), required=False,
                               choices=[("", "—"), (Nature.GRANT, Nature.GRANT.label),
                                        (Nature.LOAN, Nature.LOAN.label)])
    amount_requested = forms.DecimalField(label=_("Montant demandé (€)"), required=False, min_value=0,
                                          max_digits=10, decimal_places=2)
    months_requested = forms.IntegerField(label=_("Durée demandée (mois)"), required=False, min_value=1,
                                          max_value=60)
    commission_on = forms.DateField(label=_("Date de commission"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Précision"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("kind"):
            self.check_measure(data["kind"], data)
        return data


class AidApplicationEditForm(_MeasureMixin, forms.Form):
    examining_body = forms.CharField(label=_("Organisme instructeur"), max_length=120, required=False)
    nature = AidApplicationForm.base_fields["nature"]
    amount_requested = AidApplicationForm.base_fields["amount_requested"]
    months_requested = AidApplicationForm.base_fields["months_requested"]
    commission_on = forms.DateField(label=_("Date de commission"), required=False, widget=DateInput())
    lodged_on = forms.DateField(label=_("Déposée le"), required=False, widget=DateInput())
    missing_papers = forms.CharField(label=_("Pièces manquantes"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Précision"), max_length=200, required=False)

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        if not aid_rules.has_amount(application.kind):
            del self.fields["amount_requested"]
            del self.fields["nature"]
        if not aid_rules.has_months(application.kind):
            del self.fields["months_requested"]

    def clean(self):
        data = super().clean()
        self.check_measure(self.application.kind, data)
        return data


class AidTransitionForm(forms.Form):
    """The next step of the chain, with only the facts that step and this kind need."""

    status = forms.ChoiceField(label=_("Nouveau statut"))
    on = forms.DateField(label=_("Date"), required=False, widget=DateInput(),
                         help_text=_("Dépôt, décision ou versement ; aujourd'hui si vide."))
    amount_granted = forms.DecimalField(label=_("Montant accordé (€)"), required=False, min_value=0,
                                        max_digits=10, decimal_places=2)
    months_granted = forms.IntegerField(label=_("Durée accordée (mois)"), required=False, min_value=1,
                                        max_value=60)
    amount_paid = forms.DecimalField(label=_("Montant versé (€)"), required=False, min_value=0, max_digits=10,
                                     decimal_places=2)
    reason = forms.CharField(label=_("Motif (refus, ajournement, clôture)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    missing_papers = forms.CharField(label=_("Pièces manquantes"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(aid_rules.Status.choices)
        # Any status may be posted: the service refuses, in French, what the chain does not allow.
        self.fields["status"].choices = list(aid_rules.Status.choices)
        self.fields["status"].widget.choices = [(s, labels[s]) for s in application.allowed_next()]
        if not aid_rules.has_amount(application.kind):
            del self.fields["amount_granted"]
            del self.fields["amount_paid"]
        if not aid_rules.has_months(application.kind):
            del self.fields["months_granted"]


class TagsField(forms.CharField):
    def to_python(self, value):
        text = super().to_python(value) or ""
        return [t.strip() for t in text.split(",") if t.strip()]

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value


class CameraFileInput(forms.ClearableFileInput):
    """On a phone the camera opens directly (capture); on a computer, the file chooser."""

    def __init__(self, attrs=None):
        base = {"accept": "image/*,application/pdf", "capture": "environment"}
        super().__init__(attrs={**base, **(attrs or {})})


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document (photo ou PDF, 10 Mo au plus)"), widget=CameraFileInput,
                           allow_empty_file=True)
    kind = forms.ChoiceField(label=_("Type de document"), choices=[("", "—"), *Document.Kind.choices])
    title = forms.CharField(label=_("Intitulé"), max_length=150, required=False)
    tags = TagsField(label=_("Étiquettes"), required=False, help_text=_("Séparées par des virgules."))
    valid_until = forms.DateField(label=_("Valable jusqu'au"), required=False, widget=DateInput())
    confidential = forms.BooleanField(label=_("Confidentiel (travailleurs sociaux et psychologues du ménage)"),
                                      required=False)
    aid_applications = forms.ModelMultipleChoiceField(label=_("Demandes d'aide"), queryset=None, required=False,
                                                      widget=forms.CheckboxSelectMultiple)
    procedures = forms.ModelMultipleChoiceField(label=_("Procédures"), queryset=None, required=False,
                                                widget=forms.CheckboxSelectMultiple)
    dsfs = forms.ModelMultipleChoiceField(label=_("DSF"), queryset=None, required=False,
                                          widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, household, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        from zel import providers

        self.fields["aid_applications"].queryset = access.visible_aid_applications(user).filter(household=household)
        procedures = providers.get(providers.VISIBLE_PROCEDURES)(user)
        self.fields["procedures"].queryset = procedures.filter(household=household).select_related("lease")
        self.fields["procedures"].label_from_instance = lambda p: p.lease.reference
        self.fields["dsfs"].queryset = providers.get(providers.VISIBLE_DSFS)(user).filter(household=household)
        self.fields["dsfs"].label_from_instance = (
            lambda d: _("DSF, audience du %(d)s") % {"d": d.hearing_on.strftime("%d/%m/%Y") if d.hearing_on else "—"})
        if not access.can_mark_confidential(user):
            del self.fields["confidential"]
        if editing:
            del self.fields["file"]
