"""Reads that pages and other apps need, already scoped and with a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .models import Procedure, Stage


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


def procedure_summaries(household_ids: Iterable[int]) -> dict[int, ProcedureSummary]:
    """household id -> summary of its latest open procedure (or latest closed one if none is open).

    One query whatever the number of households. The caller is responsible for scoping: only pass
    households the viewer may see."""
    ids = list(household_ids)
    if not ids:
        return {}
    rows = (Procedure.objects.filter(household_id__in=ids)
            .order_by("household_id", "opened_on", "pk")
            .values_list("household_id", "pk", "stage", "current_debt", "next_deadline_on",
                         "next_deadline_code", "hearing_on"))
    result: dict[int, ProcedureSummary] = {}
    for household_id, pk, stage, debt, next_on, next_code, hearing_on in rows:
        previous = result.get(household_id)
        # An open procedure wins over a closed one; among equals, the latest opened wins.
        if previous is not None and previous.stage != Stage.CLOSED and stage == Stage.CLOSED:
            continue
        result[household_id] = ProcedureSummary(
            procedure_id=pk, stage=stage, stage_label=str(Stage(stage).label), current_debt=debt,
            next_deadline=next_on, next_deadline_code=next_code, hearing_on=hearing_on)
    return result
