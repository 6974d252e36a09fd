"""Property-based tests (hypothesis): whatever is typed into the household form or the referral intake
form, the answer is never a server error, and a refused form saves nothing at all."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from households.models import Household, HouseholdMember, Lease, Referral, Resource

pytestmark = pytest.mark.django_db

PROFILE = settings(max_examples=60, deadline=None, database=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

junk = st.text(max_size=100)
numberish = st.one_of(
    st.integers(min_value=-10**15, max_value=10**15).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", " ", "1 607,75 €", "1e309", "NaN", "-0", "١٩٨٠", "0x10", "1980.5", "٫"]),
    junk,
)
dateish = st.one_of(st.dates().map(lambda d: d.isoformat()),
                    st.sampled_from(["", "31/12/2025", "2025-02-30", "0000-00-00", "9999-12-31"]), junk)


def good_or(values, bad=junk):
    """A plausible value nine times in ten, so that some examples pass validation and are saved;
    junk otherwise."""
    return st.integers(min_value=0, max_value=9).flatmap(lambda n: bad if n == 9 else st.sampled_from(values))


def _counts():
    return tuple(model.objects.count() for model in (Household, HouseholdMember, Resource, Lease, Referral))


@pytest.fixture
def worker_client(as_user, personas):
    return as_user(personas.worker)


def test_household_form_never_errors_and_never_half_saves(worker_client, personas, orgs):
    territory, landlord = str(personas.worker.territories.get().pk), str(orgs.landlord_x.pk)
    outcomes = set()

    @PROFILE
    @given(data=st.data())
    def check(data):
        form = {
            "h-last_name": data.draw(good_or(["Durand", "N'Guessan", "Lœuillet"])),
            "h-first_name": data.draw(good_or(["Zoé", "Jean-Édouard"])),
            "h-birth_year": data.draw(good_or(["1990", "1955"], numberish)),
            "h-phone": data.draw(good_or(["06 12 34 56 78", ""])),
            "h-track": data.draw(good_or(["acces", "maintien"])),
            "h-territory": data.draw(good_or([territory], st.sampled_from(["999999", "", "x"]))),
            "m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0",
            "m-0-relation": data.draw(good_or(["child", "spouse"])),
            "m-0-first_name": data.draw(good_or(["Léo", ""])),
            "m-0-birth_year": data.draw(good_or(["2015"], numberish)),
            "m-0-occupation": data.draw(good_or(["Scolarisé"])),
            "r-TOTAL_FORMS": "1", "r-INITIAL_FORMS": "0",
            "r-0-kind": data.draw(good_or(["rsa", "salary"])),
            "r-0-monthly_amount": data.draw(good_or(["607,75", "1200"], numberish)),
            "l-landlord": data.draw(good_or([landlord, ""])),
            "l-reference": data.draw(good_or(["", "BAT-57-009999"])),
            "l-address": data.draw(good_or(["12 rue des Tilleuls"])), "l-postcode": data.draw(good_or(["57000"])),
            "l-commune": data.draw(good_or(["Metz"])), "l-typology": data.draw(good_or(["T3"])),
            "l-financing": data.draw(good_or(["PLUS"])), "l-rent": data.draw(good_or(["450"], numberish)),
            "l-service_charges": data.draw(good_or(["80"], numberish)),
            "l-housing_benefit": data.draw(good_or(["0"], numberish)),
            "l-signed_on": data.draw(good_or(["2020-03-01"], dateish)),
            "l-renewed_on": data.draw(good_or([""], dateish)),
        }
        before = _counts()
        response = worker_client.post(reverse("households:create"), form)
        assert response.status_code in (200, 302)
        outcomes.add(response.status_code)
        if response.status_code == 200:
            assert _counts() == before, "a refused form saved something"
        else:
            household = Household.objects.latest("pk")
            assert household.reference and household.last_name == form["h-last_name"].strip()
            assert _counts()[0] == before[0] + 1

    check()
    assert outcomes == {200, 302}, "the examples should include accepted and refused forms"


def test_referral_intake_never_errors_and_never_half_saves(worker_client, personas, orgs):
    territory = str(personas.worker.territories.get().pk)
    outcomes = set()

    @PROFILE
    @given(data=st.data())
    def check(data):
        form = {
            "last_name": data.draw(good_or(["Durand", "Öztürk"])), "first_name": data.draw(good_or(["Zoé"])),
            "birth_year": data.draw(good_or(["1990"], numberish)),
            "track": data.draw(good_or(["acces", "maintien"])),
            "territory": data.draw(good_or([territory], st.sampled_from(["0", ""]))),
            "partner": data.draw(good_or([str(orgs.ddets.pk)], st.sampled_from([str(orgs.fnavdl.pk), "-1"]))),
            "referrer_name": data.draw(good_or(["M. X"])),
            "referred_on": data.draw(good_or(["2025-02-01"], dateish)),
            "reason": data.draw(good_or(["Dette locative"])),
            "confirm_new": data.draw(st.sampled_from(["", "1", "x"])),
        }
        before = _counts()
        response = worker_client.post(reverse("households:referral_intake"), form)
        assert response.status_code in (200, 302)
        outcomes.add(response.status_code)
        households, _m, _r, _l, referrals = _counts()
        if response.status_code == 200:
            assert _counts() == before
        else:
            assert (households, referrals) == (before[0] + 1, before[4] + 1)
            assert Household.objects.latest("pk").referrals.count() == 1

    check()
    assert outcomes == {200, 302}
