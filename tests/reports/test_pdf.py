"""The PDF a funder reads: headline figures, definitions, no person's name; reproducible."""

import hashlib
from io import BytesIO

import pytest
from pypdf import PdfReader

from reports import services
from reports.models import Report

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    # French formatting uses non-breaking spaces ("1 234,56 €", "60,0 %"): compare with plain spaces.
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages).replace("\xa0", " ")


@pytest.fixture
def built(programme, personas):
    report = services.report_request(by=personas.manager, quarter="2025Q4", enqueue=False)
    return Report.objects.get(pk=services.report_build(report_id=report.pk).pk)


def test_pdf_holds_the_headline_figures_and_definitions(built):
    text = pdf_text(built.file.read())
    assert "4e trimestre 2025" in text
    assert "Ensemble du programme" in text
    # Summary: "up to date" 3 of 5 = 60 %; active households at quarter end 7; 7 interventions.
    assert "60,0 %" in text
    assert "Interventions réalisées 7" in text
    assert "Heures d'intervention 5,8" in text
    # Small cells: 2 evictions avoided and 2 entries are hidden.
    assert "Expulsions évitées < 5" in text
    # Budget of the programme sheet and the definitions page.
    assert "326 400,00 €" in text and "100 000,00 €" in text and "226 400,00 €" in text
    assert "Budget de l'année 2020 (dernier budget renseigné)" in text
    assert "Ménage à jour de son loyer" in text and "Expulsion évitée" in text
    assert "commandement de payer" in text


def test_pdf_names_no_person(built, programme):
    text = pdf_text(built.file.read()).lower()
    for household in programme.all:
        assert household.last_name.lower() not in text
        assert household.first_name.lower() not in text
    for free_text in ("orienteuse", "confidentiel", "ondine"):
        assert free_text not in text


def test_done_report_has_file_checksum_and_frozen_figures(built):
    assert built.status == Report.Status.DONE
    data = built.file.read()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == built.checksum
    assert built.figures["quarter"] == "2025Q4"
    assert built.finished_at is not None


def test_rerendering_from_frozen_figures_gives_the_same_text_even_after_data_changes(built, programme):
    original = pdf_text(built.file.read())
    # New data after the report: the frozen report must not move.
    from support.models import SupportEpisode
    SupportEpisode.objects.filter(household=programme.h10).update(opened_on="2024-01-01")
    again = pdf_text(services.report_pdf(report=built))
    assert again == original


def test_previous_quarter_comes_from_the_published_report(programme, personas):
    q3 = services.report_request(by=personas.manager, quarter="2025Q3", enqueue=False)
    services.report_build(report_id=q3.pk)
    q4 = services.report_request(by=personas.manager, quarter="2025Q4", enqueue=False)
    q4 = services.report_build(report_id=q4.pk)
    assert q4.figures["previous"]["source"] == "report"
    assert q4.figures["previous"]["quarter"] == "2025Q3"
