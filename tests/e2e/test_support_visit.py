"""On a phone (375×812): a home visit with two themes and a next action, in one screen and one tap,
then found on the household timeline and the action on the dashboard."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import PASSWORD

from .conftest import audit, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_worker_logs_a_home_visit_on_a_phone(phone_page, live_server, personas, households):
    page = phone_page
    due = timezone.localdate() + timedelta(days=5)
    log_in(page, live_server, "worker", PASSWORD)
    audit(page)

    page.goto(f"{live_server.url}/accompagnement/")
    audit(page)
    page.get_by_role("link", name="Saisir une visite").click()
    page.wait_for_load_state("load")
    audit(page)

    page.get_by_role("combobox", name="Ménage").select_option(str(households.mine.pk))
    # Date is today and mode is home visit by default: nothing to type there.
    assert page.get_by_label("Visite à domicile").is_checked()
    page.get_by_label("Durée (minutes)").fill("45")
    page.locator("label[for=id_themes_0]").click()  # Gestion budgétaire
    page.locator("label[for=id_themes_5]").click()  # kit énergie
    page.get_by_label("Compte rendu").fill("Budget revu avec Madame, kit énergie posé.")
    page.get_by_label("Prochaine action", exact=True).fill("Déposer le dossier FSL")
    page.get_by_label("Pour le").fill(due.isoformat())
    # The whole form fits one phone screen width: no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Enregistrer la visite").click()
    page.wait_for_load_state("load")
    audit(page)
    assert "Visite enregistrée" in page.content()
    assert "Gestion budgétaire, Maîtrise de l'énergie (kit énergie)" in page.content()

    page.get_by_role("link", name="Fiche du ménage et chronologie").click()
    page.wait_for_load_state("load")
    audit(page)
    timeline = page.locator("ol.timeline")
    assert timeline.get_by_role("link", name="Visite à domicile").count() == 1
    assert "Gestion budgétaire" in timeline.inner_text()

    page.goto(f"{live_server.url}/accompagnement/")
    audit(page)
    page.locator("a.dash-tile[href='#next']").click()  # on a phone the lists are folded under their tiles
    actions = page.get_by_test_id("next-actions")
    actions.wait_for()
    assert re.search(rf"{due:%d/%m/%Y}.*Déposer le dossier FSL", actions.inner_text())


def test_invalid_visit_comes_back_with_typed_values(phone_page, live_server, personas, households):
    page = phone_page
    log_in(page, live_server, "worker", PASSWORD)
    audit(page)
    page.goto(f"{live_server.url}/accompagnement/visite/nouvelle/?menage={households.mine.pk}")
    audit(page)
    page.get_by_label("Durée (minutes)").fill("-10")
    page.get_by_label("Participants").fill("Madame et son fils")
    page.get_by_role("button", name="Enregistrer la visite").click()
    page.wait_for_load_state("load")
    audit(page)
    assert "nombre de minutes positif" in page.content()
    assert "compte rendu est obligatoire" in page.content()
    assert page.get_by_label("Participants").input_value() == "Madame et son fils"
