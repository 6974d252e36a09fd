"""XSS (a household name with a script tag is escaped everywhere) and IDOR (changing ids in URLs and
forms never reaches a household outside one's scope)."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.models import AccessLog
from households.models import Household
from tests.factories import HouseholdFactory, LeaseFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

PAYLOAD = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def hostile(personas, orgs):
    household = HouseholdFactory(last_name=PAYLOAD, first_name='"><img src=x onerror=alert(2)>',
                                 phone="<b>06</b>", organisation=orgs.amli, workers=[personas.worker])
    LeaseFactory(household=household, landlord=orgs.landlord_x, address=PAYLOAD, commune=PAYLOAD)
    MemberFactory(household=household, first_name=PAYLOAD)
    return household


@pytest.mark.parametrize("page", ["list", "search", "detail", "edit", "history", "personal_data"])
def test_script_in_a_name_is_rendered_escaped(as_user, personas, hostile, page):
    client = as_user(personas.manager if page in {"history", "personal_data"} else personas.worker)
    url = {"list": reverse("households:list"), "search": reverse("households:list") + "?q=script",
           "detail": reverse("households:detail", args=[hostile.pk]),
           "edit": reverse("households:edit", args=[hostile.pk]),
           "history": reverse("households:history", args=[hostile.pk]),
           "personal_data": reverse("households:personal_data", args=[hostile.pk])}[page]
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert PAYLOAD not in html and PAYLOAD.upper() not in html
    assert "<img src=x" not in html
    assert "&lt;SCRIPT&gt;" in html or ESCAPED in html or page in {"history", "personal_data"}


def test_search_query_is_echoed_escaped(as_user, personas, hostile):
    html = as_user(personas.worker).get(reverse("households:list"), {"q": PAYLOAD}).content.decode()
    assert PAYLOAD not in html


def test_csv_export_is_a_download_never_rendered_as_html(as_user, personas, hostile):
    response = as_user(personas.manager).get(reverse("households:export"))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    # The value is kept as typed (it is data, in a file a spreadsheet opens), never interpreted.
    assert any(PAYLOAD.upper() in row[1] for row in rows[1:])


def test_subject_access_json_is_a_download(as_user, personas, hostile):
    response = as_user(personas.manager).get(reverse("households:personal_data_export", args=[hostile.pk]))
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")


# --- IDOR -------------------------------------------------------------------------------------

@pytest.mark.parametrize("url_name", ["households:detail", "households:edit", "households:history",
                                      "households:assign", "households:referral_add",
                                      "households:personal_data", "households:personal_data_export"])
@pytest.mark.parametrize("which", ["other", "far", "tenant_y"])
def test_worker_changing_the_id_in_the_url_gets_not_found(as_user, personas, households, url_name, which):
    household = getattr(households, which)
    response = as_user(personas.worker).get(reverse(url_name, args=[household.pk]))
    assert response.status_code == 404
    assert household.last_name.encode() not in response.content


@pytest.mark.parametrize("url_name", ["households:detail", "households:edit", "households:assign",
                                      "households:personal_data"])
def test_manager_of_another_territory_gets_not_found(as_user, personas, households, url_name):
    assert as_user(personas.manager_54).get(reverse(url_name, args=[households.mine.pk])).status_code == 404


def test_posting_an_edit_to_a_household_outside_the_scope_changes_nothing(as_user, personas, households):
    target = households.other
    response = as_user(personas.worker).post(reverse("households:edit", args=[target.pk]), {
        "h-last_name": "Pirate", "h-first_name": "X", "h-birth_year": "1980", "h-track": "maintien",
        "h-territory": target.territory_id, "h-version": target.version,
        "m-TOTAL_FORMS": "0", "m-INITIAL_FORMS": "0", "r-TOTAL_FORMS": "0", "r-INITIAL_FORMS": "0"})
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.last_name == "Martin"


def test_assignment_to_a_household_of_another_territory_is_not_found(as_user, personas, households):
    response = as_user(personas.manager).post(reverse("households:assign", args=[households.far.pk]),
                                              {"workers": [personas.worker.pk]})
    assert response.status_code == 404
    assert list(households.far.assigned_workers.all()) == [personas.worker_54]


def test_assignment_with_a_forged_worker_id_is_refused(as_user, personas, households, orgs):
    outsider = UserFactory(organisation=orgs.landlord_x, roles=["social_worker"], territories=["57"])
    for forged in [outsider.pk, personas.litigation_x.pk, 999_999, "1 OR 1=1"]:
        response = as_user(personas.manager).post(reverse("households:assign", args=[households.other.pk]),
                                                  {"workers": [forged]})
        assert response.status_code == 200, forged
        assert not households.other.assigned_workers.exists(), forged


def test_edit_cannot_move_a_household_to_a_territory_outside_the_scope(as_user, personas, households):
    from tests.factories import territory

    target = households.mine
    lease = target.current_lease()
    response = as_user(personas.worker).post(reverse("households:edit", args=[target.pk]), {
        "h-last_name": target.last_name, "h-first_name": target.first_name, "h-birth_year": "1980",
        "h-track": "maintien", "h-territory": territory("54").pk, "h-version": target.version,
        "m-TOTAL_FORMS": "0", "m-INITIAL_FORMS": "0", "r-TOTAL_FORMS": "0", "r-INITIAL_FORMS": "0",
        "l-landlord": lease.landlord_id, "l-reference": lease.reference, "l-address": lease.address,
        "l-postcode": lease.postcode, "l-commune": lease.commune, "l-typology": lease.typology,
        "l-financing": lease.financing, "l-rent": "450", "l-service_charges": "80", "l-housing_benefit": "150",
        "l-signed_on": "2020-03-01"})
    assert response.status_code == 200
    target.refresh_from_db()
    assert target.territory.code == "57"


def test_editing_a_member_id_of_another_household_does_not_touch_it(as_user, personas, households):
    foreign = MemberFactory(household=households.other, first_name="Intact")
    target = households.mine
    lease = target.current_lease()
    response = as_user(personas.worker).post(reverse("households:edit", args=[target.pk]), {
        "h-last_name": target.last_name, "h-first_name": target.first_name, "h-birth_year": "1980",
        "h-track": "maintien", "h-territory": target.territory_id, "h-version": target.version,
        "m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "1", "m-0-id": foreign.pk, "m-0-relation": "child",
        "m-0-first_name": "Volé", "m-0-birth_year": "2015",
        "r-TOTAL_FORMS": "0", "r-INITIAL_FORMS": "0",
        "l-landlord": lease.landlord_id, "l-reference": lease.reference, "l-address": lease.address,
        "l-postcode": lease.postcode, "l-commune": lease.commune, "l-typology": lease.typology,
        "l-financing": lease.financing, "l-rent": "450", "l-service_charges": "80", "l-housing_benefit": "150",
        "l-signed_on": "2020-03-01"})
    assert response.status_code in (200, 302)
    foreign.refresh_from_db()
    assert foreign.first_name == "Intact" and foreign.household_id == households.other.pk


def test_access_log_search_does_not_reveal_other_scopes(as_user, personas, households):
    AccessLog.objects.create(user=personas.worker_54, action="view", object_type="households.household",
                             object_id=str(households.far.pk), household_id=households.far.pk, path="/x")
    page = as_user(personas.manager).get(reverse("audit:access_log"),
                                         {"menage": households.far.pk}).content.decode()
    assert "Aucun accès" in page
    assert Household.objects.count() == 4
