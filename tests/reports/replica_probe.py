"""Run by tests/reports/test_replica.py in a fresh process whose DATABASE_URL is a throwaway primary
and DATABASE_REPLICA_URL its hot standby (tests/infra/replica.py): builds a report and a dashboard
snapshot, records on which connection every query ran, and prints the result as JSON.

    python tests/reports/replica_probe.py prepare     # migrate (what is left to do) and load demo data
    python tests/reports/replica_probe.py report <quarter>
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zel.settings")


def _figures_only(figures: dict) -> dict:
    return {k: v for k, v in figures.items() if k != "computed_at"}


def _server(alias: str) -> dict:
    from django.db import connections

    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_setting('port')::int")
        in_recovery, port = cursor.fetchone()
    return {"in_recovery": in_recovery, "port": port}


def _selects(sent, alias: str) -> list[str]:
    return [s.sql for s in sent if s.alias == alias and s.is_select]


HOUSEHOLDS = 60


def prepare() -> None:
    """What `migrate` has left after the schema copy, then `seed_demo`'s data without its "reports"
    builder: that one builds a report (and its PDF) at once, which the probe does itself."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from accounts.reference import ensure_reference_data
    from households import demo
    from zel import demo as registry

    call_command("migrate", interactive=False, verbosity=0)
    ensure_reference_data()  # the pytest database the schema came from may have lost these rows
    with transaction.atomic():
        ctx = demo.seed(households=HOUSEHOLDS, stdout=open(os.devnull, "w"))  # noqa: SIM115
        for name, builder in registry.builders():
            if name != "reports":
                builder(ctx)


def report(quarter: str) -> dict:
    import django

    django.setup()
    from zel.lib.statement_log import StatementLog

    statements = StatementLog()
    from django.core.management import call_command

    from accounts.models import User
    from reports import access, dashboard, indicators, services_dashboard
    from reports.models import DashboardSnapshot, Report

    out = {"default": _server("default"), "replica": _server("replica")}
    statements.take()
    call_command("build_report", quarter=quarter, stdout=open(os.devnull, "w"))  # noqa: SIM115
    sent = statements.take()
    report = Report.objects.order_by("-pk").first()
    out["report"] = {"status": report.status, "selects_on_replica": len(_selects(sent, "replica")),
                     "snapshot_imports_on_replica": sum(s.alias == "replica" and "SET TRANSACTION SNAPSHOT" in s.sql
                                                        for s in sent),
                     "household_selects_on_primary": [
                         sql for sql in _selects(sent, "default") if "households_household" in sql]}
    # The same figures computed on the primary (no replica involved): the replica's must be equal.
    out["same_figures"] = _figures_only(indicators.compute(quarter, None)) == _figures_only(
        {k: v for k, v in report.figures.items() if k not in {"scope", "previous", "budget"}})

    manager = next(u for u in User.objects.filter(roles__code="manager").order_by("pk")
                   if access.can_use_dashboard(u) and u.territory_codes)
    if manager is not None:
        scope = dashboard.Scope(*_bounds(quarter), sorted(manager.territory_codes))
        snapshot = DashboardSnapshot.objects.create(user=manager, **services_dashboard._scope_fields(scope))
        statements.take()
        services_dashboard.dashboard_compute(snapshot_id=snapshot.pk)
        sent = statements.take()
        snapshot.refresh_from_db()
        out["dashboard"] = {"computed": snapshot.computed_at is not None, "error": snapshot.error,
                            "selects_on_replica": len(_selects(sent, "replica")),
                            "household_selects_on_primary": [
                                sql for sql in _selects(sent, "default") if "households_household" in sql]}
    return out


def _bounds(quarter: str):
    from reports import quarters

    return quarters.bounds(quarter)


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare()
    else:
        print(json.dumps(report(sys.argv[2]), default=str))
