"""Celery tasks of the support app: thin, JSON arguments, the work is in services_appointments."""

from celery import shared_task

from . import services_appointments


@shared_task(acks_late=True, ignore_result=True)
def send_reminder_task(reminder_id: int) -> str:
    return services_appointments.reminder_send(reminder_id=reminder_id)


@shared_task(ignore_result=True)
def send_due_reminders_task() -> int:
    """Beat (every 5 minutes): queue every due reminder. Running it twice, or on two workers, is
    harmless: each send claims its row first."""
    services_appointments.reminders_sweep()
    ids = services_appointments.due_reminder_ids()
    for reminder_id in ids:
        send_reminder_task.delay(reminder_id)
    return len(ids)
