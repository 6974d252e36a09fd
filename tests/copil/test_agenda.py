"""The programme manager prepares the agenda, publishes it, opens the review."""

from datetime import date

import pytest
from django.core import mail

from copil.models import AgendaItem, Session
from households.models import Household
from tests.factories import HouseholdFactory, LeaseFactory, territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(personas, chair):
    from .factories import SessionFactory

    return SessionFactory(chair=chair, members=[personas.copil_a], status="draft", held_on=date(2025, 9, 4))


def test_manager_creates_session_with_members(as_user, personas, chair, orgs):
    client = as_user(personas.manager)
    response = client.post("/copil/seances/nouvelle/", {
        "territory": territory("57").pk, "held_on": "2025-09-04", "starts_at": "09:30", "place": "Metz",
        "chair": chair.pk, "members": [personas.copil_a.pk]})
    session = Session.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/copil/seances/{session.pk}/"
    assert session.status == "draft" and session.held_on == date(2025, 9, 4)
    assert set(session.members.all()) == {chair, personas.copil_a}


def test_session_needs_a_place_or_a_video_link(as_user, personas, chair):
    response = as_user(personas.manager).post("/copil/seances/nouvelle/", {
        "territory": territory("57").pk, "held_on": "2025-09-04", "chair": chair.pk})
    assert response.status_code == 200
    assert "Indiquez un lieu ou un lien de visioconférence." in response.content.decode()
    assert not Session.objects.exists()


def test_agenda_offers_waiting_households_of_the_territory_only(as_user, personas, households, draft, orgs):
    waiting = HouseholdFactory(status="diagnosed", organisation=orgs.amli, last_name="Attente")
    LeaseFactory(household=waiting)
    HouseholdFactory(status="diagnosed", organisation=orgs.amli, territory=territory("54"), last_name="Ailleurs")
    HouseholdFactory(status="supported", organisation=orgs.amli, last_name="Accompagne")
    html = as_user(personas.manager).get(f"/copil/seances/{draft.pk}/").content.decode()
    assert "ATTENTE" in html
    assert "AILLEURS" not in html and "ACCOMPAGNE" not in html


def test_manager_adds_item_with_levers_then_publishes_and_members_are_mailed(
        as_user, personas, draft, orgs, django_capture_on_commit_callbacks):
    household = HouseholdFactory(status="diagnosed", organisation=orgs.amli, track="acces")
    client = as_user(personas.manager)
    response = client.post(f"/copil/seances/{draft.pk}/dossiers/ajouter/", {
        "household": household.pk, "kind": "admission", "expected_rent": "410", "expected_charges": "60",
        "expected_housing_benefit": "200"})
    item = AgendaItem.objects.get(session=draft)
    assert response["Location"] == f"/copil/seances/{draft.pk}/dossiers/{item.pk}/modifier/"
    response = client.post(f"/copil/seances/{draft.pk}/dossiers/{item.pk}/modifier/", {
        "kind": "admission", "expected_rent": "410", "expected_charges": "60", "expected_housing_benefit": "200",
        "levers-TOTAL_FORMS": "2", "levers-INITIAL_FORMS": "0",
        "levers-0-kind": "fsl_access", "levers-0-amount": "650", "levers-1-kind": "visale"})
    assert response.status_code == 302
    assert [(lv.kind, lv.amount) for lv in item.requested_levers.all()] == [("fsl_access", 650), ("visale", None)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/copil/seances/{draft.pk}/publier/")
    assert response.status_code == 302
    assert Session.objects.get(pk=draft.pk).status == "published"
    assert Household.objects.get(pk=household.pk).status == "presented"
    assert len(mail.outbox) == 2
    client.post(f"/copil/seances/{draft.pk}/ouvrir/")
    assert Session.objects.get(pk=draft.pk).status == "review"
    # the agenda is frozen once the review is open
    response = client.post(f"/copil/seances/{draft.pk}/dossiers/{item.pk}/retirer/")
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_empty_agenda_cannot_be_published(as_user, personas, draft):
    as_user(personas.manager).post(f"/copil/seances/{draft.pk}/publier/")
    assert Session.objects.get(pk=draft.pk).status == "draft"
    assert not mail.outbox


def test_members_cannot_change_the_agenda(as_user, personas, draft, orgs):
    household = HouseholdFactory(status="diagnosed", organisation=orgs.amli)
    Session.objects.filter(pk=draft.pk).update(status="published")
    response = as_user(personas.copil_a).post(f"/copil/seances/{draft.pk}/dossiers/ajouter/",
                                              {"household": household.pk, "kind": "admission"})
    assert response.status_code == 403
    assert not AgendaItem.objects.exists()


def test_timeline_shows_copil_decision_to_those_who_see_the_household(as_user, personas, copil):
    from copil import services

    services.decision_record(item=copil.item_a, by=copil.chair, outcome="refused", reason="Hors critères")
    html = as_user(personas.worker).get(f"/menages/{copil.mine.pk}/").content.decode()
    assert "COPIL 57 du 12/06/2025 : refusé" in html and "Hors critères" in html
