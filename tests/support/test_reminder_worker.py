"""Reminders on a real Celery worker and Redis (ZEL_TEST_REDIS_URL), SMS through the Brevo adapter to
a fake HTTP server on 127.0.0.1, e-mail to files: beat runs on two workers, a provider error and a
forced retry still send each message exactly once, nothing without consent, no planted marker.
Skipped without PostgreSQL/Redis outside CI, like tests/reports/test_worker.py."""

import time
from datetime import datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from support import services_appointments as services
from support.models import Reminder
from support.tasks import send_due_reminders_task, send_reminder_task
from tests.reports.conftest import celery_worker, media_root  # noqa: F401 - the real-worker fixtures

from .factories import ContactFactory, DiagnosisFactory
from .fake_sms import FakeSmsServer

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

DEBT_MARKER = "1 840,00 €"
HEALTH_MARKER = "cardiologique"


@pytest.fixture
def providers(monkeypatch, tmp_path):
    """Environment of the worker processes (read when the celery_worker fixture starts them)."""
    server = FakeSmsServer()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    for key, value in {"ZEL_SMS_BACKEND": "brevo", "ZEL_SMS_API_KEY": "test-key", "ZEL_SMS_API_URL": server.url,
                       "EMAIL_URL": f"filemail:///{mail_dir}", "ZEL_REMINDER_RETRY_SECONDS": "1,1,1",
                       # Any hour, any day: the test must not depend on when CI runs it.
                       "ZEL_REMINDER_WINDOW_START": "0", "ZEL_REMINDER_WINDOW_END": "24",
                       "ZEL_REMINDER_QUIET_DAYS": "off"}.items():
        monkeypatch.setenv(key, value)
    yield type("Providers", (), {"sms": server, "mail_dir": mail_dir})
    server.close()


def _mails(directory: Path) -> list[str]:
    return [p.read_text() for p in sorted(directory.glob("*.log"))]


def _wait(predicate, timeout=90, beat=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if beat:
            beat()
        time.sleep(1)
    return False


def test_real_workers_send_each_reminder_exactly_once(providers, celery_worker, settings, households,  # noqa: F811
                                                      personas):
    settings.ZEL_REMINDER_WINDOW, settings.ZEL_REMINDER_QUIET_DAYS = (0, 24), False
    second = celery_worker.spawn()  # two workers on the queue: concurrent beat runs
    providers.sms.fail_next(1)  # the provider's first answer is an error: retried with backoff
    mine, other = households.mine, households.other
    other.assigned_workers.add(personas.worker)
    ContactFactory(household=mine, sms_consent_at=timezone.now(), sms_consent_by=personas.worker,
                   email_consent_at=timezone.now(), email_consent_by=personas.worker)
    ContactFactory(household=other, phone="+33698765432", email="autre@example.invalid")  # no consent
    DiagnosisFactory(household=mine, health="Suivi cardiologique", rent_debt=Decimal("1840"))
    start = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=5), clock(14, 30)))
    appointment = services.appointment_create(
        household=mine, by=personas.worker, workers=[personas.worker], starts_at=start,
        ends_at=start + timedelta(hours=1), place="home", purpose=f"Dette {DEBT_MARKER}, {HEALTH_MARKER}")
    services.appointment_create(household=other, by=personas.worker, workers=[personas.worker], starts_at=start,
                                ends_at=start + timedelta(hours=1), place="home", reminders_enabled=False)

    def beat():
        send_due_reminders_task.delay()

    beat()
    beat()  # two beat runs at once, on two workers
    confirmations = Reminder.objects.filter(appointment=appointment, kind="confirmation")
    done = _wait(lambda: confirmations.filter(status="sent").count() == 2, beat=beat)
    logs = "".join(w.read() for w in [celery_worker.log, second.log] if not w.seek(0))
    assert done, f"{list(confirmations.values('channel', 'status', 'last_error'))}\n{logs[-3000:]}"

    # A forced retry of every message, and one more beat run: nothing goes twice.
    for pk in Reminder.objects.values_list("pk", flat=True):
        send_reminder_task.delay(pk)
    beat()
    time.sleep(5)

    sms_row = confirmations.get(channel="sms")
    assert sms_row.attempts == 2 and sms_row.provider_message_id  # one error, then sent
    assert [r["failed"] for r in providers.sms.requests] == [True, False]
    [delivered] = providers.sms.delivered
    assert delivered["body"]["recipient"] == "33612345678"
    mails = _mails(providers.mail_dir)
    assert sum(m.count("To: menage@example.invalid") for m in mails) == 1
    texts = [delivered["body"]["content"], *mails]
    assert all("autre@example.invalid" not in t and "33698765432" not in t for t in texts)  # no consent
    for text in texts:
        assert DEBT_MARKER not in text and "1840" not in text and HEALTH_MARKER not in text.lower()
        assert "dette" not in text.lower()
    assert "14h30" in delivered["body"]["content"] and personas.worker.first_name in delivered["body"]["content"]
    # The 48 h reminder waits for its time.
    assert set(Reminder.objects.filter(kind="before").values_list("status", flat=True)) == {"pending"}
