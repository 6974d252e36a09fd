"""Writes of appointments and their reminders (issue 15): keyword-only, atomic, permission-checked.

Exactly once: every message is a `Reminder` row, unique per (appointment, kind, channel, revision).
`reminder_send` claims a row with one conditional UPDATE (pending → sending) before calling the
provider, so a second beat run, a retried task or a second worker that reaches the same row finds
it taken and sends nothing. A worker killed between the claim and the provider's answer leaves the
row "sending": `reminders_sweep` marks it failed (shown to the worker) rather than risk a double send.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from households.models import Contact, Household
from zel.access import require
from zel.lib import sms

from . import access, reminders
from .models import Appointment, Intervention, Reminder

logger = logging.getLogger(__name__)
STUCK_AFTER = timedelta(minutes=15)
SCHEDULE_FIELDS = ("starts_at", "ends_at", "place", "office_address")


# --- Consent -------------------------------------------------------------------------------------

def consenting_contact(contacts: list[Contact], channel: str) -> Contact | None:
    """The person a message goes to on `channel`: the tenant first, then the members, with consent."""
    ordered = sorted(contacts, key=lambda c: (c.member_id is not None, c.pk))
    return next((c for c in ordered if c.has_consent(channel)), None)


def consenting_channels(household: Household) -> list[str]:
    contacts = list(household.contacts.all())
    return [channel for channel in Reminder.Channel.values if consenting_contact(contacts, channel)]


# --- Checks --------------------------------------------------------------------------------------

def check_appointment(*, household: Household, starts_at: datetime | None, ends_at: datetime | None, status: str,
                      place: str, office_address: str, reminders_enabled: bool, now: datetime | None = None) -> None:
    """The rules of an appointment, each error next to its field (French messages)."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = _("La fin du rendez-vous doit être après son début.")
    if starts_at and status in Appointment.UPCOMING and starts_at < now:
        errors["starts_at"] = _("Ce rendez-vous est dans le passé : il ne peut pas être « prévu ». "
                                "Indiquez s'il a été honoré, excusé, manqué ou annulé.")
    if place == Appointment.Place.OFFICE and not office_address.strip():
        errors["office_address"] = _("Indiquez l'adresse du bureau.")
    if reminders_enabled and status in Appointment.UPCOMING and not consenting_channels(household):
        errors["reminders_enabled"] = _(
            "Ce ménage n'a donné son accord pour aucun rappel (SMS ou e-mail) : recueillez-le dans ses "
            "coordonnées, ou décochez les rappels.")
    if errors:
        raise ValidationError(errors)


# --- Appointments --------------------------------------------------------------------------------

@transaction.atomic
def appointment_create(*, household: Household, by: User, workers: list[User], starts_at: datetime,
                       ends_at: datetime, place: str, office_address: str = "", purpose: str = "",
                       reminders_enabled: bool = True, status: str = Appointment.Status.PLANNED,
                       source_intervention: Intervention | None = None) -> Appointment:
    require(access.can_plan_appointments(by, household))
    check_appointment(household=household, starts_at=starts_at, ends_at=ends_at, status=status, place=place,
                      office_address=office_address, reminders_enabled=reminders_enabled)
    appointment = Appointment(household=household, starts_at=starts_at, ends_at=ends_at, place=place,
                              office_address=office_address if place == Appointment.Place.OFFICE else "",
                              purpose=purpose, reminders_enabled=reminders_enabled, status=status,
                              source_intervention=source_intervention, created_by=by)
    appointment._history_user = by
    appointment.save()
    appointment.workers.set({*workers, by} if access.can_use_calendar(by) else set(workers))
    if appointment.is_upcoming:
        _plan(appointment, Reminder.Kind.CONFIRMATION)
    return appointment


@transaction.atomic
def appointment_update(*, appointment: Appointment, by: User, data: dict, workers: list[User]) -> Appointment:
    """Date, time, place, purpose, workers, reminders on/off. A change of date, time or place makes a
    new revision: the reminders not yet sent are superseded, and the household is told of the change."""
    require(access.can_plan_appointments(by, appointment.household))
    current = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if not current.is_upcoming:
        raise ValidationError(_("Ce rendez-vous est clos : il ne peut plus être modifié."))
    moved = any(data.get(f, getattr(current, f)) != getattr(current, f) for f in SCHEDULE_FIELDS)
    for field, value in data.items():
        setattr(current, field, value)
    if current.place != Appointment.Place.OFFICE:
        current.office_address = ""
    check_appointment(household=current.household, starts_at=current.starts_at, ends_at=current.ends_at,
                      status=current.status, place=current.place, office_address=current.office_address,
                      reminders_enabled=current.reminders_enabled)
    already_told = current.reminders.filter(status=Reminder.Status.SENT).exists()
    if moved:
        current.revision += 1
    current._history_user = by
    current.save()
    if workers:
        current.workers.set(workers)
    if moved or not current.reminders_enabled:
        _cancel_pending(current, reason="superseded" if moved else "disabled")
    if current.reminders_enabled and moved:
        _plan(current, Reminder.Kind.CHANGE if already_told else Reminder.Kind.CONFIRMATION)
    elif current.reminders_enabled and not current.reminders.filter(
            status__in=[Reminder.Status.PENDING, Reminder.Status.SENT, Reminder.Status.SENDING]).exists():
        _plan(current, Reminder.Kind.CONFIRMATION)
    return current


@transaction.atomic
def appointment_set_status(*, appointment: Appointment, by: User, status: str) -> Appointment:
    """One step of the status chain. "Annulé" tells the household (if it had been told of the
    appointment); any outcome stops the reminders still to send."""
    require(access.can_plan_appointments(by, appointment.household))
    current = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if status not in Appointment.Status.values or not current.can_become(status):
        raise ValidationError({"status": _("Ce rendez-vous ne peut pas passer de « %(a)s » à « %(b)s ».") % {
            "a": current.get_status_display(), "b": dict(Appointment.Status.choices).get(status, status)}})
    if status in (Appointment.Status.HONOURED, Appointment.Status.NO_SHOW, Appointment.Status.EXCUSED) \
            and current.starts_at > timezone.now():
        raise ValidationError({"status": _("Ce rendez-vous n'a pas encore eu lieu.")})
    told = current.reminders.filter(status=Reminder.Status.SENT).exists()
    current.status = status
    current._history_user = by
    current.save(update_fields=["status", "updated_at"])
    if status != Appointment.Status.CONFIRMED:
        _cancel_pending(current, reason=status)
    if status == Appointment.Status.CANCELLED and told and current.reminders_enabled:
        _plan(current, Reminder.Kind.CANCELLATION)
    return current


@transaction.atomic
def appointment_link_visit(*, appointment: Appointment, visit: Intervention, by: User) -> None:
    """The visit written after a honoured appointment is its report."""
    require(access.can_plan_appointments(by, appointment.household) and visit.household_id == appointment.household_id)
    Appointment.objects.filter(pk=appointment.pk, intervention__isnull=True).update(intervention=visit)


# --- Reminders: planning -------------------------------------------------------------------------

def _slot(when: datetime, departement: str) -> datetime:
    return reminders.sending_slot(when, departement, settings.ZEL_REMINDER_WINDOW, settings.ZEL_REMINDER_QUIET_DAYS)


def _departement(appointment: Appointment) -> str:
    return appointment.household.territory.code


def _plan(appointment: Appointment, kind: str) -> list[Reminder]:
    """Creates the messages of `kind` (now, in the sending window) and, for a new schedule, the
    reminder ZEL_REMINDER_HOURS_BEFORE before, on every channel the household consented to."""
    if not appointment.reminders_enabled:
        return []
    now = timezone.now()
    departement = _departement(appointment)
    channels = consenting_channels(appointment.household)
    planned = []
    due_now = _slot(now, departement)
    kinds = [(kind, due_now)]
    if kind in (Reminder.Kind.CONFIRMATION, Reminder.Kind.CHANGE):
        before = appointment.starts_at - timedelta(hours=settings.ZEL_REMINDER_HOURS_BEFORE)
        slot = _slot(before, departement)
        # Not worth a second message if the confirmation itself goes within the same period.
        if before > now and slot < appointment.starts_at:
            kinds.append((Reminder.Kind.BEFORE, slot))
    for message_kind, due in kinds:
        if message_kind in (Reminder.Kind.CONFIRMATION, Reminder.Kind.CHANGE) and due >= appointment.starts_at:
            continue  # the confirmation would arrive after the appointment
        for channel in channels:
            reminder, _created = Reminder.objects.get_or_create(
                appointment=appointment, kind=message_kind, channel=channel, revision=appointment.revision,
                defaults={"due_at": due})
            planned.append(reminder)
    if planned:
        transaction.on_commit(_dispatch_soon)
    return planned


def _dispatch_soon() -> None:
    from .tasks import send_due_reminders_task

    send_due_reminders_task.delay()


def _cancel_pending(appointment: Appointment, *, reason: str) -> int:
    return Reminder.objects.filter(appointment=appointment, status=Reminder.Status.PENDING).update(
        status=Reminder.Status.CANCELLED, cancel_reason=reason)


def reminders_cancel_sms_for_households(household_ids: list[int], *, reason: str = "stop") -> int:
    return Reminder.objects.filter(appointment__household_id__in=household_ids, channel=Reminder.Channel.SMS,
                                   status=Reminder.Status.PENDING).update(status=Reminder.Status.CANCELLED,
                                                                          cancel_reason=reason)


# --- Reminders: sending --------------------------------------------------------------------------

def due_reminder_ids(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    return list(Reminder.objects.filter(status=Reminder.Status.PENDING, due_at__lte=now)
                .order_by("due_at").values_list("pk", flat=True)[:limit])


def _facts(reminder: Reminder) -> reminders.MessageFacts:
    appointment = reminder.appointment
    workers = sorted(appointment.workers.all(), key=lambda u: u.pk)
    creator = next((w for w in workers if w.pk == appointment.created_by_id), workers[0] if workers else None)
    return reminders.MessageFacts(kind=reminder.kind, starts_at=appointment.starts_at, place=appointment.place,
                                  office_address=appointment.office_address,
                                  worker_first_name=creator.first_name if creator else "")


def _deliver(channel: str, address: str, text: str, kind: str) -> str:
    if channel == Reminder.Channel.SMS:
        return sms.get_backend().send(to=address, text=text + reminders.SMS_FOOTER)
    message = EmailMessage(subject=reminders.EMAIL_SUBJECTS[kind], body=text + "\n\n" + _(
        "Pour ne plus recevoir ces messages, dites-le à votre intervenant ou intervenante."), to=[address])
    message.send()
    status = getattr(message, "anymail_status", None)
    return str(getattr(status, "message_id", "") or "")


def _release(reminder_id: int, **changes) -> None:
    Reminder.objects.filter(pk=reminder_id, status=Reminder.Status.SENDING).update(**changes)


def reminder_send(*, reminder_id: int, now: datetime | None = None) -> str:
    """Sends one message if it is due, still wanted and consented to. Returns what happened."""
    now = now or timezone.now()
    reminder = (Reminder.objects.select_related("appointment__household__territory")
                .filter(pk=reminder_id).first())
    if reminder is None or reminder.status != Reminder.Status.PENDING:
        return "not-pending"
    if reminder.due_at > now:
        return "not-due"
    appointment = reminder.appointment
    departement = _departement(appointment)

    def cancel(reason: str) -> str:
        Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.PENDING).update(
            status=Reminder.Status.CANCELLED, cancel_reason=reason)
        return reason

    if reminder.kind == Reminder.Kind.CANCELLATION:
        if appointment.status != Appointment.Status.CANCELLED:
            return cancel("not-cancelled")
    elif not appointment.is_upcoming or reminder.revision != appointment.revision:
        return cancel("superseded")
    if reminder.kind != Reminder.Kind.CANCELLATION and appointment.starts_at <= now:
        return cancel("too-late")
    if not appointment.reminders_enabled:
        return cancel("disabled")
    if not reminders.in_window(now, departement, settings.ZEL_REMINDER_WINDOW, settings.ZEL_REMINDER_QUIET_DAYS):
        Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.PENDING).update(
            due_at=_slot(now, departement))
        return "outside-window"
    contact = consenting_contact(list(appointment.household.contacts.all()), reminder.channel)
    if contact is None:
        return cancel("no-consent")
    address = str(contact.phone) if reminder.channel == Reminder.Channel.SMS else contact.email
    # The claim: only one caller moves this row from pending to sending. `attempts` is the row's version:
    # a caller that read the row before another's failed try (now pending again, later) claims nothing.
    claimed = Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.PENDING, attempts=reminder.attempts,
                                      due_at__lte=now).update(
        status=Reminder.Status.SENDING, attempts=F("attempts") + 1, claimed_at=now, recipient=address)
    if not claimed:
        return "taken"
    attempts = reminder.attempts + 1
    try:
        text = reminders.assert_clean(reminders.reminder_text(_facts(reminder)))
    except reminders.UnsafeContent as refused:
        _release(reminder.pk, status=Reminder.Status.FAILED, last_error=_("Contenu refusé (%(why)s)") % {
            "why": refused})
        return "unsafe"
    try:
        message_id = _deliver(reminder.channel, address, text, reminder.kind)
    except Exception as error:  # noqa: BLE001 - any provider failure is retried, then shown
        permanent = isinstance(error, sms.SmsError) and error.permanent
        delay = None if permanent else reminders.retry_delay(attempts, settings.ZEL_REMINDER_RETRY_SECONDS)
        # Never the address nor the text in the log or the row: the error's class and short message.
        summary = f"{type(error).__name__}: {error}"[:200]
        logger.warning("reminder %s attempt %s failed: %s", reminder.pk, attempts, summary)
        if delay is None:
            _release(reminder.pk, status=Reminder.Status.FAILED, last_error=summary)
            return "failed"
        _release(reminder.pk, status=Reminder.Status.PENDING, last_error=summary,
                 due_at=_slot(now + timedelta(seconds=delay), departement))
        return "retry"
    _release(reminder.pk, status=Reminder.Status.SENT, sent_at=timezone.now(), provider_message_id=message_id,
             last_error="", delivery_status="sent")
    return "sent"


def reminders_sweep(*, now: datetime | None = None) -> int:
    """Rows left "sending" by a killed worker: the provider may or may not have sent them; marked
    failed so that the worker sees it, never sent again."""
    now = now or timezone.now()
    return Reminder.objects.filter(status=Reminder.Status.SENDING, claimed_at__lt=now - STUCK_AFTER).update(
        status=Reminder.Status.FAILED, last_error=_("Envoi interrompu : état inconnu, vérifiez avec le ménage."))


@transaction.atomic
def sms_webhook(*, payload: dict) -> str:
    """A provider's report: a delivery status for a message we sent, or a reply. "STOP" withdraws
    the SMS consent of that number and cancels its pending SMS."""
    from households.services import contact_sms_stop

    inbound = sms.get_backend().parse_webhook(payload)
    if inbound.message_id and inbound.status:
        Reminder.objects.filter(provider_message_id=inbound.message_id).update(delivery_status=inbound.status[:40])
    if inbound.reply.strip().upper().startswith("STOP") and inbound.phone:
        households = contact_sms_stop(phone=inbound.phone)
        reminders_cancel_sms_for_households(households)
        return "stop"
    return "ok"
