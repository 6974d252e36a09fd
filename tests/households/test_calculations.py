from decimal import Decimal

import pytest

from households import calculations as calc

D = Decimal


@pytest.mark.parametrize(("rent", "charges", "benefit", "resources", "expected"), [
    ("450", "80", "150", "1500", "0.2533"),   # 380 / 1500
    ("500", "100", "0", "2400", "0.2500"),    # exactly the access cap
    ("600", "100", "0", "2000", "0.3500"),    # exactly the relocation threshold
    ("300", "50", "400", "1000", "0.0000"),   # benefit above the cost: never a negative rate
    ("450", "80", "150", "0", None),          # no resources: not computable
])
def test_effort_rate(rent, charges, benefit, resources, expected):
    rate = calc.effort_rate(rent=D(rent), charges=D(charges), housing_benefit=D(benefit), resources=D(resources))
    assert rate == (D(expected) if expected else None)


@pytest.mark.parametrize(("rate", "band"), [
    ("0.2500", "ok"), ("0.2501", "warning"), ("0.3500", "warning"), ("0.3501", "danger"), (None, "unknown"),
])
def test_effort_band_thresholds_are_inclusive(rate, band):
    assert calc.effort_band(D(rate) if rate else None) == band


@pytest.mark.parametrize(("ages", "units"), [
    ([40], "1"),
    ([40, 38], "1.5"),
    ([40, 38, 15, 10], "2.3"),       # 1 + 0.5 + 0.5 + 0.3
    ([35, 13, 3], "1.6"),            # single parent, two children under 14
    ([14, 40], "1.5"),               # the oldest counts as first adult; 14 is "14 or more"
    ([], "0"),
])
def test_oecd_consumption_units(ages, units):
    assert calc.consumption_units(ages) == D(units)


def test_remaining_income_per_unit():
    result = calc.remaining_income(resources=D("1500"), fixed_charges=D("380"), units=D("1.6"))
    assert result.total == D("1120")
    assert result.per_unit == D("700.00")


def test_remaining_income_without_units_has_no_per_unit_figure():
    assert calc.remaining_income(resources=D("100"), fixed_charges=D("0"), units=D("0")).per_unit is None
