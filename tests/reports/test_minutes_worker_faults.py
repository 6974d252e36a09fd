"""A worker killed while it renders the COPIL minutes (issue 17, item 12): the message was not
acknowledged (acks_late), another worker renders them again and the session ends with complete minutes.
Here (not in tests/copil) because the real-worker fixture lives in tests/reports/conftest.py."""

import signal
import time
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from copil import services
from copil.models import Session
from tests.copil.factories import AgendaItemFactory, SessionFactory
from tests.factories import HouseholdFactory, walk_to

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ITEMS = 120  # a long agenda: rendering takes long enough to be killed in the middle


def _log(worker) -> str:
    worker.log.seek(0)
    return worker.log.read()


def _wait_for_log(worker, text, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in _log(worker):
            return True
        time.sleep(0.02)
    return False


def test_minutes_task_runs_again_after_its_worker_is_killed(celery_worker, personas, orgs):
    chair = personas.copil_a
    session = SessionFactory(chair=chair, members=[chair], held_on=date(2025, 6, 12), status=Session.Status.REVIEW)
    for _n in range(ITEMS):
        household = walk_to(HouseholdFactory(organisation=orgs.amli), "presented")  # a dossier before the COPIL
        item = AgendaItemFactory(session=session, household=household)
        services.decision_record(item=item, by=chair, outcome="refused", reason="Dossier incomplet")
    Session.objects.filter(pk=session.pk).update(status=Session.Status.HELD)
    session.refresh_from_db()

    services.minutes_sign(session=session, by=chair)  # committed: the outbox sends the task now
    assert _wait_for_log(celery_worker, "minutes_render_task", 60), _log(celery_worker)[-3000:]
    celery_worker.process.send_signal(signal.SIGKILL)  # no clean shutdown, no acknowledgement
    celery_worker.process.wait(timeout=10)
    session.refresh_from_db()
    assert not session.minutes, "the render finished before the kill: make the agenda longer"
    assert "succeeded" not in _log(celery_worker)

    second = celery_worker.spawn(ZEL_CELERY_VISIBILITY_TIMEOUT="2")
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and not session.minutes:
        time.sleep(0.2)
        session.refresh_from_db()
    assert session.minutes, _log(second)[-3000:]
    content = session.minutes.read()
    reader = PdfReader(BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "12/06/2025" in text and "Signatures" in text  # complete: the last page is there
