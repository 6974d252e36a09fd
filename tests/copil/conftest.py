"""A COPIL scenario: session A (57) where copil_a sits and `chair` presides, session B (54) where
copil_b sits; the dossier of `mine` carries every kind of data the committee must NOT read."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from tests.factories import MemberFactory, ResourceFactory, UserFactory, territory

from .factories import AgendaItemFactory, RequestedLeverFactory, SessionFactory

CHILD_NAMES = ("Anatole", "Philippine")
ADDRESS = "12 rue des Tilleuls"
PHONE = "06 12 34 56 78"
HEALTH = "Suivi cardiologique"
MENTAL = "Épisode dépressif en 2024"
PSY_NOTE = "Angoisses nocturnes liées au courrier du bailleur"
VISIT = "Réfrigérateur vide constaté lors de la visite"
COMMITTEE_TEXT = "Dette née d'une perte d'emploi ; reprise du loyer courant depuis mars."


@pytest.fixture
def chair(orgs):
    from tests.factories import OrganisationFactory

    prefecture = OrganisationFactory(code="pref-57", name="Préfecture 57", kind="prefecture")
    return UserFactory(username="chair", first_name="Claire", last_name="Présidente", organisation=prefecture,
                       roles=["copil_member"], territories=["57"])


@pytest.fixture
def copil(personas, households, chair):
    """session_a (57, open for review) lists `mine`; session_b (54) lists `far`."""
    from support.models import Diagnosis, Intervention, PsychologistNote

    mine = households.mine
    mine.phone = PHONE
    mine.birth_year = 1985
    mine.status = "presented"
    mine.save()
    MemberFactory(household=mine, relation="spouse", first_name="Bruno", birth_year=1983)
    MemberFactory(household=mine, first_name=CHILD_NAMES[0], birth_year=2019)
    MemberFactory(household=mine, first_name=CHILD_NAMES[1], birth_year=2014)
    ResourceFactory(household=mine, kind="salary", monthly_amount=Decimal("1350.00"))
    ResourceFactory(household=mine, kind="family", monthly_amount=Decimal("150.00"))
    Diagnosis.objects.create(household=mine, done_on=date(2025, 5, 2), committee_summary=COMMITTEE_TEXT,
                             rent_debt=Decimal("1840.00"), energy_debt=Decimal("320.50"),
                             other_debts=Decimal("0"), health=HEALTH, mental_health=MENTAL,
                             family_situation="Famille recomposée")
    PsychologistNote.objects.create(household=mine, author=personas.psychologist, content=PSY_NOTE)
    Intervention.objects.create(household=mine, author=personas.worker, summary=VISIT)

    session_a = SessionFactory(chair=chair, members=[personas.copil_a], held_on=date(2025, 6, 12))
    item_a = AgendaItemFactory(session=session_a, household=mine, expected_rent=Decimal("420.00"),
                               expected_charges=Decimal("60.00"), expected_housing_benefit=Decimal("180.00"))
    RequestedLeverFactory(item=item_a, kind="fsl_maintenance", amount=Decimal("1840.00"))
    households.far.status = "presented"
    households.far.save()
    session_b = SessionFactory(territory=territory("54"), chair=personas.copil_b, members=[personas.copil_b])
    item_b = AgendaItemFactory(session=session_b, household=households.far)
    return SimpleNamespace(a=session_a, b=session_b, item_a=item_a, item_b=item_b, chair=chair, mine=mine)


def dossier_url(item):
    return f"/copil/seances/{item.session_id}/dossiers/{item.pk}/"


def session_url(session):
    return f"/copil/seances/{session.pk}/"
