from celery import shared_task

from . import retention


@shared_task(acks_late=True)
def apply_retention_task() -> dict:
    """Daily (zel/schedule.py): anonymise the household files past their retention period."""
    result = retention.apply_retention()
    return {"anonymised": len(result.anonymised), "held": len(result.held)}
