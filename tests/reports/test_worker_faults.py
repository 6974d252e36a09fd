"""A worker killed in the middle of a report: the message was not acknowledged (acks_late), so another
worker runs the task again and the report ends complete, never half-written."""

import hashlib
import signal
import time
from io import BytesIO

import pytest
from pypdf import PdfReader

from reports import services
from reports.models import Report

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def _wait_for(report, statuses, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in statuses:
            return report.status
        time.sleep(0.05)
    return report.status


def test_report_task_runs_again_after_its_worker_is_killed(celery_worker, programme, personas):
    report = services.report_request(by=personas.manager, quarter="2025Q4")
    assert _wait_for(report, {Report.Status.RUNNING, Report.Status.DONE}, 60) == Report.Status.RUNNING

    celery_worker.process.send_signal(signal.SIGKILL)  # no clean shutdown, no acknowledgement
    celery_worker.process.wait(timeout=10)
    report.refresh_from_db()
    assert report.status == Report.Status.RUNNING and not report.file

    # The new worker takes back unacknowledged messages older than the visibility timeout.
    second = celery_worker.spawn(ZEL_CELERY_VISIBILITY_TIMEOUT="2")
    status = _wait_for(report, {Report.Status.DONE, Report.Status.FAILED}, 120)
    second.log.seek(0)
    assert status == Report.Status.DONE, second.log.read()[-3000:]
    content = report.file.read()
    assert hashlib.sha256(content).hexdigest() == report.checksum
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    assert "Définitions" in text or "définitions" in text.lower()
