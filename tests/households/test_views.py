import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import AccessLog
from households.models import Household, Referral
from tests.factories import HouseholdFactory, LeaseFactory, MemberFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def test_search_ignores_accents_and_case(as_user, personas, households):
    client = as_user(personas.manager)
    for query in ["elodie", "LEFEVRE", "lefèvre élodie", "Élo"]:
        page = client.get(reverse("households:list"), {"q": query}).content.decode()
        assert "LEFÈVRE Élodie" in page, query
        assert "MARTIN Paul" not in page


def test_filters_by_track_and_worker(as_user, personas, households):
    households.other.track = "acces"
    households.other.save()
    client = as_user(personas.manager)
    page = client.get(reverse("households:list"), {"track": "acces"}).content.decode()
    assert "MARTIN Paul" in page and "LEFÈVRE" not in page
    page = client.get(reverse("households:list"), {"worker": personas.worker.pk}).content.decode()
    assert "LEFÈVRE" in page and "MARTIN" not in page


def test_list_paginates_by_25(as_user, personas, orgs):
    HouseholdFactory.create_batch(30, organisation=orgs.amli, workers=[personas.worker])
    client = as_user(personas.worker)
    first = client.get(reverse("households:list"))
    assert len(first.context["page"].object_list) == 25
    after = first.context["page"].next_query
    assert len(client.get(reverse("households:list") + "?" + after).context["page"].object_list) == 5
    # An old numbered link still answers, with the first page.
    assert len(client.get(reverse("households:list"), {"page": 2}).context["page"].object_list) == 25


def test_csv_export_holds_the_visible_columns_of_the_filtered_rows(as_user, personas, households):
    response = as_user(personas.manager).get(reverse("households:export"), {"q": "martin"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Référence", "Nom", "Volet", "Statut", "Département", "Intervenants"]
    assert [row[1] for row in rows[1:]] == ["MARTIN Paul"]
    assert AccessLog.objects.filter(user=personas.manager, action="export").exists()


def test_file_shows_effort_rate_with_thresholds_and_logs_the_read(as_user, personas, households):
    ResourceFactory(household=households.mine, monthly_amount="1000.00")
    MemberFactory(household=households.mine, birth_year=2016)
    page = as_user(personas.worker).get(reverse("households:detail", args=[households.mine.pk])).content.decode()
    assert "38,0\xa0%" in page          # (450 + 80 − 150) / 1000
    assert "25\xa0%" in page and "35\xa0%" in page
    assert "au-dessus de 35" in page.lower()
    assert AccessLog.objects.filter(user=personas.worker, household_id=households.mine.pk, action="view").exists()


def _edit_payload(household, **overrides):
    lease = household.current_lease()
    data = {
        "h-last_name": household.last_name, "h-first_name": household.first_name,
        "h-birth_year": household.birth_year, "h-phone": "", "h-track": household.track,
        "h-territory": household.territory_id, "h-version": household.version,
        "m-TOTAL_FORMS": "0", "m-INITIAL_FORMS": "0", "r-TOTAL_FORMS": "1", "r-INITIAL_FORMS": "0",
        "r-0-kind": "rsa", "r-0-monthly_amount": "1 607,75 €",
        "l-landlord": lease.landlord_id, "l-reference": lease.reference, "l-address": lease.address,
        "l-postcode": lease.postcode, "l-commune": lease.commune, "l-typology": lease.typology,
        "l-financing": lease.financing, "l-rent": "450", "l-service_charges": "80",
        "l-housing_benefit": "150", "l-signed_on": "2020-03-01", "l-renewed_on": "",
    }
    data.update(overrides)
    return data


def test_edit_saves_everything_and_history_shows_who_changed_what(as_user, personas, households):
    household = households.mine
    client = as_user(personas.worker)
    response = client.post(reverse("households:edit", args=[household.pk]),
                           _edit_payload(household, **{"h-first_name": "Élise"}))
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.first_name == "Élise"
    assert household.resources.get().monthly_amount == Decimal("1607.75")
    history = as_user(personas.manager).get(reverse("households:history", args=[household.pk])).content.decode()
    assert "Élodie → Élise" in history
    assert str(personas.worker) in history


def test_bad_input_is_refused_in_french_and_nothing_is_saved(as_user, personas, households):
    household = households.mine
    response = as_user(personas.worker).post(
        reverse("households:edit", args=[household.pk]),
        _edit_payload(household, **{"h-first_name": "Changé", "h-birth_year": "2999", "l-postcode": "57"}))
    assert response.status_code == 200
    assert "ne peut pas être dans le futur" in response.content.decode()
    assert "5 chiffres" in response.content.decode()
    household.refresh_from_db()
    assert household.first_name == "Élodie"
    assert not household.resources.exists()


def test_second_concurrent_edit_is_refused_with_what_changed(as_user, personas, households):
    household = households.mine
    stale = _edit_payload(household, **{"h-first_name": "Deuxième"})
    client = as_user(personas.worker)
    first = _edit_payload(household, **{"h-first_name": "Première"})
    client.post(reverse("households:edit", args=[household.pk]), first)
    response = client.post(reverse("households:edit", args=[household.pk]), stale)
    assert response.status_code == 200
    assert "modifié par quelqu" in response.content.decode()
    assert "Première" in response.content.decode()
    household.refresh_from_db()
    assert household.first_name == "Première"


def test_create_household_assigns_the_worker_and_builds_a_reference(as_user, personas, orgs):
    data = {"h-last_name": "Durand", "h-first_name": "Zoé", "h-birth_year": "1990", "h-track": "acces",
            "h-territory": personas.worker.territories.get().pk, "m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0",
            "m-0-relation": "child", "m-0-first_name": "Léo", "m-0-birth_year": "2019",
            "r-TOTAL_FORMS": "0", "r-INITIAL_FORMS": "0", "l-landlord": "", "l-reference": ""}
    response = as_user(personas.worker).post(reverse("households:create"), data)
    household = Household.objects.get(last_name="Durand")
    assert response.status_code == 302
    assert household.reference == f"ZEL-57-{household.pk:06d}"
    assert list(household.assigned_workers.all()) == [personas.worker]
    assert household.members.get().first_name == "Léo"
    assert not household.leases.exists()


def test_referral_intake_warns_of_a_likely_duplicate_and_offers_to_link(as_user, personas, households, orgs):
    client = as_user(personas.manager)
    data = {"last_name": "LEFEVRE", "first_name": "elodie", "birth_year": "1980", "track": "maintien",
            "territory": households.mine.territory_id, "partner": orgs.ddets.pk, "referrer_name": "M. X",
            "referred_on": "2025-02-01", "reason": "Assignation"}
    response = client.post(reverse("households:referral_intake"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "peut-être déjà connu" in page
    assert reverse("households:referral_add", args=[households.mine.pk]) in page
    assert Household.objects.count() == 4
    response = client.post(reverse("households:referral_intake"), {**data, "confirm_new": "1"})
    assert response.status_code == 302
    assert Household.objects.count() == 5
    assert Referral.objects.filter(referrer_name="M. X").count() == 1


def test_referral_intake_does_not_reveal_households_outside_the_scope(as_user, personas, households, orgs):
    data = {"last_name": "Nguyen", "first_name": "Linh", "birth_year": "1980", "track": "maintien",
            "territory": households.mine.territory_id, "partner": orgs.ddets.pk, "referrer_name": "M. X",
            "referred_on": "2025-02-01", "reason": "Dette"}
    response = as_user(personas.manager).post(reverse("households:referral_intake"), data)
    assert response.status_code == 302  # no duplicate warning: household `far` is in 54


def test_manager_assigns_workers(as_user, personas, households):
    response = as_user(personas.manager).post(reverse("households:assign", args=[households.other.pk]),
                                              {"workers": [personas.worker.pk]})
    assert response.status_code == 302
    assert list(households.other.assigned_workers.all()) == [personas.worker]


def test_manager_cannot_assign_a_worker_of_another_organisation(as_user, personas, households, orgs):
    from tests.factories import UserFactory

    outsider = UserFactory(organisation=orgs.landlord_y, roles=["social_worker"])
    response = as_user(personas.manager).post(reverse("households:assign", args=[households.other.pk]),
                                              {"workers": [outsider.pk]})
    assert response.status_code == 200
    assert not households.other.assigned_workers.exists()


@pytest.mark.parametrize("count", [5, 50])
def test_household_list_uses_a_constant_number_of_queries(as_user, personas, orgs, count,
                                                          django_assert_max_num_queries):
    HouseholdFactory.create_batch(count, organisation=orgs.amli, workers=[personas.worker, personas.psychologist])
    client = as_user(personas.worker)
    # session, user (+org), roles, territories, count, page, workers prefetch, filter's worker choices
    with django_assert_max_num_queries(9):
        client.get(reverse("households:list"))


@pytest.mark.parametrize("count", [5, 50])
def test_household_file_uses_a_constant_number_of_queries(as_user, personas, orgs, count,
                                                          django_assert_max_num_queries):
    household = HouseholdFactory(organisation=orgs.amli, workers=[personas.worker])
    LeaseFactory(household=household)
    MemberFactory.create_batch(count, household=household)
    ResourceFactory(household=household)
    client = as_user(personas.worker)
    # session, user, roles+territories, household + 7 prefetches (frozen figures, status changes among
    # them), access log, 5 timeline providers, budget outgoings (support hook), rent arrears (litigation hook),
    # aid applications and documents (one UNION query)
    with django_assert_max_num_queries(20):
        client.get(reverse("households:detail", args=[household.pk]))


def test_csv_export_neutralises_spreadsheet_formulas(as_user, personas, households):
    households.other.last_name = '=HYPERLINK("http://evil.example","x")'
    households.other.save()
    response = as_user(personas.manager).get(reverse("households:export"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    names = [row[1] for row in rows[1:]]
    assert not any(name.startswith("=") for name in names)
    assert any(name.startswith("'=HYPERLINK") for name in names)


def test_household_form_records_target_publics_sex_birth_date_and_entry_housing(as_user, personas, households):
    household = households.mine
    response = as_user(personas.worker).post(reverse("households:edit", args=[household.pk]), _edit_payload(
        household, **{"h-target_publics": ["sortie_ase", "dalo"], "h-sex": "F",
                      "h-birth_date": f"{household.birth_year}-04-12", "h-housing_at_entry": "hotel"}))
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.target_publics == ["dalo", "sortie_ase"]  # in the choices' order
    assert (household.sex, household.housing_at_entry) == ("F", "hotel")
    assert household.birth_date.year == household.birth_year
    page = as_user(personas.worker).get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "Prioritaire DALO" in page and "Hôtel" in page and f"12/04/{household.birth_year}" in page


def test_household_form_refuses_a_birth_date_that_contradicts_the_birth_year(as_user, personas, households):
    household = households.mine
    response = as_user(personas.worker).post(reverse("households:edit", args=[household.pk]), _edit_payload(
        household, **{"h-birth_date": f"{household.birth_year + 1}-04-12", "h-target_publics": ["inconnu"]}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "ne correspond pas à l&#x27;année de naissance" in page or "ne correspond pas à l'année" in page
    assert "Sélectionnez un choix valide" in page
    household.refresh_from_db()
    assert household.birth_date is None and household.target_publics == []
