"""Funders' space and managers' requests: scope, downloads, logs."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AccessLog, Territory
from reports import services
from reports.models import Report

pytestmark = pytest.mark.django_db


def build(quarter="2025Q4", dep=None, by=None):
    territory = Territory.objects.get(code=dep) if dep else None
    report = services.report_request(by=by, quarter=quarter, territory=territory, enqueue=False)
    return services.report_build(report_id=report.pk)


@pytest.fixture
def reports(programme):
    return {"57": build(dep="57"), "54": build(dep="54"), "all": build()}


URLS = ["reports:report_download", "reports:report_csv", "reports:report_xlsx", "reports:report_status",
        "reports:report_detail"]


def test_funder_of_57_lists_only_57(reports, personas, as_user):
    body = as_user(personas.funder).get(reverse("reports:report_list")).content.decode()
    assert reverse("reports:report_download", args=[reports["57"].pk]) in body
    assert reverse("reports:report_download", args=[reports["54"].pk]) not in body
    # The programme-wide report is for funders of every département only.
    assert reverse("reports:report_download", args=[reports["all"].pk]) not in body


@pytest.mark.parametrize("url_name", URLS)
def test_funder_of_57_cannot_fetch_54_by_url(reports, personas, as_user, url_name):
    client = as_user(personas.funder)
    assert client.get(reverse(url_name, args=[reports["54"].pk])).status_code == 404
    assert client.get(reverse(url_name, args=[reports["all"].pk])).status_code == 404
    assert not AccessLog.objects.filter(action=AccessLog.Action.DOWNLOAD).exists()


def test_funder_downloads_own_scope_and_every_download_is_logged(reports, personas, as_user):
    client = as_user(personas.funder)
    pk = reports["57"].pk
    response = client.get(reverse("reports:report_download", args=[pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    csv_response = client.get(reverse("reports:report_csv", args=[pk]))
    xlsx_response = client.get(reverse("reports:report_xlsx", args=[pk]))
    assert csv_response.status_code == xlsx_response.status_code == 200
    logs = AccessLog.objects.filter(user=personas.funder, action=AccessLog.Action.DOWNLOAD, object_id=str(pk))
    assert logs.count() == 3


def test_funder_covering_every_departement_sees_the_programme_report(reports, personas, as_user):
    personas.funder.territories.set(Territory.objects.all())
    personas.funder.refresh_from_db()
    client = as_user(personas.funder)
    assert client.get(reverse("reports:report_download", args=[reports["all"].pk])).status_code == 200


def test_funder_sees_no_unfinished_report_and_nothing_addressed_to_another_funder(programme, personas, as_user, orgs):
    queued = services.report_request(by=personas.manager, quarter="2025Q4",
                                     territory=Territory.objects.get(code="57"), enqueue=False)
    other = services.report_request(by=personas.manager, quarter="2025Q4", territory=Territory.objects.get(code="57"),
                                    funder=orgs.ddets, enqueue=False)
    services.report_build(report_id=other.pk)
    client = as_user(personas.funder)
    assert client.get(reverse("reports:report_status", args=[queued.pk])).status_code == 404
    assert client.get(reverse("reports:report_download", args=[other.pk])).status_code == 404


def test_exports_hide_small_cells_and_name_nobody(reports, personas, as_user, programme):
    client = as_user(personas.funder)
    text = client.get(reverse("reports:report_csv", args=[reports["57"].pk])).content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Trimestre;Rubrique;Indicateur;Ligne;Période;Ventilation;Valeur;Unité"
    assert "< 5" in text
    assert "Ménages accompagnés en fin de trimestre;Trimestre;Total;5;ménages" in text
    for household in programme.all:
        assert household.last_name not in text
    data = client.get(reverse("reports:report_xlsx", args=[reports["57"].pk])).content
    sheet = load_workbook(BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Trimestre"
    active = [r for r in rows if r[3] == "Ménages accompagnés en fin de trimestre" and r[5] == "Total"]
    assert active[0][6] == 5


def test_other_roles_have_no_reports(reports, personas, as_user):
    for persona in (personas.worker, personas.litigation_x, personas.copil_a):
        client = as_user(persona)
        assert client.get(reverse("reports:report_list")).status_code == 403
        assert client.get(reverse("reports:report_download", args=[reports["57"].pk])).status_code in (403, 404)


def test_manager_requests_a_report_and_polls_its_status(programme, personas, as_user, media_root,
                                                        django_capture_on_commit_callbacks):
    client = as_user(personas.manager)
    page = client.get(reverse("reports:report_list"))
    assert page.status_code == 200
    assert b"js/reports.js" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report_request"), {"quarter": "2025Q4", "scope": "57"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.requested_by == personas.manager
    assert report.territory.code == "57"
    # Celery is eager in tests: the report is built by the time the request returns.
    status = client.get(reverse("reports:report_status", args=[report.pk])).json()
    assert status["status"] == "done" and status["finished"] is True
    assert status["download_url"] == reverse("reports:report_download", args=[report.pk])


def test_manager_of_57_cannot_request_54_or_the_whole_programme(programme, personas, as_user):
    client = as_user(personas.manager)
    for scope in ("54", "all"):
        response = client.post(reverse("reports:report_request"), {"quarter": "2025Q4", "scope": scope})
        assert response.status_code == 400
    assert not Report.objects.exists()
    assert as_user(personas.funder).post(reverse("reports:report_request"),
                                         {"quarter": "2025Q4", "scope": "57"}).status_code == 403


def test_report_list_query_count_does_not_grow_with_reports(programme, personas, as_user,
                                                          django_assert_max_num_queries):
    client = as_user(personas.manager)
    territory = Territory.objects.get(code="57")
    for _ in range(5):
        Report.objects.create(quarter="2025Q4", territory=territory)
    # session, user (+roles, territories), territories (scope check), count, page, territories for the
    # form, savepoints...: a fixed number whatever the number of rows.
    with django_assert_max_num_queries(12) as five:
        client.get(reverse("reports:report_list"))
    for _ in range(45):
        Report.objects.create(quarter="2025Q3", territory=territory)
    with django_assert_max_num_queries(len(five.captured_queries)):
        client.get(reverse("reports:report_list"))
