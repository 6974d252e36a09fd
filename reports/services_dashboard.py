"""Writes of the live dashboard: its figures are computed by a Celery task and kept per manager and
scope (`DashboardSnapshot`), so that no request waits for the tens of seconds a programme-wide
computation takes. A page shows the latest figures with their time; figures older than
`ZEL_DASHBOARD_MAX_AGE_MINUTES` are shown while a new computation runs (stale while revalidating)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from zel.access import require
from zel.db_router import reading_from_replica
from zel.outbox import services as outbox

from . import access, dashboard
from .models import DashboardSnapshot

logger = logging.getLogger(__name__)

# A computation queued this long ago without a result is taken as lost (a worker that died).
LOST_AFTER = timedelta(minutes=10)
KEPT_FOR = timedelta(days=7)


def _max_age() -> timedelta:
    return timedelta(minutes=settings.ZEL_DASHBOARD_MAX_AGE_MINUTES)


def _scope_fields(scope: dashboard.Scope) -> dict:
    return {"start": scope.start, "end": scope.end, "territory_codes": sorted(scope.territory_codes)}


def _snapshot_row(user: User, scope: dashboard.Scope) -> DashboardSnapshot:
    fields = _scope_fields(scope)
    try:
        with transaction.atomic():
            snapshot, _created = DashboardSnapshot.objects.get_or_create(user=user, **fields)
    except IntegrityError:  # two tabs at once: the other one created it
        snapshot = DashboardSnapshot.objects.get(user=user, **fields)
    return snapshot


def dashboard_snapshot(*, user: User, scope: dashboard.Scope) -> DashboardSnapshot:
    """The manager's figures for this scope, queuing a computation when there are none or they are
    older than the maximum age (at most one queued per scope)."""
    require(access.can_use_dashboard(user))
    snapshot = _snapshot_row(user, scope)
    now = timezone.now()
    with transaction.atomic():
        locked = DashboardSnapshot.objects.select_for_update().get(pk=snapshot.pk)
        fresh = locked.computed_at is not None and locked.computed_at > now - _max_age()
        queued = locked.queued_at is not None and locked.queued_at > now - LOST_AFTER
        if not fresh and not queued:
            locked.queued_at = now
            locked.save(update_fields=["queued_at"])
            outbox.enqueue("reports.tasks.compute_dashboard", locked.pk)
    snapshot.refresh_from_db()  # in eager mode (no broker) the computation ran at the commit
    return snapshot


def dashboard_compute(*, snapshot_id: int) -> None:
    """The task's work: the figures under the manager's rights of now (a manager who lost the role
    gets nothing computed)."""
    snapshot = DashboardSnapshot.objects.select_related("user").filter(pk=snapshot_id).first()
    if snapshot is None:
        return
    if not access.can_use_dashboard(snapshot.user):
        DashboardSnapshot.objects.filter(pk=snapshot.pk).delete()
        return
    scope = dashboard.Scope(snapshot.start, snapshot.end, list(snapshot.territory_codes))
    try:
        # On the replica when there is one: minutes-old figures already, and the heaviest reads of the
        # application (the manager's rights were checked on the primary just above).
        with reading_from_replica():
            figures = dashboard.live_figures(snapshot.user, scope)
    except Exception as exc:  # shown on the page; the next visit queues another computation
        # The error's type only: a database error's text can quote a household's values.
        logger.error("dashboard snapshot %s failed: %s", snapshot.pk, type(exc).__name__)
        DashboardSnapshot.objects.filter(pk=snapshot.pk).update(queued_at=None, error=type(exc).__name__[:300])
        return
    now = timezone.now()
    DashboardSnapshot.objects.filter(pk=snapshot.pk).update(figures=figures, computed_at=now,
                                                            queued_at=None, error="")
    # Scopes nobody looked at for a week: their rows go (a new visit computes them again).
    DashboardSnapshot.objects.filter(computed_at__lt=now - KEPT_FOR).delete()
