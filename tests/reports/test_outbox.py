"""Reliable enqueueing (issue 17, item 3): with the broker down, a report request answers normally,
says the truth, and a later sweep builds every report asked for; no request is left without a result."""

import time

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from reports import services
from reports.models import Report
from tests.infra.brokers import dead_broker, sweep_later  # noqa: F401 - fixture
from zel.outbox import services as outbox
from zel.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

QUEUED = "Demande enregistrée, elle sera traitée dès que possible."


@pytest.mark.usefixtures("dead_broker")
def test_report_requests_with_the_broker_down_are_all_built_later(programme, personas, as_user,
                                                                  django_capture_on_commit_callbacks):
    client = as_user(personas.manager)
    client.raise_request_exception = False
    for _attempt in range(3):  # the user tries again, twice
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("reports:report_request"), {"quarter": "2025Q4", "scope": "57"})
        assert response.status_code == 302, response.status_code
        assert time.monotonic() - started < 10  # the request does not hang on the dead broker
        assert [str(m) for m in get_messages(response.wsgi_request)][-1] == QUEUED
    assert Report.objects.count() == 3
    assert set(Report.objects.values_list("status", flat=True)) == {Report.Status.QUEUED}
    waiting = OutboxMessage.objects.filter(dispatched_at__isnull=True)
    assert waiting.count() == 3 and all(m.attempts == 1 and m.last_error for m in waiting)
    # The sweep with the broker still down sends nothing and loses nothing.
    OutboxMessage.objects.update(available_at=OutboxMessage.objects.first().created_at)
    assert outbox.dispatch_pending() == 0 and outbox.pending_count() == 3

    assert sweep_later() == 3
    assert outbox.pending_count() == 0
    assert set(Report.objects.values_list("status", flat=True)) == {Report.Status.DONE}
    assert all(report.file for report in Report.objects.all())


def test_rolled_back_request_leaves_nothing_to_send(programme, personas):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        services.report_request(by=personas.manager, quarter="2025Q4")
        raise RuntimeError("the caller fails after the request")
    assert not OutboxMessage.objects.exists() and not Report.objects.exists()


def test_a_message_sent_twice_builds_the_report_once(programme, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(by=personas.manager, quarter="2025Q4")
    report.refresh_from_db()
    assert report.status == Report.Status.DONE and outbox.pending_count() == 0
    first = (report.file.name, report.checksum)
    message = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=message.pk).update(dispatched_at=None)  # bookkeeping lost after the send
    assert sweep_later() == 1
    report.refresh_from_db()
    assert (report.file.name, report.checksum) == first and report.attempts == 1


def test_the_sweep_is_in_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["outbox-dispatch"]
    assert entry["task"] == "zel.outbox.tasks.dispatch_outbox_task" and entry["schedule"] <= 60
