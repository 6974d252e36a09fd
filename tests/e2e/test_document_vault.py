"""On a phone (375×812): from the household page, photograph a document (the file input opens the
camera), find it in the household's documents, open it (a download, never rendered in the page)."""

from pathlib import Path

import pytest

from support.demo_aid import png
from support.models import Document
from tests.factories import PASSWORD

from .conftest import audit, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_worker_uploads_a_photo_from_the_household_page_finds_it_and_opens_it(phone_page, live_server, personas,
                                                                                households, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = phone_page
    log_in(page, live_server, "worker", PASSWORD)
    audit(page)

    page.goto(f"{live_server.url}/menages/{households.mine.pk}/")
    audit(page)
    page.get_by_role("link", name="Documents", exact=True).click()
    page.wait_for_load_state("load")
    audit(page)
    page.get_by_role("link", name="Ajouter un document").click()
    page.wait_for_load_state("load")
    audit(page)

    file_input = page.locator("input[type=file]")
    assert file_input.get_attribute("capture") == "environment"
    assert file_input.get_attribute("accept") == "image/*,application/pdf"
    photo = png(32, 24)
    file_input.set_input_files(files=[{"name": "IMG_20251201_101500.jpg", "mimeType": "image/jpeg",
                                       "buffer": photo}])
    page.get_by_label("Type de document").select_option("caf")
    page.get_by_label("Étiquettes").fill("ressources, décembre")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state("load")
    audit(page)
    assert "Document enregistré." in page.content()

    page.get_by_role("searchbox", name="Rechercher").fill("décembre")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_load_state("load")
    audit(page)
    found = page.locator("[data-documents] [data-document]")
    assert found.count() == 1
    assert "Attestation CAF" in found.inner_text() and "décembre" in found.inner_text()

    with page.expect_download() as download_info:
        found.get_by_role("link", name="Attestation CAF").click()
    download = download_info.value
    assert download.suggested_filename == "IMG_20251201_101500.png"
    assert Path(download.path()).read_bytes() == photo
    assert Document.objects.get().content_type == "image/png"
