"""Shared factories for the access model and households (each app adds its own in tests/<app>/)."""

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from accounts.models import Organisation, Role, Territory, User
from households.models import Household, HouseholdMember, Lease, Referral, Resource

PASSWORD = "motdepasse-de-test-2026"


def territory(code: str) -> Territory:
    return Territory.objects.get(code=code)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    code = factory.Sequence(lambda n: f"org-{n}")
    kind = Organisation.Kind.ASSOCIATION


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    # Not Faker names: a user called like a test household would show that name in the navigation bar
    # and make "the page does not show the household" assertions fail at random.
    first_name = factory.Sequence(lambda n: f"Agent{n}")
    last_name = factory.Sequence(lambda n: f"Équipe{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@test.zel.invalid")
    password = factory.LazyFunction(lambda: make_password(PASSWORD))
    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.roles.set(Role.objects.filter(code__in=extracted))

    @factory.post_generation
    def territories(self, create, extracted, **kwargs):
        if create and extracted:
            self.territories.set(Territory.objects.filter(code__in=extracted))


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = Household
        skip_postgeneration_save = True

    track = "maintien"
    territory = factory.LazyFunction(lambda: territory("57"))
    organisation = factory.SubFactory(OrganisationFactory)
    last_name = factory.Faker("last_name", locale="fr_FR")
    first_name = factory.Faker("first_name", locale="fr_FR")
    birth_year = 1980
    reference = factory.Sequence(lambda n: f"ZEL-T-{n:06d}")

    @factory.post_generation
    def workers(self, create, extracted, **kwargs):
        if create and extracted:
            self.assigned_workers.set(extracted)


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    household = factory.SubFactory(HouseholdFactory)
    relation = HouseholdMember.Relation.CHILD
    first_name = factory.Faker("first_name", locale="fr_FR")
    birth_year = 2015


class ResourceFactory(DjangoModelFactory):
    class Meta:
        model = Resource

    household = factory.SubFactory(HouseholdFactory)
    kind = Resource.Kind.SALARY
    monthly_amount = Decimal("1200.00")


class LandlordFactory(OrganisationFactory):
    kind = Organisation.Kind.LANDLORD


class LeaseFactory(DjangoModelFactory):
    class Meta:
        model = Lease

    household = factory.SubFactory(HouseholdFactory)
    landlord = factory.SubFactory(LandlordFactory)
    reference = factory.Sequence(lambda n: f"BAIL-{n:06d}")
    address = "12 rue des Tilleuls"
    postcode = "57000"
    commune = "Metz"
    typology = "T3"
    financing = "PLUS"
    rent = Decimal("450.00")
    service_charges = Decimal("80.00")
    housing_benefit = Decimal("150.00")
    signed_on = date(2020, 3, 1)


class ReferralFactory(DjangoModelFactory):
    class Meta:
        model = Referral

    household = factory.SubFactory(HouseholdFactory)
    partner = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.SIAO)
    referrer_name = "Mme Orienteuse"
    referred_on = date(2025, 1, 15)
    reason = "Dette locative"
    track = "maintien"


#: A legal path through the lifecycle (households.lifecycle) from "referred" to each status.
LIFECYCLE_PATHS = {
    "referred": [], "diagnosed": ["diagnosed"], "presented": ["diagnosed", "presented"],
    "admitted": ["diagnosed", "presented", "admitted"], "adjourned": ["diagnosed", "presented", "adjourned"],
    "refused": ["diagnosed", "presented", "refused"], "supported": ["diagnosed", "presented", "admitted", "supported"],
    "ended": ["diagnosed", "presented", "admitted", "ended"],
}


def walk_to(household, status, by=None):
    """Moves a fresh household to `status` through the lifecycle's own transitions (test set-up)."""
    from households.services import household_transition

    for step in LIFECYCLE_PATHS[status]:
        household_transition(household=household, to=step, by=by, reason="préparation du test")
    return household
