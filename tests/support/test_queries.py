"""The dashboard and the timeline cost the same number of queries for an empty caseload and a full
one (50 visits, today's appointments, overdue goals): a section whose rows bring a query of their
own (a prefetch runs only when there are rows) would show here."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from support.timeline import support_entries
from tests.factories import HouseholdFactory

from .factories import AppointmentFactory, InterventionFactory, PlanGoalFactory, PsychologistNoteFactory

pytestmark = pytest.mark.django_db


def _fill(personas, orgs, n):
    today = timezone.localdate()
    households = [HouseholdFactory(organisation=orgs.amli, workers=[personas.worker, personas.psychologist])
                  for _ in range(max(1, n // 5))]
    for i in range(n):
        h = households[i % len(households)]
        planned = i % 7 == 0
        InterventionFactory(household=h, author=personas.worker, planned=planned, no_show=i % 9 == 0,
                            occurred_on=today + timedelta(days=i % 5) if planned else today - timedelta(days=i))
        PlanGoalFactory(household=h, owner=personas.worker, due_on=today - timedelta(days=i % 3 - 1))
        PsychologistNoteFactory(household=h, author=personas.psychologist)
        if i % 10 == 0:  # on today's panel, whatever the hour the test runs at
            starts_at = timezone.make_aware(datetime.combine(today, time(8 + i // 10)))
            AppointmentFactory(household=h, workers=[personas.worker, personas.psychologist], starts_at=starts_at)
    return households


def _count(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx)


@pytest.mark.parametrize("role", ["worker", "manager"])
def test_dashboard_queries_do_not_grow_with_visits(personas, orgs, as_user, django_assert_max_num_queries, role):
    client = as_user(getattr(personas, role))
    url = reverse("support:dashboard")
    _fill(personas, orgs, 0)  # one household, nothing in its file yet
    client.get(url)  # warm the session
    small = _count(lambda: client.get(url))
    _fill(personas, orgs, 50)
    # session+user (with roles, territories), households annotated, overdue goals, planned this week,
    # no-show count, next actions (+ scope subqueries are inlined): a fixed set.
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert response.status_code == 200
    assert small <= 15  # includes the panels other apps contribute


@pytest.mark.parametrize("role", ["worker", "psychologist", "manager"])
def test_timeline_provider_queries_do_not_grow(personas, orgs, role, django_assert_num_queries):
    user = getattr(personas, role)
    user = type(user).objects.prefetch_related("roles", "territories").get(pk=user.pk)
    household = _fill(personas, orgs, 5)[0]

    def fresh():  # the file's instance remembers who may see it: start each count from none
        return type(household).objects.get(pk=household.pk)

    small = _count(lambda: list(support_entries(user, fresh())))
    for _ in range(45):
        InterventionFactory(household=household, author=personas.worker)
        PlanGoalFactory(household=household, owner=personas.worker)
        PsychologistNoteFactory(household=household, author=personas.psychologist)
    # Diagnoses, episodes, psychologist notes, hand-overs, visits and plan history: one UNION.
    with django_assert_num_queries(small):
        entries = list(support_entries(user, fresh()))
    assert small <= 4  # the household, whether the user sees it, then the UNION
    assert sum(e.kind == "visit" for e in entries) >= 46


def test_household_timeline_page_constant(personas, orgs, as_user):
    client = as_user(personas.worker)
    household = _fill(personas, orgs, 5)[0]
    url = reverse("households:detail", args=[household.pk])
    client.get(url)
    small = _count(lambda: client.get(url))
    for _ in range(45):
        InterventionFactory(household=household, author=personas.worker)
    assert _count(lambda: client.get(url)) == small
