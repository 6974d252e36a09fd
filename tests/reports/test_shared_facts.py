"""The figures computed from shared per-household facts (indicators.grouped_facts) open the same
households on the dashboard as their definitions select (reports/definitions.py)."""

from datetime import date

import pytest

from households.models import Household
from reports import access, dashboard, quarters
from reports import definitions as d

pytestmark = pytest.mark.django_db


def _ids(manager, **cell):
    scope = dashboard.Scope(date(2025, 10, 1), date(2025, 12, 31), ["57"])
    return dashboard.cell_household_ids(manager, scope, period="quarter", dim="all", key="", **cell)


def test_up_to_date_and_debt_cells_open_the_households_of_their_definitions(programme, personas):
    manager = personas.manager  # AMLI, 57
    start, end = quarters.bounds("2025Q4")
    supported = Household.objects.filter(d.active_q(end), pk__in=access.dashboard_households(manager).values("pk"))
    known = set(supported.filter(d.rent_known_q(start, end)).values_list("pk", flat=True))
    assert len(known) == 3  # H1, H2, H3 (H9 and H10 are in 54)
    assert _ids(manager, indicator_key="up_to_date", row_key="share") == known
    assert _ids(manager, indicator_key="up_to_date", row_key="unknown") == set(
        supported.exclude(d.rent_known_q(start, end)).values_list("pk", flat=True))
    assert _ids(manager, indicator_key="debt", row_key="in_debt") == {programme.h3.pk}  # 500 € left at 31/12
