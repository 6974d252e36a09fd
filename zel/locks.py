"""One run at a time for the periodic jobs (zel/schedule.py), whichever worker picks them up.

Celery beat may hand the same job to two workers (two beat processes after a failover, a task
redelivered by `acks_late` while the first is still running, an operator launching it by hand). Each
job takes a PostgreSQL session advisory lock named after it: a second run finds it taken, logs that
it skipped and returns at once. The lock is the database's, so it holds across machines, and it goes
away with the session if the worker dies. It is held across the job's own commits (a session lock,
not a transaction one), which is why a job may commit in batches inside it.

On SQLite (the embedded default, with eager Celery in one process) there is nothing to lock against:
the block just runs.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger("zel.jobs")


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for `name` (pg advisory locks take a bigint)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


@contextmanager
def single_run(name: str, *, using: str = DEFAULT_DB_ALIAS) -> Iterator[bool]:
    """`with single_run("litigation.early_warnings") as acquired: if not acquired: return`.

    Yields True when this run holds the lock (or the database has no advisory locks), False when
    another run holds it."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield True
        return
    key = lock_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        acquired = cursor.fetchone()[0]
    if not acquired:
        logger.info("job %s skipped: another run holds its lock", name)
        yield False
        return
    try:
        yield True
    finally:
        # The session may be gone (worker lost its connection): its locks went with it.
        if connection.connection is not None and connection.is_usable():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
