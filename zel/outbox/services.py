"""Writes of the outbox: record a task in the caller's transaction, hand it to Celery after the
commit, sweep whatever is still waiting (a broker that was down, a process that died in between).

Delivery is at least once: a task may run twice (a sweep after a send whose bookkeeping was lost), so
every task sent through here must be idempotent (reports and minutes are; a repeated agenda mail is
the accepted cost)."""

from __future__ import annotations

import importlib
import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger("zel.outbox")

# The sweep leaves a fresh message alone this long: the commit's own dispatch is on its way.
COMMIT_GRACE = timedelta(seconds=60)
# A message the sweep took is not taken again before this (another beat tick, another worker).
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 50  # about four days with the backoff below, then given up (logged as an error)


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 30 * 2 ** min(attempts, 10)))


def enqueue(task: str, *args) -> OutboxMessage:
    """Record `task(*args)` in the current transaction; it is sent to Celery once that commits (a
    rollback sends nothing). Call it inside the service's atomic block."""
    message = OutboxMessage.objects.create(task=task, args=list(args),
                                           available_at=timezone.now() + COMMIT_GRACE)
    transaction.on_commit(lambda: dispatch(message_id=message.pk))
    return message


def _resolve(dotted: str):
    module, _dot, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def dispatch(*, message_id: int) -> bool:
    """Hand one message to Celery (or run it, in eager mode). Never raises: a failure (broker down) is
    recorded and the sweep tries again later. True when it was sent."""
    message = OutboxMessage.objects.filter(pk=message_id, dispatched_at__isnull=True,
                                           failed_at__isnull=True).first()
    if message is None:
        return False
    try:
        # No publish retries here: the user's request must not wait for a dead broker; the sweep retries.
        _resolve(message.task).apply_async(args=message.args, retry=False)
    except Exception as exc:  # noqa: BLE001 - any failure to hand over is retried by the sweep
        attempts = message.attempts + 1
        now = timezone.now()
        final = attempts >= MAX_ATTEMPTS
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=attempts, last_error=f"{type(exc).__name__}: {str(exc)[:250]}",
            available_at=now + _backoff(attempts), failed_at=now if final else None)
        log = logger.error if final else logger.warning
        log("outbox: %s (message %s) not sent, attempt %s%s: %s", message.task, message.pk, attempts,
            " — given up" if final else "", type(exc).__name__)
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(dispatched_at=timezone.now(), attempts=F("attempts") + 1,
                                                       last_error="")
    return True


def dispatch_pending(*, limit: int = 200) -> int:
    """The periodic sweep: send every message whose time has come. Rows are leased first (skip
    locked), so two sweeps never take the same message. Returns the number sent."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(OutboxMessage.objects.select_for_update(skip_locked=True)
                   .filter(dispatched_at__isnull=True, failed_at__isnull=True, available_at__lte=now)
                   .order_by("available_at").values_list("pk", flat=True)[:limit])
        OutboxMessage.objects.filter(pk__in=ids).update(available_at=now + LEASE)
    return sum(dispatch(message_id=pk) for pk in ids)


def pending_count() -> int:
    return OutboxMessage.objects.filter(dispatched_at__isnull=True, failed_at__isnull=True).count()
