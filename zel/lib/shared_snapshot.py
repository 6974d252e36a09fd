"""Read-only work spread over several PostgreSQL connections that all see one snapshot.

A report is some seventy independent grouped statements. PostgreSQL runs each of them on one core
(their materialised CTEs keep the planner from parallel plans), so one connection leaves the other
cores idle. `run_in_snapshot` hands the tasks to `workers` threads, each with its own connection,
and every connection imports the snapshot that a leading transaction exported
(`pg_export_snapshot`, as `pg_dump --jobs` does): the figures of one report all describe the same
instant, which one connection in autocommit did not even promise (each statement had its own).

It runs the tasks in order on the caller's connection instead when sharing is impossible: SQLite,
no worker (`workers=0`), or a connection inside a transaction (its uncommitted rows, a test's for one, are
invisible to any other connection). Tasks must only read: the transactions are READ ONLY.

`work_mem`, where given, is the memory each sort or hash of these transactions may use before it
spills to disk (`set_config(..., is_local)`: these transactions only, never the application's
other connections).
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.db import connections, transaction

T = TypeVar("T")

_READ_ONLY_SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"


def can_share(alias: str) -> bool:
    """Whether other connections would see what the caller's connection sees."""
    aliases = {alias, "default"}
    return all(connections[a].vendor == "postgresql" and not connections[a].in_atomic_block for a in aliases)


def run_in_snapshot(tasks: Sequence[Callable[[], T]], *, alias: str, workers: int,
                    work_mem: str = "") -> list[T]:
    """Each task's result, in the tasks' order. Tasks are started in that order: put the longest
    first so that no long task starts last while the other connections have nothing left to do.
    The first exception of a task is raised here once every thread has stopped."""
    workers = min(workers, len(tasks))
    if workers < 1 or not can_share(alias):
        return [task() for task in tasks]
    pending: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in range(len(tasks)):
        pending.put(index)
    results: list = [None] * len(tasks)
    errors: list[BaseException] = []
    with transaction.atomic(using=alias):
        with connections[alias].cursor() as cursor:
            cursor.execute(_READ_ONLY_SNAPSHOT)
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        # Each thread gets its own copy of the caller's context variables (the replica routing, the
        # dashboard's drill-down flag): one context cannot be entered by two threads at once.
        threads = [threading.Thread(target=_work, name=f"zel-snapshot-{n}", daemon=True,
                                    args=(contextvars.copy_context(), alias, snapshot, work_mem, tasks, pending,
                                          results, errors))
                   for n in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    if errors:
        raise errors[0]
    return results


def _work(context: contextvars.Context, alias: str, snapshot: str, work_mem: str, tasks: Sequence[Callable],
          pending: queue.SimpleQueue, results: list, errors: list[BaseException]) -> None:
    try:
        with transaction.atomic(using=alias):
            with connections[alias].cursor() as cursor:
                cursor.execute(_READ_ONLY_SNAPSHOT)
                cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
                if work_mem:
                    cursor.execute("SELECT set_config('work_mem', %s, true)", [work_mem])
            while not errors:
                try:
                    index = pending.get_nowait()
                except queue.Empty:
                    return
                results[index] = context.run(tasks[index])
    except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread, which raises it
        errors.append(exc)
    finally:
        # This thread's connections die with it: nothing else would ever close them.
        connections.close_all()
