"""Read replica for report computations (docs/scaling.md).

Configured only when DATABASE_REPLICA_URL is set. Reads go to the replica only inside
`reading_from_replica()` (a report, an export, a statistics job): a page that has just written must
read its own writes, and replication lag is acceptable for quarterly figures, not for a case file.
Writes and migrations always go to the primary.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

REPLICA = "replica"
_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("zel_use_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def reading_from_replica() -> Iterator[str]:
    """Route the reads of the enclosed block to the replica (the primary if none is configured).
    Yields the alias used, for code that opens cursors itself (`connections[alias]`)."""
    token = _use_replica.set(True)
    try:
        yield REPLICA if replica_configured() else "default"
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _use_replica.get() and replica_configured():
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Same data on both: objects read from the replica may be linked to primary ones.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
