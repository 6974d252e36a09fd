"""Celery beat job of the outbox: thin, the logic is in services."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def dispatch_outbox_task() -> int:
    return services.dispatch_pending()
