"""The figures FNAVDL calls ask for (issue 16), on a hand-built programme of nine households whose
2025Q4 figures are worked out by hand in the comments (quarter: 01/10/2025–31/12/2025)."""

from datetime import date
from types import SimpleNamespace

import pytest

from copil.models import Decision, Session
from households.models import Household
from reports import definitions as d
from reports import indicators

from . import factories as f

pytestmark = pytest.mark.django_db
D = date


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
    from litigation.models import Procedure
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
