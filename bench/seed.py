"""Seeding at scale: the households' own bulk demo seeding, then each app's `demo.seed(ctx)`.

Each component is recorded in the `bench_marker` table once done, so a later run reuses the data;
an app whose demo seeder appears later (the apps are built in parallel) is seeded on the next run
without touching the households.
"""

from __future__ import annotations

import importlib
import importlib.util
import random
import re
import sys
import time

from django.db import connection, transaction
from django.utils import timezone

from . import db

DEMO_APPS = ["support", "copil", "litigation", "reports"]


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


def _context():
    """Rebuild the DemoContext of an earlier run from the database (users, organisations, ids)."""
    from faker import Faker

    from accounts.models import Organisation, User
    from households.demo import DemoContext
    from households.models import Household

    fake = Faker("fr_FR")
    fake.seed_instance(2027)
    return DemoContext(
        rng=random.Random(2027), faker=fake, today=timezone.localdate(),
        users={u.username: u for u in User.objects.all()},
        organisations={o.code: o for o in Organisation.objects.all()},
        household_ids=list(Household.objects.order_by("pk").values_list("pk", flat=True)),
        stdout=None)


def ensure_seeded(scale: int, *, log=print) -> dict[str, float]:
    """Seed what is missing at this scale; returns the seconds each component took (new or old)."""
    from households import demo

    done = db.markers()
    timings = {name: seconds for name, (_scale, seconds) in done.items()}
    ctx = None
    if "households" not in done:
        log(f"Seeding {scale} households…")
        started = time.monotonic()
        with transaction.atomic():
            ctx = demo.seed(households=scale, stdout=Progress("households"), seed_value=2026)
            db.mark("households", scale, time.monotonic() - started)
        timings["households"] = time.monotonic() - started
        log(f"  households: {timings['households']:.1f} s")
    for app in DEMO_APPS:
        if app in done or not importlib.util.find_spec(f"{app}.demo"):
            continue
        if ctx is None:
            ctx = _context()
        ctx.stdout = Progress(app)
        log(f"Seeding {app} (demo.seed)…")
        started = time.monotonic()
        try:
            with transaction.atomic():
                importlib.import_module(f"{app}.demo").seed(ctx)
                db.mark(app, scale, time.monotonic() - started)
        except Exception as exc:  # an app still being written must not stop the benchmark
            log(f"  {app}: demo seeding failed ({type(exc).__name__}: {exc}); its pages will be n/a")
            continue
        timings[app] = time.monotonic() - started
        log(f"  {app}: {timings[app]:.1f} s")
    if ctx is not None:
        # Fresh statistics, or the planner guesses on empty tables.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return timings


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
