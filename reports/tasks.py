"""Celery tasks of the reports app: thin wrappers around services (ids in, nothing out)."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from zel.locks import single_run

from . import quarters, services, services_dashboard

logger = logging.getLogger(__name__)
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
MAX_RETRIES = 5


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES, soft_time_limit=14 * 60, time_limit=15 * 60)
def build_report(self, report_id: int) -> None:
    try:
        services.report_build(report_id=report_id)
    except TRANSIENT as exc:
        final = self.request.retries >= MAX_RETRIES
        # The message says what failed, never which household: errors are shown to managers.
        services.report_fail(report_id=report_id, error=f"{type(exc).__name__} (tentative {self.request.retries + 1})",
                             final=final)
        if final:
            logger.error("report %s failed after %s attempts: %s", report_id, MAX_RETRIES + 1, type(exc).__name__)
            return
        raise self.retry(exc=exc, countdown=min(600, 10 * 2 ** self.request.retries)) from exc
    except Exception as exc:
        logger.exception("report %s failed", report_id)
        services.report_fail(report_id=report_id, error=f"{type(exc).__name__}: {str(exc)[:300]}")


@shared_task(acks_late=True)
def enqueue_quarterly_reports() -> int:
    """Beat job, first day after each quarter: every scope's report for the quarter just ended. One run
    at a time (zel.locks): two at once would both see "no report yet" and request it twice."""
    quarter = quarters.previous(quarters.of(timezone.localdate()))
    with single_run("reports.quarterly") as acquired:
        if not acquired:
            return 0
        return len(services.enqueue_quarter(quarter=quarter))


@shared_task(acks_late=True, soft_time_limit=10 * 60, time_limit=11 * 60)
def compute_dashboard(snapshot_id: int) -> None:
    """The live dashboard's figures for one manager and scope (idempotent: it overwrites them)."""
    services_dashboard.dashboard_compute(snapshot_id=snapshot_id)
