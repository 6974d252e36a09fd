"""A partner reviews a dossier online; the chair admits it with an FSL lever; the minutes list it."""

import io
import re

import pytest
from pypdf import PdfReader

# The COPIL scenario fixtures (tests/copil/conftest.py) are imported to be usable here.
from tests.copil.conftest import ADDRESS, CHILD_NAMES, HEALTH, PHONE, PSY_NOTE, VISIT, chair, copil  # noqa: F401
from tests.factories import PASSWORD

from .conftest import audit, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_out(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state("load")
    audit(page)


def test_member_reviews_chair_admits_household_is_supported_and_minutes_list_it(
        page, live_server, personas, copil):  # noqa: F811
    reference = copil.mine.reference

    # 1. The DDETS member reads the dossier and gives a favourable opinion.
    log_in(page, live_server, "copil_a", PASSWORD)
    audit(page)
    page.goto(f"{live_server.url}/copil/")
    audit(page)
    page.get_by_role("link", name="12/06/2025").click()
    page.wait_for_load_state("load")
    audit(page)
    page.get_by_role("link", name=reference).click()
    page.wait_for_load_state("load")
    audit(page)
    summary = page.get_by_test_id("dossier-summary").inner_text()
    assert "2 adultes, 2 enfants (6 et 11 ans)" in summary
    for phrase in [*CHILD_NAMES, ADDRESS, PHONE, HEALTH, PSY_NOTE, VISIT]:
        assert phrase not in page.content(), phrase
    page.get_by_label("Favorable", exact=True).check()
    page.get_by_label("Commentaire").fill("Plan d'apurement réaliste, avis favorable.")
    page.get_by_role("button", name="Enregistrer mon avis").click()
    page.wait_for_load_state("load")
    audit(page)
    assert "Votre avis est enregistré" in page.content()
    _log_out(page)

    # 2. The chair sees the opinion and records an admission with an FSL lever.
    log_in(page, live_server, "chair", PASSWORD)
    audit(page)
    page.goto(f"{live_server.url}/copil/seances/{copil.a.pk}/dossiers/{copil.item_a.pk}/")
    audit(page)
    assert "Plan d'apurement réaliste" in page.get_by_test_id("opinions").inner_text()
    page.get_by_label("Admis", exact=True).check()
    page.locator("#id_levers-0-kind").select_option("fsl_maintenance")
    page.locator("#id_levers-0-amount").fill("1840")
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.wait_for_load_state("load")
    audit(page)
    row = page.get_by_test_id("agenda-row").filter(has_text=reference)
    assert "Admis" in row.inner_text() and "FSL maintien" in row.inner_text()

    # 3. The session is held, the chair signs the minutes; the PDF lists the decision.
    page.get_by_role("link", name="Séance tenue : présences").click()
    page.wait_for_load_state("load")
    audit(page)
    page.get_by_role("button", name="Enregistrer la séance comme tenue").click()
    page.wait_for_load_state("load")
    audit(page)
    page.get_by_role("button", name="Signer le procès-verbal").click()
    page.wait_for_load_state("load")
    audit(page)
    assert page.get_by_test_id("session-status").inner_text() == "Procès-verbal signé"
    link = page.get_by_role("link", name=re.compile("Télécharger le procès-verbal"))
    pdf = page.context.request.get(live_server.url + link.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages).replace("\xa0", " ")
    assert reference in text and "Admis" in text and "FSL maintien" in text and "1 840,00 €" in text
    for phrase in [*CHILD_NAMES, ADDRESS, PHONE, HEALTH, PSY_NOTE, VISIT]:
        assert phrase not in text, phrase
    _log_out(page)

    # 4. The programme manager sees the household admitted with an open support episode.
    log_in(page, live_server, "manager", PASSWORD)
    audit(page)
    page.goto(f"{live_server.url}/menages/{copil.mine.pk}/")
    audit(page)
    content = page.content()
    assert "Admis" in content
    assert "Accompagnement ouvert" in content
    assert "COPIL 57 du 12/06/2025 : admis" in content
