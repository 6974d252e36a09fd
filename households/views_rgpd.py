"""RGPD pages of a household file: subject-access export and erasure on request (managers)."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import AccessLog
from zel import retention as rgpd
from zel.audit import log_access

from . import access, retention
from .forms_rgpd import ErasureForm


def _household(request, pk: int):
    household = access.household_for(request.user, pk)  # unseen: 404
    if not access.can_manage_personal_data(request.user, household):
        raise PermissionDenied
    return household


@require_GET
def personal_data(request, pk: int):
    household = _household(request, pk)
    return render(request, "households/personal_data.html", {
        "household": household,
        "obstacles": retention.erasure_obstacles(household),
        "form": ErasureForm(household=household),
        "retention_years": settings.ZEL_RETENTION_YEARS,
        "sealed_parts": rgpd.sealed_parts(household),
    })


@require_GET
def personal_data_export(request, pk: int):
    household = _household(request, pk)
    data = retention.subject_access_export(household)
    log_access(request, household, action=AccessLog.Action.EXPORT, household_id=household.pk)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().strftime("%Y%m%d")
    name = f"donnees-{household.reference or household.pk}-{stamp}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store, private"
    return response


@require_POST
def personal_data_erase(request, pk: int):
    household = _household(request, pk)
    form = ErasureForm(request.POST, household=household)
    if form.is_valid():
        try:
            retention.household_erase(household=household, by=request.user, request=request)
        except retention.ErasureRefused as refused:
            for reason in refused.reasons:
                messages.error(request, reason)
        else:
            messages.success(request, _("Le dossier a été anonymisé : les données personnelles sont effacées, "
                                        "les chiffres restent dans les rapports."))
            return redirect("households:detail", pk=household.pk)
    return render(request, "households/personal_data.html", {
        "household": household, "obstacles": retention.erasure_obstacles(household), "form": form,
        "retention_years": settings.ZEL_RETENTION_YEARS, "sealed_parts": rgpd.sealed_parts(household),
    })
