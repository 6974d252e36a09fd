"""The worker's ICS feed (icalendar): household reference, first name and place, nothing else."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Appointment, CalendarToken

ICS_STATUS = {Appointment.Status.PLANNED: "TENTATIVE", Appointment.Status.CONFIRMED: "CONFIRMED",
              Appointment.Status.CANCELLED: "CANCELLED"}


def summary_of(appointment: Appointment) -> str:
    household = appointment.household
    return f"RDV {household.reference or ''} {household.first_name}".strip()


def build_ics(appointments: list[Appointment], *, now: datetime | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//ZEL//Rendez-vous//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "ZEL — rendez-vous")
    stamp = now or timezone.now()
    host = settings.ZEL_SITE_URL.split("//")[-1].split("/")[0] or "zel"
    for appointment in appointments:
        event = Event()
        event.add("uid", f"rdv-{appointment.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", appointment.starts_at)
        event.add("dtend", appointment.ends_at)
        event.add("summary", summary_of(appointment))
        event.add("location", appointment.place_label())
        event.add("sequence", appointment.revision)
        event.add("status", ICS_STATUS.get(appointment.status, "CONFIRMED"))
        calendar.add_component(event)
    return calendar.to_ical()


def active_token(user) -> CalendarToken | None:
    return CalendarToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at").first()


@transaction.atomic
def token_renew(*, user) -> CalendarToken:
    """A new secret; the former one stops working at once."""
    token_revoke(user=user)
    return CalendarToken.objects.create(user=user, token=secrets.token_urlsafe(32))


@transaction.atomic
def token_revoke(*, user) -> int:
    return CalendarToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def user_of_token(token: str):
    row = (CalendarToken.objects.select_related("user").filter(token=token, revoked_at__isnull=True,
                                                               user__is_active=True).first())
    return row.user if row else None
