"""Celery tasks: thin, JSON arguments, call a service."""

from celery import shared_task


@shared_task(acks_late=True, time_limit=3600, soft_time_limit=3500)
def early_warnings_task() -> int:
    from .services import early_warnings_detect

    return early_warnings_detect()


@shared_task(acks_late=True, time_limit=3600, soft_time_limit=3500)
def procedures_refresh_task() -> int:
    from .services import procedures_refresh_stale

    return procedures_refresh_stale()


@shared_task(acks_late=True, time_limit=1800, soft_time_limit=1700)
def deadline_digest_task() -> int:
    from .digest import send_deadline_digest

    return send_deadline_digest()
