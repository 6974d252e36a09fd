"""The quarterly report's appointments rows: honoured / no-show / cancelled rates (issue 15)."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from reports import indicators
from tests.factories import HouseholdFactory

from .factories import AppointmentFactory

pytestmark = pytest.mark.django_db


def test_quarterly_report_gives_appointment_rates(households, orgs, personas):
    start = timezone.make_aware(datetime(2025, 11, 3, 10, 0))
    statuses = ["honoured"] * 5 + ["no_show"] * 2 + ["cancelled", "excused", "planned"]
    for i, status in enumerate(statuses):
        household = HouseholdFactory(organisation=orgs.amli)
        AppointmentFactory(household=household, workers=[personas.worker], status=status,
                           starts_at=start + timedelta(days=i), ends_at=start + timedelta(days=i, hours=1))
    AppointmentFactory(household=households.mine, status="honoured",  # next quarter: not counted
                       starts_at=timezone.make_aware(datetime(2026, 1, 5, 10)),
                       ends_at=timezone.make_aware(datetime(2026, 1, 5, 11)))
    figures = indicators.compute("2025Q4", ["57"])
    [section] = [i for i in figures["indicators"] if i["key"] == "appointments"]
    rows = {r["key"]: r for r in section["rows"]}
    assert indicators.display(rows["total"]["quarter"]["all"], rows["total"]["unit"]) == "9"  # "prévu" excluded
    assert indicators.display(rows["honoured"]["quarter"]["all"], "ratio") == "55,6\xa0%"
    assert indicators.display(rows["no_show"]["quarter"]["all"], "ratio") == "22,2\xa0%"
    assert indicators.display(rows["cancelled"]["quarter"]["all"], "ratio") == "11,1\xa0%"
