"""Where the visit form meets appointments (issue 15): a honoured appointment pre-fills the visit,
and the visit's next action may book the next appointment."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from . import access
from . import services_appointments as services
from .models import Appointment, Intervention


def visit_initial(user, appointment_pk: int) -> dict:
    appointment = access.visible_appointments(user).filter(pk=appointment_pk).first()
    if appointment is None or not access.can_plan_appointments(user, appointment.household):
        return {}
    return {"household": appointment.household_id, "appointment": appointment.pk,
            "occurred_on": timezone.localtime(appointment.starts_at).date(),
            "mode": Appointment.VISIT_MODE.get(appointment.place, "home_visit"),
            "duration_minutes": appointment.duration_minutes()}


def after_visit(user, *, visit: Intervention, data: dict) -> Appointment | None:
    """Links the honoured appointment to its visit; books the next action's appointment. Errors come
    back on the visit form's fields."""
    if data.get("appointment"):
        appointment = (access.visible_appointments(user)
                       .filter(pk=data["appointment"], household=visit.household).first())
        if appointment is not None:
            services.appointment_link_visit(appointment=appointment, visit=visit, by=user)
    if not (data.get("appointment_day") and data.get("appointment_time")):
        return None
    starts_at = timezone.make_aware(datetime.combine(data["appointment_day"], data["appointment_time"]))
    household = visit.household
    try:
        return services.appointment_create(
            household=household, by=user, workers=[user], starts_at=starts_at, ends_at=starts_at + timedelta(hours=1),
            place=data.get("appointment_place") or Appointment.Place.HOME,
            office_address=data.get("appointment_address", ""), purpose=data.get("action_title", ""),
            reminders_enabled=bool(services.consenting_channels(household)), source_intervention=visit)
    except ValidationError as error:
        fields = {"starts_at": "appointment_day", "ends_at": "appointment_time",
                  "office_address": "appointment_address", "reminders_enabled": "appointment_day"}
        raise ValidationError({fields.get(k, "appointment_day"): v for k, v in error.message_dict.items()}) from error
