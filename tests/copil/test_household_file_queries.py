"""The household file costs the same bounded number of queries whatever the household has: a COPIL
decision (with its levers), a procedure, a repayment plan and a support plan."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from copil.models import Decision, DecisionLever
from litigation.models import RepaymentPlan
from tests.litigation.factories import ProcedureFactory, RentLineFactory
from tests.support.factories import EpisodeFactory, PlanGoalFactory

from .factories import AgendaItemFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(personas, households, chair):
    """`mine` admitted by two signed sessions (a decision and its correction), with a procedure and
    its repayment plan, rent lines, a support episode and plan goals."""
    mine = households.mine
    for held_on in (date(2025, 3, 12), date(2025, 6, 12)):
        session = SessionFactory(chair=chair, members=[personas.copil_a], held_on=held_on, status="signed")
        item = AgendaItemFactory(session=session, household=mine)
        decision = Decision.objects.create(item=item, outcome=Decision.Outcome.ADMITTED, recorded_by=chair)
        DecisionLever.objects.create(decision=decision, kind="fsl_maintenance", amount=Decimal("1200.00"))
        DecisionLever.objects.create(decision=decision, kind="apl_maintenance")
    lease = mine.leases.get()
    procedure = ProcedureFactory(lease=lease, stage="commandement")
    RepaymentPlan.objects.create(lease=lease, procedure=procedure, kind="plan_apurement",
                                 total_debt=Decimal("900.00"), starts_on=date(2025, 4, 5))
    for month in (1, 2, 3):
        RentLineFactory(lease=lease, month=date(2025, month, 1))
    EpisodeFactory(household=mine)
    PlanGoalFactory.create_batch(3, household=mine, owner=personas.worker)
    return mine


@pytest.mark.parametrize("who", ["worker", "manager", "copil_a", "chair_"])
def test_household_file_with_a_copil_decision_stays_within_15_queries(
        as_user, personas, chair, decided, who, django_assert_max_num_queries):
    user = chair if who == "chair_" else getattr(personas, who)
    client = as_user(user)
    url = reverse("households:detail", args=[decided.pk])
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert response.status_code in (200, 403, 404)
    if who in ("worker", "manager"):
        assert response.status_code == 200
        assert "COPIL 57" in response.content.decode()
