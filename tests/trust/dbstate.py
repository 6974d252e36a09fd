"""A fingerprint of the case data, to assert that a request changed nothing it should not change.

Every concrete model of the project's apps (accounts, households, support, copil, litigation,
reports) and of the second-factor tables, the django-simple-history tables included, one entry per
table: the number of rows, the highest primary key and a hash of every row. Left out: what any
request may write without changing case data — the read log (AccessLog, a sensitive read is logged
by design), sessions, login throttling, and `last_login` (the test client logs in before each
request).

Raw SQL, one query per table (a few hundred rows in the matrix world): cheap enough to run after
each of the matrix's POSTs.
"""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.db import connection

APPS = ("accounts", "households", "support", "copil", "litigation", "reports", "otp_totp", "otp_static")
NOT_CASE_DATA = {"accounts.accesslog"}
IGNORED_COLUMNS = {"last_login"}


def _tables() -> list[tuple[str, str, list[str]]]:
    tables = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            meta = model._meta
            if meta.proxy or not meta.managed or meta.label_lower in NOT_CASE_DATA:
                continue
            columns = [f.column for f in meta.concrete_fields if f.column not in IGNORED_COLUMNS]
            tables.append((meta.db_table, meta.pk.column, columns))
            for field in meta.local_many_to_many:  # role and territory grants, assignments, members
                through = field.remote_field.through._meta
                if through.auto_created:
                    tables.append((through.db_table, through.pk.column,
                                   [f.column for f in through.concrete_fields]))
    return sorted(set((t, pk, tuple(cols)) for t, pk, cols in tables))


_TABLES: list | None = None


def snapshot() -> dict[str, tuple[int, object, str]]:
    """table -> (rows, highest pk, hash of the rows in pk order)."""
    global _TABLES
    if _TABLES is None:
        _TABLES = _tables()
    quote = connection.ops.quote_name
    state = {}
    with connection.cursor() as cursor:
        for table, pk, columns in _TABLES:
            cursor.execute(f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)} "
                           f"ORDER BY {quote(pk)}")
            rows = cursor.fetchall()
            pk_index = columns.index(pk)
            digest = hashlib.blake2b(repr(rows).encode(), digest_size=12).hexdigest()
            state[table] = (len(rows), rows[-1][pk_index] if rows else None, digest)
    return state


def changed_tables(before: dict, after: dict) -> set[str]:
    return {table for table in before.keys() | after.keys() if before.get(table) != after.get(table)}
