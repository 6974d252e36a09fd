"""Writes of the litigation app: each is keyword-only, typed and atomic."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import CharField, Exists, Max, Min, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from households.models import Lease, Track
from zel.access import require
from zel.lib.formats import format_eur, format_month
from zel.lib.limits import SHORT_TEXT, check_length
from zel.locks import single_run

from . import access, deadlines
from . import dsf as dsf_spec
from .arrears import early_warning_rows, lease_arrears
from .integrations import active_support_household_ids, supported_households
from .models import (
    STAGE_OF_EVENT,
    Dsf,
    EarlyWarning,
    EventType,
    Installment,
    Procedure,
    ProcedureDeadline,
    ProcedureEvent,
    RentAccountLine,
    RepaymentPlan,
    Stage,
    outcome_for,
    stage_for,
)
from .rent import schedule

HEARING_EVENTS = {EventType.ASSIGNATION, EventType.AUDIENCE_RENVOYEE}


class StaleProcedure(Exception):
    """Someone recorded an event on this procedure after the form was opened."""

    def __init__(self, current: Procedure):
        super().__init__(_("Cette procédure a été modifiée par quelqu'un d'autre entre-temps."))
        self.current = current


def engine_event(event: ProcedureEvent) -> deadlines.Event:
    label = f"{EventType(event.type).label.lower()} du {event.occurred_on:%d/%m/%Y}"
    return deadlines.Event(
        type=event.type, date=event.occurred_on, hearing=event.hearing_on,
        payment_delay_months=event.months if event.type == EventType.JUGEMENT else None,
        months=event.months if event.type in (EventType.DELAIS_JEX, EventType.PROTOCOLE) else None,
        label=f"l'événement « {label} »")


def procedure_result(procedure: Procedure, events: list[ProcedureEvent]) -> deadlines.Result:
    from django.conf import settings

    return deadlines.compute([engine_event(e) for e in events], departement=procedure.territory.code,
                             lease_date=procedure.lease.reference_date,
                             truce_start=settings.ZEL_TRUCE_START, truce_end=settings.ZEL_TRUCE_END)


@transaction.atomic
def procedure_open(*, lease: Lease, by: User | None, opened_on: date, bailiff: User | None = None) -> Procedure:
    require(by is None or (access.can_manage_procedure(by) and lease.landlord_id == by.organisation_id))
    household = lease.household
    procedure = Procedure(lease=lease, household=household, landlord_id=lease.landlord_id,
                          territory_id=household.territory_id, opened_on=opened_on, bailiff=bailiff)
    procedure._history_user = by
    procedure.save()
    procedure_refresh(procedure=procedure)
    return procedure


@transaction.atomic
def procedure_instruct_bailiff(*, procedure: Procedure, bailiff: User | None, by: User) -> Procedure:
    require(access.can_manage_procedure(by, procedure))
    if bailiff is not None and not access.can_be_instructed(bailiff):
        raise ValidationError({"bailiff": _("Cette personne n'est pas commissaire de justice.")})
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    procedure.bailiff = bailiff
    procedure.version += 1
    procedure._history_user = by
    procedure.save(update_fields=["bailiff", "version", "updated_at"])
    return procedure


@transaction.atomic
def event_record(*, procedure: Procedure, by: User, type: str, occurred_on: date,
                 hearing_on: date | None = None, months: int | None = None,
                 debt_amount: Decimal | None = None, outcome: str = "", note: str = "",
                 document=None, expected_version: int | None = None) -> ProcedureEvent:
    """Records a step; refuses what the law forbids (the engine's message, in French), keeps the
    procedure's cached stage and deadlines in step, and opens the DSF task when a hearing is set."""
    # A closed procedure gets the engine's French refusal below rather than a bare 403.
    require(procedure.is_closed or access.can_record_event(by, procedure, type))
    current = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleProcedure(current)
    if current.stage == Stage.CLOSED:
        raise ValidationError(_("La procédure est close : aucun événement ne peut plus être ajouté."))
    if type not in EventType.values:
        raise ValidationError({"type": _("Type d'événement inconnu.")})
    if type == EventType.CLOTURE and not outcome:
        raise ValidationError({"outcome": _("Indiquez l'issue de la procédure.")})
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("La date de l'acte ne peut pas être dans le futur.")})
    check_length(note, field="note", limit=SHORT_TEXT)
    event = ProcedureEvent(procedure=current, type=type, occurred_on=occurred_on, hearing_on=hearing_on,
                           months=months, debt_amount=debt_amount, outcome=outcome, note=note, recorded_by=by)
    if document:
        event.document = document
    events = list(current.events.all()) + [event]
    try:
        procedure_result(current, events)
    except deadlines.DeadlineInputError as exc:
        raise ValidationError(str(exc)) from None
    event._history_user = by
    event.save()
    current.version += 1  # the row is locked above (select_for_update)
    current._history_user = by
    current.save(update_fields=["version", "updated_at"])
    procedure_refresh(procedure=current)
    if type in HEARING_EVENTS:
        dsf_open_for_hearing(procedure=current, hearing_on=hearing_on)
    procedure.__dict__.update({k: v for k, v in current.__dict__.items() if not k.startswith("_")})
    return event


def procedure_refresh(*, procedure: Procedure, today: date | None = None) -> Procedure:
    """Recomputes the cached stage, outcome, debt, hearing, next deadline and stored deadlines."""
    today = today or timezone.localdate()
    events = list(procedure.events.order_by("occurred_on", "pk"))
    result = procedure_result(procedure, events)
    procedure.stage = stage_for([e.type for e in events])
    procedure.outcome = outcome_for([(e.type, e.outcome) for e in events])
    procedure.closed_on = events[-1].occurred_on if procedure.stage == Stage.CLOSED else None
    hearings = [e.hearing_on for e in events if e.type in HEARING_EVENTS and e.hearing_on]
    procedure.hearing_on = hearings[-1] if hearings else None
    debts = lease_arrears([procedure.lease_id])
    if procedure.lease_id in debts:
        procedure.current_debt = debts[procedure.lease_id]
    elif with_debt := [e.debt_amount for e in events if e.debt_amount is not None]:
        procedure.current_debt = with_debt[-1]
    upcoming = None if procedure.stage == Stage.CLOSED else deadlines.next_deadline(result, today)
    procedure.next_deadline_on = upcoming.date if upcoming else None
    procedure.next_deadline_code = upcoming.code if upcoming else ""
    procedure.eviction_possible_from = result.eviction_possible_from
    Procedure.objects.filter(pk=procedure.pk).update(
        stage=procedure.stage, outcome=procedure.outcome, closed_on=procedure.closed_on,
        hearing_on=procedure.hearing_on, current_debt=procedure.current_debt,
        next_deadline_on=procedure.next_deadline_on, next_deadline_code=procedure.next_deadline_code,
        eviction_possible_from=procedure.eviction_possible_from)
    ProcedureDeadline.objects.filter(procedure=procedure).delete()
    ProcedureDeadline.objects.bulk_create([
        ProcedureDeadline(procedure=procedure, code=d.code, due_on=d.date, label=d.label, rule=d.rule,
                          source=d.source) for d in result.deadlines])
    return procedure


PROCEDURES_REFRESH_LOCK = "litigation.procedures_refresh"


def procedures_refresh_stale(*, today: date | None = None) -> int:
    """Daily: the 'next' deadline of a procedure moves on once its date has passed. One procedure per
    transaction, read in chunks; one run at a time (zel.locks): a second run returns 0 at once."""
    today = today or timezone.localdate()
    count = 0
    stale = (Procedure.objects.filter(next_deadline_on__lt=today).exclude(stage=Stage.CLOSED)
             .select_related("lease", "territory"))
    with single_run(PROCEDURES_REFRESH_LOCK) as acquired:
        if not acquired:
            return 0
        for procedure in stale.iterator(chunk_size=500):
            with transaction.atomic():
                procedure_refresh(procedure=procedure, today=today)
            count += 1
    return count


# ---------------------------------------------------------------------------------------------
# Repayment plans
# ---------------------------------------------------------------------------------------------

@transaction.atomic
def plan_create(*, lease: Lease, by: User | None, kind: str, total_debt: Decimal, starts_on: date,
                months: int, procedure: Procedure | None = None) -> RepaymentPlan:
    require(by is None or access.can_manage_plans(by, lease))
    if kind == RepaymentPlan.Kind.JUDGE_DELAYS and months > deadlines.MAX_PAYMENT_DELAY_MONTHS:
        raise ValidationError({"months": _("Les délais de paiement du juge sont de 3 ans au plus.")})
    if kind == RepaymentPlan.Kind.PROTOCOL and months > deadlines.MAX_PROTOCOL_MONTHS:
        raise ValidationError({"months": _("Un protocole dure au plus 2 ans, prolongeables de 3 ans.")})
    if not 1 <= months <= 120:
        raise ValidationError({"months": _("Entre 1 et 120 échéances.")})
    if total_debt <= 0:
        raise ValidationError({"total_debt": _("La dette à apurer doit être positive.")})
    plan = RepaymentPlan(lease=lease, procedure=procedure, kind=kind, total_debt=total_debt, starts_on=starts_on,
                         created_by=by)
    plan._history_user = by
    plan.save()
    Installment.objects.bulk_create([Installment(plan=plan, due_on=due_on, amount=amount)
                                     for due_on, amount in schedule(total_debt=total_debt, starts_on=starts_on,
                                                                    months=months)])
    return plan


# ---------------------------------------------------------------------------------------------
# DSF
# ---------------------------------------------------------------------------------------------

def dsf_open_for_hearing(*, procedure: Procedure, hearing_on: date | None) -> Dsf | None:
    """A summons for a household in support: the assigned worker gets a DSF to prepare."""
    if hearing_on is None or procedure.household_id not in active_support_household_ids([procedure.household_id]):
        return None
    worker = access.dsf_worker_for(procedure.household)
    dsf, _created = Dsf.objects.get_or_create(
        procedure=procedure, hearing_on=hearing_on,
        defaults={"household_id": procedure.household_id, "assigned_to": worker})
    return dsf




@transaction.atomic
def dsf_save(*, dsf: Dsf, by: User, data: dict, validate: bool = False,
             expected_version: int | None = None) -> Dsf:
    require(access.can_edit_dsf(by, dsf))
    current = Dsf.objects.select_for_update().get(pk=dsf.pk)
    if expected_version is not None and current.version != expected_version:
        raise ValidationError(_("Ce diagnostic a été modifié par quelqu'un d'autre entre-temps."))
    if current.status == Dsf.Status.VALIDATED:
        raise ValidationError(_("Ce diagnostic est validé : il ne se modifie plus."))
    for entry in dsf_spec.ENTRIES:
        if entry.kind == "long":
            check_length(data.get(entry.name) or "", field=entry.name)
    current.data = {**current.data, **{k: _jsonable(data.get(k) or "") for k in dsf_spec.ENTRY_NAMES}}
    if validate:
        # Frozen at validation, with their sources and dates: the PDF sent to the judge must not
        # change later.
        current.data["prefill"] = dsf_spec.build_prefill(current)
        current.status = Dsf.Status.VALIDATED
        current.validated_at = timezone.now()
        current.validated_by = by
    current.version += 1
    current._history_user = by
    current.save()
    return current


@transaction.atomic
def dsf_record_sending(*, dsf: Dsf, by: User, sent_to_court_on: date | None = None,
                       sent_to_ccapex_on: date | None = None, sent_to_tenant_on: date | None = None,
                       sent_to_landlord_on: date | None = None) -> Dsf:
    """Records when the validated DSF went to the judge, the CCAPEX, the tenant and the landlord."""
    require(access.can_edit_dsf(by, dsf))
    if dsf.status != Dsf.Status.VALIDATED:
        raise ValidationError(_("Validez le diagnostic avant d'enregistrer son envoi."))
    today = timezone.localdate()
    sent = {"sent_to_court_on": sent_to_court_on, "sent_to_ccapex_on": sent_to_ccapex_on,
            "sent_to_tenant_on": sent_to_tenant_on, "sent_to_landlord_on": sent_to_landlord_on}
    future = {name: _("La date d'envoi ne peut pas être dans le futur.") for name, value in sent.items()
              if value and value > today}
    if future:
        raise ValidationError(future)
    dsf = Dsf.objects.select_for_update().get(pk=dsf.pk)
    for name, value in sent.items():
        setattr(dsf, name, value)
    dsf.version += 1
    dsf._history_user = by
    dsf.save(update_fields=[*sent, "version"])
    return dsf


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


# ---------------------------------------------------------------------------------------------
# Early warning
# ---------------------------------------------------------------------------------------------

@transaction.atomic
def early_warning_refer(*, warning: EarlyWarning, by: User) -> EarlyWarning:
    """One click: the tenant is referred to the programme (track maintien) by the landlord."""
    from households.services import referral_record

    require(access.can_handle_early_warning(by, warning))
    # Every open warning of the lease, locked: a double tap refers once, and each row keeps its history.
    open_warnings = list(EarlyWarning.objects.select_for_update(of=("self",)).filter(
        lease=warning.lease, referred_on__isnull=True, dismissed_on__isnull=True))
    if warning.pk not in {w.pk for w in open_warnings}:
        raise ValidationError(_("Cette alerte a déjà été traitée."))
    referral_record(by=by, household=warning.household, partner=warning.lease.landlord,
                    referrer_name=by.get_full_name() or by.username, referred_on=timezone.localdate(),
                    reason=_("Prise en charge anticipée (alerte contentieux) : %(kind)s. %(detail)s")
                    % {"kind": warning.get_kind_display(), "detail": warning.detail},
                    track=Track.MAINTENANCE)
    for handled in open_warnings:
        handled.referred_on, handled.handled_by, handled._history_user = timezone.localdate(), by, by
        handled.save(update_fields=["referred_on", "handled_by"])
    warning.refresh_from_db()
    return warning


@transaction.atomic
def early_warning_dismiss(*, warning: EarlyWarning, by: User) -> EarlyWarning:
    require(access.can_handle_early_warning(by, warning))
    warning = EarlyWarning.objects.select_for_update(of=("self",)).get(pk=warning.pk)
    if not warning.is_open:
        raise ValidationError(_("Cette alerte a déjà été traitée."))
    warning.dismissed_on = timezone.localdate()
    warning.handled_by = by
    warning._history_user = by
    warning.save(update_fields=["dismissed_on", "handled_by"])
    return warning


EARLY_WARNINGS_LOCK = "litigation.early_warnings"
LEASES_PER_BATCH = 10_000  # leases (by id range) read per statement, and committed together


def early_warnings_detect(*, today: date | None = None) -> int:
    """Daily job: leases reaching the constituted threshold, growing a second month, or whose
    procedure reached a new step, for households not in support. Re-running adds nothing; a second
    run while one is going returns 0 at once (zel.locks). Returns the number of warnings created."""
    today = today or timezone.localdate()
    with single_run(EARLY_WARNINGS_LOCK) as acquired:
        if not acquired:
            return 0
        before = EarlyWarning.objects.count()
        _detect_arrears_warnings(today)
        _detect_step_warnings(today)
        return EarlyWarning.objects.count() - before


def _detect_arrears_warnings(today: date) -> None:
    """The threshold and growth rules, in SQL (litigation.arrears.early_warning_rows, the twin of
    litigation.rent), one range of lease ids at a time: memory and each transaction stay bounded."""
    since = (today.replace(day=1) - timedelta(days=100)).replace(day=1)
    bounds = RentAccountLine.objects.aggregate(low=Min("lease_id"), high=Max("lease_id"))
    if bounds["low"] is None:
        return
    texts = {EarlyWarning.Kind.THRESHOLD: _("Dette de %(debt)s fin %(month)s."),
             EarlyWarning.Kind.GROWING: _("Dette passée de %(a)s à %(b)s.")}
    for lease_from in range(bounds["low"], bounds["high"] + 1, LEASES_PER_BATCH):
        with transaction.atomic():
            rows = early_warning_rows(since=since, lease_from=lease_from, lease_to=lease_from + LEASES_PER_BATCH,
                                      exclude_households=supported_households())
            _insert_warnings([_warning_values(row, today, texts) for row in rows])


def _warning_values(row, today: date, texts: dict) -> tuple:
    if row.kind == EarlyWarning.Kind.THRESHOLD:
        detail = texts[row.kind] % {"debt": format_eur(row.debt), "month": format_month(row.month)}
    else:
        detail = texts[row.kind] % {"a": format_eur(row.debt_two_lines_before), "b": format_eur(row.debt)}
    return (row.lease_id, row.household_id, row.kind, detail, row.debt, row.month.strftime("%Y-%m"), today)


def _insert_warnings(values: list[tuple]) -> None:
    """One prepared INSERT for the range's new warnings (executemany: short statements, no model
    instance per row, which cost more than the detection at a million leases). A conflict means
    another run got there first: nothing to add."""
    if not values:
        return
    table = EarlyWarning._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (lease_id, household_id, kind, detail, debt, period_key, detected_on) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (lease_id, kind, period_key) DO NOTHING", values)


def _detect_step_warnings(today: date) -> None:
    """Procedure steps recorded since yesterday, about an act of the last month (not a backlog being
    typed in), that move the stage forward."""
    step_types = [t for t in STAGE_OF_EVENT if t != EventType.AUDIENCE_RENVOYEE]
    warned = EarlyWarning.objects.filter(
        lease_id=OuterRef("procedure__lease_id"), kind=EarlyWarning.Kind.NEW_STEP,
        period_key=Concat(Value("event-"), Cast(OuterRef("pk"), CharField())))
    # A range on created_at (not `__date`, a function of the column) and an anti-join (not NOT IN, whose
    # subquery PostgreSQL re-runs for every event once it outgrows work_mem: 11 min at 10⁶ households).
    since = timezone.make_aware(datetime.combine(today - timedelta(days=1), time.min))
    in_support = supported_households().filter(household_id=OuterRef("procedure__household_id"))
    recent_events = (ProcedureEvent.objects.filter(created_at__gte=since,
                                                   occurred_on__gte=today - timedelta(days=31),
                                                   type__in=step_types)
                     .exclude(procedure__stage=Stage.CLOSED)
                     .exclude(Exists(in_support))
                     .exclude(Exists(warned))
                     .select_related("procedure").order_by("pk"))
    with transaction.atomic():
        EarlyWarning.objects.bulk_create(
            [EarlyWarning(lease_id=event.procedure.lease_id, household_id=event.procedure.household_id,
                          kind=EarlyWarning.Kind.NEW_STEP, period_key=f"event-{event.pk}", detected_on=today,
                          debt=event.procedure.current_debt,
                          detail=str(EventType(event.type).label) + f" du {event.occurred_on:%d/%m/%Y}")
             for event in recent_events],
            ignore_conflicts=True, batch_size=100)
