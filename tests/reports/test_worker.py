"""End to end on a real Celery worker and Redis (skipped with a reason locally without them; CI fails)."""

import time
from io import BytesIO

import pytest
from pypdf import PdfReader

from reports import services
from reports.models import Report

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_real_worker_builds_the_report(celery_worker, programme, personas):
    report = services.report_request(by=personas.manager, quarter="2025Q4")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.is_finished:
            break
        time.sleep(0.5)
    celery_worker.log.seek(0)
    assert report.status == Report.Status.DONE, f"{report.status} {report.error}\n{celery_worker.log.read()[-3000:]}"
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(report.file.read())).pages).replace("\xa0", " ")
    assert "4e trimestre 2025" in text
    assert "60,0 %" in text
    assert "Aubertin" not in text
