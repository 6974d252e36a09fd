"""Celery tasks: thin, take ids, call a service."""

from celery import shared_task


@shared_task(acks_late=True)
def agenda_published_email_task(session_id: int) -> int:
    """Mails every member (and the chair) a link to the session; returns the number of mails."""
    from .models import Session
    from .services import agenda_published_notify

    return agenda_published_notify(session=Session.objects.select_related("territory", "chair").get(pk=session_id))


@shared_task(acks_late=True, time_limit=300, soft_time_limit=280)
def minutes_render_task(session_id: int) -> str:
    from .models import Session
    from .services import minutes_render

    session = minutes_render(session=Session.objects.get(pk=session_id))
    return session.minutes.name
