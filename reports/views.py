import csv
from io import BytesIO

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import AccessLog
from zel.audit import log_access
from zel.lib.formats import format_spreadsheet_number

from . import access, rendering, services
from .forms import ReportRequestForm
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
    messages.success(request, _("Rapport demandé : il sera prêt dans quelques instants."))
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
        sheet.append([float(row[key]) if key == "value" and not isinstance(row[key], str | int) else row[key]
                      for key, _label in EXPORT_HEADERS])
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
