"""The pages measured, one function each: `fn(bench) -> Result`.

A page whose app is still a placeholder (or whose demo data is missing) answers "n/a (not built)"
instead of failing, so the harness can run while the apps are being written.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse

from .measure import Result, fill, time_calls

NOT_BUILT = "n/a (not built)"
PLACEHOLDER = "Bientôt disponible</h1>"


class NotBuilt(Exception):
    pass


class Bench:
    """What the page functions share: the scale, the number of requests, logged-in clients."""

    def __init__(self, scale_label: str, runs: int):
        self.scale, self.runs = scale_label, runs
        self._clients: dict[str, Client] = {}

    def client(self, username: str) -> Client:
        from accounts.models import User

        if username not in self._clients:
            client = Client()
            client.force_login(User.objects.get(username=username))
            self._clients[username] = client
        return self._clients[username]

    def get(self, username: str, url: str, *, runs: int | None = None, page: str, floor: bool = True) -> Result:
        client = self.client(username)

        def call():
            return client.get(url)

        def check(response):
            if response.status_code != 200:
                raise AssertionError(f"GET {url} as {username}: HTTP {response.status_code}")
            if PLACEHOLDER in response.content.decode("utf-8", "replace"):
                raise NotBuilt(url)

        times, captured, _response = time_calls(call, runs=runs or self.runs, check=check)
        return fill(Result(page=page, scale=self.scale, persona=username, note=url), times, captured, floor=floor)


def _url(name: str, *args, query: str = "") -> str:
    try:
        url = reverse(name, args=args)
    except NoReverseMatch as exc:
        raise NotBuilt(name) from exc
    return f"{url}?{query}" if query else url


def _scalar(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


# --- Households --------------------------------------------------------------------------------

MANAGER, WORKER, LITIGATION = "responsable", "travailleur", "contentieux"


def household_list(bench: Bench) -> Result:
    return bench.get(MANAGER, _url("households:list"), page="household list")


def household_list_filtered(bench: Bench) -> Result:
    from accounts.models import Territory

    moselle = Territory.objects.get(code="57").pk
    query = f"track=maintien&status=supported&territory={moselle}"
    return bench.get(MANAGER, _url("households:list", query=query), page="household list, filtered")


def _name_fragment() -> str:
    """A fragment of the most frequent surname: the search that matches most, hence the slowest."""
    from zel.lib.text import normalize

    name = _scalar("SELECT last_name FROM households_household GROUP BY last_name ORDER BY count(*) DESC, "
                   "last_name LIMIT 1") or "martin"
    return normalize(name)[:5]


def household_search(bench: Bench) -> Result:
    fragment = _name_fragment()
    result = bench.get(MANAGER, _url("households:list", query=f"q={fragment}"), page="household search")
    result.extra["fragment"] = fragment
    return result


def household_search_rare(bench: Bench) -> Result:
    """A full surname and first name: what a worker types to find one person."""
    from zel.lib.text import normalize

    with connection.cursor() as cursor:
        cursor.execute("SELECT last_name, first_name FROM households_household ORDER BY id "
                       "OFFSET (SELECT count(*) / 2 FROM households_household) LIMIT 1")
        last, first = cursor.fetchone()
    query = f"q={normalize(last)}+{normalize(first)}"
    return bench.get(MANAGER, _url("households:list", query=query), page="household search, full name")


def household_list_deep(bench: Bench) -> Result:
    total = _scalar("SELECT count(*) FROM households_household")
    last_page = max(1, -(-total // 25))
    return bench.get(MANAGER, _url("households:list", query=f"page={last_page}"),
                     page="household list, last page")


def household_list_worker(bench: Bench) -> Result:
    return bench.get(WORKER, _url("households:list"), page="household list (worker)")


def _worker_household() -> int:
    """A household of the demo worker's caseload, in the middle of the ids."""
    return _scalar(
        "SELECT h.id FROM households_household h JOIN households_household_assigned_workers w "
        "ON w.household_id = h.id JOIN accounts_user u ON u.id = w.user_id WHERE u.username = %s "
        "ORDER BY h.id OFFSET (SELECT count(*) / 2 FROM households_household_assigned_workers w2 "
        "JOIN accounts_user u2 ON u2.id = w2.user_id WHERE u2.username = %s) LIMIT 1", [WORKER, WORKER])


def household_file(bench: Bench) -> Result:
    pk = _worker_household()
    return bench.get(WORKER, _url("households:detail", pk), page="household file")


# --- Other apps (measured when built) -----------------------------------------------------------

def caseload_dashboard(bench: Bench) -> Result:
    return bench.get(WORKER, _url("support:dashboard"), page="caseload dashboard")


PAGES: dict[str, tuple[str, Callable[[Bench], Result]]] = {
    "list": ("household list", household_list),
    "list_filtered": ("household list, filtered", household_list_filtered),
    "search": ("household search", household_search),
    "search_name": ("household search, full name", household_search_rare),
    "list_deep": ("household list, last page", household_list_deep),
    "list_worker": ("household list (worker)", household_list_worker),
    "file": ("household file", household_file),
    "dashboard": ("caseload dashboard", caseload_dashboard),
}


def run_page(key: str, bench: Bench) -> Result:
    label, fn = PAGES[key]
    try:
        result = fn(bench)
    except NotBuilt:
        result = Result(page=label, scale=bench.scale, status=NOT_BUILT)
    except Exception as exc:  # report, don't crash: the lead re-runs the whole table at the end
        result = Result(page=label, scale=bench.scale, status=f"error: {type(exc).__name__}: {exc}"[:300])
    result.page, result.extra["key"] = label, key
    return result
