"""Who sees which household, who may edit: one test per role for each household screen."""

import pytest
from django.urls import reverse

from households import access as household_access

pytestmark = pytest.mark.django_db


def visible(user):
    return set(household_access.visible_households(user).values_list("last_name", flat=True))


def test_worker_sees_only_assigned_households(personas, households):
    assert visible(personas.worker) == {"Lefèvre"}


def test_psychologist_sees_assigned_households(personas, households):
    assert visible(personas.psychologist) == {"Lefèvre"}


def test_manager_sees_organisation_households_of_their_territory(personas, households):
    assert visible(personas.manager) == {"Lefèvre", "Martin", "Schmitt"}
    assert visible(personas.manager_54) == {"Nguyen"}


@pytest.mark.parametrize("role", ["copil_a", "litigation_x", "bailiff", "funder", "admin"])
def test_roles_outside_the_care_circle_see_no_household_file(personas, households, role):
    assert visible(getattr(personas, role)) == set()


def test_landlord_manager_sees_own_tenants_only(personas, households, orgs):
    from tests.factories import UserFactory

    landlord_manager = UserFactory(organisation=orgs.landlord_y, roles=["manager"], territories=["57"])
    assert visible(landlord_manager) == {"Schmitt"}


# (persona, household, expected status) for the household file
FILE_CASES = [
    ("worker", "mine", 200), ("worker", "other", 404), ("worker", "far", 404),
    ("psychologist", "mine", 200), ("psychologist", "other", 404),
    ("manager", "mine", 200), ("manager", "other", 200), ("manager", "far", 404),
    ("copil_a", "mine", 404), ("litigation_x", "mine", 404), ("bailiff", "mine", 404),
    ("funder", "mine", 404), ("admin", "mine", 404),
]


@pytest.mark.parametrize(("who", "which", "status"), FILE_CASES)
def test_household_file_access(as_user, personas, households, who, which, status):
    household = getattr(households, which)
    response = as_user(getattr(personas, who)).get(reverse("households:detail", args=[household.pk]))
    assert response.status_code == status
    if status == 404:
        assert household.last_name.encode() not in response.content


EDIT_CASES = [
    ("worker", "mine", 200), ("worker", "other", 404), ("psychologist", "mine", 403),
    ("manager", "other", 200), ("manager", "far", 404), ("funder", "mine", 404),
]


@pytest.mark.parametrize(("who", "which", "status"), EDIT_CASES)
def test_household_edit_access(as_user, personas, households, who, which, status):
    household = getattr(households, which)
    response = as_user(getattr(personas, who)).get(reverse("households:edit", args=[household.pk]))
    assert response.status_code == status


LIST_CASES = [("worker", 200), ("psychologist", 200), ("manager", 200), ("copil_a", 403),
              ("litigation_x", 403), ("bailiff", 403), ("funder", 403), ("admin", 403)]


@pytest.mark.parametrize(("who", "status"), LIST_CASES)
def test_household_list_access(as_user, personas, households, who, status):
    assert as_user(getattr(personas, who)).get(reverse("households:list")).status_code == status


@pytest.mark.parametrize(("who", "status"), [("manager", 200), ("worker", 403), ("psychologist", 403),
                                             ("funder", 403)])
def test_csv_export_is_for_managers(as_user, personas, households, who, status):
    assert as_user(getattr(personas, who)).get(reverse("households:export")).status_code == status


@pytest.mark.parametrize(("who", "status"), [("manager", 200), ("worker", 403), ("manager_54", 404)])
def test_assignment_and_history_are_for_the_manager_of_the_scope(as_user, personas, households, who, status):
    client = as_user(getattr(personas, who))
    assert client.get(reverse("households:assign", args=[households.mine.pk])).status_code == status
    assert client.get(reverse("households:history", args=[households.mine.pk])).status_code == status


@pytest.mark.parametrize(("who", "status"), [("worker", 200), ("manager", 200), ("psychologist", 403),
                                             ("copil_a", 403), ("funder", 403)])
def test_referral_intake_access(as_user, personas, households, who, status):
    assert as_user(getattr(personas, who)).get(reverse("households:referral_intake")).status_code == status


def test_anonymous_user_is_sent_to_login(client, households):
    response = client.get(reverse("households:detail", args=[households.mine.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_navigation_shows_each_role_only_what_it_may_use(as_user, personas):
    page = as_user(personas.funder).get(reverse("accounts:profile")).content.decode()
    assert reverse("reports:report_list") in page
    assert reverse("households:list") not in page
    page = as_user(personas.worker).get(reverse("accounts:profile")).content.decode()
    assert reverse("households:list") in page
    assert reverse("reports:report_list") not in page
