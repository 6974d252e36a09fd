from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import AccessLog
from zel.audit import log_access
from zel.lib.forms import apply_validation_error, validation_error_text
from zel.lib.pagination import Ordering, base_query, count_rows, paginate

from . import access, deadlines, rent, selectors, services
from . import dsf as dsf_spec
from .arrears import lease_debt
from .forms import (
    BailiffForm,
    DsfForm,
    DsfSendingForm,
    EventForm,
    PlanForm,
    ProcedureFilterForm,
    ProcedureOpenForm,
    RentImportForm,
    bailiff_choices,
)
from .integrations import active_support_household_ids
from .models import EventType, ProcedureEvent, RepaymentPlan
from .rent_import import import_rent_accounts


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def procedure_list(request):
    _require(access.can_use_litigation(request.user))
    form = ProcedureFilterForm(request.GET or None, landlords=access.procedure_landlords(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.procedure_list(request.user, q=filters.get("q", ""), landlord=filters.get("landlord"),
                                  departement=filters.get("departement"), stage=filters.get("stage", ""),
                                  within=filters.get("within"))
    page = paginate(request, qs, selectors.PROCEDURE_ORDER, per_page=25, salt="procedures")
    rows = page.object_list
    in_support = active_support_household_ids({p.household_id for p in rows})
    today = timezone.localdate()
    return render(request, "litigation/procedure_list.html", {
        "form": form, "page": page, "rows": rows, "in_support": in_support, "query": base_query(request.GET),
        "count": count_rows(qs),
        "today": today, "soon": today + timedelta(days=15),
        "can_open": access.can_manage_procedure(request.user),
        "can_import": access.can_import_rent_accounts(request.user),
        "can_warn": access.can_use_early_warning(request.user),
    })


def procedure_detail(request, pk: int):
    procedure = access.procedure_for(request.user, pk)
    log_access(request, procedure, household_id=procedure.household_id)
    events = list(procedure.events.select_related("recorded_by").order_by("occurred_on", "pk"))
    result = services.procedure_result(procedure, events)
    today = timezone.localdate()
    allowed = access.recordable_event_types(request.user, procedure)
    form = EventForm(allowed_types=allowed, initial={"occurred_on": today}) if allowed else None
    plans = list(procedure.lease.repayment_plans.prefetch_related("installments"))
    lines = selectors.rent_lines(procedure.lease_id) if access.visible_rent_leases(request.user).filter(
        pk=procedure.lease_id).exists() else None
    can_social = access.can_see_support_status(request.user)
    summons = [e for e in events if e.type == EventType.ASSIGNATION]
    return render(request, "litigation/procedure_detail.html", {
        "procedure": procedure, "events": events, "result": result, "today": today,
        "debt": lease_debt(procedure.lease_id), "summons": summons[-1] if summons else None,
        "next": deadlines.next_deadline(result, today), "form": form,
        "support_active": procedure.household_id in active_support_household_ids([procedure.household_id]),
        "plans": selectors.plan_states(plans, lines or [], today) if lines is not None else [],
        "can_see_rent": lines is not None,
        "dsfs": list(procedure.dsfs.all()) if can_social else None,
        "can_manage": access.can_manage_procedure(request.user, procedure),
        "bailiff_form": BailiffForm(bailiffs=bailiff_choices(), initial={"bailiff": procedure.bailiff_id})
        if access.can_manage_procedure(request.user, procedure) else None,
    })


def procedure_open(request):
    _require(access.can_manage_procedure(request.user))
    leases = access.visible_rent_leases(request.user).filter(
        landlord_id=request.user.organisation_id).select_related("household").order_by("reference")
    form = ProcedureOpenForm(request.POST or None, leases=leases, bailiffs=bailiff_choices(),
                             initial={"opened_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        procedure = services.procedure_open(lease=form.cleaned_data["lease"], by=request.user,
                                            opened_on=form.cleaned_data["opened_on"],
                                            bailiff=form.cleaned_data["bailiff"])
        messages.success(request, _("Procédure ouverte."))
        return redirect("litigation:procedure_detail", procedure.pk)
    return render(request, "litigation/procedure_open.html", {"form": form})


@require_POST
def procedure_bailiff(request, pk: int):
    procedure = access.procedure_for(request.user, pk)
    _require(access.can_manage_procedure(request.user, procedure))
    form = BailiffForm(request.POST, bailiffs=bailiff_choices())
    if form.is_valid():
        services.procedure_instruct_bailiff(procedure=procedure, bailiff=form.cleaned_data["bailiff"],
                                            by=request.user)
        messages.success(request, _("Commissaire de justice mandaté enregistré."))
    else:
        messages.error(request, " ".join(form.errors["bailiff"]))
    return redirect("litigation:procedure_detail", procedure.pk)


def event_create(request, pk: int):
    procedure = access.procedure_for(request.user, pk, write=True)
    allowed = access.recordable_event_types(request.user, procedure)
    form = EventForm(request.POST or None, request.FILES or None, allowed_types=allowed,
                     existing_events=list(procedure.events.only("type", "occurred_on", "hearing_on")
                                          .order_by("occurred_on")),
                     initial={"occurred_on": timezone.localdate()}, version=procedure.version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.event_record(procedure=procedure, by=request.user, type=data["type"],
                                  occurred_on=data["occurred_on"], hearing_on=data.get("hearing_on"),
                                  months=data.get("months"), debt_amount=data.get("debt_amount"),
                                  outcome=data.get("outcome", ""), note=data.get("note", ""),
                                  document=data.get("document"), expected_version=data["version"])
        except services.StaleProcedure as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Étape enregistrée : %(type)s.") % {"type": EventType(data["type"]).label})
            return redirect("litigation:procedure_detail", procedure.pk)
    return render(request, "litigation/event_form.html", {"procedure": procedure, "form": form})


def event_document(request, pk: int):
    event = get_object_or_404(ProcedureEvent.objects.select_related("procedure"), pk=pk,
                              procedure__in=access.visible_procedures(request.user))
    if not event.document:
        raise Http404
    log_access(request, event, action=AccessLog.Action.DOWNLOAD, household_id=event.procedure.household_id)
    return FileResponse(event.document.open("rb"), as_attachment=True, content_type="application/pdf",
                        filename=f"acte-{event.type}-{event.occurred_on:%Y%m%d}.pdf")


def rent_account(request, lease_pk: int):
    lease = access.rent_lease_for(request.user, lease_pk)
    log_access(request, lease, household_id=lease.household_id)
    lines = selectors.rent_lines(lease.pk)
    series = rent.debt_series(lines)
    debt = rent.arrears(lines)
    monthly_due = series[-1].net_due if series else lease.monthly_due
    plans = list(lease.repayment_plans.prefetch_related("installments"))
    today = timezone.localdate()
    return render(request, "litigation/rent_account.html", {
        "lease": lease, "series": series, "debt": debt, "chart": rent.svg_points(series),
        "months_of_arrears": rent.months_of_arrears(debt, monthly_due),
        "constituted": rent.is_constituted(debt, monthly_due),
        "paid_in_a_row": rent.months_paid_in_a_row(lines),
        "plans": selectors.plan_states(plans, lines, today),
        "procedures": list(access.visible_procedures(request.user).filter(lease=lease)),
        "support_active": lease.household_id in active_support_household_ids([lease.household_id]),
        "can_plan": access.can_manage_plans(request.user, lease),
    })


def rent_import(request):
    _require(access.can_import_rent_accounts(request.user))
    landlord = request.user.organisation
    form = RentImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = import_rent_accounts(landlord=landlord, raw=form.cleaned_data["file"].read())
        if report.ok:
            messages.success(request, _("Import terminé : %(c)s lignes créées, %(u)s modifiées, %(n)s inchangées.")
                             % {"c": report.created, "u": report.updated, "n": report.unchanged})
            if report.warnings:
                messages.warning(request, _("%(n)s encaissement(s) négatif(s) importé(s) comme annulations : "
                                            "voir la liste ci-dessous.") % {"n": len(report.warnings)})
    return render(request, "litigation/rent_import.html", {"form": form, "report": report, "landlord": landlord})


def plan_create(request, lease_pk: int):
    lease = access.rent_lease_for(request.user, lease_pk)
    _require(access.can_manage_plans(request.user, lease))
    procedure = access.visible_procedures(request.user).filter(lease=lease).order_by("-opened_on").first()
    debt = lease_debt(lease.pk)
    form = PlanForm(request.POST or None, initial={"starts_on": timezone.localdate().replace(day=5),
                                                   "total_debt": debt.amount if debt else None})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_create(lease=lease, by=request.user, procedure=procedure, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Plan enregistré."))
            return redirect("litigation:rent_account", lease.pk)
    return render(request, "litigation/plan_form.html", {"lease": lease, "form": form})


def plan_detail(request, pk: int):
    plan = get_object_or_404(RepaymentPlan.objects.select_related("lease").prefetch_related("installments"),
                             pk=pk, lease__in=access.visible_rent_leases(request.user))
    log_access(request, plan, household_id=plan.lease.household_id)
    lines = selectors.rent_lines(plan.lease_id)
    [(plan, state)] = selectors.plan_states([plan], lines, timezone.localdate())
    return render(request, "litigation/plan_detail.html", {"plan": plan, "state": state, "lease": plan.lease})


# --- Early warning (programme manager) --------------------------------------------------------

# Newest first; among alerts of one day, the latest recorded first (index early_warning_open_keyset).
EARLY_WARNING_ORDER = Ordering(("detected_on", "pk"), descending=True)


def early_warning_list(request):
    _require(access.can_use_early_warning(request.user))
    qs = (access.visible_early_warnings(request.user)
          .filter(referred_on__isnull=True, dismissed_on__isnull=True)
          .select_related("lease__landlord", "household__territory"))
    page = paginate(request, qs, EARLY_WARNING_ORDER, per_page=25, salt="early-warnings")
    return render(request, "litigation/early_warning_list.html", {"page": page})


@require_POST
def early_warning_refer(request, pk: int):
    _require(access.can_use_early_warning(request.user))
    warning = access.early_warning_for(request.user, pk)
    try:
        services.early_warning_refer(warning=warning, by=request.user)
        messages.success(request, _("Ménage orienté vers le programme (prise en charge anticipée)."))
    except ValidationError as exc:
        messages.error(request, validation_error_text(exc))
    return redirect("litigation:early_warning_list")


@require_POST
def early_warning_dismiss(request, pk: int):
    _require(access.can_use_early_warning(request.user))
    warning = access.early_warning_for(request.user, pk)
    try:
        services.early_warning_dismiss(warning=warning, by=request.user)
        messages.success(request, _("Alerte écartée."))
    except ValidationError as exc:
        messages.error(request, validation_error_text(exc))
    return redirect("litigation:early_warning_list")


# --- DSF (care circle) -------------------------------------------------------------------------

def dsf_detail(request, pk: int):
    dsf = access.dsf_for(request.user, pk)
    log_access(request, dsf, household_id=dsf.household_id)
    can_edit = access.can_edit_dsf(request.user, dsf)
    form = DsfForm(request.POST or None, initial=dsf.data, version=dsf.version)
    if request.method == "POST":
        _require(can_edit)
        if form.is_valid():
            try:
                services.dsf_save(dsf=dsf, by=request.user, data=form.cleaned_data,
                                  validate="validate" in request.POST,
                                  expected_version=form.cleaned_data["version"])
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Diagnostic enregistré."))
                return redirect("litigation:dsf_detail", dsf.pk)
    return render(request, "litigation/dsf_detail.html", {
        "dsf": dsf, "form": form, "can_edit": can_edit, "deadline": dsf_spec.deadline(dsf),
        "sections": dsf_spec.sections_for(dsf, dsf_spec.prefill_of(dsf)),
        "sending_form": DsfSendingForm(initial={name: getattr(dsf, name) for name in dsf_spec.SENDING_FIELDS}),
    })


@require_POST
def dsf_sending(request, pk: int):
    dsf = access.dsf_for(request.user, pk, write=True)
    form = DsfSendingForm(request.POST)
    if form.is_valid():
        try:
            services.dsf_record_sending(dsf=dsf, by=request.user, **form.cleaned_data)
            messages.success(request, _("Envoi enregistré."))
        except ValidationError as exc:
            messages.error(request, validation_error_text(exc))
    return redirect("litigation:dsf_detail", dsf.pk)


def dsf_pdf(request, pk: int):
    from zel.lib.pdf import render_pdf

    dsf = access.dsf_for(request.user, pk)
    log_access(request, dsf, action=AccessLog.Action.DOWNLOAD, household_id=dsf.household_id)
    pdf = render_pdf("pdf/litigation_dsf.html", {
        "dsf": dsf, "procedure": dsf.procedure, "deadline": dsf_spec.deadline(dsf),
        "sections": dsf_spec.sections_for(dsf, dsf_spec.prefill_of(dsf))})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dsf-{dsf.procedure_id}.pdf"'
    return response
