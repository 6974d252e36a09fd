"""Writes of the reports app: request a report, build it (figures, PDF, file, checksum)."""

from __future__ import annotations

import hashlib
import logging
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, Territory, User
from zel.db_router import reading_from_replica
from zel.lib.pdf import render_pdf
from zel.outbox import services as outbox

from . import indicators, quarters, rendering
from .models import Budget, Report

# WeasyPrint logs every layout step at INFO: noise in worker logs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def budget_figures(year: int) -> dict | None:
    """The budget of the report's year, else the latest one before it (the PDF says which year)."""
    budget = Budget.objects.filter(year__lte=year).order_by("-year").first()
    if budget is None:
        return None
    return {"year": budget.year, "total": str(budget.total), "fnavdl": str(budget.fnavdl_amount),
            "own_funds": str(budget.own_funds_amount), "other": str(budget.other_amount),
            "other_label": budget.other_label, "staff": budget.staff}


def _published_previous(report: Report) -> Report | None:
    """The published report of the quarter before, same scope: its figures are what funders read."""
    return (Report.objects.filter(quarter=quarters.previous(report.quarter), territory_id=report.territory_id,
                                  status=Report.Status.DONE).exclude(figures={}).order_by("-finished_at").first())


def _headline_of(figures: dict) -> dict:
    return {f"{indicator['key']}.{row['key']}": row["quarter"]
            for indicator in figures["indicators"] for row in indicator["rows"] if row["headline"]}


def figures_compute(*, report: Report) -> dict:
    """The figures, and the previous quarter's headline cells beside them: from the published report
    of the same scope when there is one (so the comparison shows what funders already read), else
    computed in the same pass as the figures."""
    published = _published_previous(report)
    figures, computed = indicators.compute_report(report.quarter, report.territory_codes,
                                                  previous_headline=published is None)
    figures["scope"] = {"territory": report.territory.code if report.territory_id else None,
                        "label": report.scope_label,
                        "funder": report.funder.name if report.funder_id else None}
    figures["previous"] = {"quarter": quarters.previous(report.quarter),
                           "source": "report" if published else "computed",
                           "rows": _headline_of(published.figures) if published else computed}
    figures["budget"] = budget_figures(quarters.parse(report.quarter)[0])
    return figures


def report_pdf(*, report: Report, generated_on: date | None = None) -> bytes:
    """Render the PDF from the frozen figures only: the same figures give the same text."""
    generated_on = generated_on or (timezone.localdate(report.finished_at) if report.finished_at
                                    else timezone.localdate())
    context = rendering.context(report.figures, scope_label=report.figures["scope"]["label"],
                                generated_on=generated_on)
    context["report"] = report
    return render_pdf("pdf/report_quarterly.html", context)


@transaction.atomic
def report_request(*, by: User | None, quarter: str, territory: Territory | None = None,
                   funder: Organisation | None = None, enqueue: bool = True) -> Report:
    quarters.parse(quarter)
    report = Report.objects.create(quarter=quarter, territory=territory, funder=funder, requested_by=by)
    if enqueue:
        # In the same transaction as the report: sent after the commit, or by the outbox sweep when
        # the broker is down then (never a report "en attente" for ever).
        outbox.enqueue("reports.tasks.build_report", report.pk)
    return report


def report_mark_running(*, report_id: int) -> Report | None:
    """Claim the report for a build; None when it is already done (a redelivered message)."""
    with transaction.atomic():
        report = Report.objects.select_for_update(of=("self",)).select_related("territory", "funder").get(pk=report_id)
        if report.status == Report.Status.DONE:
            return None
        report.status = Report.Status.RUNNING
        report.started_at = timezone.now()
        report.attempts += 1
        report.error = ""
        report.save(update_fields=["status", "started_at", "attempts", "error"])
    return report


def _store(report: Report, relative_name: str, content: bytes) -> str:
    """Store the PDF through the storage API (local disk, or an S3-compatible bucket: no local path
    there) and return the name it got. The report records that name, and becomes done, only once the
    whole file is stored: nobody reaches a half-written PDF through the application."""
    return report.file.storage.save(relative_name, ContentFile(content))


def report_build(*, report_id: int) -> Report | None:
    """Compute (or reuse) the frozen figures, render the PDF, store it, then mark the report done.

    The status becomes done only in the same UPDATE that records the file name and checksum, after
    the file is fully on disk; any exception leaves the report not done (the task decides between
    retry and failed)."""
    report = report_mark_running(report_id=report_id)
    if report is None:
        return None
    if not report.figures:
        # Every read of the computation on the replica when there is one (quarterly figures bear
        # seconds of replication lag; the report's own rows are written on the primary).
        with reading_from_replica():
            report.figures = figures_compute(report=report)
        Report.objects.filter(pk=report.pk).update(figures=report.figures)
    finished_at = timezone.now()
    report.finished_at = finished_at
    pdf = report_pdf(report=report, generated_on=timezone.localdate(finished_at))
    name = _store(report, report.file.field.generate_filename(report, "rapport.pdf"), pdf)
    checksum = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        Report.objects.filter(pk=report.pk).update(file=name, checksum=checksum, status=Report.Status.DONE,
                                                   finished_at=finished_at, error="")
    report.refresh_from_db()
    return report


def report_fail(*, report_id: int, error: str, final: bool = True) -> None:
    status = Report.Status.FAILED if final else Report.Status.QUEUED
    Report.objects.filter(pk=report_id).exclude(status=Report.Status.DONE).update(
        status=status, error=error[:2000], finished_at=timezone.now() if final else None)


def enqueue_quarter(*, quarter: str) -> list[Report]:
    """One report per scope (each département and the whole programme) for the quarter, unless one is
    already done or on its way."""
    created = []
    scopes: list[Territory | None] = [None, *Territory.objects.order_by("code")]
    for territory in scopes:
        exists = Report.objects.filter(quarter=quarter, territory=territory, funder__isnull=True).exclude(
            status=Report.Status.FAILED).exists()
        if not exists:
            created.append(report_request(by=None, quarter=quarter, territory=territory))
    return created


def checksum_of(report: Report) -> str:
    digest = hashlib.sha256()
    with report.file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(65536), b""):
            digest.update(chunk)
    return digest.hexdigest()
