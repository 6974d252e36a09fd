"""Daily e-mail: hearings and deadlines within 15 days, to the landlord's litigation officers (their
procedures) and to social workers (their assigned households). No social data in the mail.

One recipient at a time (their own deadlines, one query), so memory does not grow with the number of
procedures; each recipient is claimed for the day (DigestSent) before the mail goes, so a second run
the same day mails nobody twice; one run at a time (zel.locks)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User
from zel.locks import single_run

from . import access
from .models import DigestSent, ProcedureDeadline, Stage
from .panels import SOON_DAYS

DIGEST_LOCK = "litigation.deadline_digest"


def _soon(today: date) -> QuerySet[ProcedureDeadline]:
    return (ProcedureDeadline.objects.filter(due_on__gte=today, due_on__lte=today + timedelta(days=SOON_DAYS))
            .exclude(procedure__stage=Stage.CLOSED))


def _recipients(soon: QuerySet[ProcedureDeadline]) -> QuerySet[User]:
    officers = access.digest_officers(soon.values("procedure__landlord_id"))
    workers = access.digest_workers(soon.values("procedure__household_id"))
    return (User.objects.filter(Q(pk__in=officers.values("pk")) | Q(pk__in=workers.values("pk")))
            .annotate(is_officer=Exists(officers.filter(pk=OuterRef("pk"))),
                      is_worker=Exists(workers.filter(pk=OuterRef("pk"))))
            .order_by("pk"))


def _items(soon: QuerySet[ProcedureDeadline], user: User) -> list[ProcedureDeadline]:
    mine = [Q(procedure__landlord_id=user.organisation_id)] if user.is_officer else []
    if user.is_worker:
        mine.append(Q(procedure__household__assigned_workers=user))
    if not mine:
        return []
    return list(soon.filter(reduce(or_, mine)).distinct().select_related("procedure__lease").order_by("due_on", "pk"))


def _claim(user: User, today: date) -> bool:
    try:
        with transaction.atomic():
            DigestSent.objects.create(user=user, sent_on=today)
    except IntegrityError:
        return False  # already mailed today
    return True


def send_deadline_digest(*, today: date | None = None) -> int:
    """Returns the number of mails sent (0 when another run holds the lock)."""
    today = today or timezone.localdate()
    soon = _soon(today)
    sent = 0
    with single_run(DIGEST_LOCK) as acquired:
        if not acquired:
            return 0
        connection = get_connection()
        with translation.override(settings.LANGUAGE_CODE), connection:
            for user in _recipients(soon).iterator(chunk_size=200):
                items = _items(soon, user)
                if not items or not _claim(user, today):
                    continue
                context = {"user": user, "items": items, "today": today, "site": settings.ZEL_SITE_URL.rstrip("/")}
                subject = render_to_string("litigation/email/digest_subject.txt", context).strip()
                body = render_to_string("litigation/email/digest.txt", context)
                try:
                    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email],
                                 connection=connection).send()
                except Exception:
                    DigestSent.objects.filter(user=user, sent_on=today).delete()  # not sent: a retry may
                    raise
                sent += 1
    return sent
