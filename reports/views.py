import csv
from io import BytesIO
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import AccessLog
from households.models import Household
from zel.audit import log_access
from zel.db_router import reading_from_replica
from zel.lib.formats import format_spreadsheet_number
from zel.lib.text import spreadsheet_cell, spreadsheet_safe

from . import access, dashboard, indicators, rendering, row_export, services, services_dashboard
from .forms import DashboardForm, ReportRequestForm, dashboard_initial, quarter_choices
from .models import Report

EXPORT_HEADERS = [("quarter", "Trimestre"), ("section", "Rubrique"), ("indicator", "Indicateur"),
                  ("row", "Ligne"), ("period", "Période"), ("dimension", "Ventilation"), ("value", "Valeur"),
                  ("unit", "Unité")]


def _require_reports(request) -> None:
    if not access.can_use_reports(request.user):
        raise PermissionDenied


@require_GET
def report_list(request):
    _require_reports(request)
    reports = access.visible_reports(request.user)
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    can_request = access.can_request_reports(request.user)
    return render(request, "reports/report_list.html", {
        "page": page, "query": "", "can_request": can_request,
        "form": ReportRequestForm(user=request.user) if can_request else None,
        "row_export_quarters": quarter_choices() if access.can_export_rows(request.user) else None,
        "can_use_dashboard": access.can_use_dashboard(request.user),
    })


@require_POST
def report_request(request):
    if not access.can_request_reports(request.user):
        raise PermissionDenied
    form = ReportRequestForm(request.POST, user=request.user)
    if not form.is_valid():
        reports = access.visible_reports(request.user)
        return render(request, "reports/report_list.html", {
            "page": Paginator(reports, 25).get_page(1), "query": "", "can_request": True, "form": form,
        }, status=400)
    report = services.report_request(by=request.user, quarter=form.cleaned_data["quarter"],
                                     territory=form.cleaned_data["scope"])
    # The build is recorded with the report (outbox) and starts as soon as the task queue answers.
    messages.success(request, _("Demande enregistrée, elle sera traitée dès que possible."))
    return redirect(f"{reverse('reports:report_list')}#rapport-{report.pk}")


def _status_payload(report: Report, user) -> dict:
    payload = {"id": report.pk, "status": report.status, "label": str(report.get_status_display()),
               "finished": report.is_finished, "error": "", "download_url": "", "finished_at": ""}
    if report.status == Report.Status.DONE:
        payload["download_url"] = reverse("reports:report_download", args=[report.pk])
        payload["finished_at"] = date_format(report.finished_at, "SHORT_DATETIME_FORMAT", use_l10n=True)
    if report.status == Report.Status.FAILED and access.sees_report_errors(user):
        payload["error"] = report.error
    return payload


@require_GET
def report_status(request, pk: int):
    _require_reports(request)
    report = access.report_for(request.user, pk)
    return JsonResponse(_status_payload(report, request.user))


@require_GET
def report_detail(request, pk: int):
    _require_reports(request)
    report = access.report_for(request.user, pk)
    context = {"report": report}
    if report.figures:
        context["headline"] = rendering.headline(report.figures)
        context["previous_label"] = report.figures.get("previous", {}).get("quarter", "")
        log_access(request, report)
    return render(request, "reports/report_detail.html", context)


def _downloadable(request, pk: int, *, needs_file: bool = False) -> Report:
    _require_reports(request)
    return access.downloadable_report_for(request.user, pk, needs_file=needs_file)


@require_GET
def report_download(request, pk: int):
    report = _downloadable(request, pk, needs_file=True)
    log_access(request, report, action=AccessLog.Action.DOWNLOAD)
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.download_name("pdf"),
                        content_type="application/pdf")


@require_GET
def report_csv(request, pk: int):
    report = _downloadable(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{report.download_name("csv")}"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM.
    writer = csv.writer(response, delimiter=";")
    writer.writerow([label for _key, label in EXPORT_HEADERS])
    for row in rendering.flat_rows(report.figures):
        writer.writerow([str(row[key]).replace(".", ",") if key == "value" and not isinstance(row[key], str)
                         else spreadsheet_cell(row[key]) for key, _label in EXPORT_HEADERS])
        writer.writerow([format_spreadsheet_number(row[key]) if key == "value" else row[key]
                         for key, _label in EXPORT_HEADERS])
    log_access(request, report, action=AccessLog.Action.DOWNLOAD)
    return response


@require_GET
def report_xlsx(request, pk: int):
    from openpyxl import Workbook

    report = _downloadable(request, pk)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = report.quarter
    sheet.append([label for _key, label in EXPORT_HEADERS])
    for row in rendering.flat_rows(report.figures):
        sheet.append([float(row[key]) if key == "value" and not isinstance(row[key], str | int)
                      else spreadsheet_cell(row[key]) for key, _label in EXPORT_HEADERS])
    for column, width in zip("ABCDEFGH", (10, 34, 40, 50, 16, 14, 12, 20), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    log_access(request, report, action=AccessLog.Action.DOWNLOAD)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{report.download_name("xlsx")}"'
    return response


# --- Issue 16: the live management dashboard (managers only) ------------------------------------

def _require_dashboard(request) -> None:
    if not access.can_use_dashboard(request.user):
        raise PermissionDenied


def _dashboard_scope(request):
    data = request.GET if "start" in request.GET else dashboard_initial()
    form = DashboardForm(data, user=request.user)
    if not form.is_valid():
        return form, None
    return form, dashboard.Scope(form.cleaned_data["start"], form.cleaned_data["end"], form.territory_codes())


@require_GET
def dashboard_view(request):
    _require_dashboard(request)
    form, scope = _dashboard_scope(request)
    context = {"form": form, "scope": scope}
    if scope is not None:
        snapshot = services_dashboard.dashboard_snapshot(user=request.user, scope=scope)
        if request.headers.get("X-ZEL-Poll"):  # static/js/reports.js, while the first computation runs
            return JsonResponse({"ready": snapshot.figures is not None, "error": bool(snapshot.error)})
        context.update(snapshot=snapshot, csv_query=urlencode(scope.query()))
        figures = snapshot.figures
        if figures is not None:
            context.update(tables=dashboard.tables(figures, scope), charts=dashboard.chart_svgs(figures),
                           columns=[label for _d, _k, label in dashboard.columns(figures)])
    return render(request, "reports/dashboard.html", context, status=200 if scope else 400)


@require_GET
def dashboard_households(request):
    _require_dashboard(request)
    form, scope = _dashboard_scope(request)
    if scope is None:
        raise Http404
    params = {name: request.GET.get(name, "") for name in ("indicator", "row", "period", "dim", "key")}
    ids = dashboard.cell_household_ids(request.user, scope, indicator_key=params["indicator"],
                                       row_key=params["row"], period=params["period"], dim=params["dim"],
                                       key=params["key"])
    if ids is None:
        raise Http404
    households = (access.dashboard_households(request.user).filter(pk__in=ids)
                  .select_related("territory").order_by("last_name", "first_name", "pk"))
    page = Paginator(households, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    indicator = next(i for i in indicators.INDICATORS if i.key == params["indicator"])
    return render(request, "reports/dashboard_households.html", {
        "page": page, "query": query.urlencode(), "indicator": indicator, "scope": scope,
        "back": urlencode(scope.query())})


@require_GET
def dashboard_csv(request):
    _require_dashboard(request)
    _form, scope = _dashboard_scope(request)
    if scope is None:
        raise Http404
    # The figures on screen when there are some (the export matches what the manager read).
    figures = services_dashboard.dashboard_snapshot(user=request.user, scope=scope).figures
    if figures is None:
        figures = dashboard.live_figures(request.user, scope)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="zel-pilotage-{scope.start:%Y%m%d}-'
                                       f'{scope.end:%Y%m%d}.csv"')
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Rubrique"), _("Indicateur"), _("Ligne"), _("Période"), _("Ventilation"), _("Valeur"),
                     _("Unité")])
    rows = 0
    for row in dashboard.flat_rows(figures):
        writer.writerow([spreadsheet_safe(cell) for cell in row])
        rows += 1
    # Aggregates of the manager's households: logged as an export of households, with its size.
    log_access(request, Household, action=AccessLog.Action.EXPORT, count=rows)
    return response


# --- Issue 16: the funders' row-level export --------------------------------------------------

@require_GET
def row_export_csv(request):
    if not access.can_export_rows(request.user):
        raise PermissionDenied
    choices = dict(quarter_choices(n=40))
    quarter = request.GET.get("quarter") or next(iter(choices))
    if quarter not in choices:
        return HttpResponse(_("Trimestre inconnu : choisissez l'un des trimestres terminés proposés."), status=400,
                            content_type="text/plain; charset=utf-8")
    codes = [t.code for t in access.row_export_territories(request.user)]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="zel-lignes-{quarter}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(row_export.HEADERS)
    rows = 0
    # A finished quarter's statistics: read on the replica when there is one (the access log below
    # is written on the primary).
    with reading_from_replica():
        for row in row_export.rows(funder_id=request.user.organisation_id, quarter=quarter, territory_codes=codes):
            writer.writerow([spreadsheet_safe(cell) for cell in row])
            rows += 1
    log_access(request, Household, action=AccessLog.Action.EXPORT, count=rows)
    return response
