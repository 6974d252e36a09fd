"""The pages measured, one function each: `fn(bench) -> Result`.

A page whose app is still a placeholder (or whose demo data is missing) answers "n/a (not built)"
instead of failing, so the harness can run while the apps are being written.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
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
    """A worker with a realistic caseload (60 households, see bench.seed.ensure_extras)."""
    from .seed import BENCH_WORKER

    return bench.get(BENCH_WORKER, _url("support:dashboard"), page="caseload dashboard")


def caseload_dashboard_big(bench: Bench) -> Result:
    """The demo worker, who follows a quarter of the Moselle households (13 800 at 100k)."""
    return bench.get(WORKER, _url("support:dashboard"), page="caseload dashboard, huge caseload")


def management_dashboard(bench: Bench) -> Result:
    """The live management dashboard of the programme manager (issue 16): the first visit computes
    its figures (eager here, a Celery task in production), the timed requests read them back."""
    return bench.get(MANAGER, _url("reports:dashboard"), page="management dashboard (live)", runs=min(bench.runs, 5))


def litigation_list(bench: Bench) -> Result:
    """Procedures of the landlord Batigère (70 % of the leases), by next deadline (the default order)."""
    return bench.get(LITIGATION, _url("litigation:procedure_list"), page="litigation list by next deadline")


def copil_session(bench: Bench) -> Result:
    from .seed import COPIL_ITEMS

    pk = _scalar("SELECT session_id FROM copil_agendaitem GROUP BY session_id HAVING count(*) >= %s "
                 "ORDER BY session_id DESC LIMIT 1", [COPIL_ITEMS])
    if pk is None:
        raise NotBuilt("no COPIL session with 40 dossiers")
    return bench.get("copil", _url("copil:session_detail", pk), page="COPIL session, 40 dossiers")


IMPORT_LINES = 10_000


def _rent_csv(shift: int) -> bytes:
    """10 000 existing (lease, month) lines of Batigère, re-sent with the payment moved by `shift`
    cents: every line changes, as when a landlord re-exports its accounts."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.reference, r.month, r.amount_called, r.housing_benefit, r.amount_paid "
            "FROM litigation_rentaccountline r JOIN households_lease l ON l.id = r.lease_id "
            "JOIN accounts_organisation o ON o.id = l.landlord_id WHERE o.code = 'bat' "
            "ORDER BY r.month DESC, r.id LIMIT %s", [IMPORT_LINES])
        rows = cursor.fetchall()
    if len(rows) < IMPORT_LINES:
        raise NotBuilt("not enough rent lines")
    lines = ["Référence bail;Mois;Quittancé;APL;Encaissé"]
    for reference, month, called, benefit, paid in rows:
        paid = paid + shift * Decimal("0.01")
        lines.append(f"{reference};{month:%m/%Y};{str(called).replace('.', ',')};"
                     f"{str(benefit).replace('.', ',')};{str(paid).replace('.', ',')}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def rent_import(bench: Bench, runs: int = 3) -> Result:
    """POST of a 10 000-line CSV to the import page, as the landlord's litigation officer. Files
    alternate (+1 cent, original) so every import changes every line and the data ends as it was."""
    url = _url("litigation:rent_import")
    client = bench.client(LITIGATION)
    files = [_rent_csv(1), _rent_csv(0)]
    state = {"i": 0}

    def call():
        raw = files[state["i"] % 2]
        state["i"] += 1
        return client.post(url, {"file": SimpleUploadedFile("loyers.csv", raw, content_type="text/csv")})

    def check(response):
        if response.status_code != 200 or "Import terminé" not in response.content.decode("utf-8", "replace"):
            raise AssertionError(f"import refused (HTTP {response.status_code})")

    times, captured, _ = time_calls(call, runs=runs, warmup=0, check=check)
    if state["i"] % 2:
        call()  # back to the original amounts
    result = fill(Result(page="rent import, 10 000 lines", scale=bench.scale, persona=LITIGATION, note=url),
                  times, captured, floor=False)
    # The floor of an import is the database's own work: every statement it sent.
    result.floor_ms = result.sql_ms
    return result


PAGES: dict[str, tuple[str, Callable[[Bench], Result]]] = {
    "list": ("household list", household_list),
    "list_filtered": ("household list, filtered", household_list_filtered),
    "search": ("household search", household_search),
    "search_name": ("household search, full name", household_search_rare),
    "list_deep": ("household list, last page", household_list_deep),
    "list_worker": ("household list (worker)", household_list_worker),
    "file": ("household file", household_file),
    "dashboard": ("caseload dashboard", caseload_dashboard),
    "dashboard_big": ("caseload dashboard, huge caseload", caseload_dashboard_big),
    "litigation": ("litigation list by next deadline", litigation_list),
    "management": ("management dashboard (live)", management_dashboard),
    "copil": ("COPIL session, 40 dossiers", copil_session),
    "rent_import": ("rent import, 10 000 lines", rent_import),
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
