"""Demo data for the reports app: the programme sheet's 2020 budget only (later years are entered in
the admin when known; until then the report shows the latest budget and says which year it is).
No report is pre-built: requesting one from the browser is the demo."""

from decimal import Decimal

from .models import Budget


def seed(ctx) -> None:
    Budget.objects.get_or_create(year=2020, defaults={
        "fnavdl_amount": Decimal("100000"), "own_funds_amount": Decimal("226400"),
        "staff": "1 ETP de travailleur social et 1 ETP de psychologue"})
