"""The budget rules of docs/domain.md (households.budget): effort rate, consumption units, reste à vivre."""

from datetime import date
from decimal import Decimal

import pytest

from households import budget

D = Decimal
TODAY = date(2026, 6, 15)


@pytest.mark.parametrize(("rent", "charges", "benefit", "resources", "expected"), [
    ("450", "80", "150", "1500", "0.2533"),   # 380 / 1500
    ("500", "100", "0", "2400", "0.2500"),    # exactly the access cap
    ("600", "100", "0", "2000", "0.3500"),    # exactly the relocation threshold
    ("300", "50", "400", "1000", "0.0000"),   # benefit above the cost: never a negative rate
    ("450", "80", "150", "0", None),          # no resources: not computable
    ("420", "90", "300", "790", "0.2658"),    # the worked example of docs/domain.md: 26,6 %
])
def test_effort_rate(rent, charges, benefit, resources, expected):
    rate = budget.effort_rate(rent=D(rent), charges=D(charges), housing_benefit=D(benefit), resources=D(resources))
    assert rate == (D(expected) if expected else None)


@pytest.mark.parametrize("paid_to_landlord", [True, False])
def test_worked_example_gives_26_6_percent_whoever_receives_the_benefit(paid_to_landlord):
    # RSA 650 + family allowance 140; rent 420 + charges 90; APL 300 (docs/domain.md, effort rate).
    housing = budget.Housing(rent=D(420), charges=D(90), housing_benefit=D(300),
                             benefit_paid_to_landlord=paid_to_landlord)
    figures = budget.figures(budget.BudgetInput(resources=D(790), housing=housing, units=D(1)))
    assert figures.effort_rate == D("0.2658")
    assert figures.effort_band == "warning"  # over the 25 % access cap
    assert figures.housing_cost == D(210)
    assert figures.remaining.monthly == D("580.00")
    # What the landlord calls each month differs; the effort rate does not.
    assert figures.due_to_landlord == (D(210) if paid_to_landlord else D(510))


def test_zero_resources_give_no_rate_and_say_so():
    figures = budget.figures(budget.BudgetInput(resources=D(0), housing=budget.Housing(rent=D(400)), units=D(1)))
    assert figures.effort_rate is None and figures.no_resources
    assert budget.ZERO_RESOURCES_TEXT == "ressources nulles : taux non calculable"


@pytest.mark.parametrize(("rate", "band"), [
    ("0.2500", "ok"), ("0.2501", "warning"), ("0.3500", "warning"), ("0.3501", "danger"), (None, "unknown"),
])
def test_effort_band_thresholds_are_inclusive(rate, band):
    assert budget.effort_band(D(rate) if rate else None) == band


def _people(*birth_years):
    return [budget.Person(year) for year in birth_years]


@pytest.mark.parametrize(("years", "units"), [
    ((1986,), "1"),
    ((1986, 1988), "1.5"),
    ((1986, 1988, 2011, 2016), "2.3"),   # 1 + 0.5 + 0.5 + 0.3
    ((1991, 2013, 2023), "1.6"),         # single parent, two children under 14
    ((2012, 1986), "1.5"),               # the oldest counts as first adult; 14 is "14 or more"
    ((), "0"),
])
def test_oecd_consumption_units(years, units):
    assert budget.consumption_units(_people(*years), TODAY) == D(units)


def test_birth_date_decides_the_age_of_14_when_known():
    before_birthday = budget.Person(2012, date(2012, 9, 1))   # 13 on 15/06/2026
    after_birthday = budget.Person(2012, date(2012, 3, 1))    # 14 on 15/06/2026
    adult = budget.Person(1980)
    assert budget.consumption_units([adult, before_birthday], TODAY) == D("1.3")
    assert budget.consumption_units([adult, after_birthday], TODAY) == D("1.5")
    assert budget.consumption_units([adult, budget.Person(2012)], TODAY) == D("1.5")  # year only: 2026 − 2012


def test_remaining_income_subtracts_housing_cost_fixed_charges_and_repayments_only():
    result = budget.remaining_income(resources=D("1500"), housing_cost=D("380"), fixed_charges=D("120"),
                                     debt_repayments=D("50"), units=D("1.6"))
    assert result.monthly == D("950.00")
    assert result.per_unit == D("593.75")
    assert result.per_day_per_unit == D("19.79")  # 593,75 / 30


def test_remaining_income_without_units_has_no_per_unit_figure():
    result = budget.remaining_income(resources=D("100"), housing_cost=D(0), fixed_charges=D(0),
                                     debt_repayments=D(0), units=D(0))
    assert result.per_unit is None and result.per_day_per_unit is None
