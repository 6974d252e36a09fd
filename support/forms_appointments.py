"""Forms of appointments (issue 15). Field names differ from the model's where a phone needs it: a
day and two times rather than two date-times; `FIELD_OF` maps the services' errors back."""

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.models import Household

from .forms import DateInput, _care_circle_of
from .models import Appointment

# Service error keys -> form fields.
FIELD_OF = {"starts_at": "day", "ends_at": "end_time"}


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def aware(day, at) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


class AppointmentForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Début"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Fin"), widget=TimeInput())
    place = forms.ChoiceField(label=_("Lieu"), choices=Appointment.Place.choices, initial=Appointment.Place.HOME,
                              widget=forms.RadioSelect)
    office_address = forms.CharField(label=_("Adresse du bureau"), required=False, max_length=200)
    workers = forms.ModelMultipleChoiceField(label=_("Intervenants"), queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    purpose = forms.CharField(label=_("Objet (interne, jamais envoyé au ménage)"), required=False, max_length=200)
    reminders_enabled = forms.BooleanField(label=_("Envoyer des rappels au ménage (SMS / e-mail)"), required=False,
                                           initial=True)
    service_error_fields = {"starts_at": "day", "ends_at": "end_time"}

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workers"].queryset = _care_circle_of(household)
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.CheckboxInput):
                continue
            field.widget.attrs["class"] = "form-control"

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("start_time") and data.get("end_time"):
            data["starts_at"] = aware(data["day"], data["start_time"])
            data["ends_at"] = aware(data["day"], data["end_time"])
        return data

    def domain_data(self) -> dict:
        d = self.cleaned_data
        return {"starts_at": d["starts_at"], "ends_at": d["ends_at"], "place": d["place"],
                "office_address": d["office_address"], "purpose": d["purpose"],
                "reminders_enabled": d["reminders_enabled"]}

    @classmethod
    def initial_for(cls, appointment: Appointment) -> dict:
        start, end = timezone.localtime(appointment.starts_at), timezone.localtime(appointment.ends_at)
        return {"day": start.date(), "start_time": start.time().replace(second=0, microsecond=0),
                "end_time": end.time().replace(second=0, microsecond=0), "place": appointment.place,
                "office_address": appointment.office_address, "purpose": appointment.purpose,
                "reminders_enabled": appointment.reminders_enabled,
                "workers": [w.pk for w in appointment.workers.all()]}


def default_end(start_time) -> object:
    return (datetime.combine(timezone.localdate(), start_time) + timedelta(hours=1)).time()


class PeriodForm(forms.Form):
    """The period of the appointment figures: junk dates in the address get a French error on the
    field and the default period, never a server error."""
    du = forms.DateField(label=_("Du"), required=False, widget=DateInput)
    au = forms.DateField(label=_("Au"), required=False, widget=DateInput)

    def period(self):
        today = timezone.localdate()
        self.is_valid()  # a valid field is kept when the other one is junk
        data = getattr(self, "cleaned_data", {})
        start = data.get("du") or today - timedelta(days=90)
        end = data.get("au") or today
        if start > end and self.is_bound:
            self.add_error("au", _("La fin de la période précède son début."))
            start, end = end, start
        return start, end
