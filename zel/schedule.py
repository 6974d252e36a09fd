"""Periodic tasks (Celery beat, stored by django-celery-beat). One entry per app's job."""

from celery.schedules import crontab  # noqa: F401  (used by the entries below)

BEAT_SCHEDULE: dict = {}
