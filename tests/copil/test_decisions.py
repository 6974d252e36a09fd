"""Decisions move the household along its pipeline in the same transaction; signed ones stand."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from copil import integrations, services
from copil.models import AgendaItem, Decision, Session
from copil.services import LeverInput
from households.models import Household
from support.models import SupportEpisode

from .conftest import dossier_url
from .factories import AgendaItemFactory, SessionFactory

pytestmark = pytest.mark.django_db
FSL = [LeverInput("fsl_maintenance", Decimal("1840.00"), "dette au 31/05")]


def _status(household):
    return Household.objects.get(pk=household.pk).status


def test_admitted_sets_status_and_opens_support_episode(copil):
    decision = services.decision_record(item=copil.item_a, by=copil.chair, outcome="admitted", levers=FSL)
    assert _status(copil.mine) == "admitted"
    episode = SupportEpisode.objects.get(household=copil.mine)
    assert episode.closed_on is None and episode.opened_on == date(2025, 6, 12)
    assert [(lv.kind, lv.amount) for lv in decision.levers.all()] == [("fsl_maintenance", Decimal("1840.00"))]


def test_admission_decided_ahead_of_a_future_session_opens_support_today(copil):
    Session.objects.filter(pk=copil.a.pk).update(held_on=timezone.localdate() + timedelta(days=5))
    copil.item_a.session.refresh_from_db()
    services.decision_record(item=copil.item_a, by=copil.chair, outcome="admitted")
    assert SupportEpisode.objects.get(household=copil.mine).opened_on == timezone.localdate()


@pytest.mark.parametrize("target", ["copil.integrations.open_support_episode", "copil.services.household_transition"])
def test_decision_is_atomic_when_a_step_fails(copil, monkeypatch, target):
    def boom(**kwargs):
        raise RuntimeError("panne au milieu")

    if target.endswith("open_support_episode"):
        monkeypatch.setattr(integrations, "open_support_episode", boom)
    else:
        monkeypatch.setattr(services, "household_transition", boom)
    with pytest.raises(RuntimeError):
        services.decision_record(item=copil.item_a, by=copil.chair, outcome="admitted", levers=FSL)
    assert Decision.objects.count() == 0
    assert _status(copil.mine) == "presented"
    assert not SupportEpisode.objects.filter(household=copil.mine).exists()
    assert Household.objects.get(pk=copil.mine.pk).version == copil.mine.version


def test_decision_is_atomic_when_the_view_fails(as_user, copil, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("panne")

    monkeypatch.setattr(integrations, "open_support_episode", boom)
    client = as_user(copil.chair)
    client.raise_request_exception = False
    response = client.post(dossier_url(copil.item_a) + "decision/", {
        "outcome": "admitted", "levers-TOTAL_FORMS": "1", "levers-INITIAL_FORMS": "0",
        "levers-0-kind": "fsl_maintenance", "levers-0-amount": "1840"})
    assert response.status_code == 500
    assert Decision.objects.count() == 0 and _status(copil.mine) == "presented"


def test_adjourned_goes_back_on_next_draft_agenda_of_territory(copil):
    later = SessionFactory(chair=copil.chair, held_on=date(2025, 7, 10), status="draft")
    services.decision_record(item=copil.item_a, by=copil.chair, outcome="adjourned",
                             missing="Avis d'imposition 2024", comes_back_on=date(2025, 7, 10))
    assert _status(copil.mine) == "adjourned"
    carried = AgendaItem.objects.get(session=later, household=copil.mine)
    assert carried.carried_from_id == copil.item_a.pk
    assert [lv.kind for lv in carried.requested_levers.all()] == ["fsl_maintenance"]


def test_adjourned_without_next_agenda_is_flagged_then_picked_by_the_next_session(copil, personas):
    services.decision_record(item=copil.item_a, by=copil.chair, outcome="adjourned", missing="Justificatifs")
    assert AgendaItem.objects.get(pk=copil.item_a.pk).to_reschedule
    new = services.session_create(by=personas.manager, territory=copil.a.territory, held_on=date(2025, 9, 4),
                                  chair=copil.chair, members=[personas.copil_a], place="Metz")
    assert new.items.get().household_id == copil.mine.pk
    assert not AgendaItem.objects.get(pk=copil.item_a.pk).to_reschedule


def test_refused_requires_reason_and_sets_status(copil):
    with pytest.raises(ValidationError):
        services.decision_record(item=copil.item_a, by=copil.chair, outcome="refused")
    assert _status(copil.mine) == "presented"
    services.decision_record(item=copil.item_a, by=copil.chair, outcome="refused", reason="Hors critères")
    assert _status(copil.mine) == "refused"


def test_levers_only_with_an_admission(copil):
    with pytest.raises(ValidationError):
        services.decision_record(item=copil.item_a, by=copil.chair, outcome="refused", reason="x", levers=FSL)


def test_only_the_chair_decides(copil, personas):
    with pytest.raises(ValidationError):
        services.decision_record(item=copil.item_a, by=personas.copil_a, outcome="admitted")


def _sign(copil):
    Session.objects.filter(pk=copil.a.pk).update(status="held")
    copil.a.refresh_from_db()
    return services.minutes_sign(session=copil.a, by=copil.chair)


def test_minutes_cannot_be_signed_with_an_undecided_dossier(copil):
    with pytest.raises(ValidationError):
        _sign(copil)


def test_decisions_are_immutable_after_signature_and_corrected_by_a_linked_decision(
        copil, django_capture_on_commit_callbacks):
    original = services.decision_record(item=copil.item_a, by=copil.chair, outcome="admitted", levers=FSL)
    with django_capture_on_commit_callbacks(execute=True):
        _sign(copil)
    with pytest.raises(ValidationError):
        services.decision_record(item=copil.item_a, by=copil.chair, outcome="refused", reason="x")
    original.outcome = "refused"
    with pytest.raises(ValidationError):
        original.save()
    with pytest.raises(ValidationError):
        original.delete()
    assert Decision.objects.get(pk=original.pk).outcome == "admitted"

    correction = services.decision_correct(
        decision=original, by=copil.chair, outcome="admitted", correction_reason="Erreur de montant",
        levers=[LeverInput("fsl_maintenance", Decimal("1480.00"))])
    assert correction.corrects_id == original.pk and correction.after_signature
    # the episode opened by the original admission is kept, not duplicated
    assert SupportEpisode.objects.filter(household=copil.mine).count() == 1
    with pytest.raises(ValidationError):
        # the original was corrected already: a new correction corrects the latest one
        services.decision_correct(decision=original, by=copil.chair, outcome="admitted",
                                  correction_reason="encore")


def test_decision_form_is_refused_after_signature(as_user, copil, django_capture_on_commit_callbacks):
    services.decision_record(item=copil.item_a, by=copil.chair, outcome="admitted", levers=FSL)
    with django_capture_on_commit_callbacks(execute=True):
        _sign(copil)
    response = as_user(copil.chair).post(dossier_url(copil.item_a) + "decision/", {"outcome": "refused"})
    assert response.status_code == 403


def test_publishing_mails_every_member_a_link_after_commit(copil, personas, django_capture_on_commit_callbacks):
    session = SessionFactory(chair=copil.chair, members=[personas.copil_a], status="draft",
                             held_on=date(2025, 7, 10))
    household = AgendaItemFactory(session=session, household__status="diagnosed").household
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.agenda_publish(session=session, by=personas.manager)
        assert len(mail.outbox) == 0  # nothing leaves before the commit
    assert len(callbacks) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([personas.copil_a.email, copil.chair.email])
    assert f"/copil/seances/{session.pk}/" in mail.outbox[0].body
    assert "10/07/2025" in mail.outbox[0].subject
    assert household.reference not in mail.outbox[0].body
    assert _status(household) == "presented"


def test_written_consultation_collects_opinions_until_closing_date(copil, personas, as_user):
    today = timezone.localdate()
    session = services.written_consultation_open(by=personas.manager, household=copil.mine, chair=copil.chair,
                                                 closes_on=today + timedelta(days=3), members=[personas.copil_a],
                                                 levers=FSL)
    assert session.kind == "written" and session.status == "review"
    item = session.items.get()
    client = as_user(personas.copil_a)
    assert client.get(dossier_url(item)).status_code == 200
    assert client.post(dossier_url(item) + "avis/", {"value": "favourable"}).status_code == 302
    Session.objects.filter(pk=session.pk).update(review_closes_on=today - timedelta(days=1))
    session.refresh_from_db()
    with pytest.raises(ValidationError):
        services.opinion_give(item=item, by=personas.copil_a, value="reserved")
    item.session = session
    services.decision_record(item=item, by=copil.chair, outcome="admitted", levers=FSL)
    assert _status(copil.mine) == "admitted"


def test_an_admission_cannot_be_turned_into_a_refusal_once_support_is_open(copil):
    services.decision_record(item=copil.item_a, by=copil.chair, outcome="admitted", levers=FSL)
    with pytest.raises(ValidationError):
        services.decision_record(item=copil.item_a, by=copil.chair, outcome="refused", reason="erreur")
    assert _status(copil.mine) == "admitted"
    # the levers of the admission may still be replaced before signature
    replaced = services.decision_record(item=copil.item_a, by=copil.chair, outcome="admitted",
                                        levers=[LeverInput("fsl_maintenance", Decimal("1500.00"))])
    assert replaced.corrects.outcome == "admitted" and not replaced.after_signature
    assert SupportEpisode.objects.filter(household=copil.mine).count() == 1
