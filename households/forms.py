from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zel.lib.forms import FrenchDecimalsMixin, VersionedFormMixin

from . import access
from .models import Contact, Household, HouseholdMember, Lease, Referral, Resource, TargetPublic


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _check_birth_year(year: int | None) -> int | None:
    if year is not None and year > timezone.localdate().year:
        raise forms.ValidationError(_("L'année de naissance ne peut pas être dans le futur."))
    return year


def _check_birth_date(form: forms.ModelForm) -> None:
    born, year = form.cleaned_data.get("birth_date"), form.cleaned_data.get("birth_year")
    if born and year and born.year != year:
        form.add_error("birth_date", _("La date de naissance ne correspond pas à l'année de naissance."))


class HouseholdForm(forms.ModelForm):

    class Meta:
        model = Household
        fields = ["last_name", "first_name", "birth_year", "birth_date", "sex", "phone", "track", "territory",
                  "housing_at_entry", "target_publics"]
        widgets = {"birth_date": DateInput()}

    target_publics = forms.TypedMultipleChoiceField(
        label=_("Publics prioritaires"), choices=TargetPublic.choices, required=False,
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = access.creatable_territories(user)

    def clean_birth_year(self):
        return _check_birth_year(self.cleaned_data.get("birth_year"))

    def clean_birth_date(self):
        born = self.cleaned_data.get("birth_date")
        if born is not None and born > timezone.localdate():
            raise forms.ValidationError(_("La date de naissance ne peut pas être dans le futur."))
        return born

    def clean_target_publics(self):
        # Stored in the choices' order, whatever the order of the boxes ticked.
        chosen = set(self.cleaned_data.get("target_publics") or [])
        return [code for code in TargetPublic.values if code in chosen]

    def clean(self):
        cleaned = super().clean()
        _check_birth_date(self)
        return cleaned


class HouseholdEditForm(VersionedFormMixin, HouseholdForm):
    """The household form of an existing file: under optimistic locking."""


class MemberForm(forms.ModelForm):
    class Meta:
        model = HouseholdMember
        fields = ["relation", "first_name", "last_name", "birth_year", "birth_date", "occupation"]
        widgets = {"birth_date": DateInput()}

    def clean_birth_year(self):
        return _check_birth_year(self.cleaned_data.get("birth_year"))

    def clean(self):
        data = super().clean()
        _check_birth_date(self)
        return data


class ResourceForm(FrenchDecimalsMixin, forms.ModelForm):
    class Meta:
        model = Resource
        fields = ["kind", "monthly_amount"]


MemberFormSet = inlineformset_factory(Household, HouseholdMember, form=MemberForm, extra=1, can_delete=True)
ResourceFormSet = inlineformset_factory(Household, Resource, form=ResourceForm, extra=1, can_delete=True)


class LeaseForm(FrenchDecimalsMixin, forms.ModelForm):
    class Meta:
        model = Lease
        fields = ["landlord", "reference", "address", "postcode", "commune", "typology", "financing",
                  "rent", "service_charges", "housing_benefit", "housing_benefit_recipient", "signed_on",
                  "renewed_on"]
        widgets = {"signed_on": DateInput(), "renewed_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["housing_benefit_recipient"].required = False  # empty: the landlord (third-party payment)

    def has_changed(self):
        # The recipient alone (a default choice) does not make an empty, optional lease form "filled in".
        return any(name != "housing_benefit_recipient" for name in self.changed_data)

    def clean_housing_benefit_recipient(self):
        return self.cleaned_data.get("housing_benefit_recipient") or Lease.BenefitRecipient.LANDLORD

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"]
        if not (postcode.isdigit() and len(postcode) == 5):
            raise forms.ValidationError(_("Le code postal doit comporter 5 chiffres."))
        return postcode

    def clean(self):
        data = super().clean()
        signed, renewed = data.get("signed_on"), data.get("renewed_on")
        if signed and renewed and renewed < signed:
            self.add_error("renewed_on", _("Le renouvellement ne peut pas précéder la signature du bail."))
        if data.get("housing_benefit") and data.get("rent") is not None and \
                data["housing_benefit"] > data["rent"] + (data.get("service_charges") or 0):
            self.add_error("housing_benefit", _("L'aide au logement ne peut pas dépasser le loyer et les charges."))
        return data


class ReferralForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["partner", "referrer_name", "referred_on", "reason"]
        widgets = {"referred_on": DateInput(), "reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = access.referral_partners()
        self.fields["referred_on"].initial = timezone.localdate

    def clean_referred_on(self):
        referred_on = self.cleaned_data["referred_on"]
        if referred_on > timezone.localdate():
            raise forms.ValidationError(_("La date d'orientation ne peut pas être dans le futur."))
        return referred_on


class ReferralIntakeForm(ReferralForm):
    """A referral for a new household: identity first, so that a likely duplicate can be offered."""

    last_name = forms.CharField(label=_("Nom"), max_length=80)
    first_name = forms.CharField(label=_("Prénom"), max_length=80)
    birth_year = forms.IntegerField(label=_("Année de naissance"), min_value=1900)
    track = forms.ChoiceField(label=_("Volet"), choices=Household._meta.get_field("track").choices)
    territory = forms.ModelChoiceField(label=_("Département"), queryset=None)
    confirm_new = forms.BooleanField(
        label=_("Il s'agit bien d'un nouveau ménage"), required=False, widget=forms.HiddenInput)

    field_order = ["last_name", "first_name", "birth_year", "track", "territory",
                   "partner", "referrer_name", "referred_on", "reason"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = access.creatable_territories(user)

    def clean_birth_year(self):
        return _check_birth_year(self.cleaned_data.get("birth_year"))

    def clean(self):
        data = super().clean()
        _check_birth_date(self)
        return data


class AssignmentForm(forms.Form):
    workers = forms.ModelMultipleChoiceField(label=_("Intervenants"), queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workers"].queryset = access.assignable_workers(user)


class ContactForm(forms.ModelForm):
    """A phone number (French by default, checked by phonenumbers) and/or an e-mail address, and the
    person's consent to reminders, per channel."""

    sms_consent = forms.BooleanField(label=_("Accepte les rappels de rendez-vous par SMS"), required=False)
    email_consent = forms.BooleanField(label=_("Accepte les rappels de rendez-vous par e-mail"), required=False)

    class Meta:
        model = Contact
        fields = ["member", "phone", "email"]

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = household.members.all()
        self.fields["member"].empty_label = _("Titulaire du bail (%(name)s)") % {"name": household.first_name}
        self.fields["phone"].error_messages["invalid"] = _(
            "Ce numéro de téléphone n'est pas valide (exemple : 06 12 34 56 78).")
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        if self.instance.pk:
            self.fields["sms_consent"].initial = bool(self.instance.sms_consent_at)
            self.fields["email_consent"].initial = bool(self.instance.email_consent_at)

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email") and not self.errors:
            raise forms.ValidationError(_("Indiquez un numéro de téléphone ou une adresse e-mail."))
        return data
