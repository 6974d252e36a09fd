"""The report's aid section: requested, granted and paid by kind, in counts and amounts, on a
hand-built fixture where the three differ (the commission grants less than asked, and pays less or
later)."""

from datetime import date
from decimal import Decimal

import pytest

from reports import indicators
from support.aid_rules import Status
from support.models import AidApplication, AidTransition
from tests.factories import HouseholdFactory, territory

pytestmark = pytest.mark.django_db
S = Status
D = date


def _app(household, kind, *, lodged=None, decided=None, paid=None, status, requested=None, granted=None,
         paid_amount=None, months=None, granted_transition=False):
    app = AidApplication.objects.create(
        household=household, kind=kind, status=status, prepared_on=D(2025, 9, 1), lodged_on=lodged,
        decided_on=decided, paid_on=paid, amount_requested=requested, amount_granted=granted,
        amount_paid=paid_amount, months_requested=months, months_granted=months if granted_transition else None)
    if granted_transition:
        AidTransition.objects.create(application=app, from_status=S.LODGED, to_status=S.GRANTED)
    if status == S.REFUSED:
        AidTransition.objects.create(application=app, from_status=S.LODGED, to_status=S.REFUSED)
    return app


@pytest.fixture
def aids(orgs):
    h = [HouseholdFactory(organisation=orgs.amli, territory=territory("57"), track="maintien") for _ in range(4)]
    far = HouseholdFactory(organisation=orgs.amli, territory=territory("54"), track="acces")
    # A: FSL maintien asked 1 000 (lodged 05/10), granted 800 (20/10), paid 600 (15/11).
    _app(h[0], "fsl_maintenance", lodged=D(2025, 10, 5), decided=D(2025, 10, 20), paid=D(2025, 11, 15),
         status=S.PAID, requested=Decimal("1000"), granted=Decimal("800"), paid_amount=Decimal("600"),
         granted_transition=True)
    # B: FSL maintien asked 500 (lodged 01/09, last quarter), granted 500 on 02/10, not paid yet.
    _app(h[1], "fsl_maintenance", lodged=D(2025, 9, 1), decided=D(2025, 10, 2), status=S.GRANTED,
         requested=Decimal("500"), granted=Decimal("500"), granted_transition=True)
    # C: FSL maintien asked 300 (lodged 10/10), refused 30/10: requested, never granted.
    _app(h[2], "fsl_maintenance", lodged=D(2025, 10, 10), decided=D(2025, 10, 30), status=S.REFUSED,
         requested=Decimal("300"))
    # D: APL maintained (no amount), lodged 03/11, granted 10/12, then closed: counted, no amount.
    _app(h[3], "apl_maintenance", lodged=D(2025, 11, 3), decided=D(2025, 12, 10), status=S.CLOSED,
         granted_transition=True)
    # E: ASLL 6 months (54), lodged 01/12, granted 20/12 — counted, not in the amounts.
    _app(far, "asll", lodged=D(2025, 12, 1), decided=D(2025, 12, 20), status=S.GRANTED, months=6,
         granted_transition=True)
    # F: Loca-Pass lodged next quarter (02/01/2026): not in Q4.
    _app(h[3], "loca_pass", lodged=D(2026, 1, 2), status=S.LODGED, requested=Decimal("450"))


def _cell(figures, key, row_key, period="quarter", dim="all", dim_key=None):
    ind = next(i for i in figures["indicators"] if i["key"] == key)
    rows = {r["key"]: r for r in ind["rows"]}
    if row_key not in rows:
        return None
    cells = rows[row_key][period]
    return cells["all"] if dim == "all" else cells[dim].get(dim_key, {})


def test_requested_granted_and_paid_are_three_different_figures_by_kind(aids):
    q4 = indicators.compute("2025Q4", None)
    # Requested in Q4 (lodged 01/10–31/12): A, C, D, E = 4; amounts A 1 000 + C 300 = 1 300 (D and E have none).
    assert _cell(q4, "aid_requested", "total")["v"] == 4
    assert _cell(q4, "aid_requested", "fsl_maintenance")["v"] == 2
    assert _cell(q4, "aid_requested", "apl_maintenance")["v"] == 1
    assert _cell(q4, "aid_requested_amount", "total")["v"] == "1300.00"
    assert _cell(q4, "aid_requested_amount", "apl_maintenance") is None  # never a "0,00 €" row
    # Granted in Q4: A 800, B 500 (asked last quarter), D (no amount), E (months) = 4; C refused.
    assert _cell(q4, "aid_granted", "total")["v"] == 4
    assert _cell(q4, "aid_granted", "fsl_maintenance")["v"] == 2
    assert _cell(q4, "aid_granted_amount", "total")["v"] == "1300.00"
    assert _cell(q4, "aid_granted_amount", "fsl_maintenance")["v"] == "1300.00"
    assert _cell(q4, "aid_granted", "asll", dim="dep", dim_key="54")["v"] == 1
    # Paid in Q4: A only, 600 (less than granted).
    assert _cell(q4, "aid_paid", "total")["v"] == 1
    assert _cell(q4, "aid_paid_amount", "total")["v"] == "600.00"
    # Since the programme began, B's request (lodged in September) is counted too; F still not.
    assert _cell(q4, "aid_requested", "total", "cumulative")["v"] == 5
    assert _cell(q4, "aid_requested_amount", "total", "cumulative")["v"] == "1800.00"


def test_aid_figures_follow_the_territory_scope(aids):
    moselle = indicators.compute("2025Q4", ["57"])
    assert _cell(moselle, "aid_granted", "total")["v"] == 3
    assert _cell(moselle, "aid_granted", "asll") is None
