"""On a phone: a member reads a dossier; the manager's agenda page is usable and accessible."""

from datetime import date

import pytest

from copil.models import Session
from tests.copil.conftest import chair, copil  # noqa: F401  (fixtures)
from tests.copil.factories import SessionFactory
from tests.factories import PASSWORD, HouseholdFactory

from .conftest import audit, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_member_reads_dossier_on_a_phone_without_horizontal_scroll(phone_page, live_server, personas,
                                                                   copil):  # noqa: F811
    page = phone_page
    log_in(page, live_server, "copil_a", PASSWORD)
    audit(page)
    page.goto(f"{live_server.url}/copil/seances/{copil.a.pk}/dossiers/{copil.item_a.pk}/")
    audit(page)
    assert page.get_by_test_id("effort-before").inner_text() == "25,3\xa0%"
    assert page.get_by_test_id("effort-after").inner_text() == "20,0\xa0%"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_manager_prepares_agenda_on_a_phone(phone_page, live_server, personas, orgs, copil):  # noqa: F811
    page = phone_page
    draft = SessionFactory(chair=copil.chair, members=[personas.copil_a], status="draft", held_on=date(2025, 9, 4))
    waiting = HouseholdFactory(status="diagnosed", organisation=orgs.amli, last_name="Attente")
    # Straight to the agenda (the manager's home page is another app's dashboard).
    page.goto(f"{live_server.url}/comptes/login/?next=/copil/seances/{draft.pk}/")
    page.get_by_label("Nom d’utilisateur").fill("manager")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state("load")
    audit(page)
    page.get_by_label("Ménage").select_option(str(waiting.pk))
    page.get_by_role("button", name="Inscrire").click()
    page.wait_for_load_state("load")
    audit(page)
    page.locator("#id_levers-0-kind").select_option("fsl_access")
    page.locator("#id_levers-0-amount").fill("600")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state("load")
    audit(page)
    page.get_by_role("button", name="Publier l'ordre du jour").click()
    page.wait_for_load_state("load")
    audit(page)
    assert Session.objects.get(pk=draft.pk).status == "published"
    assert "FSL accès" in page.get_by_test_id("agenda-row").inner_text()
