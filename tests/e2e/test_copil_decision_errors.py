"""A refused COPIL decision (HTTP 400) shows the error summary at the top of the page, with the focus
on it and a link that takes the focus to the faulty field; what was typed is kept."""

import pytest
from playwright.sync_api import expect

from tests.copil.conftest import chair, copil  # noqa: F401  (fixtures)
from tests.factories import PASSWORD

from .conftest import audit, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_refused_decision_shows_the_summary_at_the_top_with_focus(phone_page, live_server, personas,
                                                                  copil):  # noqa: F811
    page = phone_page
    log_in(page, live_server, "chair", PASSWORD)
    audit(page)
    page.goto(f"{live_server.url}/copil/seances/{copil.a.pk}/dossiers/{copil.item_a.pk}/")
    audit(page)
    page.get_by_label("Refusé", exact=True).check()
    with page.expect_response(lambda r: "/decision" in r.url or r.request.method == "POST") as answer:
        page.get_by_role("button", name="Enregistrer la décision").click()
    page.wait_for_load_state("load")
    audit(page)
    assert answer.value.status == 400
    summary = page.locator("[data-error-summary]")
    assert summary.get_attribute("role") == "alert"
    assert "Indiquez le motif du refus." in summary.inner_text()
    # At the top, in the first screen, and focused.
    assert summary.bounding_box()["y"] < 812
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.locator("#id_outcome_2, [name=outcome][value=refused]").first.is_checked()  # input kept
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_reason"
    expect(page.locator("#id_reason")).to_be_in_viewport(ratio=1)
