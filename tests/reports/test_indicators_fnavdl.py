"""The figures FNAVDL calls ask for (issue 16), on the hand-built programme `fnavdl` of
tests/reports/conftest.py whose 2025Q4 figures are worked out by hand there and below."""

from datetime import date

import pytest

from reports import definitions as d
from reports import indicators

pytestmark = pytest.mark.django_db
D = date


@pytest.fixture
def q4(fnavdl):
    return indicators.compute("2025Q4", None)


def cells(figures, indicator, row_key, period="quarter"):
    ind = next(i for i in figures["indicators"] if i["key"] == indicator)
    return next(r for r in ind["rows"] if r["key"] == row_key)[period]


def n(figures, indicator, row_key, period="quarter", dim="all", key=None):
    c = cells(figures, indicator, row_key, period)
    return (c["all"] if dim == "all" else c[dim].get(key, {})).get("n", 0)


def test_households_supported_during_the_quarter_are_those_at_its_start_plus_entries(q4):
    # At the start: A, D. Entries: B, C, I. E–H had left before 01/10.
    assert n(q4, "supported_during", "total") == 5
    assert n(q4, "supported_during", "at_start") == 2
    assert n(q4, "supported_during", "entered") == 3
    assert n(q4, "supported_during", "total", dim="dep", key="54") == 2  # C, I


def test_target_publics_a_household_counts_in_each_of_its_publics(q4):
    assert n(q4, "target_publics", "dalo") == 2  # A, B
    assert n(q4, "target_publics", "violences_conjugales") == 1  # A
    assert n(q4, "target_publics", "sortie_ase") == 1  # C
    assert n(q4, "target_publics", "pdalhpd") == 0


def test_housing_situation_at_entry_and_exit(q4):
    # Entries B (hotel), C (street), I (not given); exits C (tenant), D (shelter).
    assert [n(q4, "housing_entry", k) for k in ("hotel", "rue", "inconnu", "locataire")] == [1, 1, 1, 0]
    assert [n(q4, "housing_exit", k) for k in ("locataire", "hebergement", "inconnu")] == [1, 1, 0]


def test_age_band_and_sex_of_the_reference_person(q4):
    bands = {code: n(q4, "reference_person", f"age-{code}") for code, *_rest in d.AGE_BANDS}
    # A 24 (birthday on the last day), B 25, D 35, I 50 (year only), C 65 (year only).
    assert bands == {"u25": 1, "25_34": 1, "35_44": 1, "45_54": 1, "55_64": 0, "65p": 1}
    assert [n(q4, "reference_person", f"sex-{k}") for k in ("F", "M", "inconnu")] == [1, 1, 3]


def test_age_rule_is_whole_years_at_the_period_end():
    assert d.age_on(on=D(2025, 12, 31), birth_date=D(2001, 12, 31), birth_year=2001) == 24
    assert d.age_on(on=D(2025, 12, 30), birth_date=D(2001, 12, 31), birth_year=2001) == 23
    assert d.age_band_of(24) == "u25" and d.age_band_of(25) == "25_34" and d.age_band_of(65) == "65p"


def test_median_delays_of_the_path(q4):
    # B: 20, 10, 19 days; C: 4, 15, 21; I: diagnosis before its referral, no decision: not counted.
    assert cells(q4, "delays", "referral_diagnosis")["all"] == {"n": 2, "median": 12.0}
    assert cells(q4, "delays", "diagnosis_decision")["all"] == {"n": 2, "median": 12.5}
    assert cells(q4, "delays", "decision_visit")["all"] == {"n": 2, "median": 20.0}
    assert cells(q4, "delays", "decision_visit")["dep"]["54"] == {"n": 1, "median": 21.0}
    # Published with 5 households or more; 12.5 days rounds half up.
    assert indicators.value({"n": 5, "median": 12.5}, "days_median") == 13


def test_rehousing_rate_of_the_access_track(q4):
    # Access exits in Q4: C tenant, D shelter -> 1 of 2.
    assert cells(q4, "access_rehousing", "share")["all"] == {"n": 2, "num": 1}
    assert n(q4, "access_rehousing", "unknown") == 0


def test_rent_arrears_6_and_12_months_after_support_ended(q4):
    # 6 months: E (100 € in debt) and F (none) known, G unknown. 12 months: H, 250 €.
    assert cells(q4, "arrears_after_exit", "m6_share")["all"] == {"n": 2, "num": 1}
    assert cells(q4, "arrears_after_exit", "m6_amount")["all"] == {"n": 2, "v": "100.00"}
    assert cells(q4, "arrears_after_exit", "m12_share")["all"] == {"n": 1, "num": 1}
    assert cells(q4, "arrears_after_exit", "m12_amount")["all"] == {"n": 1, "v": "250.00"}


def test_stage_of_the_procedure_at_entry(q4):
    # B no procedure; C commandement (the assignation came after entry); I pre-litigation (the judged
    # procedure was closed before entry).
    assert [n(q4, "stage_entry", k) for k in ("aucune", "commandement", "precontentieux", "jugement",
                                              "assignation")] == [1, 1, 1, 0, 0]
    assert n(q4, "stage_entry", "total") == 3


def test_new_definitions_are_printed_on_the_definitions_page():
    terms = [str(term) for term, _text in d.DEFINITIONS]
    for term in ("Publics prioritaires", "Délais médians du parcours", "Taux de relogement du volet accès",
                 "Dette locative après la fin de l'accompagnement", "Stade de la procédure à l'entrée"):
        assert term in terms
    assert terms[-1] == "Petits effectifs"
