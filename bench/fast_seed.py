"""The COPY seeding's database side: chunks of households generated (bench.seed_rows) by one or more
processes, each with its own connection; secondary indexes dropped before and rebuilt after.

The dropped indexes' definitions are kept in a table (bench_dropped_index) before they are dropped,
so a seeding that dies half-way leaves nothing lost: the next run rebuilds them first.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, connections, transaction

from . import seed_rows

_WORLD: seed_rows.World | None = None
_CONN = None

DROPPED_DDL = "CREATE TABLE IF NOT EXISTS bench_dropped_index (name text PRIMARY KEY, definition text NOT NULL)"


def filled_tables() -> list[str]:
    return [table.name for table in seed_rows.tables().values()]


def truncate() -> None:
    """A seeding that died half-way left rows: start again from empty households."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM households_household)")
        if cursor.fetchone()[0]:
            cursor.execute("TRUNCATE households_household, " + ", ".join(filled_tables()) + " CASCADE")


def drop_indexes() -> None:
    """Drop the secondary indexes of the filled tables (not those behind a primary key or unique
    constraint): COPY into unindexed tables, then one sort per index, is many times faster."""
    with connection.cursor() as cursor:
        cursor.execute(DROPPED_DDL)
        cursor.execute(
            "SELECT ci.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class ci ON ci.oid = i.indexrelid "
            "JOIN pg_namespace n ON n.oid = t.relnamespace "
            "WHERE n.nspname = current_schema() AND t.relname = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [filled_tables()])
        indexes = cursor.fetchall()
        for name, definition in indexes:
            cursor.execute("INSERT INTO bench_dropped_index VALUES (%s, %s) ON CONFLICT DO NOTHING",
                           [name, definition])
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')


def restore_indexes(*, log=print, parallel: int = 1) -> None:
    with connection.cursor() as cursor:
        cursor.execute(DROPPED_DDL)
        cursor.execute("SELECT name, definition FROM bench_dropped_index ORDER BY name")
        indexes = cursor.fetchall()
    if not indexes:
        return
    conninfo = _conninfo()

    def build(item):
        import psycopg

        name, definition = item
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '512MB'")
            conn.execute("SET max_parallel_maintenance_workers = 0")
            conn.execute(definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
                         .replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", 1))
            conn.execute("DELETE FROM bench_dropped_index WHERE name = %s", [name])

    # The largest tables first, so that the two connections finish together.
    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        list(pool.map(build, sorted(indexes, key=lambda item: _weight(item[1]), reverse=True)))
    log(f"  {len(indexes)} indexes built")


def _weight(definition: str) -> int:
    for weight, table in enumerate(["litigation_proceduredeadline", "support_intervention",
                                    "litigation_rentaccountline", "households_household"], start=1):
        if f" {table} " in definition or f".{table} " in definition:
            return weight
    return 0


def reset_sequences() -> None:
    with connection.cursor() as cursor:
        for table in filled_tables():
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)")


def _conninfo() -> str:
    from psycopg.conninfo import make_conninfo

    s = connection.settings_dict
    return make_conninfo(dbname=s["NAME"], user=s["USER"] or None, password=s["PASSWORD"] or None,
                         host=s["HOST"] or None, port=s["PORT"] or None)


def world(ctx) -> seed_rows.World:
    from accounts.models import Territory

    seed_rows.load_choices()
    return seed_rows.build_world(
        ctx.today, users={name: user.pk for name, user in ctx.users.items()},
        organisations={code: org.pk for code, org in ctx.organisations.items()},
        territories=dict(Territory.objects.values_list("code", "pk")))


def chunk_rows(number: int, first: int, count: int, cursor) -> dict[str, int]:
    out = seed_rows.tables()
    seed_rows.Chunk(_WORLD, out, number, first, count).run()
    return {table.name: table.copy_to(cursor) for table in out.values()}


def _worker_init(conninfo: str) -> None:
    import psycopg

    global _CONN
    _CONN = psycopg.connect(conninfo)
    # Foreign keys are checked by the seeding's own test (tests/bench), not row by row here.
    _CONN.execute("SET session_replication_role = replica")
    _CONN.execute("SET synchronous_commit = off")


def _worker_chunk(spec) -> tuple[int, dict[str, int]]:
    number, first, count = spec
    with _CONN.cursor() as cursor:
        rows = chunk_rows(number, first, count, cursor)
    _CONN.commit()
    return count, rows


def generate(ctx, scale: int, *, workers: int, chunk: int, progress=None) -> dict[str, int]:
    """Every chunk of households, by `workers` processes (forked: they inherit the world)."""
    global _WORLD
    _WORLD = world(ctx)
    specs = [(n, first, min(chunk, scale - first)) for n, first in enumerate(range(0, scale, chunk))]
    totals: dict[str, int] = {}
    done = 0

    def account(count, rows):
        nonlocal done
        done += count
        for name, n in rows.items():
            totals[name] = totals.get(name, 0) + n
        if progress:
            progress.write(f"{done}/{scale} ménages, {sum(totals.values())} lignes")

    if workers <= 1:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            raw = cursor.cursor
            for number, first, count in specs:
                account(count, chunk_rows(number, first, count, raw))
        return totals
    conninfo = _conninfo()
    connections.close_all()  # the children must not share the parent's connection
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_init, initargs=(conninfo,))
    try:
        for count, rows in pool.imap_unordered(_worker_chunk, specs):
            account(count, rows)
    finally:
        pool.close()
        pool.join()
    return totals
