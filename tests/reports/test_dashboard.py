"""The managers' live dashboard and the funders' row-level export (issue 16), on the `fnavdl` programme."""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse

from accounts.models import AccessLog
from households.models import Referral
from reports import row_export
from tests.factories import HouseholdFactory, OrganisationFactory

from . import factories as f

pytestmark = pytest.mark.django_db
Q4 = {"start": "2025-10-01", "end": "2025-12-31"}


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_manager_sees_live_figures_for_any_period_each_number_opening_its_households(client, personas, fnavdl, orgs):
    # A household of another organisation in 57 is outside the manager's scope: never counted.
    stranger = HouseholdFactory(last_name="Zorglub", organisation=OrganisationFactory(code="autre"))
    f.episode(stranger, date(2025, 10, 2))
    client.force_login(personas.manager)  # AMLI, 57
    page = client.get(reverse("reports:dashboard"), {**Q4, "territory": "57"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Publics prioritaires du FNAVDL" in html and "<svg" in html
    # SVG attributes carry no localised numbers (no decimal comma inside an attribute).
    assert not re.search(r'="[0-9]+,[0-9]', html)
    # 57 households supported during Q4: A (at the start), B (entered), D (at the start).
    link = re.search(r'href="([^"]*indicator=supported_during&amp;row=total&amp;period=quarter&amp;dim=all[^"]*)"',
                     html).group(1).replace("&amp;", "&")
    listed = client.get(link)
    assert listed.status_code == 200
    names = listed.content.decode()
    assert "ARNAUD" in names and "BERNARD" in names and "DELORME" in names
    assert "CHEVALIER" not in names and "ZORGLUB" not in names  # 54; another organisation


def test_dashboard_refuses_a_period_that_ends_before_it_starts(client, personas):
    client.force_login(personas.manager)
    page = client.get(reverse("reports:dashboard"), {"start": "2025-12-31", "end": "2025-10-01"})
    assert page.status_code == 400
    assert "La fin de la période précède son début." in page.content.decode()


def test_dashboard_is_never_for_funders(client, personas):
    client.force_login(personas.funder)
    assert client.get(reverse("reports:dashboard"), Q4).status_code == 403
    assert client.get(reverse("reports:dashboard_households"), Q4).status_code == 403


def test_dashboard_csv_neutralises_spreadsheet_formulas(client, personas, fnavdl):
    evil = OrganisationFactory(code="evil", name="=HYPERLINK(\"http://x\")")
    Referral.objects.create(household=fnavdl.a, partner=evil, referrer_name="X", referred_on=date(2025, 11, 2),
                            reason="", track="maintien")
    client.force_login(personas.manager)
    response = client.get(reverse("reports:dashboard_csv"), Q4)
    assert response.status_code == 200
    cells = [cell for row in _csv(response) for cell in row]
    assert any(cell.startswith("'dont =HYPERLINK") or cell == "dont =HYPERLINK(\"http://x\")" for cell in cells)
    assert not any(cell.startswith("=") for cell in cells)
    assert AccessLog.objects.filter(user=personas.manager, action="export", object_type="households.household").exists()


def test_funder_row_export_one_row_per_household_pseudonymised_and_logged(client, personas, fnavdl):
    client.force_login(personas.funder)  # 57
    response = client.get(reverse("reports:row_export"), {"quarter": "2025Q4"})
    assert response.status_code == 200
    header, *rows = _csv(response)
    assert header == row_export.HEADERS
    # 57, supported during Q4: A, B, D (C and I are in 54).
    assert len(rows) == 3
    text = response.content.decode()
    for secret in ("Arnaud", "ARNAUD", "Alice", "2001", "31/12/2001", "Orienteuse", "confidentiel"):
        assert secret not in text
    by_pseudonym = {r[0]: r for r in rows}
    a = by_pseudonym[row_export.pseudonym(fnavdl.a.pk, personas.funder.organisation_id)]
    assert a[2:6] == ["57", "Maintien", "Moins de 25 ans", "Femme"]
    assert "Prioritaire DALO" in a[6]
    # Stable for a funder from one export to the next, different for another funder.
    again = _csv(client.get(reverse("reports:row_export"), {"quarter": "2025Q4"}))[1:]
    assert sorted(r[0] for r in again) == sorted(by_pseudonym)
    assert row_export.pseudonym(fnavdl.a.pk, 1) != row_export.pseudonym(fnavdl.a.pk, 2)
    logged = AccessLog.objects.filter(user=personas.funder, action="export", object_type="households.household")
    assert logged.count() == 2


def test_row_export_refuses_an_unknown_quarter_and_other_roles(client, personas, settings):
    client.force_login(personas.funder)
    bad = client.get(reverse("reports:row_export"), {"quarter": "1999Q1"})
    assert bad.status_code == 400 and "Trimestre inconnu" in bad.content.decode()
    settings.ZEL_ROW_EXPORT_FUNDERS = ["another-funder"]
    assert client.get(reverse("reports:row_export")).status_code == 403
    client.force_login(personas.manager)
    assert client.get(reverse("reports:row_export")).status_code == 403
