"""Seeding at scale: the bulk of the rows (households, support, litigation) generated in Python and
sent with COPY (bench.seed_rows, bench.fast_seed), then the other apps' demo builders as they are
(COPIL, appointments, aid, outcomes: bounded whatever the scale).

Once done, `bench_marker` records it, so a later run reuses the data.
"""

from __future__ import annotations

import importlib.util
import os
import random
import re
import sys
import time

from django.db import connection, transaction
from django.utils import timezone

from . import db, fast_seed


class Progress:
    """A stdout-like object for the demo seeders: turns their "N/M" lines into a progress bar."""

    def __init__(self, label: str, stream=sys.stderr):
        self.label, self.stream, self.started = label, stream, time.monotonic()

    def write(self, message: str = "", *args) -> None:
        found = re.search(r"(\d+)\s*/\s*(\d+)", str(message))
        if found and int(found.group(2)):
            done, total = int(found.group(1)), int(found.group(2))
            width = 30
            filled = int(width * done / total)
            rate = done / max(time.monotonic() - self.started, 1e-6)
            self.stream.write(f"\r  {self.label:<12} [{'#' * filled}{'.' * (width - filled)}] "
                              f"{done:>9}/{total} {rate:8.0f}/s")
            if done >= total:
                self.stream.write("\n")
        elif str(message).strip():
            self.stream.write(f"  {self.label:<12} {str(message).strip()}\n")
        self.stream.flush()

    def flush(self) -> None:
        self.stream.flush()


def _context(scale: int):
    """The demo's users and organisations (created once), as the demo builders expect them."""
    from faker import Faker

    from accounts.models import Organisation, User
    from accounts.otp import demo_devices
    from households import demo
    from households.demo import DemoContext

    if not demo.demo_loaded():
        organisations = demo._organisations()
        demo_devices(demo._users(organisations).values())
    fake = Faker("fr_FR")
    fake.seed_instance(2027)
    return DemoContext(
        rng=random.Random(2027), faker=fake, today=timezone.localdate(),
        users={u.username: u for u in User.objects.all()},
        organisations={o.code: o for o in Organisation.objects.all()},
        household_ids=range(1, scale + 1), stdout=None)


# The demo builders the bench makes itself, with COPY (bench.seed_rows); the others run as they are.
FAST = {"households", "support", "litigation"}
CHUNK = 2500


def ensure_seeded(scale: int, *, log=print, workers: int | None = None, drop_indexes: bool | None = None
                  ) -> dict[str, float]:
    """Seed the scale if it is not (bench_marker), in minutes at 10⁶; returns each step's seconds."""
    done = db.markers()
    timings = {name: seconds for name, (_scale, seconds) in done.items()}
    if "households" in done:
        return timings
    big = scale >= 50_000
    workers = workers or (min(2, os.cpu_count() or 1) if big else 1)
    drop_indexes = big if drop_indexes is None else drop_indexes
    started = time.monotonic()
    log(f"Seeding {scale} households with COPY ({workers} process{'es' if workers > 1 else ''})…")
    fast_seed.restore_indexes(log=log)
    fast_seed.truncate()
    ctx = _context(scale)
    if drop_indexes:
        fast_seed.drop_indexes()
    rows = fast_seed.generate(ctx, scale, workers=workers, chunk=CHUNK, progress=Progress("rows"))
    timings["rows"] = time.monotonic() - started
    log(f"  {sum(rows.values())} rows in {timings['rows']:.0f} s")
    if drop_indexes:
        step = time.monotonic()
        fast_seed.restore_indexes(log=log, parallel=workers)
        timings["indexes"] = time.monotonic() - step
        log(f"  indexes rebuilt in {timings['indexes']:.0f} s")
    fast_seed.reset_sequences()
    step = time.monotonic()
    _other_builders(ctx, log)
    timings["builders"] = time.monotonic() - step
    with connection.cursor() as cursor:
        step = time.monotonic()
        cursor.execute("ANALYZE")  # fresh statistics, or the planner guesses on the new tables
        timings["analyze"] = time.monotonic() - step
    timings["households"] = time.monotonic() - started
    for component in sorted(FAST | {"rows", "analyze"}):
        db.mark(component, scale, timings.get(component, timings["households"]))
    log(f"  seeded in {timings['households']:.0f} s")
    return timings


def _other_builders(ctx, log) -> None:
    from accounts.otp import demo_devices_for_the_rest
    from zel import demo as registry

    for name, builder in registry.builders():
        if name in FAST:
            continue
        ctx.stdout = Progress(name)
        step = time.monotonic()
        try:
            with transaction.atomic():
                builder(ctx)
        except Exception as exc:  # an app still being written must not stop the benchmark
            log(f"  {name}: demo builder failed ({type(exc).__name__}: {exc}); its pages may be n/a")
            continue
        log(f"  {name}: {time.monotonic() - step:.1f} s")
    demo_devices_for_the_rest()


def table_counts() -> dict[str, int]:
    """Row counts (planner estimates: exact counts at 10⁶ would take longer than the benchmark)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r' AND relname NOT LIKE '%%historical%%' "
            "AND relname NOT LIKE 'django_%%' AND relname NOT LIKE 'auth_%%' ORDER BY relname")
        return {name: max(int(rows), 0) for name, rows in cursor.fetchall()}


BENCH_WORKER = "bench-ts"
CASELOAD = 60
COPIL_ITEMS = 40


def ensure_extras(scale: int, *, log=print) -> None:
    """What the demo seeders do not make at scale: a worker with a realistic caseload (the demo
    worker follows a quarter of a département) and a COPIL session with 40 dossiers."""
    done = db.markers()
    if "bench_caseload" not in done:
        _caseload()
        db.mark("bench_caseload", scale, 0)
        log(f"  {BENCH_WORKER}: caseload of {CASELOAD} households")
    if "bench_copil" not in done and importlib.util.find_spec("copil.models"):
        try:
            with transaction.atomic():
                _copil_session()
                db.mark("bench_copil", scale, 0)
            log(f"  COPIL session with {COPIL_ITEMS} dossiers")
        except Exception as exc:  # copil still being written: its page will say so
            log(f"  COPIL session not created ({type(exc).__name__}: {exc})")


@transaction.atomic
def _caseload() -> None:
    from accounts.models import Organisation, Role, Territory, User
    from households.demo import DEMO_PASSWORD
    from households.models import Household

    user, _created = User.objects.get_or_create(
        username=BENCH_WORKER, defaults={"first_name": "Intervenante", "last_name": "Banc d'essai",
                                         "organisation": Organisation.objects.get(code="amli"),
                                         "email": "bench@demo.zel.invalid"})
    user.set_password(DEMO_PASSWORD)
    user.save()
    user.roles.set([Role.objects.get(code=Role.Code.SOCIAL_WORKER)])
    user.territories.set([Territory.objects.get(code="57")])
    # Households already followed in 57 (so they have visits and plans), spread over the ids.
    ids = list(Household.objects.filter(territory__code="57", status="supported")
               .order_by("pk").values_list("pk", flat=True))
    step = max(1, len(ids) // CASELOAD)
    through = Household.assigned_workers.through
    through.objects.bulk_create([through(household_id=pk, user_id=user.pk) for pk in ids[::step][:CASELOAD]],
                                ignore_conflicts=True)


def _copil_session() -> None:
    from accounts.models import Territory, User
    from copil.models import AgendaItem, Session, SessionMember
    from households.models import Household

    chair = User.objects.get(username="copil")
    session = Session.objects.create(
        territory=Territory.objects.get(code="57"), held_on=timezone.localdate(), place="Metz (banc d'essai)",
        chair=chair, status=Session.Status.PUBLISHED, created_by=User.objects.get(username="responsable"),
        published_at=timezone.now())
    SessionMember.objects.get_or_create(session=session, user=chair)
    households = list(Household.objects.filter(territory__code="57", status__in=["presented", "diagnosed"])
                      .order_by("pk").values_list("pk", flat=True)[:COPIL_ITEMS])
    AgendaItem.objects.bulk_create([AgendaItem(session=session, household_id=pk, position=i)
                                    for i, pk in enumerate(households)])
