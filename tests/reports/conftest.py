"""The reports' hand-built programme: twelve households whose figures for 2025Q4 are worked out by hand
in test_indicators.py (and at the quarter's boundaries: 30/09, 01/10, 31/12, 01/01)."""

import os
import shutil
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings

from copil.models import Decision, Lever, Session
from households.models import Household
from litigation.models import Procedure
from reports.models import Budget
from tests.infra.brokers import forget_connections

from . import factories as f

D = date
Q4_MONTHS = [D(2025, 10, 1), D(2025, 11, 1), D(2025, 12, 1)]


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "private")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def programme(personas, orgs, media_root):
    """H1…H12 (see the comments); 57 unless said otherwise."""
    amli, bat, author = orgs.amli, orgs.landlord_x, personas.worker
    h = SimpleNamespace()
    Budget.objects.create(year=2020, fnavdl_amount=Decimal("100000"), own_funds_amount=Decimal("226400"))

    # H1: entered 10/03/2025 after the commandement (01/02); procedure closed 31/12/2025 debt cleared
    #     -> eviction avoided in Q4 (last day). Debt 400 at entry, paid back in December: up to date.
    h.h1 = f.household("Aubertin Gaston", organisation=amli)
    l1 = f.lease(h.h1, bat)
    f.episode(h.h1, D(2025, 3, 10))
    f.procedure(h.h1, l1, [("commandement_de_payer", D(2025, 2, 1)), ("assignation", D(2025, 4, 1))],
                closed=D(2025, 12, 31), outcome="dette_soldee")
    f.rent_lines(l1, [(D(2025, 2, 1), "500", "100", "0"), (Q4_MONTHS[0], "500", "100", "400"),
                      (Q4_MONTHS[1], "500", "100", "400"), (Q4_MONTHS[2], "500", "100", "800")])
    f.referral(h.h1, orgs.ddets, D(2025, 2, 15))
    f.visit(h.h1, author, D(2025, 10, 1), 60)
    f.visit(h.h1, author, D(2025, 12, 31), 15, mode="phone")

    # H2: the commandement came AFTER entry -> not an eviction avoided. Late November paid in
    #     December: up to date (the quarter's total is paid).
    h.h2 = f.household("Bellamy Honorine", organisation=amli)
    l2 = f.lease(h.h2, bat)
    f.episode(h.h2, D(2025, 5, 1))
    f.procedure(h.h2, l2, [("commandement_de_payer", D(2025, 6, 1))], closed=D(2025, 11, 15), outcome="dette_soldee")
    f.rent_lines(l2, [(Q4_MONTHS[0], "500", "100", "400"), (Q4_MONTHS[1], "500", "100", "300"),
                      (Q4_MONTHS[2], "500", "100", "500")])
    f.visit(h.h2, author, D(2025, 11, 10), 90)
    f.visit(h.h2, author, D(2025, 11, 20), 45, mode="office", no_show=True)

    # H3: procedure closed 01/01/2026 (landlord withdrew) -> avoided in 2026Q1, not Q4.
    #     November part-paid and December unpaid: not up to date, 500 € of debt at quarter end.
    h.h3 = f.household("Carbonnel Ursule", organisation=amli)
    l3 = f.lease(h.h3, bat)
    f.episode(h.h3, D(2025, 1, 15))
    f.procedure(h.h3, l3, [("commandement_de_payer", D(2024, 12, 1))], closed=D(2026, 1, 1), outcome="desistement")
    f.rent_lines(l3, [(Q4_MONTHS[0], "500", "100", "400"), (Q4_MONTHS[1], "500", "100", "300"),
                      (Q4_MONTHS[2], "500", "100", "0")])
    f.visit(h.h3, author, D(2026, 1, 1), 45)
    f.visit(h.h3, author, D(2025, 9, 30), 120, mode="accompaniment")

    # H4: evicted on 20/11/2025; support closed that day (exit: evicted).
    h.h4 = f.household("Dufresne Anselme", organisation=amli)
    l4 = f.lease(h.h4, bat)
    f.episode(h.h4, D(2025, 2, 1), D(2025, 11, 20), "evicted")
    f.procedure(h.h4, l4, [("assignation", D(2025, 1, 10)), ("expulsion_realisee", D(2025, 11, 20))],
                closed=D(2025, 11, 20), outcome="expulsion")

    # H5: support ended 01/10/2025 (first day of Q4) with the procedure still open and its plan kept
    #     (3 × 50 € due by then, 4 × 50 € paid over the rent) -> eviction avoided in Q4. 487 days of support.
    h.h5 = f.household("Escoffier Mathurin", organisation=amli)
    l5 = f.lease(h.h5, bat)
    f.episode(h.h5, D(2024, 6, 1), D(2025, 10, 1), "stable_tenant")
    p5 = f.procedure(h.h5, l5, [("commandement_de_payer", D(2024, 5, 1))])
    f.plan(l5, p5, [(D(2025, 7, 5), "50"), (D(2025, 8, 5), "50"), (D(2025, 9, 5), "50"), (D(2025, 10, 5), "50")])
    f.rent_lines(l5, [(D(2025, m, 1), "500", "100", "450") for m in (7, 8, 9, 10)])
    f.visit(h.h5, author, D(2025, 10, 1), 30)

    # H6: exit 30/09/2025 (Q3), plan NOT kept -> neither a Q4 exit nor an eviction avoided.
    h.h6 = f.household("Fontanel Philibert", organisation=amli)
    l6 = f.lease(h.h6, bat)
    f.episode(h.h6, D(2025, 4, 1), D(2025, 9, 30), "rehoused")
    p6 = f.procedure(h.h6, l6, [("commandement_de_payer", D(2025, 3, 1))])
    f.plan(l6, p6, [(D(2025, 7, 5), "100")])

    # H7 (access): referred 31/12, diagnosed 05/11, admitted 15/12 with two levers (300 € FSL + a
    #     Visale guarantee), entered 31/12/2025 into a PLAI T2 at a 20 % effort rate. One child.
    h.h7 = f.household("Guillot Zéphirine", track="acces", organisation=amli)
    f.lease(h.h7, bat, typology="T2", financing="PLAI", rent=Decimal("400"), service_charges=Decimal("50"),
            housing_benefit=Decimal("250"), signed_on=D(2025, 12, 20))
    from households.models import HouseholdMember
    HouseholdMember.objects.create(household=h.h7, relation="child", first_name="Ondine", birth_year=2018)
    f.episode(h.h7, D(2025, 12, 31))
    f.referral(h.h7, orgs.ddets, D(2025, 12, 31))
    f.diagnosis(h.h7, D(2025, 11, 5))
    f.visit(h.h7, author, D(2025, 12, 31), 60, mode="office")

    # H8 (access): referred 01/01/2026 (next quarter), diagnosed 31/12, adjourned 01/10, entered 01/10/2025
    #     into a PLUS T3 at a 40 % effort rate.
    h.h8 = f.household("Hautecoeur Séraphin", track="acces", organisation=amli, resources=Decimal("1200"))
    f.lease(h.h8, bat, typology="T3", financing="PLUS", rent=Decimal("500"), service_charges=Decimal("80"),
            housing_benefit=Decimal("100"), signed_on=D(2025, 9, 15))
    f.episode(h.h8, D(2025, 10, 1))
    f.referral(h.h8, orgs.ddets, D(2026, 1, 1))
    f.diagnosis(h.h8, D(2025, 12, 31))
    f.visit(h.h8, author, D(2025, 10, 2), 60)

    # H9 (54): rent paid but the November installment not covered -> not up to date.
    h.h9 = f.household("Isambert Clothilde", dep="54", organisation=amli)
    l9 = f.lease(h.h9, bat)
    f.episode(h.h9, D(2025, 7, 1))
    p9 = f.procedure(h.h9, l9, [("commandement_de_payer", D(2025, 6, 1))])
    f.plan(l9, p9, [(D(2025, 11, 5), "100")])
    f.rent_lines(l9, [(m, "500", "100", "400") for m in Q4_MONTHS])
    f.visit(h.h9, author, D(2025, 12, 1), 30, mode="video")

    # H10 (54): rent paid and the November installment paid on top -> up to date. A planned visit
    #     (not done) does not count.
    h.h10 = f.household("Jourdain Eulalie", dep="54", organisation=amli)
    l10 = f.lease(h.h10, bat)
    f.episode(h.h10, D(2025, 9, 1))
    p10 = f.procedure(h.h10, l10, [("impaye_constitue", D(2025, 8, 1))])
    f.plan(l10, p10, [(D(2025, 11, 5), "100")])
    f.rent_lines(l10, [(Q4_MONTHS[0], "500", "100", "400"), (Q4_MONTHS[1], "500", "100", "500"),
                       (Q4_MONTHS[2], "500", "100", "400")])
    f.visit(h.h10, author, D(2025, 12, 20), 60, planned=True)

    # H11 (54, access): referred, diagnosed and refused in Q4; never supported.
    h.h11 = f.household("Kervella Anatole", dep="54", track="acces", organisation=amli)
    f.referral(h.h11, orgs.caf, D(2025, 10, 15))
    f.diagnosis(h.h11, D(2025, 10, 20))

    # H12: referred 01/11; first adjourned then, by a correction, admitted with rent aid (150 €);
    #      the superseded decision's lever (999 €) must not count. Entered 01/01/2026 (next quarter).
    h.h12 = f.household("Lachaume Prosper", organisation=amli)
    f.referral(h.h12, orgs.ddets, D(2025, 11, 1))
    f.episode(h.h12, D(2026, 1, 1))

    chair = personas.copil_a
    s57 = Session.objects.create(territory=h.h7.territory, held_on=D(2025, 12, 15), chair=chair)
    s57_oct = Session.objects.create(territory=h.h7.territory, held_on=D(2025, 10, 1), chair=chair)
    s54 = Session.objects.create(territory=h.h9.territory, held_on=D(2025, 11, 10), chair=chair)
    f.decision(s57, h.h7, Decision.Outcome.ADMITTED, chair, levers=[(Lever.FSL_ACCESS, "300"), (Lever.VISALE, None)])
    f.decision(s57_oct, h.h8, Decision.Outcome.ADJOURNED, chair)
    f.decision(s54, h.h11, Decision.Outcome.REFUSED, chair)
    first = f.decision(s57, h.h12, Decision.Outcome.ADJOURNED, chair, levers=[(Lever.FSL_MAINTENANCE, "999")])
    f.decision(s57, h.h12, Decision.Outcome.ADMITTED, chair, levers=[(Lever.RENT_AID, "150")], corrects=first)
    h.all = [h.h1, h.h2, h.h3, h.h4, h.h5, h.h6, h.h7, h.h8, h.h9, h.h10, h.h11, h.h12]
    return h


# ---------------------------------------------------------------------------------------------
# Issue 16: nine households for the FNAVDL figures (quarter 2025Q4: 01/10/2025–31/12/2025)
# ---------------------------------------------------------------------------------------------

def _set(h, **fields):
    Household.objects.filter(pk=h.pk).update(**fields)


@pytest.fixture
def fnavdl(personas, orgs):
    amli, bat, author, chair = orgs.amli, orgs.landlord_x, personas.worker, personas.copil_a
    h = SimpleNamespace()
    s57 = Session.objects.create(territory=f.territory("57"), held_on=D(2025, 10, 1), chair=chair)
    s57_sep = Session.objects.create(territory=f.territory("57"), held_on=D(2025, 9, 25), chair=chair)
    s54 = Session.objects.create(territory=f.territory("54"), held_on=D(2025, 10, 20), chair=chair)

    # A (57): supported since 01/06/2025 (at the start of Q4). DALO + domestic violence, woman born
    #   31/12/2001: 24 on 31/12/2025 (her birthday) -> under 25. Tenant at entry.
    h.a = f.household("Arnaud Alice", organisation=amli)
    _set(h.a, target_publics=["dalo", "violences_conjugales"], sex="F", birth_date=D(2001, 12, 31),
         birth_year=2001, housing_at_entry="locataire")
    f.episode(h.a, D(2025, 6, 1))

    # B (57, access): entered 15/10. DALO, man born 01/01/2000: 25 -> 25–34. Hotel at entry.
    #   Referred 01/09, diagnosed 21/09 (20 days), adjourned 25/09 (not an admission) then admitted
    #   01/10 (10 days), first home visit done 20/10 (19 days): the planned one (02/10), the missed one
    #   (05/10) and the office meeting (03/10) are not visits done at home.
    h.b = f.household("Bernard Basile", track="acces", organisation=amli)
    _set(h.b, target_publics=["dalo"], sex="M", birth_date=D(2000, 1, 1), birth_year=2000, housing_at_entry="hotel")
    f.episode(h.b, D(2025, 10, 15))
    f.referral(h.b, orgs.ddets, D(2025, 9, 1))
    f.diagnosis(h.b, D(2025, 9, 21))
    f.decision(s57_sep, h.b, Decision.Outcome.ADJOURNED, chair)
    f.decision(s57, h.b, Decision.Outcome.ADMITTED, chair)
    f.visit(h.b, author, D(2025, 10, 2), 60, planned=True)
    f.visit(h.b, author, D(2025, 10, 3), 60, mode="office")
    f.visit(h.b, author, D(2025, 10, 5), 60, no_show=True)
    f.visit(h.b, author, D(2025, 10, 20), 60)

    # C (54, access): entered 01/11, leaving ASE, born 1960 (year only): 65 -> 65 and over; sex not
    #   given. Street at entry. Referred 01/10, diagnosed 05/10 (4), admitted 20/10 (15), visited
    #   10/11 (21). Commandement 01/09 before entry, assignation 15/11 after: commandement at entry.
    #   Left 20/12 as a tenant (access track: rehoused).
    h.c = f.household("Chevalier Côme", dep="54", track="acces", organisation=amli)
    _set(h.c, target_publics=["sortie_ase"], birth_year=1960, housing_at_entry="rue")
    lc = f.lease(h.c, bat)
    f.procedure(h.c, lc, [("commandement_de_payer", D(2025, 9, 1)), ("assignation", D(2025, 11, 15))])
    ep = f.episode(h.c, D(2025, 11, 1), D(2025, 12, 20), "rehoused")
    ep.housing_at_exit = "locataire"
    ep.save()
    f.referral(h.c, orgs.caf, D(2025, 10, 1))
    f.diagnosis(h.c, D(2025, 10, 5))
    f.decision(s54, h.c, Decision.Outcome.ADMITTED, chair)
    f.visit(h.c, author, D(2025, 11, 10), 45)

    # D (57, access): supported 01/02–30/11/2025, left for a shelter (not rehoused). Born 15/06/1990: 35.
    h.d = f.household("Delorme Daphné", track="acces", organisation=amli)
    _set(h.d, birth_date=D(1990, 6, 15), birth_year=1990)
    ep = f.episode(h.d, D(2025, 2, 1), D(2025, 11, 30), "other")
    ep.housing_at_exit = "hebergement"
    ep.save()

    # I (54): entered 01/12, born 1975 (50), nothing else given. Its judged procedure closed before
    #   entry; a procedure opened 01/11 with no step yet: pre-litigation at entry. Referred 20/11 but
    #   diagnosed 10/11, out of order: no referral -> diagnosis delay.
    h.i = f.household("Isnard Ignace", dep="54", organisation=amli)
    _set(h.i, birth_year=1975)
    li = f.lease(h.i, bat)
    f.procedure(h.i, li, [("commandement_de_payer", D(2024, 1, 10)), ("jugement", D(2024, 6, 1))],
                closed=D(2024, 9, 1), outcome="dette_soldee")
    Procedure.objects.create(lease=li, household=h.i, landlord=bat, territory=h.i.territory,
                             opened_on=D(2025, 11, 1), stage="precontentieux")
    f.episode(h.i, D(2025, 12, 1))
    f.referral(h.i, orgs.ddets, D(2025, 11, 20))
    f.diagnosis(h.i, D(2025, 11, 10))

    # After exit, 6 months: support ended in April, May or June 2025 -> read in October, November,
    #   December 2025. E: 100 € left from March, October paid -> in debt (100 €). F: November paid,
    #   no debt. G: no line in December -> not known, not counted.
    # After exit, 12 months: H ended 05/12/2024 -> December 2025: 250 € unpaid.
    h.e = f.household("Esnault Émile", organisation=amli)
    le = f.lease(h.e, bat)
    f.episode(h.e, D(2024, 10, 1), D(2025, 4, 15), "stable_tenant")
    f.rent_lines(le, [(D(2025, 3, 1), "500", "100", "300"), (D(2025, 10, 1), "500", "100", "400")])
    h.f = f.household("Fabre Flore", organisation=amli)
    lf = f.lease(h.f, bat)
    f.episode(h.f, D(2024, 11, 1), D(2025, 5, 31), "stable_tenant")
    f.rent_lines(lf, [(D(2025, 11, 1), "500", "100", "400")])
    h.g = f.household("Garnier Gaspard", organisation=amli)
    lg = f.lease(h.g, bat)
    f.episode(h.g, D(2024, 11, 1), D(2025, 6, 10), "left_programme")
    f.rent_lines(lg, [(D(2025, 11, 1), "500", "100", "0")])
    h.h = f.household("Hamon Hortense", organisation=amli)
    lh = f.lease(h.h, bat)
    f.episode(h.h, D(2024, 1, 1), D(2024, 12, 5), "stable_tenant")
    f.rent_lines(lh, [(D(2025, 12, 1), "600", "0", "350")])
    return h


# ---------------------------------------------------------------------------------------------
# A real Celery worker on Redis
# ---------------------------------------------------------------------------------------------

def _ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _skip_or_fail(reason: str):
    if _ci():
        pytest.fail(f"CI=true: {reason}")
    pytest.skip(reason)


@pytest.fixture
def celery_worker(transactional_db, media_root, tmp_path):
    """Start `celery -A zel worker --pool=solo` on the pytest database and Redis; switch the Django side
    to non-eager for the test and restore it afterwards."""
    from django.db import connection

    from zel.celery import app

    if connection.vendor != "postgresql":
        _skip_or_fail("the real-worker test needs PostgreSQL (SQLite's test database is in memory)")
    broker = os.environ.get("ZEL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        import redis

        redis.Redis.from_url(broker, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "no Redis here"
        _skip_or_fail(f"Redis unreachable at {broker}: {exc}")
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{host}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "CELERY_BROKER_URL": broker, "ZEL_MEDIA_ROOT": str(media_root),
           "DJANGO_SETTINGS_MODULE": "zel.settings", "PYTHONUNBUFFERED": "1"}
    celery_bin = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
    # A queue of our own: other test runs may share this Redis database and must not eat our messages.
    queue = f"zel-reports-test-{os.getpid()}-{time.monotonic_ns()}"
    logs = []

    def spawn(**extra_env):
        """Start a worker on the test's queue; tests that kill a worker start another one with this."""
        log = open(tmp_path / f"worker-{len(logs)}.log", "w+")  # noqa: SIM115 - closed at teardown
        logs.append(log)
        process = subprocess.Popen(
            [celery_bin, "-A", "zel", "worker", "--pool=solo", "--loglevel=INFO", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "-Q", queue, "-n", f"{queue}-{len(logs)}@%h"],
            cwd=str(django_settings.BASE_DIR), env={**env, **extra_env}, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            log.seek(0)
            if "ready." in log.read():
                return SimpleNamespace(process=process, log=log)
            time.sleep(0.2)
        log.seek(0)
        pytest.fail(f"Celery worker did not start:\n{log.read()[-3000:]}")

    workers = []
    saved = {key: getattr(app.conf, key) for key in ("task_always_eager", "broker_url", "task_default_queue")}
    app.conf.task_always_eager = False
    app.conf.broker_url = broker
    app.conf.task_default_queue = queue
    # Routing tables and producer pools are cached on first use (maybe by an earlier test, with the
    # default queue and no broker): rebuild them for this broker and queue, and again after.
    forget_connections(app)
    try:
        first = spawn()
        workers.append(first)

        def spawn_tracked(**extra_env):
            worker = spawn(**extra_env)
            workers.append(worker)
            return worker

        yield SimpleNamespace(process=first.process, log=first.log, spawn=spawn_tracked)
    finally:
        for key, value in saved.items():
            setattr(app.conf, key, value)
        forget_connections(app)
        for worker in workers:
            worker.process.terminate()
            try:
                worker.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.process.kill()
            worker.log.close()
