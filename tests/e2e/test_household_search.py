import re

import pytest

from tests.factories import PASSWORD, LeaseFactory, ResourceFactory

from .conftest import audit, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_worker_finds_accented_household_typed_without_accents_and_sees_effort_rate(
        page, live_server, personas, households):
    ResourceFactory(household=households.mine, monthly_amount="1500.00")
    # lease of `mine`: 450 + 80 − 150 = 380 € a month → 380 / 1500 = 25,3 %
    log_in(page, live_server, "worker", PASSWORD)
    audit(page)

    page.goto(f"{live_server.url}/menages/")
    audit(page)
    page.get_by_label("Nom ou référence").fill("elodie lefevre")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_load_state("load")
    audit(page)
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    page.get_by_role("link", name=re.compile("LEFÈVRE Élodie")).click()
    page.wait_for_load_state("load")
    audit(page)

    assert page.get_by_test_id("effort-rate").inner_text() == "25,3\xa0%"
    assert "Martin" not in page.content()


def test_stranger_household_is_not_found_in_browser(page, live_server, personas, households):
    LeaseFactory(household=households.far)
    log_in(page, live_server, "worker", PASSWORD)
    audit(page)
    response = page.goto(f"{live_server.url}/menages/{households.far.pk}/")
    audit(page)
    assert response.status == 404
    assert "Nguyen" not in page.content()
