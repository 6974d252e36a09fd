"""The household list's keyset navigation on a 375 px phone, with the keyboard (issue 20)."""

import pytest

from tests.factories import PASSWORD, HouseholdFactory

from .conftest import audit, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_worker_pages_through_the_list_and_jumps_to_a_letter_on_a_phone(phone_page, live_server, personas, orgs):
    page = phone_page
    for n in range(27):
        HouseholdFactory(last_name=f"Nom{n:02d}", first_name="A", organisation=orgs.amli, workers=[personas.worker])
    HouseholdFactory(last_name="Émile", first_name="B", organisation=orgs.amli, workers=[personas.worker])
    log_in(page, live_server, "worker", PASSWORD)
    audit(page)
    page.goto(f"{live_server.url}/menages/")
    audit(page)
    assert page.locator("tbody tr").count() == 25 and _no_sideways_scroll(page)
    navigation = page.get_by_role("navigation", name="Pages de la liste")
    navigation.get_by_role("link", name="Suivante").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    audit(page)
    assert "apres=" in page.url and page.locator("tbody tr").count() == 3
    assert _no_sideways_scroll(page)
    letters = page.get_by_role("navigation", name="Aller à une lettre")
    with page.expect_navigation():
        letters.get_by_role("link", name="Noms commençant par E").click()
    audit(page)
    assert page.locator("tbody tr").first.inner_text().split("\t")[1].startswith("ÉMILE")
