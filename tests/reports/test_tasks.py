"""The Celery task: retries on transient errors, never a half-written file marked done; the beat job."""

from datetime import date
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError

from accounts.models import Territory
from reports import services, tasks
from reports.models import Report
from zel.schedule import BEAT_SCHEDULE

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks (the task enqueue) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_transient_database_error_is_retried_then_the_report_is_done(programme, personas):
    real = services.figures_compute
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    report = services.report_request(by=personas.manager, quarter="2025Q4", enqueue=False)
    with mock.patch.object(services, "figures_compute", side_effect=flaky):
        # As the worker runs it (eager apply re-runs the task on Retry instead of waiting).
        tasks.build_report.apply(args=[report.pk], throw=False)
    report.refresh_from_db()
    assert calls["n"] == 2
    assert report.status == Report.Status.DONE
    assert report.attempts == 2


def test_failure_while_writing_leaves_no_done_report_and_no_final_file(programme, personas, media_root, commit):
    with mock.patch.object(services, "_store", side_effect=OSError("disk full")), commit():
        report = services.report_request(by=personas.manager, quarter="2025Q4")
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert "OSError" in report.error
    assert not report.file and not report.checksum
    assert not list(media_root.rglob("*.pdf"))


def test_rendering_error_marks_the_report_failed(programme, personas, commit):
    with mock.patch.object(services, "render_pdf", side_effect=ValueError("boom")), commit():
        report = services.report_request(by=personas.manager, quarter="2025Q4")
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert not report.file


def test_redelivered_message_does_not_rebuild_a_done_report(programme, personas, commit):
    with commit():
        report = services.report_request(by=personas.manager, quarter="2025Q4")
    report.refresh_from_db()
    checksum = report.checksum
    tasks.build_report(report.pk)
    report.refresh_from_db()
    assert report.checksum == checksum and report.attempts == 1


def test_quarterly_job_enqueues_every_scope_once(programme, commit):
    with mock.patch("reports.tasks.timezone.localdate", return_value=date(2026, 1, 1)), commit():
        assert tasks.enqueue_quarterly_reports() == 1 + Territory.objects.count()
        assert tasks.enqueue_quarterly_reports() == 0
    assert set(Report.objects.values_list("quarter", flat=True)) == {"2025Q4"}
    assert Report.objects.filter(territory__isnull=True).count() == 1
    assert not Report.objects.exclude(status=Report.Status.DONE).exists()


def test_beat_runs_the_quarterly_job_on_the_first_day_after_each_quarter():
    entry = BEAT_SCHEDULE["reports-quarterly"]
    assert entry["task"] == "reports.tasks.enqueue_quarterly_reports"
    schedule = entry["schedule"]
    assert schedule.day_of_month == {1}
    assert schedule.month_of_year == {1, 4, 7, 10}


def test_build_report_command_writes_the_pdf(programme, tmp_path):
    output = tmp_path / "rapport.pdf"
    call_command("build_report", "--quarter", "2025Q4", "--departement", "57", "--output", str(output))
    assert output.read_bytes().startswith(b"%PDF")
    report = Report.objects.get()
    assert report.territory.code == "57" and report.status == Report.Status.DONE


def test_build_report_command_rejects_a_bad_quarter(programme):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("build_report", "--quarter", "2025-12")
    with pytest.raises(CommandError):
        call_command("build_report", "--quarter", "2025Q4", "--departement", "99")


def test_transient_errors_end_in_failed_after_the_last_retry(programme, personas):
    report = services.report_request(by=personas.manager, quarter="2025Q4", enqueue=False)
    with mock.patch.object(services, "figures_compute", side_effect=OperationalError("down")):
        # The last allowed attempt (earlier ones would be retried as in the test above).
        tasks.build_report.apply(args=[report.pk], retries=tasks.MAX_RETRIES, throw=False)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.attempts == 1
    assert "OperationalError" in report.error and not report.file
