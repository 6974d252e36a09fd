"""Demo data for the reports app: the programme sheet's 2020 budget, and the programme-wide report of
the last quarter so that the demo funder has something to download (requesting another one from the
browser is the rest of the demo)."""

from decimal import Decimal

from . import quarters, services
from .models import Budget

# Building the PDF takes seconds; benchmark seeds of 10⁴+ households build their reports themselves.
DEMO_REPORT_MAX_HOUSEHOLDS = 5000


def seed(ctx) -> None:
    Budget.objects.get_or_create(year=2020, defaults={
        "fnavdl_amount": Decimal("100000"), "own_funds_amount": Decimal("226400"),
        "staff": "1 ETP de travailleur social et 1 ETP de psychologue"})
    if len(ctx.household_ids) <= DEMO_REPORT_MAX_HOUSEHOLDS:
        # Queued on commit of the demo seeding: built at once without a broker, by a worker with one.
        services.report_request(by=ctx.users["responsable"], quarter=quarters.previous(quarters.of(ctx.today)))
