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


def _moselle() -> int:
    from accounts.models import Territory

    return Territory.objects.get(code="57").pk


def _keyset():
    """zel.lib.pagination once the keyset lists have landed (branch `lists`), else None (OFFSET pages)."""
    try:
        from zel.lib import pagination
    except ImportError:
        return None
    return pagination


def household_list(bench: Bench) -> Result:
    """The manager's list of a département (a national manager picks one first): its first page."""
    return bench.get(MANAGER, _url("households:list", query=f"territory={_moselle()}"),
                     page="household list, first page")


def _list_position(territory: int, where: str | float) -> str:
    """The query string that opens the Moselle list at a fraction of its length (0.5: the middle
    page) or at its "last" page: a keyset cursor (`apres`, `fin`) with the keyset lists, a page
    number with OFFSET pagination."""
    total = _scalar("SELECT count(*) FROM households_household WHERE territory_id = %s", [territory])
    pagination = _keyset()
    if pagination is None:
        pages = max(1, -(-total // 25))
        return f"territory={territory}&page={pages if where == 'last' else max(1, int(pages * where))}"
    if where == "last":
        return f"territory={territory}&{pagination.LAST}=1"
    with connection.cursor() as cursor:
        cursor.execute("SELECT sort_name, id FROM households_household WHERE territory_id = %s "
                       "ORDER BY sort_name, id OFFSET %s LIMIT 1", [territory, int(total * where)])
        values = cursor.fetchone()
    from households.views import HOUSEHOLD_ORDER

    # paginate() signs with the list's salt and its ordering's key names.
    token = pagination.encode_cursor(list(values), salt=f"households:{','.join(HOUSEHOLD_ORDER.names)}")
    return f"territory={territory}&{pagination.AFTER}={token}"


def list_positions(count: int = 20) -> list[str]:
    """Query strings of pages spread over the Moselle list (for the load test's managers)."""
    territory = _moselle()
    return [_list_position(territory, i / count) for i in range(count)] + [_list_position(territory, "last")]


def household_list_middle(bench: Bench) -> Result:
    result = bench.get(MANAGER, _url("households:list", query=_list_position(_moselle(), 0.5)),
                       page="household list, middle page")
    result.extra["keyset"] = _keyset() is not None
    return result


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
    result = bench.get(MANAGER, _url("households:list", query=_list_position(_moselle(), "last")),
                       page="household list, last page")
    result.extra["keyset"] = _keyset() is not None
    return result


def household_list_worker(bench: Bench) -> Result:
    return bench.get(WORKER, _url("households:list"), page="household list (worker)")


def _worker_household() -> int:
    """A household of the demo worker's caseload, in the middle of the ids."""
    return _scalar(
        "SELECT h.id FROM households_household h JOIN households_household_assigned_workers w "
        "ON w.household_id = h.id JOIN accounts_user u ON u.id = w.user_id WHERE u.username = %s "
        "ORDER BY h.id OFFSET (SELECT count(*) / 2 FROM households_household_assigned_workers w2 "
        "JOIN accounts_user u2 ON u2.id = w2.user_id WHERE u2.username = %s) LIMIT 1", [WORKER, WORKER])


def _full_household() -> tuple[int, str] | None:
    """A household with a COPIL decision, a procedure and a support plan (a repayment plan too when
    one qualifies), and the username of its social worker (the demo worker's when one is theirs)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT h.id, u.username FROM households_household h "
            "JOIN households_household_assigned_workers w ON w.household_id = h.id "
            "JOIN accounts_user u ON u.id = w.user_id "
            "WHERE EXISTS (SELECT 1 FROM copil_agendaitem a JOIN copil_decision d ON d.item_id = a.id "
            "              WHERE a.household_id = h.id) "
            "AND EXISTS (SELECT 1 FROM litigation_procedure p WHERE p.household_id = h.id) "
            "AND EXISTS (SELECT 1 FROM support_plangoal g WHERE g.household_id = h.id) "
            "AND u.username <> 'psychologue' "
            "ORDER BY NOT EXISTS (SELECT 1 FROM litigation_repaymentplan r JOIN litigation_procedure p "
            "                     ON p.id = r.procedure_id WHERE p.household_id = h.id), "
            "u.username <> %s, h.id LIMIT 1", [WORKER])
        return cursor.fetchone()


def household_file(bench: Bench) -> Result:
    found = _full_household()
    if found is None:
        raise NotBuilt("no household with a COPIL decision, a procedure and a support plan")
    pk, username = found
    result = bench.get(username, _url("households:detail", pk),
                       page="household file (COPIL decision, procedure, plan)")
    result.extra["household"] = pk
    return result


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


def _french_amount(value: Decimal) -> str:
    """1045.2 -> "1 045,20 €", as in the landlords' exports (shared/samples)."""
    units, cents = f"{value:.2f}".split(".")
    return f"{int(units):,}".replace(",", " ") + f",{cents} €"


def _rent_csv(shift: int) -> bytes:
    """10 000 existing (lease, month) lines of Batigère in its own export format (shared/samples/
    loyers-batigere-2025.csv: Windows-1252, ";", CRLF, French headers, dd/mm/yyyy, "1 045,20 €",
    blank lines at the end), the payment moved by `shift` cents: every line changes, as when a
    landlord re-exports its accounts."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.reference, r.month, r.amount_called, r.housing_benefit, r.amount_paid "
            "FROM litigation_rentaccountline r JOIN households_lease l ON l.id = r.lease_id "
            "JOIN accounts_organisation o ON o.id = l.landlord_id WHERE o.code = 'bat' "
            "ORDER BY r.month DESC, r.id LIMIT %s", [IMPORT_LINES])
        rows = cursor.fetchall()
    if len(rows) < IMPORT_LINES:
        raise NotBuilt("not enough rent lines")
    lines = ["Référence bail;Période;Quittancé (loyer+charges);APL versée au bailleur;Encaissé"]
    for reference, month, called, benefit, paid in rows:
        paid = paid + shift * Decimal("0.01")
        lines.append(f"{reference};{month:%d/%m/%Y};{_french_amount(called)};{_french_amount(benefit)};"
                     f"{_french_amount(paid)}")
    return ("\r\n".join(lines) + "\r\n\r\n\r\n").encode("cp1252")


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
        return client.post(url, {"file": SimpleUploadedFile("loyers-batigere.csv", raw, content_type="text/csv")})

    def check(response):
        if response.status_code != 200 or "Import terminé" not in response.content.decode("utf-8", "replace"):
            raise AssertionError(f"import refused (HTTP {response.status_code})")

    times, captured, _ = time_calls(call, runs=runs, warmup=0, check=check)
    if state["i"] % 2:
        call()  # back to the original amounts
    result = fill(Result(page="rent import, 10 000 lines (landlord's format)", scale=bench.scale,
                         persona=LITIGATION, note=url), times, captured, floor=False)
    # The floor of an import is the database's own work: every statement it sent.
    result.floor_ms = result.sql_ms
    return result


PAGES: dict[str, tuple[str, Callable[[Bench], Result]]] = {
    "list": ("household list, first page", household_list),
    "list_middle": ("household list, middle page", household_list_middle),
    "list_deep": ("household list, last page", household_list_deep),
    "list_filtered": ("household list, filtered", household_list_filtered),
    "search": ("household search", household_search),
    "search_name": ("household search, full name", household_search_rare),
    "list_worker": ("household list (worker)", household_list_worker),
    "file": ("household file (COPIL decision, procedure, plan)", household_file),
    "dashboard": ("caseload dashboard", caseload_dashboard),
    "dashboard_big": ("caseload dashboard, huge caseload", caseload_dashboard_big),
    "litigation": ("litigation list by next deadline", litigation_list),
    "management": ("management dashboard (live)", management_dashboard),
    "copil": ("COPIL session, 40 dossiers", copil_session),
    "rent_import": ("rent import, 10 000 lines (landlord's format)", rent_import),
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
