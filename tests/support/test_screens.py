"""Diagnosis versions and locking, episodes by a manager, plan, budget figures, hand-over."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from households.models import Household
from support.models import Diagnosis, Handover, Intervention, PlanGoal, SupportEpisode
from tests.factories import HouseholdFactory, LeaseFactory, MemberFactory, ResourceFactory, UserFactory

from .factories import (
    ChargeFactory,
    DebtFactory,
    DiagnosisFactory,
    EpisodeFactory,
    InterventionFactory,
    PlanGoalFactory,
)

pytestmark = pytest.mark.django_db


def _diagnosis_post(**extra):
    data = {"kind": "standard", "done_on": "2025-04-02", "family_situation": "Couple, un enfant",
            "rent_debt": "1 200,50", "energy_debt": "0", "other_debts": "0", "committee_summary": "Synthèse",
            "health": "Diabète"}
    data.update(extra)
    return data


def test_new_diagnosis_keeps_the_old_one(households, personas, as_user):
    old = DiagnosisFactory(household=households.mine, done_on=date(2024, 6, 1))
    client = as_user(personas.worker)
    response = client.post(reverse("support:diagnosis_new", args=[households.mine.pk]), _diagnosis_post())
    assert response.status_code == 302
    new = Diagnosis.objects.exclude(pk=old.pk).get()
    assert new.rent_debt == Decimal("1200.50") and new.health == "Diabète"
    assert personas.worker in new.authors.all()
    old.refresh_from_db()
    assert old.rent_debt == Decimal("1840.00")
    page = client.get(reverse("support:diagnosis", args=[new.pk])).content.decode()
    assert "01/06/2024" in page and "02/04/2025" in page


def test_relocation_diagnosis_requires_the_target_dwelling(households, personas, as_user):
    client = as_user(personas.worker)
    url = reverse("support:diagnosis_new", args=[households.mine.pk])
    response = client.post(url, _diagnosis_post(kind="relocation"))
    assert response.status_code == 200 and "Obligatoire pour un co-diagnostic relogement" in response.content.decode()
    assert not Diagnosis.objects.exists()
    client.post(url, _diagnosis_post(kind="relocation", target_typology="T2", target_place="Metz",
                                     target_max_rent="420"))
    assert Diagnosis.objects.get().target_max_rent == Decimal("420")


def test_stale_diagnosis_save_is_refused(households, personas, as_user):
    diagnosis = DiagnosisFactory(household=households.mine)
    url = reverse("support:diagnosis_edit", args=[diagnosis.pk])
    client = as_user(personas.worker)
    first = client.post(url, _diagnosis_post(version=1, family_situation="Première"))
    assert first.status_code == 302
    second = client.post(url, _diagnosis_post(version=1, family_situation="Seconde"))
    assert "modifié par quelqu'un d'autre" in second.content.decode()
    diagnosis.refresh_from_db()
    assert (diagnosis.family_situation, diagnosis.version) == ("Première", 2)


def test_future_diagnosis_date_refused(households, personas, as_user):
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = as_user(personas.worker).post(reverse("support:diagnosis_new", args=[households.mine.pk]),
                                             _diagnosis_post(done_on=future))
    assert "ne peut pas être dans le futur" in response.content.decode()
    assert not Diagnosis.objects.exists()


def test_manager_opens_and_closes_an_episode(households, personas, as_user):
    client = as_user(personas.manager)
    h = households.mine
    assert client.post(reverse("support:episode_open", args=[h.pk]),
                       {"opened_on": "2025-01-06", "intensity": "standard"}).status_code == 302
    again = client.post(reverse("support:episode_open", args=[h.pk]), {"opened_on": "2025-01-07",
                                                                        "intensity": "standard"})
    assert "déjà ouvert" in again.content.decode()
    episode = SupportEpisode.objects.get()
    bad = client.post(reverse("support:episode_close", args=[episode.pk]), {"closed_on": "2025-03-01"})
    assert "Ce champ est obligatoire" in bad.content.decode()
    client.post(reverse("support:episode_close", args=[episode.pk]),
                {"closed_on": "2025-03-01", "exit_reason": "rehoused", "housing_at_exit": "locataire"})
    episode.refresh_from_db()
    h.refresh_from_db()
    assert episode.exit_reason == "rehoused" and h.status == Household.Status.ENDED
    assert episode.housing_at_exit == "locataire"


def test_worker_cannot_open_an_episode(households, personas, as_user):
    assert as_user(personas.worker).post(reverse("support:episode_open", args=[households.mine.pk]),
                                         {"opened_on": "2025-01-06", "intensity": "standard"}).status_code == 403
    assert not SupportEpisode.objects.exists()


def test_overdue_goals_stand_out_on_the_plan(households, personas, as_user):
    today = timezone.localdate()
    PlanGoalFactory(household=households.mine, title="En retard", due_on=today - timedelta(days=3))
    PlanGoalFactory(household=households.mine, title="Atteint", due_on=today - timedelta(days=3), status="done")
    PlanGoalFactory(household=households.mine, title="À venir", due_on=today + timedelta(days=3))
    html = as_user(personas.worker).get(reverse("support:household", args=[households.mine.pk])).content.decode()
    rows = [r for r in html.split("<tr") if "data-overdue" in r]
    assert len(rows) == 1 and "En retard" in rows[0]


def test_budget_sheet_figures(households, personas, as_user):
    h = HouseholdFactory(birth_year=1985, workers=[personas.worker])
    MemberFactory(household=h, relation="spouse", birth_year=1986)
    MemberFactory(household=h, birth_year=2018)
    ResourceFactory(household=h, monthly_amount=Decimal("1800"))
    LeaseFactory(household=h)  # 450 + 80 − 150 = 380
    ChargeFactory(household=h, monthly_amount=Decimal("120"))
    DebtFactory(household=h, monthly_repayment=Decimal("50"))
    html = as_user(personas.worker).get(reverse("support:budget", args=[h.pk])).content.decode()
    # 1800 − 380 − 120 − 50 = 1250 ; units 1 + 0.5 + 0.3 = 1.8 ; 1250 / 1.8 = 694.44
    assert "1\u00a0250,00\u00a0€" in html and "694,44\u00a0€" in html
    assert "21,1\u00a0%" in html  # 380 / 1800
    assert 'class="bar bar-w' in html and "style=" not in html.split("<main")[1]


def test_budget_edit_saves_charges_and_debts(households, personas, as_user):
    client = as_user(personas.worker)
    url = reverse("support:budget_edit", args=[households.mine.pk])
    data = {"c-TOTAL_FORMS": 1, "c-INITIAL_FORMS": 0, "c-0-kind": "energy", "c-0-monthly_amount": "95,50",
            "d-TOTAL_FORMS": 1, "d-INITIAL_FORMS": 0, "d-0-kind": "energy", "d-0-creditor": "EDF",
            "d-0-amount": "-10", "d-0-monthly_repayment": "20"}
    response = client.post(url, data)
    assert response.status_code == 200 and not households.mine.budget_charges.exists()
    data["d-0-amount"] = "600"
    assert client.post(url, data).status_code == 302
    assert households.mine.budget_charges.get().monthly_amount == Decimal("95.50")


def test_handover_moves_households_goals_and_planned_visits(households, personas, orgs, as_user):
    newcomer = UserFactory(organisation=orgs.amli, roles=["social_worker"], territories=["57"])
    today = timezone.localdate()
    goal = PlanGoalFactory(household=households.mine, owner=personas.worker)
    planned = InterventionFactory(household=households.mine, author=personas.worker, planned=True,
                                  occurred_on=today + timedelta(days=2))
    done = InterventionFactory(household=households.mine, author=personas.worker)
    response = as_user(personas.manager).post(reverse("support:handover"), {
        "from_worker": personas.worker.pk, "to_worker": newcomer.pk})
    assert response.status_code == 302
    assert set(households.mine.assigned_workers.all()) == {newcomer, personas.psychologist}
    assert PlanGoal.objects.get(pk=goal.pk).owner == newcomer
    assert Intervention.objects.get(pk=planned.pk).author == newcomer
    assert Intervention.objects.get(pk=done.pk).author == personas.worker  # history is not rewritten
    assert Handover.objects.get().by == personas.manager
    page = as_user(newcomer).get(reverse("households:detail", args=[households.mine.pk])).content.decode()
    assert "Passation de" in page


def test_handover_refused_to_workers_and_for_same_person(households, personas, as_user):
    assert as_user(personas.worker).get(reverse("support:handover")).status_code == 403
    response = as_user(personas.manager).post(reverse("support:handover"), {
        "from_worker": personas.worker.pk, "to_worker": personas.worker.pk})
    assert "Choisissez un autre intervenant" in response.content.decode()
    assert not Handover.objects.exists()


def test_dashboard_lists_caseload_overdue_planned_and_no_shows(households, personas, as_user):
    today = timezone.localdate()
    EpisodeFactory(household=households.mine)
    InterventionFactory(household=households.mine, author=personas.worker, occurred_on=today - timedelta(days=40))
    InterventionFactory(household=households.mine, author=personas.worker, no_show=True, summary="",
                        occurred_on=today - timedelta(days=5))
    InterventionFactory(household=households.mine, author=personas.worker, planned=True, occurred_on=today)
    PlanGoalFactory(household=households.mine, owner=personas.worker, title="Relancer la CAF",
                    due_on=today - timedelta(days=1))
    InterventionFactory(household=households.other, author=personas.manager)
    response = as_user(personas.worker).get(reverse("support:dashboard"))
    load = response.context["load"]
    assert [r.household for r in load.rows] == [households.mine]
    assert load.rows[0].no_contact and load.rows[0].next_contact == today
    assert load.no_show_count == 1 and len(load.planned_this_week) == 1
    assert "Relancer la CAF" in response.content.decode()


def test_dashboard_paginates_caseload_and_counts_beyond_the_lists(personas, orgs, as_user):
    """27 households: the table shows 25 then 2; the counters count every household and goal,
    not only those listed (20 without contact, 50 overdue goals)."""
    today = timezone.localdate()
    homes = [HouseholdFactory(organisation=orgs.amli, last_name=f"Famille {n:02d}", workers=[personas.worker])
             for n in range(27)]
    InterventionFactory(household=homes[0], author=personas.worker, occurred_on=today - timedelta(days=5))
    InterventionFactory(household=homes[1], author=personas.worker, occurred_on=today - timedelta(days=31))
    InterventionFactory(household=homes[1], author=personas.worker, planned=True, occurred_on=today + timedelta(days=2))
    for n in range(52):
        PlanGoalFactory(household=homes[n % 3], owner=personas.worker, due_on=today - timedelta(days=1 + n))
    PlanGoalFactory(household=homes[2], owner=personas.manager, due_on=today - timedelta(days=1))  # not mine
    client = as_user(personas.worker)
    first = client.get(reverse("support:dashboard"))
    load = first.context["load"]
    assert [r.household.last_name for r in load.rows] == [f"Famille {n:02d}" for n in range(25)]
    assert (load.total, load.no_contact_count, load.overdue_count) == (27, 26, 52)
    assert len(load.no_contact) == 20 and len(load.overdue_goals) == 50
    assert homes[0].pk not in [r.household.pk for r in load.no_contact]
    second = load.rows[1]
    assert (second.last_contact, second.next_contact, second.no_contact) == (
        today - timedelta(days=31), today + timedelta(days=2), True)
    assert load.rows[2].overdue_goals == 18  # every overdue goal of the household, whoever owns it
    html = first.content.decode()
    assert 'data-testid="count-households">27<' in html and 'data-testid="count-no-contact">26<' in html
    assert 'data-testid="count-overdue">52<' in html and 'rel="next"' in html
    rows = client.get(f"{reverse('support:dashboard')}?{load.page.next_query}").context["load"].rows
    assert [r.household.last_name for r in rows] == ["Famille 25", "Famille 26"]


def test_dashboard_counters_of_a_huge_caseload_stop_at_the_cap(personas, orgs, as_user, monkeypatch):
    """Counting 10⁵ households' visits on every view took seconds: past the cap, "N+"."""
    from support import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 4)
    today = timezone.localdate()
    homes = [HouseholdFactory(organisation=orgs.amli, workers=[personas.worker]) for _ in range(6)]
    for home in homes[:3]:
        PlanGoalFactory(household=home, owner=personas.worker, due_on=today - timedelta(days=2))
    load = as_user(personas.worker).get(reverse("support:dashboard")).context["load"]
    assert (load.total.n, load.total.capped) == (4, True)
    assert (load.no_contact_count.n, load.no_contact_count.capped) == (4, True)
    assert (load.overdue_count.n, load.overdue_count.capped) == (3, False) and len(load.overdue_goals) == 3
    html = as_user(personas.worker).get(reverse("support:dashboard")).content.decode()
    assert 'data-testid="count-households">4+<' in html and 'data-testid="count-overdue">3<' in html
