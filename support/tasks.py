"""Celery tasks of the support app: thin, JSON arguments, the work is in services_appointments."""

from celery import shared_task

from . import services_appointments


@shared_task(acks_late=True, ignore_result=True)
def send_reminder_task(reminder_id: int) -> str:
    return services_appointments.reminder_send(reminder_id=reminder_id)


@shared_task(ignore_result=True)
def send_due_reminders_task() -> int:
    """Beat (every 5 minutes, and after each appointment change): send every due reminder. Running it
    twice at once, or on two workers, is harmless: each send claims its row first. The messages go
    one after the other in this task (a few per run), so no sub-task can be lost on another queue."""
    services_appointments.reminders_sweep()
    sent = 0
    for reminder_id in services_appointments.due_reminder_ids():
        sent += services_appointments.reminder_send(reminder_id=reminder_id) == "sent"
    return sent
