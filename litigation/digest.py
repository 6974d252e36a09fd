"""Daily e-mail: hearings and deadlines within 15 days, to the landlord's litigation officers (their
procedures) and to social workers (their assigned households). No social data in the mail."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User

from . import access
from .models import ProcedureDeadline, Stage
from .panels import SOON_DAYS


def send_deadline_digest(*, today: date | None = None) -> int:
    today = today or timezone.localdate()
    horizon = today + timedelta(days=SOON_DAYS)
    rows = list(ProcedureDeadline.objects.filter(due_on__gte=today, due_on__lte=horizon)
                .exclude(procedure__stage=Stage.CLOSED)
                .select_related("procedure__lease", "procedure__household")
                .order_by("due_on"))
    by_landlord, by_household = defaultdict(list), defaultdict(list)
    for row in rows:
        by_landlord[row.procedure.landlord_id].append(row)
        by_household[row.procedure.household_id].append(row)
    recipients: dict[int, tuple[User, list]] = {}
    officers = access.digest_officers(by_landlord)
    for officer in officers:
        recipients[officer.pk] = (officer, list(by_landlord[officer.organisation_id]))
    workers = access.digest_workers(by_household).values_list("pk", "assigned_households")
    worker_rows: dict[int, list] = defaultdict(list)
    for pk, household_id in workers:
        worker_rows[pk].extend(by_household.get(household_id, []))
    for user in User.objects.filter(pk__in=list(worker_rows)):
        _user, existing = recipients.get(user.pk, (user, []))
        recipients[user.pk] = (user, existing + [r for r in worker_rows[user.pk] if r not in existing])
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for user, items in recipients.values():
            if not items:
                continue
            items.sort(key=lambda r: r.due_on)
            context = {"user": user, "items": items, "today": today, "site": settings.ZEL_SITE_URL.rstrip("/")}
            subject = render_to_string("litigation/email/digest_subject.txt", context).strip()
            body = render_to_string("litigation/email/digest.txt", context)
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    return send_mass_mail(messages, fail_silently=False) if messages else 0
