"""The session page costs the same number of queries for 5 and for 40 dossiers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from copil.services import opinion_give
from tests.factories import LeaseFactory, MemberFactory, ResourceFactory

from .conftest import session_url
from .factories import AgendaItemFactory, RequestedLeverFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _session_with(n, personas, chair):
    session = SessionFactory(chair=chair, members=[personas.copil_a])
    for _ in range(n):
        item = AgendaItemFactory(session=session)
        MemberFactory(household=item.household)
        ResourceFactory(household=item.household)
        LeaseFactory(household=item.household)
        RequestedLeverFactory(item=item)
        opinion_give(item=item, by=personas.copil_a, value="favourable")
    return session


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["copil_a", "manager"])
def test_session_page_query_count_is_constant(as_user, personas, chair, who):
    small = _session_with(5, personas, chair)
    large = _session_with(40, personas, chair)
    client = as_user(getattr(personas, who))
    client.get(session_url(small))  # warm the session/user caches
    counts = (_count(client, session_url(small)), _count(client, session_url(large)))
    assert counts[0] == counts[1], counts
    # session+user, roles, territories, session, members, items, household members, resources,
    # leases, requested levers, decisions, opinions (+ the households the manager may name)
    assert counts[0] <= 14, counts


def test_session_list_query_count_is_constant(as_user, personas, chair, django_assert_max_num_queries):
    for _ in range(5):
        SessionFactory(chair=chair, members=[personas.copil_a])
    client = as_user(personas.copil_a)
    small = _count(client, "/copil/")
    for _ in range(20):
        SessionFactory(chair=chair, members=[personas.copil_a])
    assert _count(client, "/copil/") == small
