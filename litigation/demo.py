"""Demo data: procedures at every stage with realistic rent accounts, plans, DSF tasks and early
warnings. Bulk inserts only; the engine (pure Python) fills the cached deadlines without queries."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings

from households.models import Household, Lease

from . import deadlines
from .integrations import active_support_household_ids
from .models import (
    Dsf,
    EventType,
    Installment,
    Procedure,
    ProcedureDeadline,
    ProcedureEvent,
    RentAccountLine,
    RepaymentPlan,
    outcome_for,
    stage_for,
)
from .rent import MonthLine, arrears, schedule

BATCH = 5000
E = EventType

# Each scenario: events as (type, days before today, extra); hearing offsets are relative to today.
SCENARIOS = [
    ("impaye", [(E.IMPAYE_CONSTITUE, 25, {})]),
    ("ccapex", [(E.IMPAYE_CONSTITUE, 120, {}), (E.SAISINE_CCAPEX, 50, {})]),
    ("commandement", [(E.IMPAYE_CONSTITUE, 200, {}), (E.SAISINE_CCAPEX, 150, {}),
                      (E.COMMANDEMENT_DE_PAYER, 20, {})]),
    ("assignation", [(E.IMPAYE_CONSTITUE, 320, {}), (E.SAISINE_CCAPEX, 260, {}),
                     (E.COMMANDEMENT_DE_PAYER, 190, {}), (E.ASSIGNATION, 45, {"hearing": 12})]),
    ("assignation-late", [(E.IMPAYE_CONSTITUE, 300, {}), (E.SAISINE_CCAPEX, 240, {}),
                          (E.COMMANDEMENT_DE_PAYER, 170, {}), (E.ASSIGNATION, 10, {"hearing": 50})]),
    ("jugement", [(E.IMPAYE_CONSTITUE, 420, {}), (E.SAISINE_CCAPEX, 380, {}), (E.COMMANDEMENT_DE_PAYER, 320, {}),
                  (E.ASSIGNATION, 240, {"hearing": -150}), (E.JUGEMENT, 150, {"months": 24})]),
    ("signification", [(E.IMPAYE_CONSTITUE, 400, {}), (E.SAISINE_CCAPEX, 360, {}),
                       (E.COMMANDEMENT_DE_PAYER, 300, {}), (E.ASSIGNATION, 200, {"hearing": -110}),
                       (E.JUGEMENT, 110, {"months": 0}), (E.SIGNIFICATION_JUGEMENT, 20, {})]),
    ("cql", [(E.IMPAYE_CONSTITUE, 500, {}), (E.SAISINE_CCAPEX, 460, {}), (E.COMMANDEMENT_DE_PAYER, 400, {}),
             (E.ASSIGNATION, 300, {"hearing": -220}), (E.JUGEMENT, 220, {"months": 0}),
             (E.SIGNIFICATION_JUGEMENT, 190, {}), (E.COMMANDEMENT_DE_QUITTER, 40, {})]),
    ("cfp", [(E.IMPAYE_CONSTITUE, 640, {}), (E.SAISINE_CCAPEX, 600, {}), (E.COMMANDEMENT_DE_PAYER, 540, {}),
             (E.ASSIGNATION, 450, {"hearing": -370}), (E.JUGEMENT, 370, {"months": 0}),
             (E.SIGNIFICATION_JUGEMENT, 340, {}), (E.COMMANDEMENT_DE_QUITTER, 200, {}),
             (E.DEMANDE_CFP, 30, {})]),
    ("protocole", [(E.IMPAYE_CONSTITUE, 700, {}), (E.COMMANDEMENT_DE_PAYER, 620, {}),
                   (E.ASSIGNATION, 520, {"hearing": -440}), (E.JUGEMENT, 440, {"months": 0}),
                   (E.PROTOCOLE, 90, {"months": 24})]),
    ("soldee", [(E.IMPAYE_CONSTITUE, 400, {}), (E.COMMANDEMENT_DE_PAYER, 330, {}), (E.DETTE_SOLDEE, 60, {})]),
    ("plan-tenu", [(E.IMPAYE_CONSTITUE, 800, {}), (E.COMMANDEMENT_DE_PAYER, 700, {}),
                   (E.ASSIGNATION, 600, {"hearing": -520}), (E.JUGEMENT, 520, {"months": 18}),
                   (E.CLOTURE, 5, {"outcome": "plan_respecte"})]),
    ("expulsion", [(E.IMPAYE_CONSTITUE, 900, {}), (E.COMMANDEMENT_DE_PAYER, 820, {}),
                   (E.ASSIGNATION, 720, {"hearing": -640}), (E.JUGEMENT, 640, {"months": 0}),
                   (E.SIGNIFICATION_JUGEMENT, 610, {}), (E.COMMANDEMENT_DE_QUITTER, 500, {}),
                   (E.DEMANDE_CFP, 400, {}), (E.CFP_ACCORDEE, 330, {}), (E.EXPULSION_REALISEE, 180, {})]),
]
# Debt in months of rent by scenario (what the rent account will show at the end).
DEBT_MONTHS = {"impaye": 2.2, "ccapex": 2.8, "commandement": 3.5, "assignation": 4.5, "assignation-late": 4,
               "jugement": 4, "signification": 5, "cql": 6, "cfp": 7, "protocole": 3, "soldee": 0,
               "plan-tenu": 0.5, "expulsion": 9}


def _months_back(today: date, count: int) -> list[date]:
    first = today.replace(day=1)
    months = []
    for _i in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
        months.append(first)
    return months[::-1]


def _rent_lines(rng, lease: Lease, months: list[date], debt_target: Decimal) -> list[RentAccountLine]:
    """A year of lines: the tenant pays in full, then misses or under-pays enough months to end
    near the target debt (a realistic staircase)."""
    called, benefit = lease.rent + lease.service_charges, lease.housing_benefit
    due = called - benefit
    lines, remaining = [], debt_target
    for index, month in enumerate(months):
        left = len(months) - index
        if remaining > 0 and (left <= 6 or rng.random() < 0.3):
            shortfall = min(remaining, due, (remaining / max(1, min(left, 6))).quantize(Decimal("0.01")) + 1)
            paid = max(Decimal(0), due - shortfall)
            remaining -= due - paid
        else:
            paid = due
        lines.append(RentAccountLine(lease=lease, month=month, amount_called=called, housing_benefit=benefit,
                                     amount_paid=paid.quantize(Decimal("0.01"))))
    return lines


def seed(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    months = _months_back(today, 12)
    leases = list(Lease.objects.filter(household_id__in=ctx.household_ids, ended_on__isnull=True,
                                       household__track="maintien")
                  .select_related("household__territory").order_by("pk"))
    in_support = active_support_household_ids([lease.household_id for lease in leases])
    bailiff = ctx.users.get("huissier")
    # The demo social worker must see a hearing and a DSF to prepare on their dashboard.
    worker = ctx.users.get("travailleur")
    showcase = set()
    if worker is not None:
        mine = set(Household.assigned_workers.through.objects.filter(user_id=worker.pk)
                   .values_list("household_id", flat=True))
        showcase = {lease.household_id for lease in leases if lease.household_id in mine & in_support}
        showcase = set(sorted(showcase)[:2])
    instructed = 0
    for start in range(0, len(leases), BATCH):
        instructed = _seed_batch(ctx, rng, today, months, leases[start:start + BATCH], in_support, bailiff,
                                 instructed, showcase)
    # Leases of the other households get a clean rent account, so the import and warnings have data.
    others = list(Lease.objects.filter(household_id__in=ctx.household_ids[:2000], ended_on__isnull=True)
                  .exclude(household__track="maintien").order_by("pk"))
    rows = []
    for index, lease in enumerate(others):
        target = Decimal(0) if index % 5 else (lease.rent + lease.service_charges - lease.housing_benefit) * 2
        rows.extend(_rent_lines(rng, lease, months, target))
    RentAccountLine.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    from .services import early_warnings_detect

    early_warnings_detect(today=today)
    if ctx.stdout:
        ctx.stdout.write("  contentieux : procédures, comptes locataires, plans, alertes")


def _seed_batch(ctx, rng, today, months, leases, in_support, bailiff, instructed, showcase=frozenset()) -> int:
    procedures, lines, plans_spec = [], [], []
    events_by_index: dict[int, list[ProcedureEvent]] = {}
    results = {}
    for index, lease in enumerate(leases):
        due = lease.rent + lease.service_charges - lease.housing_benefit
        # Two maintenance tenants in three have a procedure; the others only a rent account.
        if index % 3 == 2 and lease.household_id not in showcase:
            lines.extend(_rent_lines(rng, lease, months, Decimal(0) if index % 2 else due * Decimal("1.2")))
            continue
        name, steps = SCENARIOS[(index // 3 * 2 + index % 3) % len(SCENARIOS)]
        if lease.household_id in showcase:
            name, steps = SCENARIOS[3]  # assignation, hearing in 12 days
        debt = (due * Decimal(str(DEBT_MONTHS[name]))).quantize(Decimal("0.01"))
        lease_lines = _rent_lines(rng, lease, months, debt)
        lines.extend(lease_lines)
        events = []
        for event_type, days_ago, extra in steps:
            occurred = today - timedelta(days=days_ago + rng.randint(0, 3))
            hearing = today + timedelta(days=extra["hearing"]) if "hearing" in extra else None
            if hearing is not None and hearing <= occurred:
                hearing = occurred + timedelta(days=60)
            events.append(ProcedureEvent(type=event_type, occurred_on=occurred, hearing_on=hearing,
                                         months=extra.get("months"), outcome=extra.get("outcome", ""),
                                         debt_amount=debt if event_type != E.DETTE_SOLDEE else Decimal(0)))
        events.sort(key=lambda e: e.occurred_on)
        territory = lease.household.territory
        try:
            result = deadlines.compute(
                [deadlines.Event(type=e.type, date=e.occurred_on, hearing=e.hearing_on,
                                 payment_delay_months=e.months if e.type == E.JUGEMENT else None,
                                 months=e.months if e.type in (E.DELAIS_JEX, E.PROTOCOLE) else None)
                 for e in events],
                departement=territory.code, lease_date=lease.reference_date,
                truce_start=settings.ZEL_TRUCE_START, truce_end=settings.ZEL_TRUCE_END)
        except deadlines.DeadlineInputError:
            continue
        stage = stage_for([e.type for e in events])
        upcoming = None if stage == "closed" else deadlines.next_deadline(result, today)
        hearings = [e.hearing_on for e in events if e.hearing_on]
        use_bailiff = (bailiff is not None and instructed < 3 and lease.landlord.code == "bat"
                       and territory.code == "57" and name in ("commandement", "assignation", "assignation-late"))
        instructed += use_bailiff
        procedure = Procedure(
            lease=lease, household_id=lease.household_id, landlord_id=lease.landlord_id, territory=territory,
            bailiff=bailiff if use_bailiff else None, opened_on=events[0].occurred_on, stage=stage,
            outcome=outcome_for([(e.type, e.outcome) for e in events]),
            closed_on=events[-1].occurred_on if stage == "closed" else None,
            current_debt=arrears([MonthLine(x.month, x.amount_called, x.housing_benefit, x.amount_paid)
                                  for x in lease_lines]),
            hearing_on=hearings[-1] if hearings else None,
            next_deadline_on=upcoming.date if upcoming else None, next_deadline_code=upcoming.code if upcoming else "",
            eviction_possible_from=result.eviction_possible_from)
        events_by_index[len(procedures)] = events
        results[len(procedures)] = result
        procedures.append(procedure)
        if name in ("jugement", "protocole", "plan-tenu") or (name == "commandement" and index % 2):
            kind = {"jugement": RepaymentPlan.Kind.JUDGE_DELAYS, "protocole": RepaymentPlan.Kind.PROTOCOL}.get(
                name, RepaymentPlan.Kind.PLAN_APUREMENT)
            plans_spec.append((len(procedures) - 1, kind, max(debt, due), months[-6].replace(day=5)))
    created = Procedure.objects.bulk_create(procedures, batch_size=BATCH)
    RentAccountLine.objects.bulk_create(lines, batch_size=BATCH, ignore_conflicts=True)
    all_events, all_deadlines, dsfs, plans = [], [], [], []
    for position, procedure in enumerate(created):
        for event in events_by_index[position]:
            event.procedure = procedure
            all_events.append(event)
        for d in results[position].deadlines:
            all_deadlines.append(ProcedureDeadline(procedure=procedure, code=d.code, due_on=d.date, label=d.label,
                                                   rule=d.rule, source=d.source))
        if procedure.hearing_on and procedure.hearing_on >= today and procedure.household_id in in_support:
            dsfs.append(Dsf(procedure=procedure, household_id=procedure.household_id,
                            hearing_on=procedure.hearing_on))
    ProcedureEvent.objects.bulk_create(all_events, batch_size=BATCH)
    ProcedureDeadline.objects.bulk_create(all_deadlines, batch_size=BATCH)
    _assign_dsf_workers(dsfs)
    Dsf.objects.bulk_create(dsfs, batch_size=BATCH)
    for position, kind, total, starts_on in plans_spec:
        plans.append(RepaymentPlan(lease_id=created[position].lease_id, procedure=created[position], kind=kind,
                                   total_debt=total, starts_on=starts_on))
    RepaymentPlan.objects.bulk_create(plans, batch_size=BATCH)
    installments = []
    for plan in plans:
        for due_on, amount in schedule(total_debt=plan.total_debt, starts_on=plan.starts_on, months=12):
            installments.append(Installment(plan=plan, due_on=due_on, amount=amount))
    Installment.objects.bulk_create(installments, batch_size=BATCH)
    return instructed


def _assign_dsf_workers(dsfs: list[Dsf]) -> None:
    through = Household.assigned_workers.through
    workers: dict[int, int] = {}
    for household_id, user_id in (through.objects.filter(household_id__in=[d.household_id for d in dsfs],
                                                         user__roles__code="social_worker")
                                  .order_by("user_id").values_list("household_id", "user_id")):
        workers.setdefault(household_id, user_id)
    for dsf in dsfs:
        dsf.assigned_to_id = workers.get(dsf.household_id)
