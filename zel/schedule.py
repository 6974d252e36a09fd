"""Periodic tasks (Celery beat, stored by django-celery-beat). One entry per app's job."""

from celery.schedules import crontab  # noqa: F401  (used by the entries below)

BEAT_SCHEDULE: dict = {
    # Outbox sweep: hands to Celery every task recorded but not yet sent (broker down at commit time).
    "outbox-dispatch": {"task": "zel.outbox.tasks.dispatch_outbox_task", "schedule": 60.0},
    # RGPD retention: anonymise closed household files past ZEL_RETENTION_YEARS (households.retention).
    "households-retention": {"task": "households.tasks.apply_retention_task",
                             "schedule": crontab(hour=2, minute=30)},
    # Quarterly funders' reports: every scope's report for the quarter just ended (reports.tasks).
    "reports-quarterly": {"task": "reports.tasks.enqueue_quarterly_reports",
                          "schedule": crontab(minute=0, hour=4, day_of_month=1, month_of_year="1,4,7,10")},
    # Litigation: next deadlines move on, early warnings for tenants not in support, deadline digest.
    "litigation-refresh-deadlines": {"task": "litigation.tasks.procedures_refresh_task",
                                     "schedule": crontab(hour=5, minute=0)},
    "litigation-early-warnings": {"task": "litigation.tasks.early_warnings_task",
                                  "schedule": crontab(hour=5, minute=20)},
    "litigation-deadline-digest": {"task": "litigation.tasks.deadline_digest_task",
                                   "schedule": crontab(hour=6, minute=30)},
    # Appointment reminders (support.tasks): due messages, within 9:00–19:00 Europe/Paris (issue 15).
    "support-appointment-reminders": {"task": "support.tasks.send_due_reminders_task",
                                      "schedule": crontab(minute="*/5")},
}
