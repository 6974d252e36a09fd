"""Long lists that cost the same at any size and depth (issue 20): keyset pagination and capped counts.

OFFSET makes PostgreSQL read and throw away every row before the page (3 s for a middle page of
10⁶ households) and an exact COUNT reads the whole scope on every view. Here a page starts
*after* (or *before*) the sort key of a row the user has seen, so the database walks an index from
there and stops after one page: the first, the middle and the last page cost the same.

- An `Ordering` is a tuple of keys read in one direction, the last one unique (the pk), so "the
  rows after this one" is a single row comparison `(k1, k2, pk) > (v1, v2, v3)` that an index on
  the same columns answers. A nullable column is ordered through an expression (`Coalesce`) with
  its own index, never NULLS LAST, which a row comparison cannot express.
- The cursor in the URL (`?apres=` / `?avant=`) holds the key values of the row, signed: a cursor
  edited by hand is refused and the list shows its first page with a message, never a 500.
- "Last page" reads the list backwards from its end (`?fin=1`), not with OFFSET.
- The count is exact up to a cap (`COUNT` over a `LIMIT cap+1` subquery, "plus de 10 000"); past
  the cap, the planner's estimate (PostgreSQL's `EXPLAIN`, one planning round and no scan) is shown
  as an estimate.

Old `?page=N` links show the first page: page numbers have no meaning without OFFSET.
"""

from __future__ import annotations

import datetime as dt
import json
import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import total_ordering
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db import connections
from django.db.models import Expression, F, Func, IntegerField, OrderBy, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.http import QueryDict
from django.utils.formats import number_format
from django.utils.translation import gettext as _

AFTER, BEFORE, LAST, LETTER, LEGACY_PAGE = "apres", "avant", "fin", "lettre", "page"
PAGINATION_PARAMS = (AFTER, BEFORE, LAST, LETTER, LEGACY_PAGE)
LETTERS = tuple(string.ascii_uppercase)
COUNT_CAP = 10_000

CursorValue = None | bool | int | str | Decimal | dt.date | dt.datetime


# --- The cursor: pure encoding, signed ------------------------------------------------------------

def _tag(value: CursorValue) -> list[Any]:
    # JSON has no dates: each value travels with its type so that it comes back as it left.
    if value is None or isinstance(value, bool | int | str):
        return ["v", value]
    if isinstance(value, dt.datetime):
        return ["t", value.isoformat()]
    if isinstance(value, dt.date):
        return ["d", value.isoformat()]
    if isinstance(value, Decimal):
        return ["n", str(value)]
    raise TypeError(f"cannot put {type(value).__name__} in a cursor")


def _untag(item: Any) -> CursorValue:
    kind, raw = item
    if kind == "v" and (raw is None or isinstance(raw, bool | int | str)):
        return raw
    if kind == "t" and isinstance(raw, str):
        return dt.datetime.fromisoformat(raw)
    if kind == "d" and isinstance(raw, str):
        return dt.date.fromisoformat(raw)
    if kind == "n" and isinstance(raw, str):
        return Decimal(raw)
    raise ValueError(kind)


def encode_cursor(values: Sequence[CursorValue], *, salt: str) -> str:
    """The key values of a row as a URL-safe token signed with SECRET_KEY (and `salt`, one per
    list, so that a cursor of one list means nothing to another)."""
    payload = json.dumps([_tag(v) for v in values], separators=(",", ":"))
    return signing.Signer(salt=f"zel.pagination.{salt}").sign(signing.b64_encode(payload.encode()).decode())


def decode_cursor(token: str, *, salt: str, length: int) -> tuple[CursorValue, ...] | None:
    """The values of a cursor made by `encode_cursor` with the same salt and `length` keys, or None
    for anything else (edited, truncated, of another list, of an older shape)."""
    if not token or len(token) > 2000:
        return None
    try:
        raw = signing.Signer(salt=f"zel.pagination.{salt}").unsign(token)
        items = json.loads(signing.b64_decode(raw.encode()))
        if not isinstance(items, list) or len(items) != length:
            return None
        return tuple(_untag(item) for item in items)
    except (signing.BadSignature, ValueError, TypeError):
        return None


# --- The ordering -----------------------------------------------------------------------------------

class _NotIndexed(Func):
    """A text key concatenated with '': same values and collation, but no index matches it."""

    template = "(%(expressions)s || '')"
    output_field = TextField()


@dataclass(frozen=True)
class Ordering:
    """Keys read in one direction, the last unique. A key is a field name or a (name, expression)
    pair for a computed key (annotated under that name, indexed by the same expression)."""

    keys: tuple[str | tuple[str, Expression], ...]
    descending: bool = False
    # False: sort the rows found instead of walking the index in order (see `without_index_walk`).
    index_walk: bool = True

    def without_index_walk(self) -> Ordering:
        """The same order, keys and cursors, but sorted after the filter instead of read along the
        index. For a selective filter whose matches cluster in the order (a surname fragment sits in
        one stretch of the alphabet), PostgreSQL's LIMIT plan walks the order's index and discards
        every row before that stretch: 2,3 s for "imber" at 10⁶ against 65 ms by sorting the 5 875
        matches. The first key must be a text field: `|| ''` hides it from the index, not its order."""
        return replace(self, index_walk=False)

    @property
    def names(self) -> list[str]:
        return [key if isinstance(key, str) else key[0] for key in self.keys]

    def prepare(self, queryset: QuerySet) -> QuerySet:
        computed = {key[0]: key[1] for key in self.keys if not isinstance(key, str)}
        return queryset.annotate(**computed) if computed else queryset

    def order_by(self, *, backwards: bool = False) -> list[OrderBy]:
        descending = self.descending != backwards
        keys: list[Expression] = [F(name) for name in self.names]
        if not self.index_walk:
            keys[0] = _NotIndexed(keys[0])
        return [key.desc() if descending else key.asc() for key in keys]

    def beyond(self, values: Sequence[CursorValue], *, backwards: bool = False) -> Any:
        """The condition "strictly after these values" in reading order (before, backwards)."""
        lookup = TupleLessThan if self.descending != backwards else TupleGreaterThan
        return lookup(Tuple(*(F(name) for name in self.names)), tuple(values))

    def values_of(self, row: Any) -> tuple[CursorValue, ...]:
        return tuple(getattr(row, name) for name in self.names)


# --- The page -------------------------------------------------------------------------------------

@dataclass
class Letter:
    letter: str
    query: str
    current: bool


@dataclass
class KeysetPage:
    """What the list template shows: the rows and the query strings of its navigation links."""

    object_list: list[Any]
    has_previous: bool
    has_next: bool
    base_query: str
    previous_cursor: str = ""
    next_cursor: str = ""
    letters: list[Letter] = field(default_factory=list)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def _query(self, name: str = "", value: str = "") -> str:
        query = QueryDict(self.base_query, mutable=True)
        if name:
            query[name] = value
        return query.urlencode()

    @property
    def first_query(self) -> str:
        return self._query()

    @property
    def previous_query(self) -> str:
        return self._query(BEFORE, self.previous_cursor)

    @property
    def next_query(self) -> str:
        return self._query(AFTER, self.next_cursor)

    @property
    def last_query(self) -> str:
        return self._query(LAST, "1")


def base_query(params: QueryDict) -> str:
    """The list's filters without the pagination parameters: what every navigation link keeps."""
    query = params.copy()
    for name in PAGINATION_PARAMS:
        query.pop(name, None)
    return query.urlencode()


def _letter_of(params: QueryDict) -> str:
    letter = params.get(LETTER, "").strip().upper()
    return letter if letter in LETTERS else ""


def paginate(request, queryset: QuerySet, ordering: Ordering, *, per_page: int, salt: str,
             letter_key: str | None = None) -> KeysetPage:
    """One page of `queryset` in `ordering`, chosen by the request's `apres`, `avant`, `fin` or
    (with `letter_key`, a key holding lower-case accent-free text) `lettre` parameter. One query
    (two for a letter: is there anything before it?)."""
    params = request.GET
    # The keys' names in the salt: a cursor made before an ordering changed is refused, not misread.
    salt = f"{salt}:{','.join(ordering.names)}"
    queryset = ordering.prepare(queryset)
    letter = _letter_of(params) if letter_key else ""
    read = {"ordering": ordering, "per_page": per_page, "salt": salt, "base_query": base_query(params)}
    page = None
    for name, backwards in ((AFTER, False), (BEFORE, True)):
        if name in params:
            page = _from_cursor(request, queryset, params[name], backwards=backwards, **read)
            break
    else:
        if params.get(LAST):
            page = _read(queryset, backwards=True, **read)
        elif letter:
            start = letter.lower()
            page = _read(queryset.filter(**{f"{letter_key}__gte": start}), backwards=False, **read)
            page.has_previous = queryset.filter(**{f"{letter_key}__lt": start}).exists()
    if page is None:
        page, letter = _read(queryset, backwards=False, **read), ""
    if letter_key:
        page.letters = [Letter(each, page._query(LETTER, each), each == letter) for each in LETTERS]
    return page


def _from_cursor(request, queryset: QuerySet, token: str, *, backwards: bool, ordering: Ordering,
                 salt: str, **read: Any) -> KeysetPage | None:
    values = decode_cursor(token, salt=salt, length=len(ordering.keys))
    if values is None:
        messages.warning(request, _("Ce lien de page n'est plus valide : voici le début de la liste."))
        return None
    page = _read(queryset.filter(ordering.beyond(values, backwards=backwards)), backwards=backwards,
                 ordering=ordering, salt=salt, **read)
    if backwards and not page.has_previous:
        return None  # Less than a page before the cursor (rows were deleted): show the start.
    if backwards:
        page.has_next = True
    else:
        page.has_previous = True
    return page


def _read(queryset: QuerySet, *, ordering: Ordering, per_page: int, backwards: bool, salt: str,
          base_query: str) -> KeysetPage:
    # One row more than the page tells whether there is anything beyond it, without a count.
    rows = list(queryset.order_by(*ordering.order_by(backwards=backwards))[:per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    page = KeysetPage(object_list=rows, has_previous=more if backwards else False,
                      has_next=False if backwards else more, base_query=base_query)
    if rows:
        page.previous_cursor = encode_cursor(ordering.values_of(rows[0]), salt=salt)
        page.next_cursor = encode_cursor(ordering.values_of(rows[-1]), salt=salt)
    return page


# --- The count ------------------------------------------------------------------------------------

@dataclass(frozen=True)
@total_ordering
class ListCount:
    """How many rows a list has, as honestly as it can be known cheaply: `n` exact, or at least
    `n` (`capped`), or about `n` (`estimated`, the planner's figure rounded to two digits).

    In a template it reads as its number ("1 000+" when capped) and compares and adds like it, so a
    counter tile needs no special case."""

    n: int
    capped: bool = False
    estimated: bool = False

    def __str__(self) -> str:
        shown = number_format(self.n, force_grouping=True)
        return f"{shown}+" if self.capped else (f"≈ {shown}" if self.estimated else shown)

    def __int__(self) -> int:
        return self.n

    def __bool__(self) -> bool:
        return self.n > 0

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ListCount):
            return (self.n, self.capped, self.estimated) == (other.n, other.capped, other.estimated)
        return self.n == other if isinstance(other, int) else NotImplemented

    def __lt__(self, other: object) -> bool:
        return self.n < int(other)  # type: ignore[call-overload]

    def __hash__(self) -> int:
        return hash((self.n, self.capped, self.estimated))


def _capped(n: int, cap: int) -> ListCount:
    return ListCount(cap, capped=True) if n > cap else ListCount(n)


def _capped_count_sql(queryset: QuerySet, cap: int) -> tuple[str, tuple]:
    sql, params = queryset.order_by().values("pk")[:cap + 1].query.sql_with_params()
    return f"(SELECT COUNT(*) FROM ({sql}) AS capped)", tuple(params)


def capped_counts(*querysets: QuerySet, cap: int) -> list[ListCount]:
    """Each queryset counted up to `cap` (then "cap+"), all in one query: a dashboard's counters
    over a caseload of 10⁵ households stop at cap + 1 rows each instead of reading them all."""
    parts = [_capped_count_sql(qs, cap) for qs in querysets]
    sql = "SELECT " + ", ".join(part for part, _params in parts)
    with connections[querysets[0].db].cursor() as cursor:
        cursor.execute(sql, [param for _sql, params in parts for param in params])
        row = cursor.fetchone()
    return [_capped(n, cap) for n in row]


def first_rows(queryset: QuerySet, limit: int, *, cap: int) -> tuple[list[Any], ListCount]:
    """The first `limit` rows of an ordered queryset and how many it has (up to `cap`), in one query.

    Not a window COUNT(*) OVER (): that makes the database read and sort every matching row to give
    the first few, where with a LIMIT it walks an index and stops (3,8 s → milliseconds for a
    caseload's deadlines at 10⁶). The count is a sub-select of at most cap + 1 rows."""
    count_sql, params = _capped_count_sql(queryset, cap)
    rows = list(queryset.annotate(capped_total=RawSQL(count_sql, params, output_field=IntegerField()))[:limit])
    return rows, _capped(rows[0].capped_total if rows else 0, cap)


def _round_estimate(n: int) -> int:
    digits = len(str(n))
    return n if digits <= 2 else round(n, 2 - digits)


def planner_estimate(queryset: QuerySet) -> int | None:
    """PostgreSQL's estimate of the rows of `queryset` (plans it, reads nothing); None elsewhere."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def count_rows(queryset: QuerySet, *, cap: int | None = None) -> ListCount:
    """Exact up to `cap` rows (settings.ZEL_LIST_COUNT_CAP, 10 000): the database stops counting at
    cap + 1. Beyond, the planner's estimate when it is above the cap too, else "more than cap"."""
    cap = cap or getattr(settings, "ZEL_LIST_COUNT_CAP", COUNT_CAP)
    n = queryset.order_by().values("pk")[:cap + 1].count()
    if n <= cap:
        return ListCount(n)
    estimate = planner_estimate(queryset)
    if estimate is not None and estimate > cap:
        return ListCount(_round_estimate(estimate), estimated=True)
    return ListCount(cap, capped=True)
