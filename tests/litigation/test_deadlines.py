"""The deadline engine against dates checked by hand from the rules of docs/domain.md and docs/procedure_deadlines.md.

Calendar facts used below (checked on a paper calendar): 2025 — Good Friday 18/04, Easter Monday
21/04, Ascension 29/05, Pentecost Monday 09/06, 1 and 8 May are Thursdays, 01/11 is a Saturday,
26/12 a Friday. 2026 — Good Friday 03/04, Ascension 14/05, 28/02 is a Saturday, 01/04 a Wednesday.
2024 is a leap year. 15/01/2028 is a Saturday.
"""

from datetime import date

import pytest

from litigation.deadlines import (
    DeadlineInputError,
    Event,
    add_months,
    after_truce,
    compute,
    in_truce,
    is_public_holiday,
    next_deadline,
)

D = date.fromisoformat
OLD_LEASE = D("2019-05-01")  # before 29/07/2023: 2 months
NEW_LEASE = D("2024-01-10")  # from 29/07/2023: 6 weeks


def ev(type_, day, **kw):
    return Event(type=type_, date=D(day), **{k: (D(v) if k == "hearing" else v) for k, v in kw.items()})


def deadline(result, code):
    matches = [d for d in result.deadlines if d.code == code]
    assert len(matches) == 1, f"{code} missing in {[d.code for d in result.deadlines]}"
    return matches[0].date


# (id, département, lease date, events, deadline code or "expulsion", expected date or None)
CASES = [
    # --- commandement de payer: 6 weeks / 2 months, the 29/07/2023 boundary -------------------
    ("cmd-6-weeks", "57", NEW_LEASE, [ev("commandement_de_payer", "2025-03-14")],
     "fin_delai_commandement", "2025-04-25"),
    ("cmd-lease-28-07-2023-two-months", "57", D("2023-07-28"), [ev("commandement_de_payer", "2025-03-14")],
     "fin_delai_commandement", "2025-05-14"),
    ("cmd-lease-29-07-2023-six-weeks", "57", D("2023-07-29"), [ev("commandement_de_payer", "2025-03-14")],
     "fin_delai_commandement", "2025-04-25"),
    ("cmd-unknown-lease-date-two-months", "57", None, [ev("commandement_de_payer", "2025-03-14")],
     "fin_delai_commandement", "2025-05-14"),
    ("cmd-31-12-plus-2-months-february", "54", OLD_LEASE, [ev("commandement_de_payer", "2024-12-31")],
     "fin_delai_commandement", "2025-02-28"),
    ("cmd-leap-year-29-02", "54", OLD_LEASE, [ev("commandement_de_payer", "2023-12-31")],
     "fin_delai_commandement", "2024-02-29"),
    ("cmd-30-12-leap-year", "54", OLD_LEASE, [ev("commandement_de_payer", "2023-12-30")],
     "fin_delai_commandement", "2024-02-29"),
    ("cmd-6-weeks-from-31-01", "54", NEW_LEASE, [ev("commandement_de_payer", "2025-01-31")],
     "fin_delai_commandement", "2025-03-14"),
    ("cmd-ends-saturday-extended", "54", OLD_LEASE, [ev("commandement_de_payer", "2025-03-31")],
     "fin_delai_commandement", "2025-06-02"),
    ("cmd-ends-good-friday-57", "57", NEW_LEASE, [ev("commandement_de_payer", "2025-03-07")],
     "fin_delai_commandement", "2025-04-22"),
    ("cmd-ends-good-friday-54-not-holiday", "54", NEW_LEASE, [ev("commandement_de_payer", "2025-03-07")],
     "fin_delai_commandement", "2025-04-18"),
    # --- summons possible from --------------------------------------------------------------
    ("ccapex-2-months-then-next-day", "57", None, [ev("saisine_ccapex", "2025-01-10")],
     "assignation_possible_des", "2025-03-11"),
    ("ccapex-month-end-not-extended", "57", None, [ev("saisine_ccapex", "2024-12-31")],
     "assignation_possible_des", "2025-03-01"),
    ("ccapex-and-commandement-latest-wins", "57", NEW_LEASE,
     [ev("saisine_ccapex", "2025-01-10"), ev("commandement_de_payer", "2025-03-14")],
     "assignation_possible_des", "2025-04-26"),
    ("summons-after-good-friday-extension", "57", NEW_LEASE, [ev("commandement_de_payer", "2025-03-07")],
     "assignation_possible_des", "2025-04-23"),
    # --- préfet notification, counted backwards, never extended ------------------------------
    ("prefet-6-weeks-before-hearing", "57", NEW_LEASE,
     [ev("assignation", "2025-04-20", hearing="2025-06-26")], "notification_prefet_au_plus_tard", "2025-05-15"),
    ("prefet-on-1-may-not-extended", "57", NEW_LEASE,
     [ev("assignation", "2025-03-01", hearing="2025-06-12")], "notification_prefet_au_plus_tard", "2025-05-01"),
    ("prefet-on-26-12-moselle-not-extended", "57", NEW_LEASE,
     [ev("assignation", "2025-11-20", hearing="2026-02-06")], "notification_prefet_au_plus_tard", "2025-12-26"),
    # --- CAF report: 2 months, extended ------------------------------------------------------
    ("caf-31-08-to-31-10", "57", None, [ev("impaye_constitue", "2025-08-31")], "signalement_caf", "2025-10-31"),
    ("caf-30-08-to-30-10", "57", None, [ev("impaye_constitue", "2025-08-30")], "signalement_caf", "2025-10-30"),
    ("caf-ends-all-saints-saturday", "57", None, [ev("impaye_constitue", "2025-09-01")],
     "signalement_caf", "2025-11-03"),
    ("caf-ends-pentecost-monday", "54", None, [ev("impaye_constitue", "2025-04-09")],
     "signalement_caf", "2025-06-10"),
    # --- appeal: 1 month from service, extended; Alsace-Moselle holidays ---------------------
    ("appeal-good-friday-57", "57", None, [ev("signification_jugement", "2025-03-18")],
     "fin_delai_appel", "2025-04-22"),
    ("appeal-good-friday-67", "67", None, [ev("signification_jugement", "2025-03-18")],
     "fin_delai_appel", "2025-04-22"),
    ("appeal-good-friday-68", "68", None, [ev("signification_jugement", "2025-03-18")],
     "fin_delai_appel", "2025-04-22"),
    ("appeal-good-friday-54-working-day", "54", None, [ev("signification_jugement", "2025-03-18")],
     "fin_delai_appel", "2025-04-18"),
    ("appeal-26-12-moselle", "57", None, [ev("signification_jugement", "2025-11-26")],
     "fin_delai_appel", "2025-12-29"),
    ("appeal-26-12-bas-rhin", "67", None, [ev("signification_jugement", "2025-11-26")],
     "fin_delai_appel", "2025-12-29"),
    ("appeal-26-12-54-working-day", "54", None, [ev("signification_jugement", "2025-11-26")],
     "fin_delai_appel", "2025-12-26"),
    ("appeal-christmas-54", "54", None, [ev("signification_jugement", "2025-11-25")],
     "fin_delai_appel", "2025-12-26"),
    ("appeal-christmas-57-two-holidays", "57", None, [ev("signification_jugement", "2025-11-25")],
     "fin_delai_appel", "2025-12-29"),
    ("appeal-saturday", "54", None, [ev("signification_jugement", "2025-01-15")], "fin_delai_appel", "2025-02-17"),
    ("appeal-31-01-to-28-02", "54", None, [ev("signification_jugement", "2025-01-31")],
     "fin_delai_appel", "2025-02-28"),
    ("appeal-31-03-to-30-04", "54", None, [ev("signification_jugement", "2025-03-31")],
     "fin_delai_appel", "2025-04-30"),
    ("appeal-1-may", "54", None, [ev("signification_jugement", "2025-04-01")], "fin_delai_appel", "2025-05-02"),
    ("appeal-14-july", "54", None, [ev("signification_jugement", "2025-06-14")], "fin_delai_appel", "2025-07-15"),
    ("appeal-15-august-friday", "54", None, [ev("signification_jugement", "2025-07-15")],
     "fin_delai_appel", "2025-08-18"),
    ("appeal-ascension", "54", None, [ev("signification_jugement", "2025-04-29")], "fin_delai_appel", "2025-05-30"),
    # --- payment delays ------------------------------------------------------------------------
    ("payment-36-months-saturday", "54", None, [ev("jugement", "2025-01-15", payment_delay_months=36)],
     "fin_delais_paiement", "2028-01-17"),
    ("payment-24-months-from-29-02", "54", None, [ev("jugement", "2024-02-29", payment_delay_months=24)],
     "fin_delais_paiement", "2026-03-02"),
    # --- CQL, JEX, truce and the eviction date -----------------------------------------------
    ("cql-end-on-all-saints-not-extended", "57", None, [ev("commandement_de_quitter_les_lieux", "2025-09-01")],
     "fin_delai_cql", "2025-11-01"),
    ("eviction-02-11-moved-to-01-04", "57", None, [ev("commandement_de_quitter_les_lieux", "2025-09-01")],
     "expulsion", "2026-04-01"),
    ("eviction-31-10-before-truce", "57", None, [ev("commandement_de_quitter_les_lieux", "2025-08-30")],
     "expulsion", "2025-10-31"),
    ("eviction-01-11-first-truce-day", "57", None, [ev("commandement_de_quitter_les_lieux", "2025-08-31")],
     "expulsion", "2026-04-01"),
    ("eviction-31-03-last-truce-day", "57", None, [ev("commandement_de_quitter_les_lieux", "2026-01-30")],
     "expulsion", "2026-04-01"),
    ("eviction-01-04-after-truce", "57", None, [ev("commandement_de_quitter_les_lieux", "2026-01-31")],
     "expulsion", "2026-04-01"),
    ("eviction-02-04", "57", None, [ev("commandement_de_quitter_les_lieux", "2026-02-01")],
     "expulsion", "2026-04-02"),
    ("eviction-good-friday-57-moves-to-saturday", "57", None,
     [ev("commandement_de_quitter_les_lieux", "2026-02-02")], "expulsion", "2026-04-04"),
    ("eviction-good-friday-54-allowed", "54", None, [ev("commandement_de_quitter_les_lieux", "2026-02-02")],
     "expulsion", "2026-04-03"),
    ("eviction-sunday-to-monday", "54", None, [ev("commandement_de_quitter_les_lieux", "2025-03-03")],
     "expulsion", "2025-05-05"),
    ("eviction-8-may-to-9-may", "54", None, [ev("commandement_de_quitter_les_lieux", "2025-03-07")],
     "expulsion", "2025-05-09"),
    ("jex-3-months", "57", None,
     [ev("commandement_de_quitter_les_lieux", "2025-05-05"), ev("delais_jex", "2025-06-10", months=3)],
     "fin_delais_jex", "2025-09-10"),
    ("eviction-after-jex", "57", None,
     [ev("commandement_de_quitter_les_lieux", "2025-05-05"), ev("delais_jex", "2025-06-10", months=3)],
     "expulsion", "2025-09-11"),
    ("eviction-jex-into-truce", "57", None,
     [ev("commandement_de_quitter_les_lieux", "2025-06-01"), ev("delais_jex", "2025-08-01", months=6)],
     "expulsion", "2026-04-01"),
    ("eviction-jex-12-months-saturday-allowed", "57", None,
     [ev("commandement_de_quitter_les_lieux", "2025-03-01"), ev("delais_jex", "2025-05-15", months=12)],
     "expulsion", "2026-05-16"),
    ("eviction-none-without-cql", "57", None, [ev("jugement", "2025-05-15")], "expulsion", None),
    ("eviction-none-after-debt-cleared", "57", None,
     [ev("commandement_de_quitter_les_lieux", "2025-03-01"), ev("dette_soldee", "2025-04-01")], "expulsion", None),
    # --- CFP and protocol ----------------------------------------------------------------------
    ("cfp-silence-saturday-not-extended", "57", None, [ev("demande_cfp", "2025-03-10")],
     "refus_implicite_cfp", "2025-05-10"),
    ("cfp-31-12-to-28-02", "57", None, [ev("demande_cfp", "2025-12-31")], "refus_implicite_cfp", "2026-02-28"),
    ("protocol-default-2-years", "57", None, [ev("protocole_cohesion_sociale", "2025-03-15")],
     "fin_protocole", "2027-03-15"),
    ("protocol-5-years", "57", None, [ev("protocole_cohesion_sociale", "2025-03-15", months=60)],
     "fin_protocole", "2030-03-15"),
]


@pytest.mark.parametrize(("departement", "lease", "events", "code", "expected"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_engine_table(departement, lease, events, code, expected):
    result = compute(events, departement=departement, lease_date=lease)
    got = result.eviction_possible_from if code == "expulsion" else deadline(result, code)
    assert got == (D(expected) if expected else None)


def test_the_table_has_at_least_40_cases():
    assert len(CASES) >= 40


def test_configurable_truce_extended_to_15_april():
    events = [ev("commandement_de_quitter_les_lieux", "2026-01-31")]
    result = compute(events, departement="57", lease_date=None, truce_start="11-01", truce_end="04-15")
    assert result.eviction_possible_from == D("2026-04-16")
    assert "15/04" in result.eviction_rule


@pytest.mark.parametrize(("events", "message"), [
    ([ev("delais_jex", "2025-01-10", months=13)], "13 mois"),
    ([ev("delais_jex", "2025-01-10", months=0)], "0 mois"),
    ([ev("delais_jex", "2025-01-10")], "obligatoire"),
    ([ev("jugement", "2025-01-10", payment_delay_months=37)], "37 mois"),
    ([ev("assignation", "2025-03-01", hearing="2025-02-01")], "n'est pas postérieure"),
    ([ev("assignation", "2025-03-01", hearing="2025-03-01")], "n'est pas postérieure"),
    ([ev("assignation", "2025-03-01")], "date d'audience est obligatoire"),
    ([ev("assignation", "2025-03-01", hearing="2025-06-01"), ev("audience_renvoyee", "2025-02-01",
                                                                 hearing="2025-02-20")], "précède"),
    ([ev("expulsion_forcee", "2025-03-01")], "inconnu"),
    ([ev("protocole_cohesion_sociale", "2025-03-01", months=61)], "61 mois"),
])
def test_invalid_values_are_refused_naming_the_event(events, message):
    with pytest.raises(DeadlineInputError) as exc:
        compute(events, departement="57", lease_date=None)
    assert message in str(exc.value)
    assert "vénement n°" in str(exc.value)


def test_unknown_departement_is_refused():
    with pytest.raises(DeadlineInputError, match="Département inconnu"):
        compute([], departement="99", lease_date=None)


def test_payment_delays_of_zero_months_give_no_deadline():
    result = compute([ev("jugement", "2025-01-15", payment_delay_months=0)], departement="57", lease_date=None)
    assert result.deadlines == []


def test_unsettled_points_are_stated_with_the_commandement():
    result = compute([ev("commandement_de_payer", "2025-03-14")], departement="57", lease_date=NEW_LEASE)
    [cmd] = [d for d in result.deadlines if d.code == "fin_delai_commandement"]
    assert "Point non tranché" in cmd.unsettled and "prorogation" in cmd.unsettled
    assert "jamais renouvelé" in cmd.unsettled


def test_extension_is_explained_and_alsace_moselle_mentioned():
    result = compute([ev("signification_jugement", "2025-03-18")], departement="57", lease_date=None)
    rule = result.deadlines[0].rule
    assert "18/04/2025" in rule and "22/04/2025" in rule and "Vendredi saint" in rule
    assert result.deadlines[0].extended


def test_hearing_less_than_6_weeks_after_summons_is_warned():
    result = compute([ev("assignation", "2025-05-20", hearing="2025-06-12")], departement="57", lease_date=None)
    assert any("moins de 6 semaines" in w for w in result.warnings)


def test_deadlines_are_sorted_and_next_deadline_skips_past_ones():
    events = [ev("commandement_de_payer", "2025-03-14"), ev("assignation", "2025-04-28", hearing="2025-06-26")]
    result = compute(events, departement="57", lease_date=NEW_LEASE)
    dates = [d.date for d in result.deadlines]
    assert dates == sorted(dates)
    assert next_deadline(result, D("2025-05-01")).code == "notification_prefet_au_plus_tard"
    assert next_deadline(result, D("2025-07-01")) is None


def test_calendar_helpers():
    assert add_months(D("2024-01-31"), 1) == D("2024-02-29")
    assert add_months(D("2025-01-31"), 1) == D("2025-02-28")
    assert add_months(D("2025-12-15"), 2) == D("2026-02-15")
    assert add_months(D("2025-03-31"), -1) == D("2025-02-28")
    assert is_public_holiday(D("2025-04-18"), "57") and is_public_holiday(D("2025-12-26"), "68")
    assert not is_public_holiday(D("2025-04-18"), "54") and not is_public_holiday(D("2025-12-26"), "54")
    assert not in_truce(D("2025-10-31")) and in_truce(D("2025-11-01"))
    assert in_truce(D("2026-03-31")) and not in_truce(D("2026-04-01"))
    assert after_truce(D("2025-12-15")) == D("2026-04-01")
    assert after_truce(D("2026-02-15")) == D("2026-04-01")
