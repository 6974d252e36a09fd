"""Downloads (issue 17, item 11): every download carries `Cache-Control: no-store, private`, and every
CSV/XLSX cell goes through the one formula neutraliser (zel.lib.text.spreadsheet_safe)."""

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.urls import reverse
from openpyxl import load_workbook

from copil.models import Session
from tests.trust.test_permission_matrix import GET_MATRIX as MATRIX
from tests.trust.test_permission_matrix import KWARGS, ROLES, World
from zel.lib.text import spreadsheet_cell

pytestmark = pytest.mark.django_db

DOWNLOADS = {"households:export", "households:personal_data_export", "support:visit_export",
             "litigation:event_document", "litigation:dsf_pdf", "reports:report_download", "reports:report_csv",
             "reports:report_xlsx", "copil:minutes_download"}
FORMULA = "=HYPERLINK(\"http://evil.example\",\"clic\")"


@pytest.fixture
def world(personas, orgs, households, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = World(personas, orgs, households)
    session = w.own["session"]
    Session.objects.filter(pk=session.pk).update(status=Session.Status.SIGNED)
    session.refresh_from_db()
    session.minutes.save("pv.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return w


def _is_download(response) -> bool:
    return isinstance(response, FileResponse) or "attachment" in response.get("Content-Disposition", "")


def test_every_download_is_not_stored_by_any_cache(client, personas, world):
    checked = set()
    for name in sorted(DOWNLOADS):
        allowed = [role for role, status in zip(ROLES, MATRIX[name].split(), strict=True) if status == "200"]
        role = allowed[0] if allowed else "manager"
        client.logout()
        client.force_login(getattr(personas, role))
        kwargs = KWARGS[name](world.own) if KWARGS[name] else None
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, (name, role, response.status_code)
        assert _is_download(response), name
        assert response["Cache-Control"] == "no-store, private", (name, response.get("Cache-Control"))
        checked.add(name)
    assert checked == DOWNLOADS


def test_pages_keep_their_ordinary_caching(as_user, personas, world):
    response = as_user(personas.manager).get(reverse("households:list"))
    assert "no-store" not in response.get("Cache-Control", "")


def test_report_csv_and_xlsx_cells_are_neutralised(as_user, personas, world):
    report = world.own["report"]
    figures = report.figures
    figures["indicators"][0]["label"] = FORMULA
    figures["indicators"][0]["rows"][0]["label"] = "+33 6 12 34 56 78"
    report.figures = figures
    report.save(update_fields=["figures"])
    client = as_user(personas.manager)
    text = client.get(reverse("reports:report_csv", args=[report.pk])).content.decode("utf-8-sig")
    assert "'" + FORMULA.replace('"', '""') in text and ";" + FORMULA.replace('"', '""') not in text
    assert ";'+33 6 12 34 56 78;" in text
    sheet = load_workbook(BytesIO(client.get(reverse("reports:report_xlsx", args=[report.pk])).content)).active
    cells = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'" + FORMULA in cells and FORMULA not in cells
    assert not any(isinstance(v, str) and v[:1] in "=+-@" for v in cells)
    # Figures stay numbers.
    assert any(isinstance(v, int | float) for v in cells)


def test_visit_export_cells_are_neutralised(as_user, personas, households):
    from tests.support.factories import InterventionFactory

    households.mine.reference = "=1+1"
    households.mine.save(update_fields=["reference"])
    InterventionFactory(household=households.mine, author=personas.worker)
    text = as_user(personas.manager).get(reverse("support:visit_export")).content.decode("utf-8-sig")
    assert ";'=1+1;" in text and ";=1+1;" not in text


def test_one_neutraliser_for_every_cell():
    assert spreadsheet_cell("=cmd") == "'=cmd" and spreadsheet_cell("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_cell(-3) == -3 and spreadsheet_cell(2.5) == 2.5 and spreadsheet_cell(None) == ""
