"""The managers' live dashboard and the funders' row-level export (issue 16), on the `fnavdl` programme."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLog
from households.models import Referral
from reports import row_export, services_dashboard
from reports.models import DashboardSnapshot
from tests.factories import HouseholdFactory, OrganisationFactory

from . import factories as f

pytestmark = pytest.mark.django_db
Q4 = {"start": "2025-10-01", "end": "2025-12-31"}


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_manager_sees_live_figures_for_any_period_each_number_opening_its_households(
        client, personas, fnavdl, orgs, django_capture_on_commit_callbacks):
    # A household of another organisation in 57 is outside the manager's scope: never counted.
    stranger = HouseholdFactory(last_name="Zorglub", organisation=OrganisationFactory(code="autre"))
    f.episode(stranger, date(2025, 10, 2))
    client.force_login(personas.manager)  # AMLI, 57
    with django_capture_on_commit_callbacks(execute=True):  # the computation, queued by the first visit
        client.get(reverse("reports:dashboard"), {**Q4, "territory": "57"})
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


def test_the_figures_are_computed_in_the_background_once_then_kept_and_refreshed_when_old(
        client, personas, fnavdl, settings, django_capture_on_commit_callbacks):
    client.force_login(personas.manager)
    url = reverse("reports:dashboard")
    with django_capture_on_commit_callbacks() as queued:  # the worker has not run yet
        page = client.get(url, Q4)
    assert page.status_code == 200 and len(queued) == 1
    assert "Calcul des indicateurs en cours" in page.content.decode()
    assert client.get(url, Q4, headers={"X-ZEL-Poll": "1"}).json() == {"ready": False, "error": False}
    with django_capture_on_commit_callbacks() as again:  # a second visit queues nothing more
        client.get(url, Q4)
    assert again == []
    snapshot = DashboardSnapshot.objects.get(user=personas.manager)
    services_dashboard.dashboard_compute(snapshot_id=snapshot.pk)
    assert client.get(url, Q4, headers={"X-ZEL-Poll": "1"}).json()["ready"] is True
    with django_capture_on_commit_callbacks() as fresh:
        html = client.get(url, Q4).content.decode()
    assert fresh == [] and "Chiffres calculés le" in html and "Publics prioritaires du FNAVDL" in html
    # Older than the maximum age: the old figures stay on screen while one new computation is queued.
    DashboardSnapshot.objects.filter(pk=snapshot.pk).update(
        computed_at=timezone.now() - timedelta(minutes=settings.ZEL_DASHBOARD_MAX_AGE_MINUTES + 1))
    with django_capture_on_commit_callbacks() as stale:
        html = client.get(url, Q4).content.decode()
    assert len(stale) == 1 and "Publics prioritaires du FNAVDL" in html and "mise à jour est en cours" in html


def test_a_snapshot_is_never_computed_for_a_user_who_lost_the_role(personas, fnavdl):
    from accounts.models import Role
    from reports import dashboard

    scope = dashboard.Scope(date(2025, 10, 1), date(2025, 12, 31), ["57"])
    snapshot = DashboardSnapshot.objects.create(user=personas.manager, start=scope.start, end=scope.end,
                                                territory_codes=scope.territory_codes)
    personas.manager.roles.remove(Role.objects.get(code="manager"))
    services_dashboard.dashboard_compute(snapshot_id=snapshot.pk)
    assert not DashboardSnapshot.objects.filter(pk=snapshot.pk).exists()


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
