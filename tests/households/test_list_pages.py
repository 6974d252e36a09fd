"""The household list at any size (issue 20): keyset pages, the letter jump, the capped count, and
the département a regional or national manager must choose first."""

import pytest
from django.urls import reverse

from tests.factories import HouseholdFactory, UserFactory
from zel.lib import pagination

pytestmark = pytest.mark.django_db

URL = reverse("households:list")


def _names(response):
    return [(h.last_name, h.first_name) for h in response.context["page"]]


def _follow(client, response, link):
    return client.get(f"{URL}?{getattr(response.context['page'], link)}")


@pytest.fixture
def sixty(personas, orgs):
    """60 households of the worker, named so that their order is known: Nom00 … Nom59."""
    for n in range(60):
        HouseholdFactory(last_name=f"Nom{n:02d}", first_name="A", organisation=orgs.amli,
                         workers=[personas.worker])
    return [(f"Nom{n:02d}", "A") for n in range(60)]


def test_first_next_previous_and_last_pages_hold_the_right_rows(as_user, personas, sixty):
    client = as_user(personas.worker)
    first = client.get(URL)
    assert _names(first) == sixty[:25]
    assert not first.context["page"].has_previous and first.context["page"].has_next
    second = _follow(client, first, "next_query")
    assert _names(second) == sixty[25:50]
    third = _follow(client, second, "next_query")
    assert _names(third) == sixty[50:]
    assert third.context["page"].has_previous and not third.context["page"].has_next
    assert _names(_follow(client, third, "previous_query")) == sixty[25:50]
    # The last page is the list's last 25 rows, read from its end.
    last = _follow(client, first, "last_query")
    assert _names(last) == sixty[35:]
    assert last.context["page"].has_previous and not last.context["page"].has_next
    before_last = _follow(client, last, "previous_query")
    assert _names(before_last) == sixty[10:35]
    # Fewer than a page before: the first page, whole.
    assert _names(_follow(client, before_last, "previous_query")) == sixty[:25]


def test_navigation_links_are_accessible(as_user, personas, sixty):
    client = as_user(personas.worker)
    second = _follow(client, client.get(URL), "next_query")
    html = second.content.decode()
    assert 'aria-label="Pages de la liste"' in html
    assert 'rel="prev"' in html and 'rel="next"' in html and 'rel="first"' in html and 'rel="last"' in html
    assert 'aria-label="Aller à une lettre"' in html


@pytest.mark.parametrize("letter", ["E", "e"])
def test_letter_jump_puts_accented_and_lower_case_names_under_their_letter(as_user, personas, orgs, letter):
    for last_name in ["Dupont", "Émile", "eaton", "Élodie", "Fabre", "Zola", "Durand"]:
        HouseholdFactory(last_name=last_name, first_name="X", organisation=orgs.amli, workers=[personas.worker])
    client = as_user(personas.worker)
    response = client.get(URL, {"lettre": letter})
    assert [name for name, _ in _names(response)] == ["eaton", "Élodie", "Émile", "Fabre", "Zola"]
    page = response.context["page"]
    assert page.has_previous  # Dupont and Durand are before
    assert [each.letter for each in page.letters if each.current] == ["E"]
    previous = _follow(client, response, "previous_query")
    assert [name for name, _ in _names(previous)] == ["Dupont", "Durand", "eaton", "Élodie", "Émile", "Fabre",
                                                      "Zola"]


def test_letter_without_names_resumes_at_the_next_letter_and_a_bad_letter_is_ignored(as_user, personas, orgs):
    for last_name in ["Abel", "Robert"]:
        HouseholdFactory(last_name=last_name, organisation=orgs.amli, workers=[personas.worker])
    client = as_user(personas.worker)
    assert [name for name, _ in _names(client.get(URL, {"lettre": "Q"}))] == ["Robert"]
    assert [name for name, _ in _names(client.get(URL, {"lettre": "<script>"}))] == ["Abel", "Robert"]


@pytest.mark.parametrize("cursor", ["junk", "W1sidiIsImEiXV0:forged", "x" * 5000])
@pytest.mark.parametrize("param", ["apres", "avant"])
def test_a_tampered_cursor_shows_the_first_page_with_a_message(as_user, personas, sixty, param, cursor):
    response = as_user(personas.worker).get(URL, {param: cursor})
    assert response.status_code == 200
    assert _names(response) == sixty[:25]
    assert "Ce lien de page n&#x27;est plus valide" in response.content.decode()


def test_an_old_numbered_link_shows_the_first_page(as_user, personas, sixty):
    response = as_user(personas.worker).get(URL, {"page": "7"})
    assert response.status_code == 200 and _names(response) == sixty[:25]
    assert "page=" not in response.context["page"].next_query


def test_filters_and_search_are_kept_across_pages(as_user, personas, orgs):
    for n in range(30):
        HouseholdFactory(last_name=f"Garcia{n:02d}", track="acces", organisation=orgs.amli)
        HouseholdFactory(last_name=f"Garcib{n:02d}", track="maintien", organisation=orgs.amli)
    client = as_user(personas.manager)
    first = client.get(URL, {"track": "acces", "q": "garci"})
    assert first.context["count"].n == 30
    second = _follow(client, first, "next_query")
    assert "track=acces" in first.context["page"].next_query
    assert [h.last_name for h in second.context["page"]] == [f"Garcia{n:02d}" for n in range(25, 30)]
    last = _follow(client, first, "last_query")
    assert {h.track for h in last.context["page"]} == {"acces"}
    by_letter = client.get(URL, {"track": "maintien", "lettre": "G"})
    assert {h.track for h in by_letter.context["page"]} == {"maintien"}


@pytest.mark.parametrize("size", [5, 60])
def test_every_page_costs_a_fixed_number_of_queries(as_user, personas, orgs, size, django_assert_max_num_queries):
    for n in range(size):
        HouseholdFactory(last_name=f"Nom{n:02d}", organisation=orgs.amli, workers=[personas.worker])
    client = as_user(personas.manager)
    first = client.get(URL)
    # session, user, roles+territories, count, rows, workers (prefetch), worker and territory choices,
    # and for a letter: is there anything before it. Never one per row.
    for query in ["", first.context["page"].next_query, first.context["page"].last_query, "lettre=N",
                  first.context["page"].previous_query]:
        with django_assert_max_num_queries(15):
            assert client.get(f"{URL}?{query}").status_code == 200


def test_count_is_exact_below_the_cap(as_user, personas, orgs, settings):
    settings.ZEL_LIST_COUNT_CAP = 10
    for _ in range(3):
        HouseholdFactory(organisation=orgs.amli, workers=[personas.worker])
    assert "3 ménages" in as_user(personas.worker).get(URL).content.decode()


def test_count_past_the_cap_says_more_than(as_user, personas, orgs, settings, monkeypatch):
    settings.ZEL_LIST_COUNT_CAP = 3
    monkeypatch.setattr(pagination, "planner_estimate", lambda queryset: 2)  # the planner underestimates
    for _ in range(5):
        HouseholdFactory(organisation=orgs.amli, workers=[personas.worker])
    html = as_user(personas.worker).get(URL).content.decode()
    assert "plus de 3 ménages" in html and "5 ménages" not in html


def test_count_past_the_cap_shows_the_estimate_as_one(as_user, personas, orgs, settings, monkeypatch):
    settings.ZEL_LIST_COUNT_CAP = 3
    monkeypatch.setattr(pagination, "planner_estimate", lambda queryset: 1_003_512)
    for _ in range(5):
        HouseholdFactory(organisation=orgs.amli, workers=[personas.worker])
    html = as_user(personas.worker).get(URL).content.decode()
    assert "environ 1\xa0000\xa0000 ménages (estimation)" in html


def test_the_planner_estimate_is_read_from_postgresql(personas, orgs):
    from households.models import Household

    for _ in range(3):
        HouseholdFactory(organisation=orgs.amli)
    estimate = pagination.planner_estimate(Household.objects.all())
    assert estimate is None or estimate >= 1


@pytest.fixture
def regional_manager(orgs):
    return UserFactory(username="regional", organisation=orgs.amli, roles=["manager"], territories=["57", "54"])


def test_a_regional_manager_chooses_a_departement_before_the_list(as_user, regional_manager, households):
    client = as_user(regional_manager)
    response = client.get(URL)
    html = response.content.decode()
    assert "Choisissez un département" in html
    assert "LEFÈVRE" not in html and "NGUYEN" not in html
    assert "page" not in response.context and "count" not in response.context
    chosen = client.get(URL, {"territory": households.far.territory_id}).content.decode()
    assert "NGUYEN Linh" in chosen and "LEFÈVRE" not in chosen
    assert "LEFÈVRE Élodie" in client.get(URL, {"q": "lefevre"}).content.decode()


def test_a_manager_of_one_departement_and_a_worker_list_at_once(as_user, personas, households):
    assert "LEFÈVRE Élodie" in as_user(personas.manager).get(URL).content.decode()
    worker = personas.worker
    worker.territories.add(households.far.territory)
    assert "LEFÈVRE Élodie" in as_user(worker).get(URL).content.decode()


@pytest.mark.parametrize("cap", [3, 10_000])
def test_a_search_pages_in_name_order_whether_its_matches_are_counted_or_not(as_user, personas, orgs, settings, cap):
    """Counted exactly, a search's matches are sorted after the filter (no index walk through the
    names before them); past the cap, read along the index. Same rows, same order, same cursors."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.ZEL_LIST_COUNT_CAP = cap
    names = ["Lambert", "Émile Lambertin", "lambertini", "Dulambert", "Zlambert"] + [f"Lamberto{n:02d}" for n in
                                                                                    range(25)]
    for name in names:
        HouseholdFactory(last_name=name, first_name="A", organisation=orgs.amli)
    HouseholdFactory(last_name="Martin", organisation=orgs.amli)
    client = as_user(personas.manager)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(URL, {"q": "LAMBÉRT"})
    rows = [q["sql"] for q in queries.captured_queries if "ORDER BY" in q["sql"] and "LIMIT 26" in q["sql"]]
    assert len(rows) == 1 and ("|| '')" in rows[0]) == (cap > len(names))
    second = _follow(client, first, "next_query")
    seen = [h.last_name for h in [*first.context["page"], *second.context["page"]]]
    from households.models import sort_name_of
    assert seen == sorted(names, key=lambda n: sort_name_of(n, "A"))
    assert not second.context["page"].has_next
