"""The public functions COPIL, litigation and reports call."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from households.models import Household
from support import selectors, services
from support.models import SupportEpisode
from tests.factories import walk_to

from .factories import DiagnosisFactory, EpisodeFactory, InterventionFactory, PsychologistNoteFactory

pytestmark = pytest.mark.django_db


def test_episode_open_refuses_a_second_open_episode_and_keeps_status(households, personas):
    household = households.mine
    household.status = Household.Status.ADMITTED
    household.save()
    episode = services.episode_open(household=household, by=personas.manager, opened_on=date(2025, 2, 1))
    assert episode.is_open
    with pytest.raises(ValidationError, match="déjà ouvert"):
        services.episode_open(household=household, by=personas.manager)
    household.refresh_from_db()
    assert household.status == Household.Status.ADMITTED
    assert SupportEpisode.objects.filter(household=household).count() == 1


def test_episode_close_ends_the_household_and_allows_a_new_episode(households, personas):
    walk_to(households.mine, Household.Status.SUPPORTED)
    episode = EpisodeFactory(household=households.mine, opened_on=date(2024, 5, 2))
    services.episode_close(episode=episode, by=personas.manager, closed_on=date(2025, 1, 31),
                           exit_reason="stable_tenant")
    households.mine.refresh_from_db()
    assert households.mine.status == Household.Status.ENDED
    episode.refresh_from_db()
    assert (episode.closed_on, episode.exit_reason) == (date(2025, 1, 31), "stable_tenant")
    again = services.episode_open(household=households.mine, by=personas.manager)
    assert again.pk != episode.pk


def test_episode_close_rejects_bad_reason_and_date_before_opening(households, personas):
    episode = EpisodeFactory(household=households.mine, opened_on=date(2024, 5, 2))
    with pytest.raises(ValidationError):
        services.episode_close(episode=episode, by=personas.manager, closed_on=date(2025, 1, 1), exit_reason="x")
    with pytest.raises(ValidationError, match="précède"):
        services.episode_close(episode=episode, by=personas.manager, closed_on=date(2024, 1, 1),
                               exit_reason="other")
    episode.refresh_from_db()
    assert episode.closed_on is None


def test_active_episode_household_ids_in_one_query(households, django_assert_num_queries):
    EpisodeFactory(household=households.mine)
    EpisodeFactory(household=households.other, closed_on=date(2025, 2, 1), exit_reason="other")
    with django_assert_num_queries(1):
        ids = selectors.active_episode_household_ids([households.mine.pk, households.other.pk, households.far.pk])
    assert ids == {households.mine.pk}


def test_committee_summary_is_the_latest_diagnosis_without_sensitive_data(households, personas):
    DiagnosisFactory(household=households.mine, done_on=date(2024, 1, 1), committee_summary="ancien")
    DiagnosisFactory(household=households.mine, done_on=date(2025, 3, 10), kind="relocation",
                     target_typology="T2", target_place="Metz-Borny", target_max_rent=Decimal("420"))
    PsychologistNoteFactory(household=households.mine, author=personas.psychologist)
    InterventionFactory(household=households.mine, author=personas.worker, summary="NOTE-DE-VISITE")
    summary = selectors.committee_summary(households.mine)
    assert summary.diagnosis_date == date(2025, 3, 10)
    assert summary.social_summary.startswith("Dette locative")
    assert (summary.rent_debt, summary.energy_debt, summary.other_debts) == (
        Decimal("1840.00"), Decimal("320.50"), Decimal("150.00"))
    assert summary.target.typology == "T2" and summary.target.max_rent == Decimal("420")
    text = repr(summary)
    for secret in ("cardiologique", "dépressif", "CONFIDENTIEL-PSY", "NOTE-DE-VISITE"):
        assert secret not in text


def test_committee_summary_without_diagnosis(households):
    summary = selectors.committee_summary(households.other)
    assert summary.diagnosis_date is None and summary.total_debt == 0


def test_dsf_prefill_has_budget_and_steps_but_no_free_text_or_health(households, personas):
    DiagnosisFactory(household=households.mine, rights_not_claimed="Prime d'activité", goals="Rester à Metz")
    InterventionFactory(household=households.mine, author=personas.worker, themes=["energy_kit"],
                        summary="NOTE-DE-VISITE")
    PsychologistNoteFactory(household=households.mine, author=personas.psychologist)
    data = selectors.dsf_prefill(households.mine)
    assert data["rights_not_claimed"] == "Prime d'activité"
    assert data["wishes"] == "Rester à Metz"
    assert data["themes_worked"] == ["Maîtrise de l'énergie (kit énergie)"]
    assert data["visit_count"] == 1
    assert data["rent_due"] == Decimal("380.00")
    text = repr(data)
    for secret in ("cardiologique", "dépressif", "CONFIDENTIEL-PSY", "NOTE-DE-VISITE"):
        assert secret not in text
