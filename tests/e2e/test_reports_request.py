"""A manager requests the quarterly report and watches it finish without reloading; a funder downloads it."""

import pytest

from accounts.models import Territory
from reports import services
from tests.factories import PASSWORD
from tests.reports.conftest import media_root, programme  # noqa: F401 - fixtures of the reports tests

from .conftest import audit, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("programme")]


def test_manager_requests_report_and_sees_it_complete(page, live_server, personas):
    log_in(page, live_server, "manager", PASSWORD)
    audit(page)
    page.goto(f"{live_server.url}/rapports/")
    audit(page)
    page.get_by_label("Trimestre").select_option("2025Q4")
    page.get_by_label("Périmètre").select_option("57")
    page.get_by_role("button", name="Demander").click()
    page.wait_for_load_state("load")
    audit(page)
    row = page.locator("#reports-table tbody tr").first
    # Eager Celery builds it during the request; the page (and its polling script) shows it done.
    row.locator(".report-status").filter(has_text="Terminé").wait_for()
    assert row.locator("a.report-pdf").count() == 1


def test_status_is_polled_until_the_report_is_done(page, live_server, personas):
    report = services.report_request(by=personas.manager, quarter="2025Q4",
                                     territory=Territory.objects.get(code="57"), enqueue=False)
    log_in(page, live_server, "manager", PASSWORD)
    audit(page)
    page.goto(f"{live_server.url}/rapports/")
    audit(page)
    row = page.locator(f"#rapport-{report.pk}")
    assert "En attente" in row.locator(".report-status").inner_text()
    # The worker finishes while the page is open: the script picks it up without a reload.
    services.report_build(report_id=report.pk)
    row.locator(".report-status").filter(has_text="Terminé").wait_for(timeout=10_000)
    assert row.locator("a.report-pdf").get_attribute("href").endswith(f"/rapports/{report.pk}/pdf/")


def test_funder_downloads_the_report_on_a_phone(phone_page, live_server, personas):
    report = services.report_request(by=personas.manager, quarter="2025Q4",
                                     territory=Territory.objects.get(code="57"), enqueue=False)
    services.report_build(report_id=report.pk)
    log_in(phone_page, live_server, "funder", PASSWORD)
    audit(phone_page)
    phone_page.goto(f"{live_server.url}/rapports/")
    audit(phone_page)
    with phone_page.expect_download() as download:
        phone_page.locator("a.report-pdf").first.click()
    assert download.value.suggested_filename == "zel-rapport-2025Q4-dep57.pdf"
