"""Reads that pages and other apps need, already scoped and with a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from households.figures import Debt
from zel.lib.pagination import Ordering

from .arrears import household_arrears
from .models import EventType, Procedure, ProcedureEvent, Stage, deadline_key


def household_debts(household_ids: Iterable[int]) -> dict[int, Debt]:
    """Rent arrears per household from the landlord's rent account (litigation.arrears), dated: the
    figure the household file, the COPIL dossier and the DSF show (registered with households.figures)."""
    return {pk: Debt(a.amount, a.as_of) for pk, a in household_arrears(household_ids).items()}


@dataclass(frozen=True)
class ProcedureSummary:
    """What the COPIL dossier shows about a household's eviction procedure."""

    procedure_id: int
    stage: str
    stage_label: str
    current_debt: Decimal
    next_deadline: date | None
    next_deadline_code: str
    hearing_on: date | None
    summons_on: date | None = None  # the assignation, when served
    summons_debt: Decimal | None = None  # the debt stated on the assignation


def procedure_summaries(household_ids: Iterable[int]) -> dict[int, ProcedureSummary]:
    """household id -> summary of its latest open procedure (or latest closed one if none is open).

    Two queries whatever the number of households. The caller is responsible for scoping: only pass
    households the viewer may see."""
    ids = list(household_ids)
    if not ids:
        return {}
    rows = (Procedure.objects.filter(household_id__in=ids)
            .order_by("household_id", "opened_on", "pk")
            .values_list("household_id", "pk", "stage", "current_debt", "next_deadline_on",
                         "next_deadline_code", "hearing_on"))
    summons: dict[int, tuple[date, Decimal | None]] = {}
    for procedure_id, occurred_on, debt_amount in (
            ProcedureEvent.objects.filter(procedure__household_id__in=ids, type=EventType.ASSIGNATION)
            .order_by("occurred_on", "pk").values_list("procedure_id", "occurred_on", "debt_amount")):
        summons[procedure_id] = (occurred_on, debt_amount)  # the latest assignation wins
    result: dict[int, ProcedureSummary] = {}
    for household_id, pk, stage, debt, next_on, next_code, hearing_on in rows:
        previous = result.get(household_id)
        # An open procedure wins over a closed one; among equals, the latest opened wins.
        if previous is not None and previous.stage != Stage.CLOSED and stage == Stage.CLOSED:
            continue
        result[household_id] = ProcedureSummary(
            procedure_id=pk, stage=stage, stage_label=str(Stage(stage).label), current_debt=debt,
            next_deadline=next_on, next_deadline_code=next_code, hearing_on=hearing_on,
            summons_on=summons.get(pk, (None, None))[0], summons_debt=summons.get(pk, (None, None))[1])
    return result


# --- Pages of the litigation app -----------------------------------------------------------------

# Nearest deadline first, procedures without one last (index procedure_deadline_key).
PROCEDURE_ORDER = Ordering((("deadline_key", deadline_key()), "pk"))


def procedure_list(user, *, q: str = "", landlord=None, departement=None, stage: str = "",
                   within: int | None = None, today: date | None = None):
    """Scoped and filtered; the page reads it in PROCEDURE_ORDER, by the nearest deadline in SQL (the
    deadline is cached on the procedure)."""
    from datetime import timedelta

    from django.db.models import Q
    from django.utils import timezone

    from zel.lib.text import normalize

    from . import access

    today = today or timezone.localdate()
    qs = access.visible_procedures(user).select_related("lease", "landlord", "territory", "household")
    if q:
        qs = qs.filter(Q(lease__reference__icontains=q.strip()) | Q(household__search_text__contains=normalize(q)))
    if landlord is not None:
        qs = qs.filter(landlord=landlord)
    if departement is not None:
        qs = qs.filter(territory=departement)
    if stage:
        qs = qs.filter(stage=stage)
    if within:
        qs = qs.filter(next_deadline_on__gte=today, next_deadline_on__lte=today + timedelta(days=within))
    return qs


def rent_lines(lease_id: int):
    from .models import RentAccountLine
    from .rent import MonthLine

    return [MonthLine(month, called, benefit, paid) for month, called, benefit, paid in
            RentAccountLine.objects.filter(lease_id=lease_id).order_by("month")
            .values_list("month", "amount_called", "housing_benefit", "amount_paid")]


def plan_states(plans, lines, today: date):
    """(plan, PlanState) for plans whose installments are prefetched."""
    from .rent import plan_state

    return [(plan, plan_state(total_debt=plan.total_debt, installments=[(i.due_on, i.amount)
                                                                        for i in plan.installments.all()],
                              lines=lines, today=today, starts_on=plan.starts_on)) for plan in plans]
