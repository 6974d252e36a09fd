"""Every SQL statement sent, with its connection's alias and its duration, on every connection of
every thread opened after the log starts.

A report computes on several connections at once (zel.lib.shared_snapshot); Django's
CaptureQueriesContext sees the calling thread's connection only and would miss the rest. Used by
the benchmark (what the report costs) and by the replica test (where each statement ran).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.db.backends.signals import connection_created


@dataclass(frozen=True)
class Statement:
    alias: str
    sql: str
    seconds: float

    @property
    def is_select(self) -> bool:
        return self.sql.lstrip().upper().startswith(("SELECT", "WITH"))


class StatementLog:
    def __init__(self):
        self.connections = 0
        self._sent: list[Statement] = []
        self._lock = threading.Lock()
        connection_created.connect(self._wrap, weak=False)

    def stop(self) -> None:
        connection_created.disconnect(self._wrap)

    def take(self) -> list[Statement]:
        """What was sent since the last take, and forget it."""
        with self._lock:
            taken, self._sent = self._sent, []
        return taken

    def _wrap(self, sender, connection, **kwargs):
        def timed(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                with self._lock:
                    self._sent.append(Statement(connection.alias, sql, time.perf_counter() - started))
        with self._lock:
            self.connections += 1
        connection.execute_wrappers.append(timed)
