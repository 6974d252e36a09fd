"""Sealed parts of the subject-access export (RGPD art. 15, issue 17).

The manager's export (households.views_rgpd) holds everything the manager may read and lists the
sealed parts; each sealed part is produced here by the people entitled to read it, who hand it to the
person: the psychologist of the household for the notes, the household's care circle for the health
section of the diagnoses. Unseen household: 404; seen but not entitled: 403. Every download is in the
access log and is never cached."""

import json

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import AccessLog
from households import access as household_access
from zel.audit import log_access

from . import access, retention


def _download(request, household, data: dict, *, part: str) -> HttpResponse:
    # As the manager's export: the household is the object, the path names the sealed part.
    log_access(request, household, action=AccessLog.Action.EXPORT, household_id=household.pk)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"donnees-{household.reference or household.pk}-{part}-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store, private"
    return response


@require_GET
def notes_export(request, pk: int):
    household = household_access.household_for(request.user, pk)  # unseen: 404
    if not access.can_export_psychologist_notes(request.user, household):
        raise PermissionDenied
    return _download(request, household, retention.notes_export(household, request.user),
                     part="notes-psychologue")


@require_GET
def health_export(request, pk: int):
    household = household_access.household_for(request.user, pk)
    if not access.can_export_health(request.user, household):
        raise PermissionDenied
    return _download(request, household, retention.health_export(household, request.user),
                     part="sante")

