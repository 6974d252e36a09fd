"""A queryset compiled to SQL once, then run for other values of the ids it filters on.

Django builds and compiles a queryset at every call. For a UNION of annotated querysets read on
every view of a page (the household file's small relations) that costs several times what the
database takes (6 ms of compilation for 1 ms of SQL). When a query's SQL depends on nothing but
some ids, `CompiledQuery` compiles it once per database alias with stand-in ids, and later runs
the same SQL with the real ids put where the stand-ins were.

What may vary between two runs is the ids only: the builder must not read the user, the date or
anything else. The first compilation is checked: built with two sets of stand-ins, the SQL must be
the same and the parameters must differ exactly where a stand-in went, or it raises.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

# Shapes kept per query (a list of n ids is a shape per n): the oldest goes beyond that.
_SHAPES_KEPT = 256

# Ids no table holds (negative, far beyond any sequence): where they appear in the parameters is
# where the real ids go.
_STAND_INS = (-7_301_000_000_000, -7_302_000_000_000)


class NotCompilable(Exception):
    """The builder's SQL depends on more than its ids."""


class CompiledQuery:
    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._compiled: dict[tuple, tuple[str, list, list[tuple[int, int]], list]] = {}
        self._lock = threading.Lock()  # the report's threads and a threaded server share it

    def rows(self, *ids: int, key: tuple[Hashable, ...] = (), using: str = DEFAULT_DB_ALIAS) -> list[tuple]:
        """The rows of `build(*ids, *key)` (a values_list queryset) as values_list gives them (the
        fields' converters applied). `key`: what else shapes the SQL: which parts the query has, or
        a value it filters on that is then compiled apart for each value (a date: at most
        `_SHAPES_KEPT` shapes are kept)."""
        sql, params, slots, converters = self._sql(len(ids), key, using)
        bound = list(params)
        for index, which in slots:
            bound[index] = ids[which]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, bound)
            rows = cursor.fetchall()
        return [_converted(row, converters, connection) for row in rows] if converters else rows

    def _sql(self, count: int, key: tuple, using: str) -> tuple[str, list, list[tuple[int, int]], list]:
        cache_key = (using, count, key)
        compiled = self._compiled.get(cache_key)
        if compiled is None:
            compiled = self._compile(count, key, using)
            with self._lock:
                if len(self._compiled) >= _SHAPES_KEPT:
                    self._compiled.pop(next(iter(self._compiled)))
                self._compiled[cache_key] = compiled
        return compiled

    def _compile(self, count: int, key: tuple, using: str) -> tuple[str, list, list[tuple[int, int]], list]:
        first = [_STAND_INS[0] - n for n in range(count)]
        second = [_STAND_INS[1] - n for n in range(count)]
        sql, params, converters = self._as_sql(first, key, using)
        sql_again, params_again, _converters = self._as_sql(second, key, using)
        if sql != sql_again or len(params) != len(params_again):
            raise NotCompilable("the SQL changes with the ids")
        slots = []
        for index, (a, b) in enumerate(zip(params, params_again, strict=True)):
            if a == b:
                continue
            if a not in first or b != second[first.index(a)]:
                raise NotCompilable(f"parameter {index} changes with the ids but is not one")
            slots.append((index, first.index(a)))
        if {which for _index, which in slots} != set(range(count)):
            raise NotCompilable("an id does not reach the SQL")
        return sql, list(params), slots, converters

    def _as_sql(self, ids: list[int], key: tuple, using: str) -> tuple[str, tuple, list]:
        compiler = self.build(*ids, *key).query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        # What results_iter would apply to each row (dates on SQLite, JSON, decimals…).
        converters = compiler.get_converters([column[0] for column in compiler.select[:compiler.col_count]])
        return sql, params, list(converters.items())


def _converted(row: tuple, converters: list, connection) -> tuple:
    values = list(row)
    for position, (functions, expression) in converters:
        value = values[position]
        for function in functions:
            value = function(value, expression, connection)
        values[position] = value
    return tuple(values)
