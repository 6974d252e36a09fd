"""Celery tasks: thin, take ids, call a service."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


@shared_task(acks_late=True)
def agenda_published_email_task(session_id: int) -> int:
    """Mails every member (and the chair) a link to the session; returns the number of mails."""
    from .models import Session

    session = Session.objects.select_related("territory", "chair").get(pk=session_id)
    url = settings.ZEL_SITE_URL.rstrip("/") + reverse("copil:session_detail", args=[session.pk])
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for member in session.members.filter(is_active=True).exclude(email=""):
            context = {"session": session, "member": member, "url": url}
            subject = render_to_string("copil/email/agenda_published_subject.txt", context).strip()
            body = render_to_string("copil/email/agenda_published.txt", context)
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [member.email]))
    return send_mass_mail(messages, fail_silently=False)


@shared_task(acks_late=True, time_limit=300, soft_time_limit=280)
def minutes_render_task(session_id: int) -> str:
    from .models import Session
    from .services import minutes_render

    session = minutes_render(session=Session.objects.get(pk=session_id))
    return session.minutes.name
