"""The need-to-know summary: what the committee reads, and what it must never read."""

import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from copil import rules, services
from copil.models import Session

from .conftest import (
    ADDRESS,
    CHILD_NAMES,
    COMMITTEE_TEXT,
    HEALTH,
    MENTAL,
    PHONE,
    PSY_NOTE,
    VISIT,
    dossier_url,
)

pytestmark = pytest.mark.django_db

FORBIDDEN = [*CHILD_NAMES, ADDRESS, PHONE, HEALTH, MENTAL, PSY_NOTE, VISIT, "Famille recomposée", "Bruno"]


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("ages, expected", [
    ([40, 42, 6, 11], "2 adultes, 2 enfants (6 et 11 ans)"),
    ([30], "1 adulte"),
    ([30, 0], "1 adulte, 1 enfant (0 an)"),
    ([55, 17, 12, 3], "1 adulte, 3 enfants (3, 12 et 17 ans)"),
    ([40, 18], "2 adultes"),
])
def test_composition_counts_adults_and_gives_children_ages_only(ages, expected):
    assert rules.composition_label(ages) == expected


def test_dossier_shows_what_the_committee_needs(as_user, personas, copil):
    html = as_user(personas.copil_a).get(dossier_url(copil.item_a)).content.decode()
    assert "2 adultes, 2 enfants (6 et 11 ans)" in html
    assert COMMITTEE_TEXT.replace("'", "&#x27;") in html
    assert "1\xa0500,00\xa0€" in html          # resources total
    assert "Allocations familiales" in html
    assert "25,3\xa0%" in html                 # before: (450 + 80 − 150) / 1 500
    assert "20,0\xa0%" in html                 # after: (420 + 60 − 180) / 1 500
    assert "1\xa0840,00\xa0€" in html          # rent debt and requested FSL maintien
    assert "FSL maintien" in html
    assert "Maintien" in html and "57" in html


def test_dossier_shows_procedure_stage_and_two_debts_with_distinct_labels_and_dates(as_user, personas, copil):
    from litigation.models import EventType, Procedure, ProcedureEvent, RentAccountLine, Stage

    lease = copil.mine.leases.get()
    procedure = Procedure.objects.create(
        lease=lease, household=copil.mine, landlord=lease.landlord, territory=copil.mine.territory,
        opened_on=date(2025, 1, 10), stage=Stage.ASSIGNATION, current_debt=Decimal("999.00"),
        next_deadline_on=date(2025, 7, 3))
    ProcedureEvent.objects.create(procedure=procedure, type=EventType.ASSIGNATION, occurred_on=date(2025, 4, 2),
                                  hearing_on=date(2025, 7, 3), debt_amount=Decimal("2104.00"))
    RentAccountLine.objects.create(lease=lease, month=date(2026, 11, 1), amount_called=Decimal("3000"),
                                   housing_benefit=Decimal("0"), amount_paid=Decimal("262.95"))
    html = as_user(personas.copil_a).get(dossier_url(copil.item_a)).content.decode()
    assert "Assignation" in html and "03/07/2025" in html
    assert "Dette au jour de l'assignation (02/04/2025)" in html and "2\xa0104,00\xa0€" in html
    assert "Dette locative au 30/11/2026 (compte locataire)" in html and "2\xa0737,05\xa0€" in html
    assert "999,00" not in html  # the procedure's cache is not a third, undated debt


@pytest.mark.parametrize("viewer", ["copil_a", "chair", "manager"])
def test_dossier_html_never_contains_forbidden_fields(as_user, personas, copil, viewer):
    user = copil.chair if viewer == "chair" else getattr(personas, viewer)
    html = as_user(user).get(dossier_url(copil.item_a)).content.decode()
    for phrase in FORBIDDEN:
        assert phrase not in html, phrase


def _signed_minutes(copil):
    from copil.services import LeverInput

    services.decision_record(item=copil.item_a, by=copil.chair, outcome="admitted",
                             levers=[LeverInput("fsl_maintenance", Decimal("1840.00"))])
    Session.objects.filter(pk=copil.a.pk).update(status="held")
    copil.a.refresh_from_db()
    services.minutes_sign(session=copil.a, by=copil.chair)


def test_minutes_pdf_lists_decision_and_never_forbidden_fields(as_user, personas, copil,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _signed_minutes(copil)
    response = as_user(personas.copil_a).get(f"/copil/seances/{copil.a.pk}/proces-verbal.pdf")
    assert response.status_code == 200
    text = pdf_text(b"".join(response.streaming_content))
    assert copil.mine.reference in text
    assert "Admis" in text and "FSL maintien" in text and "1 840,00 €" in text.replace("\xa0", " ")
    assert "Claire Présidente" in text and "Signatures" in text
    for phrase in FORBIDDEN + [COMMITTEE_TEXT, "Lefèvre", "Élodie"]:
        assert phrase not in text, phrase


def test_regenerating_minutes_gives_the_same_text(copil, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _signed_minutes(copil)
    session = Session.objects.get(pk=copil.a.pk)
    first = pdf_text(session.minutes.read())
    session.minutes.close()
    session = services.minutes_render(session=session)
    second = pdf_text(Session.objects.get(pk=copil.a.pk).minutes.read())
    assert first == second
    assert "12/06/2025" in first
