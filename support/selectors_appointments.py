"""Reads of appointments (issue 15): the week view, today's panel, the figures. Fixed query counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from accounts.models import User
from zel.lib.formats import format_percent

from . import access
from .models import Appointment, Reminder

OUTCOMES = (Appointment.Status.HONOURED, Appointment.Status.EXCUSED, Appointment.Status.NO_SHOW,
            Appointment.Status.CANCELLED)


def _day_bounds(day: date, days: int = 1) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=days), time.min))


def _with_people(qs: QuerySet[Appointment]) -> QuerySet[Appointment]:
    return qs.select_related("household").prefetch_related(
        Prefetch("workers", queryset=User.objects.only("pk", "first_name", "last_name").order_by("pk")))


def week_of(user, monday: date) -> list[tuple[date, list[Appointment]]]:
    """The user's appointments of the week starting `monday`, day by day (3 queries: the
    appointments, their workers, and none per row)."""
    start, end = _day_bounds(monday, 7)
    rows = list(_with_people(access.calendar_appointments(user).filter(starts_at__gte=start, starts_at__lt=end))
                .order_by("starts_at"))
    days = [monday + timedelta(days=i) for i in range(7)]
    return [(day, [a for a in rows if timezone.localtime(a.starts_at).date() == day]) for day in days]


def today_for(user, *, today: date | None = None) -> list[Appointment]:
    """The dashboard's panel: time, household, place and status; one query (the workers, which the
    panel does not show, would add one whenever there is an appointment)."""
    start, end = _day_bounds(today or timezone.localdate())
    return list(access.calendar_appointments(user).filter(starts_at__gte=start, starts_at__lt=end)
                .select_related("household").exclude(status=Appointment.Status.CANCELLED).order_by("starts_at"))


def appointments_of(user, household) -> list[Appointment]:
    return list(_with_people(access.visible_appointments(user).filter(household=household)).order_by("-starts_at")[:50])


def feed_appointments(user, *, now: datetime | None = None) -> list[Appointment]:
    now = now or timezone.now()
    return list(access.calendar_appointments(user).select_related("household")
                .filter(starts_at__gte=now - timedelta(days=31), starts_at__lte=now + timedelta(days=366))
                .order_by("starts_at"))


def failed_reminders_for(user) -> list[Reminder]:
    """Messages that could not be sent, for the worker's attention (never silently dropped)."""
    return list(Reminder.objects.filter(status=Reminder.Status.FAILED,
                                        appointment__in=access.calendar_appointments(user),
                                        appointment__starts_at__gte=timezone.now() - timedelta(days=7))
                .select_related("appointment__household").order_by("-due_at")[:20])


@dataclass
class WorkerRates:
    worker: str
    total: int
    honoured: int
    no_show: int
    cancelled: int
    excused: int

    def rate(self, n: int) -> str:
        return format_percent(Decimal(n) / Decimal(self.total) if self.total else None)

    @property
    def honoured_pct(self) -> str:
        return self.rate(self.honoured)

    @property
    def no_show_pct(self) -> str:
        return self.rate(self.no_show)

    @property
    def cancelled_pct(self) -> str:
        return self.rate(self.cancelled)


def rates_per_worker(user, *, start: date, end: date) -> list[WorkerRates]:
    """Appointments of the period that have an outcome, per worker, in the user's scope (one query)."""
    lo, _ = _day_bounds(start)
    _, hi = _day_bounds(end)
    rows = (access.visible_appointments(user).filter(starts_at__gte=lo, starts_at__lt=hi, status__in=OUTCOMES)
            .order_by().values("workers__pk", "workers__first_name", "workers__last_name", "status")
            .annotate(n=Count("pk", distinct=True)))
    by_worker: dict[int, WorkerRates] = {}
    for row in rows:
        if row["workers__pk"] is None:
            continue
        entry = by_worker.setdefault(row["workers__pk"], WorkerRates(
            f"{row['workers__first_name']} {row['workers__last_name']}".strip(), 0, 0, 0, 0, 0))
        entry.total += row["n"]
        setattr(entry, row["status"], getattr(entry, row["status"]) + row["n"])
    return sorted(by_worker.values(), key=lambda r: r.worker)
