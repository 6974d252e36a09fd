"""Keyset pages on the other long lists (issue 20): procedures, early warnings, visits and the access
log. Walking forwards from the first page and backwards from the last one meets every row once, in
the list's order, ties on the date broken by the pk; every page costs the same number of queries."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLog
from litigation.models import EarlyWarning
from tests.litigation.factories import ProcedureFactory
from tests.support.factories import InterventionFactory

pytestmark = pytest.mark.django_db


def _walk(client, url, *, start="", link="next_query", params=None):
    """The pks of every page, following `link` from `start` until it runs out, and each page's
    query count."""
    seen, response = [], client.get(f"{url}?{start}", params or {})
    while True:
        page = response.context["page"]
        seen.append([row.pk for row in page])
        more = page.has_next if link == "next_query" else page.has_previous
        if not more:
            return seen
        response = client.get(f"{url}?{getattr(page, link)}")


def _assert_walks(client, url, expected, per_page, params=None):
    forwards = _walk(client, url, params=params)
    assert [pk for page in forwards for pk in page] == expected
    assert all(len(page) == per_page for page in forwards[:-1])
    backwards = _walk(client, url, start="fin=1", link="previous_query")
    assert backwards[0] == expected[-per_page:]
    # Less than a page before the last one read backwards: the first page comes whole, so the two
    # may overlap.
    assert backwards[-1] == expected[:per_page]
    assert list(dict.fromkeys(pk for page in reversed(backwards) for pk in page)) == expected


def test_procedures_by_nearest_deadline_then_those_without(as_user, personas, households):
    lease = households.mine.leases.get()
    today = timezone.localdate()
    made = [ProcedureFactory(lease=lease, next_deadline_on=None if n % 4 == 0 else today + timedelta(days=n % 7))
            for n in range(40)]
    expected = [p.pk for p in sorted(made, key=lambda p: (p.next_deadline_on is None,
                                                          p.next_deadline_on or today, p.pk))]
    client = as_user(personas.manager)
    _assert_walks(client, reverse("litigation:procedure_list"), expected, 25)
    response = client.get(reverse("litigation:procedure_list"))
    assert "40 procédures" in response.content.decode()


def test_procedure_filters_are_kept_across_pages(as_user, personas, households):
    lease = households.mine.leases.get()
    for n in range(30):
        ProcedureFactory(lease=lease, stage="assignation" if n % 2 else "commandement")
    client = as_user(personas.manager)
    first = client.get(reverse("litigation:procedure_list"), {"stage": "assignation"})
    assert "stage=assignation" in first.context["page"].next_query or not first.context["page"].has_next
    stages = {p.stage for p in first.context["page"]}
    assert stages <= {"assignation"}


def _warnings(households, count):
    lease = households.other.leases.get()
    day = date(2025, 6, 1)
    rows = EarlyWarning.objects.bulk_create(
        EarlyWarning(lease=lease, household=households.other, kind=EarlyWarning.Kind.THRESHOLD,
                     period_key=f"p{n}", detected_on=day - timedelta(days=n // 3)) for n in range(count))
    return sorted(rows, key=lambda w: (w.detected_on, w.pk), reverse=True)


def test_early_warnings_newest_first(as_user, personas, households):
    expected = [w.pk for w in _warnings(households, 40)]
    _assert_walks(as_user(personas.manager), reverse("litigation:early_warning_list"), expected, 25)


def test_visits_newest_first_and_with_the_search(as_user, personas, households):
    today = timezone.localdate()
    made = [InterventionFactory(household=households.mine, author=personas.worker,
                                occurred_on=today - timedelta(days=n // 4),
                                summary="loyer" if n % 2 else "CAF") for n in range(40)]
    expected = [v.pk for v in sorted(made, key=lambda v: (v.occurred_on, v.pk), reverse=True)]
    client = as_user(personas.worker)
    url = reverse("support:visit_list")
    _assert_walks(client, url, expected, 25)
    searched = _walk(client, url, params={"q": "loyer"})
    assert [pk for page in searched for pk in page] == [pk for pk in expected
                                                        if next(v for v in made if v.pk == pk).summary == "loyer"]


def _entries(user, count):
    rows = AccessLog.objects.bulk_create(AccessLog(user=user, action="view", object_type="households.household",
                                                   object_id=str(n), path="/") for n in range(count))
    # Half of them at the very same instant: the pk decides.
    same = timezone.now() - timedelta(hours=1)
    AccessLog.objects.filter(pk__in=[r.pk for r in rows[::2]]).update(at=same)
    return [e.pk for e in AccessLog.objects.order_by("-at", "-pk")]


def test_access_log_newest_first_and_filtered(as_user, personas, households):
    expected = _entries(personas.manager, 120)
    client = as_user(personas.manager)
    _assert_walks(client, reverse("audit:access_log"), expected, 50)
    filtered = _walk(client, reverse("audit:access_log"), params={"utilisateur": "nobody"})
    assert filtered == [[]]


@pytest.mark.parametrize("size", [5, 60])
def test_the_other_lists_cost_a_fixed_number_of_queries(as_user, personas, households, size,
                                                        django_assert_max_num_queries):
    lease = households.mine.leases.get()
    for n in range(size):
        ProcedureFactory(lease=lease, next_deadline_on=None if n % 3 else date(2025, 1, 1))
        InterventionFactory(household=households.mine, author=personas.worker)
    _warnings(households, size)
    _entries(personas.manager, size)
    for user, url in [(personas.manager, reverse("litigation:procedure_list")),
                      (personas.manager, reverse("litigation:early_warning_list")),
                      (personas.worker, reverse("support:visit_list")),
                      (personas.manager, reverse("audit:access_log"))]:
        client = as_user(user)
        first = client.get(url).context["page"]
        for query in ["", first.next_query, first.last_query, "apres=junk"]:
            with django_assert_max_num_queries(15):
                assert client.get(f"{url}?{query}").status_code == 200
