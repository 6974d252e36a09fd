"""Personas shared by every app's tests.

Two landlords (X: Batigère, Y: Présence Habitat), AMLI, two territories in use (57 and 54), and a second
organisation of every kind (bailiffs' office, funder; managers employed by each landlord). Each persona is a user with
the roles of docs/domain.md; `households` gives a household of each scope so that tests can say who must
see and who must not (the "stranger" answers 404).
"""

from types import SimpleNamespace

import pytest
from django.conf import settings

from accounts.models import Organisation
from accounts.reference import ensure_reference_data

from .factories import PASSWORD, HouseholdFactory, LeaseFactory, OrganisationFactory, UserFactory, territory


@pytest.fixture(autouse=True)
def _fast_hasher_and_eager_celery(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _second_factor_not_enforced(settings):
    # Personas log in with one factor in the apps' tests; tests/trust switches the requirement on.
    settings.ZEL_OTP_ENFORCED = False


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def reference_data(db):
    # Transactional tests (live server, Celery worker) flush the rows the data migration made.
    ensure_reference_data()


def make_orgs():
    return SimpleNamespace(
        amli=OrganisationFactory(code="amli", name="AMLI", kind=Organisation.Kind.ASSOCIATION),
        landlord_x=OrganisationFactory(code="bat", name="Batigère", kind=Organisation.Kind.LANDLORD),
        landlord_y=OrganisationFactory(code="pha", name="Présence Habitat", kind=Organisation.Kind.LANDLORD),
        ddets=OrganisationFactory(code="ddets-57", name="DDETS 57", kind=Organisation.Kind.DDETS),
        caf=OrganisationFactory(code="caf-54", name="CAF 54", kind=Organisation.Kind.CAF),
        fnavdl=OrganisationFactory(code="fnavdl", name="FNAVDL", kind=Organisation.Kind.FUNDER),
        bailiffs=OrganisationFactory(code="cdj", name="Étude CDJ", kind=Organisation.Kind.BAILIFF_OFFICE),
        # The second organisation of each kind (issue 11): another bailiffs' office, another funder.
        bailiffs_2=OrganisationFactory(code="lhm", name="Étude LHM", kind=Organisation.Kind.BAILIFF_OFFICE),
        funder_2=OrganisationFactory(code="fap", name="Fondation Abbé Pierre", kind=Organisation.Kind.FUNDER),
    )


@pytest.fixture
def orgs(reference_data):
    return make_orgs()


def make_personas(orgs):
    p = SimpleNamespace()
    p.worker = UserFactory(username="worker", organisation=orgs.amli, roles=["social_worker"], territories=["57"])
    p.worker_54 = UserFactory(username="worker54", organisation=orgs.amli, roles=["social_worker"],
                              territories=["54"])
    p.psychologist = UserFactory(username="psy", organisation=orgs.amli, roles=["psychologist"],
                                 territories=["57"])
    p.manager = UserFactory(username="manager", organisation=orgs.amli, roles=["manager"], territories=["57"])
    p.manager_54 = UserFactory(username="manager54", organisation=orgs.amli, roles=["manager"],
                               territories=["54"])
    p.copil_a = UserFactory(username="copil_a", organisation=orgs.ddets, roles=["copil_member"],
                            territories=["57"])
    p.copil_b = UserFactory(username="copil_b", organisation=orgs.caf, roles=["copil_member"], territories=["54"])
    p.litigation_x = UserFactory(username="lit_x", organisation=orgs.landlord_x, roles=["litigation_officer"],
                                 territories=["57"])
    p.litigation_y = UserFactory(username="lit_y", organisation=orgs.landlord_y, roles=["litigation_officer"],
                                 territories=["57"])
    p.bailiff = UserFactory(username="bailiff", organisation=orgs.bailiffs, roles=["bailiff"], territories=["57"])
    p.funder = UserFactory(username="funder", organisation=orgs.fnavdl, roles=["funder"], territories=["57"])
    p.funder_54 = UserFactory(username="funder54", organisation=orgs.fnavdl, roles=["funder"], territories=["54"])
    p.admin = UserFactory(username="admin", organisation=orgs.amli, roles=["administrator"], is_staff=True,
                          is_superuser=True)
    # The second organisation of every kind (issue 11). Managers employed by a landlord see the
    # households of their landlord's leases in their territories, nothing of the other landlord.
    p.manager_x = UserFactory(username="manager_x", organisation=orgs.landlord_x, roles=["manager"],
                              territories=["57"])
    p.manager_y = UserFactory(username="manager_y", organisation=orgs.landlord_y, roles=["manager"],
                              territories=["57"])
    p.bailiff_2 = UserFactory(username="bailiff2", organisation=orgs.bailiffs_2, roles=["bailiff"],
                              territories=["57"])
    p.funder_2 = UserFactory(username="funder2", organisation=orgs.funder_2, roles=["funder"], territories=["57"])
    p.psychologist_2 = UserFactory(username="psy2", organisation=orgs.amli, roles=["psychologist"],
                                   territories=["57"])
    p.copil_none = UserFactory(username="copil_none", organisation=orgs.ddets, roles=["copil_member"],
                               territories=["57"])
    return p


@pytest.fixture
def personas(orgs):
    return make_personas(orgs)


def make_households(personas, orgs):
    """mine: assigned to worker and psychologist (57, landlord X); other: same territory, not
    assigned; far: territory 54 (worker_54); tenant_y: a tenant of landlord Y in 57."""
    h = SimpleNamespace()
    h.mine = HouseholdFactory(last_name="Lefèvre", first_name="Élodie", organisation=orgs.amli,
                              workers=[personas.worker, personas.psychologist])
    LeaseFactory(household=h.mine, landlord=orgs.landlord_x)
    h.other = HouseholdFactory(last_name="Martin", first_name="Paul", organisation=orgs.amli)
    LeaseFactory(household=h.other, landlord=orgs.landlord_x)
    h.far = HouseholdFactory(last_name="Nguyen", first_name="Linh", organisation=orgs.amli,
                             territory=territory("54"), workers=[personas.worker_54])
    h.tenant_y = HouseholdFactory(last_name="Schmitt", first_name="Anne", organisation=orgs.amli)
    LeaseFactory(household=h.tenant_y, landlord=orgs.landlord_y)
    return h


@pytest.fixture
def households(personas, orgs):
    return make_households(personas, orgs)


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def as_user(client):
    """as_user(persona) -> a test client logged in as that persona."""
    def _as(user):
        client.logout()
        client.force_login(user)
        return client
    return _as


def pytest_report_header(config):
    return f"database: {settings.DATABASES['default']['ENGINE']}"
