"""Property-based tests (hypothesis): whatever is typed into the household form or the referral intake
form, the answer is never a server error, and a refused form saves nothing at all.

Each example starts from a valid form and spoils a random set of its fields with random text, numbers
or dates (the empty set keeps it valid, so accepted and refused forms are both exercised)."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from households.models import Household, HouseholdMember, Lease, Referral, Resource

pytestmark = pytest.mark.django_db

PROFILE = settings(max_examples=60, deadline=None, database=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

junk = st.one_of(
    st.text(max_size=100),
    st.integers(min_value=-10**15, max_value=10**15).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["", " ", "\x00", "1 607,75 €", "1e309", "NaN", "-0", "١٩٨٠", "0x10", "1980.5",
                     "31/12/2025", "2025-02-30", "0000-00-00", "9999-12-31", "<script>", "' OR 1=1 --"]),
)


def _counts():
    return tuple(model.objects.count() for model in (Household, HouseholdMember, Resource, Lease, Referral))


def _spoil(data, valid: dict) -> dict:
    spoilt = data.draw(st.sets(st.sampled_from(sorted(valid)), max_size=5))
    return {**valid, **{key: data.draw(junk) for key in spoilt}}


@pytest.fixture
def worker_client(as_user, personas):
    return as_user(personas.worker)


def test_household_form_never_errors_and_never_half_saves(worker_client, personas, orgs):
    valid = {
        "h-last_name": "N'Guessan", "h-first_name": "Zoé", "h-birth_year": "1990", "h-phone": "06 12 34 56 78",
        "h-track": "acces", "h-territory": str(personas.worker.territories.get().pk),
        "m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0", "m-0-relation": "child", "m-0-first_name": "Léo",
        "m-0-birth_year": "2015", "m-0-occupation": "Scolarisé",
        "r-TOTAL_FORMS": "1", "r-INITIAL_FORMS": "0", "r-0-kind": "rsa", "r-0-monthly_amount": "607,75",
        "l-landlord": str(orgs.landlord_x.pk), "l-reference": "BAT-57-009999", "l-address": "12 rue des Lilas",
        "l-postcode": "57000", "l-commune": "Metz", "l-typology": "T3", "l-financing": "PLUS", "l-rent": "450",
        "l-service_charges": "80", "l-housing_benefit": "0", "l-signed_on": "2020-03-01", "l-renewed_on": "",
    }
    outcomes = set()

    @PROFILE
    @given(data=st.data())
    def check(data):
        form = _spoil(data, valid)
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
    valid = {
        "last_name": "Öztürk", "first_name": "Zoé", "birth_year": "1990", "track": "maintien",
        "territory": str(personas.worker.territories.get().pk), "partner": str(orgs.ddets.pk),
        "referrer_name": "M. X", "referred_on": "2025-02-01", "reason": "Dette locative", "confirm_new": "1",
    }
    outcomes = set()

    @PROFILE
    @given(data=st.data())
    def check(data):
        form = _spoil(data, valid)
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
