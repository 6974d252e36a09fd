"""Who may see, request and download the funders' reports: the reports app's rules, on zel.access.

Reports hold aggregated figures only (small cells masked), scoped by territory: managers see every
report of their territories, funders the finished reports of their territories addressed to nobody
in particular or to their own organisation. The programme-wide report (no territory) is for users
whose territories cover every département.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Territory
from zel import access

from .models import Report


def can_use_reports(user) -> bool:
    return access.is_funder(user) or access.is_manager(user)


def can_request_reports(user) -> bool:
    return access.is_manager(user)


def sees_report_errors(user) -> bool:
    """Why a build failed is for those who may request it again."""
    return can_request_reports(user)


def _covers_whole_programme(user) -> bool:
    codes = set(Territory.objects.values_list("code", flat=True))
    return bool(codes) and codes <= set(user.territory_codes)


def visible_reports(user) -> QuerySet[Report]:
    qs = Report.objects.select_related("territory", "funder", "requested_by")
    if not can_use_reports(user):
        return qs.none()
    scope = Q(territory__code__in=user.territory_codes)
    if _covers_whole_programme(user):
        scope |= Q(territory__isnull=True)
    qs = qs.filter(scope)
    if access.is_manager(user):
        return qs
    return qs.filter(Q(funder__isnull=True) | Q(funder_id=user.organisation_id), status=Report.Status.DONE)


def report_for(user, pk: int) -> Report:
    return get_object_or_404(visible_reports(user), pk=pk)


def downloadable_report_for(user, pk: int, *, needs_file: bool = False) -> Report:
    """A finished report the user sees (404 otherwise, as if it did not exist)."""
    report = report_for(user, pk)
    if report.status != Report.Status.DONE or (needs_file and not report.file):
        raise Http404
    return report


def requestable_territories(user) -> list:
    """(territory or None for the whole programme) a manager may request a report for."""
    if not can_request_reports(user):
        return []
    scopes: list = [None] if _covers_whole_programme(user) else []
    return scopes + list(Territory.objects.filter(code__in=user.territory_codes).order_by("code"))


# --- Issue 16: the live management dashboard and the funders' row-level export ---------------

def can_use_dashboard(user) -> bool:
    """Managers only, never funders: the dashboard's numbers open the lists of households."""
    return access.is_manager(user) and not access.is_funder(user)


def dashboard_territories(user) -> QuerySet[Territory]:
    if not can_use_dashboard(user):
        return Territory.objects.none()
    return Territory.objects.filter(code__in=user.territory_codes).order_by("code")


def dashboard_households(user):
    """The households behind the dashboard's numbers: those the manager may open."""
    from households.access import visible_households

    return visible_households(user)


def can_export_rows(user) -> bool:
    """The row-level export (pseudonymised, coarsened) is for funders whose organisation asked for it
    (settings.ZEL_ROW_EXPORT_FUNDERS), within their territories (row_export_territories)."""
    from .row_export import funder_asked

    return access.is_funder(user) and bool(user.organisation_id) and funder_asked(user.organisation)


def row_export_territories(user) -> QuerySet[Territory]:
    if not can_export_rows(user):
        return Territory.objects.none()
    return Territory.objects.filter(code__in=user.territory_codes).order_by("code")
