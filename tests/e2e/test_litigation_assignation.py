"""A litigation officer records a summons with its hearing date and sees the préfet deadline and
the next steps; the assigned social worker then sees the hearing on their dashboard."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import PASSWORD
from tests.litigation.factories import ProcedureFactory

from .conftest import audit, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_officer_records_summons_and_worker_sees_hearing(page, browser, live_server, personas, households):
    procedure = ProcedureFactory(lease=households.mine.leases.get())
    today = timezone.localdate()
    hearing = today + timedelta(days=60)
    notify_by = hearing - timedelta(weeks=6)

    log_in(page, live_server, "lit_x", PASSWORD)
    audit(page)
    page.goto(f"{live_server.url}/contentieux/")
    audit(page)
    page.get_by_role("link", name=procedure.lease.reference).click()
    page.wait_for_load_state("load")
    audit(page)
    page.get_by_role("link", name="Enregistrer une étape").click()
    page.wait_for_load_state("load")
    audit(page)
    page.get_by_label("Étape").select_option("assignation")
    page.get_by_label("Date de l'acte").fill(today.isoformat())
    page.get_by_label("Date d'audience").fill(hearing.isoformat())
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state("load")
    audit(page)

    prefet = page.locator("[data-code=notification_prefet_au_plus_tard]")
    assert notify_by.strftime("%d/%m/%Y") in prefet.inner_text()
    assert "Loi 89-462 art. 24 III" in prefet.inner_text()
    next_step = page.locator("#next-step").inner_text()
    assert "Notification de l'assignation au préfet" in next_step and notify_by.strftime("%d/%m/%Y") in next_step
    assert hearing.strftime("%d/%m/%Y") in page.locator("#hearing").inner_text()

    # The assigned worker's dashboard shows the hearing (support:dashboard renders the panels).
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="fr-FR")
    worker_page = context.new_page()
    worker_page._zel_audit = page._zel_audit.__class__(worker_page)
    try:
        log_in(worker_page, live_server, "worker", PASSWORD)
        audit(worker_page)
        worker_page.goto(f"{live_server.url}/accompagnement/")
        audit(worker_page)
        # On the phone the panel is folded under its tile: tapping the tile opens it.
        section = worker_page.locator("details:has(#litigation-panel)")
        worker_page.locator(f"a.dash-tile[href='#{section.get_attribute('id')}']").click()
        worker_page.locator("#litigation-panel").wait_for()
        panel = worker_page.locator("#litigation-panel").inner_text()
        assert "Audience au tribunal" in panel and hearing.strftime("%d/%m/%Y") in panel
        assert procedure.lease.reference in panel
    finally:
        context.close()
