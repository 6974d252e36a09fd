"""Appointments and their reminders: rules, exactly-once sending, consent, content, the screens."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from households.models import Contact
from support import calendar_feed
from support import services_appointments as services
from support.models import Appointment, Reminder
from zel.lib import sms

from .factories import AppointmentFactory, ContactFactory, DiagnosisFactory

pytestmark = pytest.mark.django_db

DEBT_MARKER = "1 840,00 €"
HEALTH_MARKER = "cardiologique"


@pytest.fixture(autouse=True)
def _locmem_sms(settings):
    settings.ZEL_SMS_BACKEND = "locmem"
    settings.ZEL_SMS_WEBHOOK_SECRET = "webhook-secret"
    sms.LocmemSmsBackend.outbox = []


def in_days(days: int, hour: int = 14, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days), time(hour, minute)))


@pytest.fixture
def consenting(households, personas):
    """households.mine: the tenant consented to SMS and e-mail."""
    return ContactFactory(household=households.mine, sms_consent_at=timezone.now(), sms_consent_by=personas.worker,
                          email_consent_at=timezone.now(), email_consent_by=personas.worker)


def create(household, by, days=5, **kw):
    kw.setdefault("place", Appointment.Place.HOME)
    start = kw.pop("starts_at", in_days(days))
    return services.appointment_create(household=household, by=by, workers=[by], starts_at=start,
                                       ends_at=kw.pop("ends_at", start + timedelta(hours=1)), **kw)


def deliver(at=None):
    """What the beat does at `at` (default: when the last immediate message is due)."""
    immediate = Reminder.objects.exclude(kind=Reminder.Kind.BEFORE)
    at = at or max([r.due_at for r in immediate.filter(status=Reminder.Status.PENDING)]
                   or [r.due_at for r in immediate])
    return [services.reminder_send(reminder_id=pk, now=at) for pk in services.due_reminder_ids(now=at)]


def all_messages() -> list[str]:
    return [m["text"] for m in sms.LocmemSmsBackend.outbox] + [f"{m.subject}\n{m.body}" for m in mail.outbox]


# --- Rules and French errors ----------------------------------------------------------------------

def test_end_before_start_is_refused_next_to_the_end(households, personas):
    with pytest.raises(ValidationError) as error:
        create(households.mine, personas.worker, starts_at=in_days(2, 15), ends_at=in_days(2, 14),
               reminders_enabled=False)
    assert "après son début" in error.value.message_dict["ends_at"][0]


def test_a_past_appointment_cannot_be_planned(households, personas):
    with pytest.raises(ValidationError) as error:
        create(households.mine, personas.worker, days=-1, reminders_enabled=False)
    assert "dans le passé" in error.value.message_dict["starts_at"][0]


def test_reminders_without_consent_are_refused(households, personas):
    ContactFactory(household=households.mine)  # a number, but no consent
    with pytest.raises(ValidationError) as error:
        create(households.mine, personas.worker, reminders_enabled=True)
    assert "accord" in error.value.message_dict["reminders_enabled"][0]
    appointment = create(households.mine, personas.worker, reminders_enabled=False)
    assert appointment.reminders.count() == 0


def test_the_form_shows_errors_next_to_the_fields(as_user, households, personas):
    client = as_user(personas.worker)
    day = (timezone.localdate() - timedelta(days=2)).isoformat()
    response = client.post(reverse("support:appointment_new", args=[households.mine.pk]), {
        "day": day, "start_time": "15:00", "end_time": "14:00", "place": "home", "workers": [personas.worker.pk],
        "reminders_enabled": "on"})
    assert response.status_code == 400
    form = response.context["form"]
    assert "après son début" in form.errors["end_time"][0]
    assert "dans le passé" in form.errors["day"][0]
    assert "accord" in form.errors["reminders_enabled"][0]
    assert Appointment.objects.count() == 0


def test_stranger_cannot_plan_or_open(as_user, households, personas):
    appointment = AppointmentFactory(household=households.mine, workers=[personas.worker])
    client = as_user(personas.worker_54)
    assert client.get(reverse("support:appointment", args=[appointment.pk])).status_code == 404
    assert client.get(reverse("support:appointment_new", args=[households.mine.pk])).status_code == 404


# --- Reminders: exactly once, consent, content ------------------------------------------------------

def test_creation_sends_a_confirmation_per_channel_once_and_plans_the_48h_reminder(households, personas,
                                                                                  consenting):
    appointment = create(households.mine, personas.worker, days=5)
    kinds = sorted(appointment.reminders.values_list("kind", "channel"))
    assert kinds == [("before", "email"), ("before", "sms"), ("confirmation", "email"), ("confirmation", "sms")]
    before = appointment.reminders.get(kind="before", channel="sms")
    assert timezone.localtime(before.due_at) >= timezone.localtime(appointment.starts_at) - timedelta(hours=48)
    assert 9 <= timezone.localtime(before.due_at).hour < 19
    deliver()
    deliver()  # a second beat run
    for pk in appointment.reminders.values_list("pk", flat=True):  # a forced retry of every message
        services.reminder_send(reminder_id=pk, now=before.due_at)
    assert len(sms.LocmemSmsBackend.outbox) == 2  # confirmation + 48 h reminder, each once
    assert len(mail.outbox) == 2
    assert sms.LocmemSmsBackend.outbox[0]["to"] == "+33612345678"
    assert set(appointment.reminders.values_list("status", flat=True)) == {"sent"}


def test_the_database_refuses_a_second_row_for_the_same_message(households, personas, consenting):
    from django.db import IntegrityError, transaction

    appointment = create(households.mine, personas.worker)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(appointment=appointment, kind="confirmation", channel="sms", revision=1,
                                due_at=timezone.now())


def test_no_message_without_consent(households, personas, consenting):
    appointment = create(households.mine, personas.worker)
    Contact.objects.update(sms_consent_at=None, email_consent_at=None)  # withdrawn before the send
    deliver(appointment.reminders.order_by("-due_at").first().due_at)
    assert all_messages() == []
    assert set(appointment.reminders.values_list("cancel_reason", flat=True)) == {"no-consent"}


def test_planted_markers_never_reach_a_message(households, personas, consenting):
    DiagnosisFactory(household=households.mine, health="Suivi cardiologique", rent_debt=Decimal("1840"))
    appointment = create(households.mine, personas.worker, purpose=f"Dette {DEBT_MARKER}, suivi {HEALTH_MARKER}")
    deliver()
    services.appointment_update(appointment=appointment, by=personas.worker, workers=[personas.worker],
                                data={"starts_at": in_days(6, 10), "ends_at": in_days(6, 11)})
    deliver()
    services.appointment_set_status(appointment=appointment, by=personas.worker, status="cancelled")
    deliver()
    texts = all_messages()
    assert len(texts) == 6  # confirmation, change, cancellation × SMS and e-mail
    for text in texts:
        assert DEBT_MARKER not in text and "1840" not in text and "€" not in text
        assert HEALTH_MARKER not in text.lower() and "dette" not in text.lower()
        assert households.mine.last_name not in text  # no surname either
    assert any("modifié" in t for t in texts) and any("annulé" in t for t in texts)


def test_a_move_supersedes_the_reminders_not_yet_sent(households, personas, consenting):
    appointment = create(households.mine, personas.worker, days=6)
    services.appointment_update(appointment=appointment, by=personas.worker, workers=[],
                                data={"starts_at": in_days(8, 9), "ends_at": in_days(8, 10)})
    rows = {(r.kind, r.channel, r.revision): r.status for r in appointment.reminders.all()}
    assert rows[("confirmation", "sms", 1)] == "cancelled"
    # Nothing had been sent yet: the household gets one confirmation of the new time, not a "change".
    assert rows[("confirmation", "sms", 2)] == "pending"
    assert ("change", "sms", 2) not in rows


def test_cancelling_an_appointment_never_announced_sends_nothing(households, personas, consenting):
    appointment = create(households.mine, personas.worker)
    services.appointment_set_status(appointment=appointment, by=personas.worker, status="cancelled")
    assert not appointment.reminders.filter(status="pending").exists()
    assert not appointment.reminders.filter(kind="cancellation").exists()


def test_provider_errors_are_retried_with_backoff_then_failed_and_shown(households, personas, consenting, settings,
                                                                       as_user, monkeypatch):
    settings.ZEL_REMINDER_RETRY_SECONDS = [60, 300]
    appointment = create(households.mine, personas.worker, days=6)
    sms_row = appointment.reminders.get(kind="confirmation", channel="sms")

    def broken(self, *, to, text):
        raise sms.SmsError("Brevo HTTP 503")
    monkeypatch.setattr(sms.LocmemSmsBackend, "send", broken)
    first = sms_row.due_at
    assert services.reminder_send(reminder_id=sms_row.pk, now=first) == "retry"
    sms_row.refresh_from_db()
    assert sms_row.status == "pending" and sms_row.attempts == 1 and sms_row.due_at >= first + timedelta(seconds=60)
    assert services.reminder_send(reminder_id=sms_row.pk, now=first) == "not-due"  # backoff honoured
    assert services.reminder_send(reminder_id=sms_row.pk, now=sms_row.due_at) == "retry"
    sms_row.refresh_from_db()
    assert services.reminder_send(reminder_id=sms_row.pk, now=sms_row.due_at) == "failed"
    sms_row.refresh_from_db()
    assert (sms_row.status, sms_row.attempts) == ("failed", 3)
    assert "503" in sms_row.last_error and "+336" not in sms_row.last_error
    page = as_user(personas.worker).get(reverse("support:agenda") + f"?semaine={in_days(6).date().isoformat()}")
    assert "Messages non envoyés" in page.content.decode()
    detail = as_user(personas.worker).get(reverse("support:appointment", args=[appointment.pk])).content.decode()
    assert "Échec" in detail


def test_a_row_left_sending_by_a_dead_worker_is_failed_not_resent(households, personas, consenting):
    appointment = create(households.mine, personas.worker)
    row = appointment.reminders.filter(channel="sms").first()
    Reminder.objects.filter(pk=row.pk).update(status="sending", claimed_at=timezone.now() - timedelta(hours=1))
    assert services.reminders_sweep() == 1
    assert services.reminder_send(reminder_id=row.pk, now=row.due_at) == "not-pending"
    assert sms.LocmemSmsBackend.outbox == []


def test_a_stop_reply_withdraws_sms_consent(client, households, personas, consenting):
    appointment = create(households.mine, personas.worker)
    url = reverse("support:sms_webhook") + "?cle=webhook-secret"
    assert client.post(reverse("support:sms_webhook") + "?cle=wrong", {}, content_type="application/json"
                       ).status_code == 403
    response = client.post(url, {"msg_status": "replied", "to": "33612345678", "reply": "Stop"},
                           content_type="application/json")
    assert response.status_code == 200
    consenting.refresh_from_db()
    assert consenting.sms_consent_at is None and consenting.sms_stopped_at is not None
    assert not appointment.reminders.filter(channel="sms", status="pending").exists()
    assert appointment.reminders.filter(channel="email", status="pending").exists()  # e-mail consent stays


def test_delivery_report_is_stored(client, households, personas, consenting):
    appointment = create(households.mine, personas.worker)
    deliver()
    row = appointment.reminders.get(kind="confirmation", channel="sms")
    client.post(reverse("support:sms_webhook") + "?cle=webhook-secret",
                [{"msg_status": "delivered", "messageId": row.provider_message_id}], content_type="application/json")
    row.refresh_from_db()
    assert row.delivery_status == "delivered"


# --- Contacts -------------------------------------------------------------------------------------

def test_invalid_phone_is_refused_next_to_the_field(as_user, households, personas):
    client = as_user(personas.worker)
    url = reverse("households:contacts", args=[households.mine.pk])
    response = client.post(url, {"phone": "12345", "email": "", "sms_consent": "on"})
    assert response.status_code == 400
    assert "n'est pas valide" in response.context["form"].errors["phone"][0]


def test_a_landline_cannot_receive_sms(as_user, households, personas):
    client = as_user(personas.worker)
    url = reverse("households:contacts", args=[households.mine.pk])
    response = client.post(url, {"phone": "03 87 12 34 56", "sms_consent": "on"})
    assert "pas un mobile" in response.context["form"].errors["sms_consent"][0]
    response = client.post(url, {"phone": "06 12 34 56 78", "sms_consent": "on"})
    assert response.status_code == 302
    contact = Contact.objects.get(household=households.mine)
    assert str(contact.phone) == "+33612345678" and contact.is_mobile
    assert contact.sms_consent_by == personas.worker and contact.sms_consent_at is not None
    assert contact.history.count() == 1


# --- Status chain, visit form, calendar, figures --------------------------------------------------

def test_honoured_opens_the_visit_form_prefilled_and_links_the_visit(as_user, households, personas):
    start = timezone.now() - timedelta(minutes=50)
    appointment = AppointmentFactory(household=households.mine, workers=[personas.worker], starts_at=start,
                                     ends_at=start + timedelta(minutes=45), place="office",
                                     office_address="AMLI Metz")
    client = as_user(personas.worker)
    response = client.post(reverse("support:appointment_status", args=[appointment.pk]), {"status": "honoured"})
    assert response.status_code == 302 and "rendez_vous=" in response.url
    form = client.get(response.url).context["form"]
    assert form.initial["household"] == households.mine.pk
    assert form.initial["mode"] == "office" and form.initial["duration_minutes"] == 45
    response = client.post(reverse("support:visit_new"), {
        "household": households.mine.pk, "occurred_on": timezone.localdate().isoformat(), "mode": "office",
        "duration_minutes": 45, "summary": "Point budget.", "themes": ["budget"], "appointment": appointment.pk})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "honoured" and appointment.intervention is not None


def test_no_show_is_one_tap_and_counts_in_the_figures(as_user, households, personas):
    start = timezone.now() - timedelta(hours=2)
    for status in ("no_show", "honoured", "honoured", "cancelled"):
        a = AppointmentFactory(household=households.mine, workers=[personas.worker], starts_at=start,
                               ends_at=start + timedelta(hours=1))
        as_user(personas.worker).post(reverse("support:appointment_status", args=[a.pk]), {"status": status})
    assert Appointment.objects.filter(status="no_show").count() == 1
    page = as_user(personas.manager).get(reverse("support:appointment_figures"))
    [row] = page.context["rows"]
    assert (row.total, row.honoured, row.no_show, row.cancelled) == (4, 2, 1, 1)
    assert "50,0" in row.honoured_pct and "25,0" in row.no_show_pct
    assert as_user(personas.worker).get(reverse("support:appointment_figures")).status_code == 403


def test_a_future_appointment_cannot_be_marked_honoured(households, personas):
    appointment = AppointmentFactory(household=households.mine, workers=[personas.worker])
    with pytest.raises(ValidationError):
        services.appointment_set_status(appointment=appointment, by=personas.worker, status="honoured")


def test_next_action_of_the_visit_books_an_appointment(as_user, households, personas):
    client = as_user(personas.worker)
    day = timezone.localdate() + timedelta(days=4)
    response = client.post(reverse("support:visit_new"), {
        "household": households.mine.pk, "occurred_on": timezone.localdate().isoformat(), "mode": "home_visit",
        "summary": "Visite.", "action_title": "Dossier FSL", "action_due": day.isoformat(),
        "appointment_day": day.isoformat(), "appointment_time": "10:30", "appointment_place": "home"})
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert timezone.localtime(appointment.starts_at).time() == time(10, 30)
    assert appointment.source_intervention is not None and list(appointment.workers.all()) == [personas.worker]
    assert appointment.reminders_enabled is False  # no consent recorded: no reminder, and no error


def test_ics_feed_parses_back_and_a_revoked_token_is_404(client, households, personas):
    appointment = AppointmentFactory(household=households.mine, workers=[personas.worker], place="office",
                                     office_address="AMLI, 3 rue Serpenoise", purpose=f"Dette {DEBT_MARKER}")
    token = calendar_feed.token_renew(user=personas.worker)
    url = reverse("support:calendar_feed", args=[token.token])
    response = client.get(url)  # no session: the token is the credential
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]) == f"RDV {households.mine.reference} {households.mine.first_name}"
    assert str(event["location"]) == "Au bureau — AMLI, 3 rue Serpenoise"
    assert event.decoded("dtstart") == appointment.starts_at
    assert DEBT_MARKER not in response.content.decode() and households.mine.last_name not in response.content.decode()
    calendar_feed.token_revoke(user=personas.worker)
    assert client.get(url).status_code == 404
    assert client.get(reverse("support:calendar_feed", args=["nope"])).status_code == 404


def test_renewing_the_link_kills_the_old_one(as_user, personas):
    client = as_user(personas.worker)
    client.post(reverse("support:calendar_token"), {"action": "renew"})
    old = calendar_feed.active_token(personas.worker).token
    client.post(reverse("support:calendar_token"), {"action": "renew"})
    assert client.get(reverse("support:calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("support:agenda")).context["feed_url"].endswith(".ics")


def test_todays_appointments_come_first_on_the_dashboard(as_user, households, personas):
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time(23, 0)))
    AppointmentFactory(household=households.mine, workers=[personas.worker], starts_at=start,
                       ends_at=start + timedelta(minutes=30))
    html = as_user(personas.worker).get(reverse("support:dashboard")).content.decode()
    assert "Mes rendez-vous du jour" in html
    assert html.index("today-appointments") < html.index("count-households")
    assert households.mine.display_name in html


def test_week_view_lists_the_week(as_user, households, personas):
    a = AppointmentFactory(household=households.mine, workers=[personas.worker])
    monday = timezone.localtime(a.starts_at).date()
    response = as_user(personas.worker).get(reverse("support:agenda") + f"?semaine={monday.isoformat()}")
    days = response.context["days"]
    assert len(days) == 7 and sum(len(items) for _, items in days) == 1


def test_anonymisation_blanks_contacts_and_appointment_texts(households, personas, consenting):
    from households.retention import households_anonymise

    appointment = create(households.mine, personas.worker, place="office", office_address="AMLI Metz",
                         purpose="Dossier FSL")
    deliver()
    households_anonymise(household_ids=[households.mine.pk])  # this app's part and every registered app's
    consenting.refresh_from_db()
    appointment.refresh_from_db()
    assert (str(consenting.phone or ""), consenting.email) == ("", "")
    assert not consenting.history.exclude(email="").exists()
    assert (appointment.purpose, appointment.office_address) == ("", "")
    assert not appointment.history.exclude(purpose="").exists()
    assert set(appointment.reminders.values_list("recipient", flat=True)) == {""}
