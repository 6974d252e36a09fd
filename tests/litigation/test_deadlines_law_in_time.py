"""Issue 13: rules by date in force, référé, deemed CCAPEX referral, and the steps added to the engine.

Every case of CASES is computed by hand in docs/procedure_deadlines.md ("Hand-computed cases", same
id), with its reasoning; `test_every_case_is_documented` keeps the two in step.

Calendar facts (checked on a paper calendar): 26/10/2023 is a Thursday, 26/08/2023 a Saturday;
2025 — 18/04 Good Friday, 21/04 Easter Monday, 08/05 and 29/05 (Ascension) Thursdays, 09/06 Pentecost
Monday, 24/05 a Saturday, 26/06 and 11/09 Thursdays, 05/10 a Sunday; 01/01/2021 a Friday holiday,
08/01/2021 a Friday; 16/04/2027 a Friday.
"""

import io
import json
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from litigation.deadlines import (
    LABELS,
    DeadlineInputError,
    Event,
    compute,
    dsf_deadline,
    dsf_interview_deadline,
    rule_version,
)

D = date.fromisoformat
OLD_LEASE = D("2019-05-01")
NEW_LEASE = D("2024-01-10")
DOCS = Path(__file__).resolve().parents[2] / "docs" / "procedure_deadlines.md"


def ev(type_, day, **kw):
    return Event(type=type_, date=D(day), **{k: (D(v) if k == "hearing" else v) for k, v in kw.items()})


def by_code(result, code):
    matches = [d for d in result.deadlines if d.code == code]
    assert len(matches) <= 1
    return matches[0] if matches else None


SUMMONS_2022 = [ev("assignation", "2022-03-15", hearing="2022-05-10")]
SURENDETTEMENT = [ev("commandement_de_quitter_les_lieux", "2025-03-03"), ev("depot_surendettement", "2025-02-05"),
                  ev("recevabilite_surendettement", "2025-03-10"),
                  ev("demande_suspension_expulsion", "2025-03-20"), ev("suspension_expulsion", "2025-04-15")]

# (id, département, lease date, events, deadline code or "expulsion", expected date or None)
CASES = [
    # --- préfet notification: 2 months before 29/07/2023, 6 weeks from then (by the summons' date) --
    ("h1-prefet-2022-two-months", "54", None, SUMMONS_2022, "notification_prefet_au_plus_tard", "2022-03-10"),
    ("h2-prefet-28-07-2023-two-months", "54", None, [ev("assignation", "2023-07-28", hearing="2023-10-26")],
     "notification_prefet_au_plus_tard", "2023-08-26"),
    ("h3-prefet-29-07-2023-six-weeks", "54", None, [ev("assignation", "2023-07-29", hearing="2023-10-26")],
     "notification_prefet_au_plus_tard", "2023-09-14"),
    # --- JEX: 3 months–3 years before 29/07/2023, 1–12 months from then (by the decision's date) -----
    ("h4-jex-2022-18-months", "54", None, [ev("delais_jex", "2022-06-10", months=18)],
     "fin_delais_jex", "2023-12-10"),
    ("h5-jex-28-07-2023-36-months", "54", None, [ev("delais_jex", "2023-07-28", months=36)],
     "fin_delais_jex", "2026-07-28"),
    ("h6-jex-29-07-2023-12-months", "54", None, [ev("delais_jex", "2023-07-29", months=12)],
     "fin_delais_jex", "2024-07-29"),
    # --- référé: 15 days from service, extended (CPC 490, 642) -----------------------------------
    ("h7-refere-saturday-extended", "54", None,
     [ev("jugement", "2025-05-02", refere=True), ev("signification_jugement", "2025-05-09")],
     "fin_delai_appel", "2025-05-26"),
    ("h8-refere-good-friday-57", "57", None,
     [ev("jugement", "2025-03-28", refere=True), ev("signification_jugement", "2025-04-03")],
     "fin_delai_appel", "2025-04-22"),
    ("h9-refere-good-friday-54", "54", None,
     [ev("jugement", "2025-03-28", refere=True), ev("signification_jugement", "2025-04-03")],
     "fin_delai_appel", "2025-04-18"),
    ("h10-merits-judgment-one-month", "54", None,
     [ev("jugement", "2025-05-02"), ev("signification_jugement", "2025-05-09")], "fin_delai_appel", "2025-06-10"),
    # --- deemed CCAPEX referral: the earlier of saisine_ccapex and signalement_caf -----------------
    ("h11-caf-report-earlier-than-ccapex", "54", None,
     [ev("signalement_caf", "2025-02-20"), ev("saisine_ccapex", "2025-03-15")],
     "assignation_possible_des", "2025-04-21"),
    ("h12-ccapex-earlier-than-caf-report", "54", None,
     [ev("saisine_ccapex", "2025-02-20"), ev("signalement_caf", "2025-03-15")],
     "assignation_possible_des", "2025-04-21"),
    ("h13-caf-report-month-end", "54", None, [ev("signalement_caf", "2024-12-31")],
     "assignation_possible_des", "2025-03-01"),
    ("h14-caf-report-and-commandement", "57", NEW_LEASE,
     [ev("signalement_caf", "2025-01-10"), ev("commandement_de_payer", "2025-03-14")],
     "assignation_possible_des", "2025-04-26"),
    # --- DSF: 5 working days before the hearing; interview within 15 working days -----------------
    ("h15-dsf-thursday-hearing", "57", NEW_LEASE, [ev("assignation", "2025-04-20", hearing="2025-06-26")],
     "dsf_au_plus_tard", "2025-06-19"),
    ("h16-dsf-easter-57", "57", None, [ev("assignation", "2025-02-10", hearing="2025-04-22")],
     "dsf_au_plus_tard", "2025-04-11"),
    ("h17-dsf-easter-54", "54", None, [ev("assignation", "2025-02-10", hearing="2025-04-22")],
     "dsf_au_plus_tard", "2025-04-14"),
    ("h18-dsf-postponed-hearing", "57", None,
     [ev("assignation", "2025-04-20", hearing="2025-06-26"), ev("audience_renvoyee", "2025-06-26",
                                                                 hearing="2025-09-11")],
     "dsf_au_plus_tard", "2025-09-04"),
    ("h19-dsf-first-day-of-the-decree", "54", None, [ev("assignation", "2020-11-02", hearing="2021-01-08")],
     "dsf_au_plus_tard", "2020-12-31"),
    ("h20-no-dsf-deadline-before-the-decree", "54", None, [ev("assignation", "2020-11-02", hearing="2021-01-07")],
     "dsf_au_plus_tard", None),
    ("h21-interview-15-working-days", "54", None, [ev("saisine_dsf", "2025-05-02")],
     "entretien_dsf_au_plus_tard", "2025-05-26"),
    # --- CQL: notification to the préfet, reduction, extension ------------------------------------
    ("h22-cql-notified-late", "54", None,
     [ev("commandement_de_quitter_les_lieux", "2025-03-03"), ev("cql_notifie_prefet", "2025-03-10")],
     "fin_delai_cql", "2025-05-10"),
    ("h23-cql-notified-late-eviction", "54", None,
     [ev("commandement_de_quitter_les_lieux", "2025-03-03"), ev("cql_notifie_prefet", "2025-03-10")],
     "expulsion", "2025-05-12"),
    ("h24-cql-notified-same-day", "54", None,
     [ev("commandement_de_quitter_les_lieux", "2025-03-03"), ev("cql_notifie_prefet", "2025-03-03")],
     "expulsion", "2025-05-05"),
    ("h25-cql-period-removed", "54", None,
     [ev("reduction_delai_cql", "2025-04-10", months=0), ev("commandement_de_quitter_les_lieux", "2025-05-05")],
     "expulsion", "2025-05-06"),
    ("h26-cql-period-reduced-to-one-month", "54", None,
     [ev("reduction_delai_cql", "2025-04-10", months=1), ev("commandement_de_quitter_les_lieux", "2025-05-05")],
     "expulsion", "2025-06-06"),
    ("h27-cql-extended-3-months", "54", None,
     [ev("commandement_de_quitter_les_lieux", "2025-05-05"), ev("prorogation_delai_cql", "2025-06-20", months=3)],
     "fin_delai_cql", "2025-10-05"),
    ("h28-cql-extended-eviction-monday", "54", None,
     [ev("commandement_de_quitter_les_lieux", "2025-05-05"), ev("prorogation_delai_cql", "2025-06-20", months=3)],
     "expulsion", "2025-10-06"),
    ("h29-cql-extended-month-end", "54", None,
     [ev("commandement_de_quitter_les_lieux", "2024-12-30"), ev("prorogation_delai_cql", "2025-01-20", months=1)],
     "fin_delai_cql", "2025-03-30"),
    # --- surendettement ---------------------------------------------------------------------------
    ("h30-suspension-two-years", "54", None, SURENDETTEMENT, "fin_suspension_expulsion", "2027-04-15"),
    ("h31-suspension-delays-eviction", "54", None, SURENDETTEMENT, "expulsion", "2027-04-16"),
    ("h32-retablissement-ends-suspension", "54", None,
     [*SURENDETTEMENT, ev("retablissement_personnel", "2025-10-01")], "fin_suspension_expulsion", "2025-10-01"),
    ("h33-retablissement-eviction", "54", None,
     [*SURENDETTEMENT, ev("retablissement_personnel", "2025-10-01")], "expulsion", "2025-10-02"),
    ("h34-retablissement-clause-two-years", "54", None,
     [*SURENDETTEMENT, ev("retablissement_personnel", "2025-10-01")],
     "fin_suspension_clause_resolutoire", "2027-10-01"),
    # --- DALO -------------------------------------------------------------------------------------
    ("h35-dalo-three-months", "54", None, [ev("recours_dalo", "2025-01-15")], "decision_dalo_attendue", "2025-04-15"),
    ("h36-dalo-overseas-six-months", "974", None, [ev("recours_dalo", "2025-01-15")],
     "decision_dalo_attendue", "2025-07-15"),
]


@pytest.mark.parametrize(("departement", "lease", "events", "code", "expected"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_hand_computed_cases(departement, lease, events, code, expected):
    result = compute(events, departement=departement, lease_date=lease)
    if code == "expulsion":
        got = result.eviction_possible_from
    else:
        deadline = by_code(result, code)
        got = deadline.date if deadline else None
    assert got == (D(expected) if expected else None)


def test_every_case_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    missing = [case[0] for case in CASES if f"`{case[0]}`" not in text]
    assert missing == []


def alert_codes(result):
    return [a.code for a in result.alerts]


# --- 1. rules by date in force ----------------------------------------------------------------------

def test_summons_of_2022_names_the_old_rule_and_is_warned():
    result = compute(SUMMONS_2022, departement="54", lease_date=None)
    prefet = by_code(result, "notification_prefet_au_plus_tard")
    assert "au moins 2 mois avant l'audience" in prefet.rule
    assert "rédaction antérieure à la loi n° 2023-668" in prefet.full_rule
    assert "rédaction antérieure à la loi n° 2023-668" in prefet.source
    [alert] = [a for a in result.alerts if a.code == "notification_prefet_impossible"]
    assert "moins de 2 mois" in alert.message and "irrecevabilité" in alert.message


def test_the_same_dates_under_the_new_law_are_not_warned():
    result = compute([ev("assignation", "2024-03-15", hearing="2024-05-10")], departement="54", lease_date=None)
    prefet = by_code(result, "notification_prefet_au_plus_tard")
    assert prefet.date == D("2024-03-29")
    assert "rédaction issue de la loi n° 2023-668" in prefet.full_rule
    assert "notification_prefet_impossible" not in alert_codes(result)


def test_hearing_6_weeks_but_less_than_2_months_after_an_old_summons_is_warned():
    # 28/07/2023 + 7 weeks: enough under the new rule, too late under the rule then in force.
    result = compute([ev("assignation", "2023-07-28", hearing="2023-09-15")], departement="54", lease_date=None)
    assert "notification_prefet_impossible" in alert_codes(result)
    result = compute([ev("assignation", "2023-07-29", hearing="2023-09-16")], departement="54", lease_date=None)
    assert "notification_prefet_impossible" not in alert_codes(result)


@pytest.mark.parametrize(("day", "months", "message"), [
    ("2022-06-10", 2, "entre 3 et 36 mois"),
    ("2022-06-10", 37, "entre 3 et 36 mois"),
    ("2023-07-29", 13, "entre 1 et 12 mois"),
    ("2023-07-29", 18, "entre 1 et 12 mois"),
])
def test_jex_delays_outside_the_version_in_force_are_refused(day, months, message):
    with pytest.raises(DeadlineInputError) as exc:
        compute([ev("delais_jex", day, months=months)], departement="54", lease_date=None)
    assert message in str(exc.value) and "vénement n° 1 (delais_jex" in str(exc.value)


def test_jex_decisions_name_their_version():
    old = by_code(compute([ev("delais_jex", "2022-06-10", months=18)], departement="54", lease_date=None),
                  "fin_delais_jex")
    new = by_code(compute([ev("delais_jex", "2023-07-29", months=12)], departement="54", lease_date=None),
                  "fin_delais_jex")
    assert "rédaction antérieure" in old.source and "3 à 36 mois" in old.full_rule
    assert "rédaction issue" in new.source and "1 à 12 mois" in new.full_rule


def test_commandement_names_the_version_chosen_by_the_lease_date():
    def source(lease):
        result = compute([ev("commandement_de_payer", "2025-03-14")], departement="57", lease_date=lease)
        return by_code(result, "fin_delai_commandement")
    assert "rédaction antérieure" in source(D("2023-07-28")).source
    assert "rédaction issue" in source(D("2023-07-29")).source
    assert "date de signature ou du dernier renouvellement du bail" in source(D("2023-07-29")).full_rule
    assert "date du bail inconnue" in source(None).full_rule


def test_rule_versions_cover_both_sides_of_the_law():
    assert rule_version("notification_prefet", D("2023-07-28")).months == 2
    assert rule_version("notification_prefet", D("2023-07-29")).weeks == 6
    assert rule_version("dsf_transmission", D("2021-01-07")) is None


# --- 2. référé ---------------------------------------------------------------------------------------

def test_refere_rule_and_source():
    result = compute([ev("jugement", "2025-05-02", refere=True), ev("signification_jugement", "2025-05-09")],
                     departement="54", lease_date=None)
    appeal = by_code(result, "fin_delai_appel")
    assert "15 jours" in appeal.rule and "490" in appeal.source and appeal.extended


def test_the_judgment_served_is_the_one_before_the_service():
    # A référé ordinance served, then a judgment on the merits not yet served: 15 days still.
    events = [ev("jugement", "2025-05-02", refere=True), ev("signification_jugement", "2025-05-09"),
              ev("jugement", "2025-06-20")]
    assert by_code(compute(events, departement="54", lease_date=None), "fin_delai_appel").date == D("2025-05-26")


# --- 3. deemed referral ---------------------------------------------------------------------------------

def test_caf_report_counts_as_referral_and_the_warning_says_so():
    without = compute([ev("commandement_de_payer", "2025-03-14")], departement="57", lease_date=NEW_LEASE)
    text = by_code(without, "assignation_possible_des").rule
    assert "doit saisir la CCAPEX" in text and "vaut saisine" in text and "signalement_caf" in text
    with_report = compute([ev("signalement_caf", "2025-01-10"), ev("commandement_de_payer", "2025-03-14")],
                          departement="57", lease_date=NEW_LEASE)
    deadline = by_code(with_report, "assignation_possible_des")
    assert "doit saisir la CCAPEX" not in deadline.rule
    assert "qui vaut saisine de la CCAPEX" in deadline.rule and "Point non tranché" in deadline.unsettled


def test_summons_before_the_deemed_referral_wait_is_warned():
    events = [ev("signalement_caf", "2025-01-10"), ev("assignation", "2025-03-05", hearing="2025-05-05")]
    [alert] = [a for a in compute(events, departement="54", lease_date=None).alerts
               if a.code == "assignation_avant_delai_ccapex"]
    assert "10/03/2025" in alert.message and "réputée" in alert.message
    ok = [ev("signalement_caf", "2025-01-10"), ev("assignation", "2025-03-11", hearing="2025-05-30")]
    assert "assignation_avant_delai_ccapex" not in alert_codes(compute(ok, departement="54", lease_date=None))


def test_late_caf_report_is_warned_and_the_deadline_code_is_kept():
    events = [ev("impaye_constitue", "2025-08-31"), ev("signalement_caf", "2025-11-05")]
    result = compute(events, departement="57", lease_date=None)
    assert by_code(result, "signalement_caf").date == D("2025-10-31")
    assert "signalement_caf_tardif" in alert_codes(result)


# --- 4. new steps ---------------------------------------------------------------------------------------

def test_dsf_public_function():
    assert dsf_deadline(D("2025-06-26"), "57") == D("2025-06-19")
    assert dsf_deadline(D("2025-04-22"), "57") == D("2025-04-11")
    assert dsf_deadline(D("2021-01-07"), "54") is None
    assert dsf_interview_deadline(D("2025-05-02"), "54") == D("2025-05-26")


def test_late_dsf_and_late_interview_are_warned():
    events = [ev("assignation", "2025-04-20", hearing="2025-06-26"), ev("saisine_dsf", "2025-05-02"),
              ev("entretien_propose", "2025-05-27"), ev("dsf_transmis", "2025-06-20")]
    codes = alert_codes(compute(events, departement="54", lease_date=None))
    assert "dsf_tardif" in codes and "entretien_dsf_tardif" in codes
    on_time = [ev("assignation", "2025-04-20", hearing="2025-06-26"), ev("saisine_dsf", "2025-05-02"),
               ev("entretien_propose", "2025-05-26"), ev("dsf_transmis", "2025-06-19")]
    codes = alert_codes(compute(on_time, departement="54", lease_date=None))
    assert "dsf_tardif" not in codes and "entretien_dsf_tardif" not in codes


def test_cql_notification_and_dalo_information():
    plain = compute([ev("commandement_de_quitter_les_lieux", "2025-03-03")], departement="54", lease_date=None)
    assert "cql_notification_prefet_non_enregistree" in alert_codes(plain)
    late = compute([ev("commandement_de_quitter_les_lieux", "2025-03-03"), ev("cql_notifie_prefet", "2025-03-10"),
                    ev("information_dalo", "2025-03-20")], departement="54", lease_date=None)
    cql = by_code(late, "fin_delai_cql")
    assert "suspendu" in cql.rule and "DALO" in cql.rule and "Point non tranché" in cql.unsettled
    assert alert_codes(late) == ["cql_notification_prefet_tardive"]


def test_cql_reduction_texts():
    removed = compute([ev("reduction_delai_cql", "2025-04-10", months=0),
                       ev("commandement_de_quitter_les_lieux", "2025-05-05")], departement="54", lease_date=None)
    cql = by_code(removed, "fin_delai_cql")
    assert cql.date == D("2025-05-05") and "supprimé" in cql.rule and "L.412-1" in cql.rule


def test_surendettement_alerts():
    result = compute(SURENDETTEMENT[:4], departement="54", lease_date=None)
    assert alert_codes(result)[-2:] == ["surendettement_recevable", "suspension_expulsion_demandee"]
    assert result.eviction_possible_from == D("2025-05-05")  # a request alone suspends nothing
    wiped = compute([*SURENDETTEMENT, ev("retablissement_personnel", "2025-10-01")], departement="54",
                    lease_date=None)
    assert "retablissement_personnel" in alert_codes(wiped)
    assert "effacée" in by_code(wiped, "fin_suspension_clause_resolutoire").rule


def test_dalo_recognised_and_apl_decision():
    result = compute([ev("recours_dalo", "2025-01-15"), ev("dalo_reconnu", "2025-03-20"),
                      ev("decision_ccapex_apl", "2025-02-01", apl_maintained=False)], departement="54",
                     lease_date=None)
    assert alert_codes(result) == ["dalo_reconnu", "apl_suspendue"]
    kept = compute([ev("decision_ccapex_apl", "2025-02-01", apl_maintained=True)], departement="54", lease_date=None)
    assert kept.alerts == [] and kept.deadlines == []


@pytest.mark.parametrize(("events", "message"), [
    ([ev("reduction_delai_cql", "2025-04-10", months=2)], "0 (délai supprimé) ou 1 mois"),
    ([ev("reduction_delai_cql", "2025-04-10")], "obligatoire"),
    ([ev("prorogation_delai_cql", "2025-04-10", months=4)], "de 1 à 3 mois"),
    ([ev("prorogation_delai_cql", "2025-04-10", months=0)], "de 1 à 3 mois"),
    ([ev("reduction_delai_cql", "2025-04-10", months=1), ev("prorogation_delai_cql", "2025-06-10", months=1)],
     "à la fois"),
    ([ev("commandement_de_quitter_les_lieux", "2025-04-10"), ev("cql_notifie_prefet", "2025-04-01")],
     "précède le commandement"),
    ([ev("depot_surendettement", "2025-04-10"), ev("recevabilite_surendettement", "2025-04-01")],
     "précède le dépôt"),
    ([ev("recevabilite_surendettement", "2025-04-10"), ev("demande_suspension_expulsion", "2025-04-01")],
     "L.722-6"),
    ([ev("recevabilite_surendettement", "2025-04-10"), ev("suspension_expulsion", "2025-04-01")], "L.722-6"),
    ([ev("recevabilite_surendettement", "2025-04-10"), ev("retablissement_personnel", "2025-04-01")],
     "précède la décision de recevabilité"),
    ([ev("recours_dalo", "2025-04-10"), ev("dalo_reconnu", "2025-04-01")], "précède le recours"),
    ([ev("saisine_dsf", "2025-04-10"), ev("entretien_propose", "2025-04-01")], "avant la saisine"),
    ([ev("decision_ccapex_apl", "2025-04-10")], "apl_maintenue"),
])
def test_new_steps_refused_naming_the_event(events, message):
    with pytest.raises(DeadlineInputError) as exc:
        compute(events, departement="54", lease_date=None)
    assert message in str(exc.value) and "vénement n°" in str(exc.value)


# --- the command: JSON keys of issue 13 -------------------------------------------------------------------

def run(monkeypatch, capsys, payload):
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(payload)))
    call_command("procedure_deadlines", "-")
    return json.loads(capsys.readouterr().out)


def test_command_issue_examples(monkeypatch, capsys):
    output = run(monkeypatch, capsys, {"departement": "54", "evenements": [
        {"type": "assignation", "date": "2022-03-15", "audience": "2022-05-10"},
        {"type": "jugement", "date": "2022-07-01", "refere": True},
        {"type": "signification_jugement", "date": "2022-07-08"},
        {"type": "commandement_de_quitter_les_lieux", "date": "2022-09-01"},
        {"type": "delais_jex", "date": "2022-10-03", "mois": 18},
    ]})
    dates = {e["code"]: e["date"] for e in output["echeances"]}
    assert dates["notification_prefet_au_plus_tard"] == "2022-03-10"
    assert dates["fin_delai_appel"] == "2022-07-25"  # 23/07/2022 is a Saturday
    assert dates["fin_delais_jex"] == "2024-04-03"
    assert dates["dsf_au_plus_tard"] == "2022-05-03"
    assert output["expulsion_possible_des"] == "2024-04-04"
    codes = [a["code"] for a in output["alertes"]]
    assert "notification_prefet_impossible" in codes
    for item in output["alertes"]:
        assert set(item) == {"code", "message", "source"} and item["message"] and item["source"]


@pytest.mark.parametrize(("event", "expected"), [
    ({"type": "jugement", "date": "2025-05-02", "refere": "oui"}, "Événement n° 1 (jugement), refere"),
    ({"type": "decision_ccapex_apl", "date": "2025-05-02", "apl_maintenue": 1}, "apl_maintenue"),
    ({"type": "decision_ccapex_apl", "date": "2025-05-02"}, "Événement n° 1 (decision_ccapex_apl du 02/05/2025)"),
    ({"type": "prorogation_delai_cql", "date": "2025-05-02", "mois": 6}, "CPCE L.412-2"),
    ({"type": "delais_jex", "date": "2022-05-02", "mois": 2}, "entre 3 et 36 mois"),
])
def test_command_refusals_exit_2(monkeypatch, capsys, event, expected):
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps({"departement": "54", "evenements": [event]})))
    with pytest.raises(SystemExit) as exc:
        call_command("procedure_deadlines", "-")
    captured = capsys.readouterr()
    assert exc.value.code == 2 and captured.out == ""
    assert expected in captured.err and captured.err.startswith("Erreur : ")


def test_every_new_deadline_fits_the_stored_columns():
    """ProcedureDeadline stores code (40), label (200) and source (300): a longer one would fail to save."""
    events = [ev("impaye_constitue", "2022-01-05"), ev("signalement_caf", "2022-01-10"),
              ev("commandement_de_payer", "2022-01-20"), *SUMMONS_2022, ev("saisine_dsf", "2022-03-20"),
              ev("jugement", "2022-07-01", refere=True, payment_delay_months=12),
              ev("signification_jugement", "2022-07-08"), ev("commandement_de_quitter_les_lieux", "2022-09-01"),
              ev("prorogation_delai_cql", "2022-09-20", months=2),
              ev("delais_jex", "2022-10-03", months=18), ev("depot_surendettement", "2022-10-05"),
              ev("recevabilite_surendettement", "2022-11-05"), ev("suspension_expulsion", "2022-12-01"),
              ev("retablissement_personnel", "2023-06-01"), ev("recours_dalo", "2022-10-01"),
              ev("demande_cfp", "2024-05-01"), ev("protocole_cohesion_sociale", "2024-06-01")]
    result = compute(events, departement="57", lease_date=OLD_LEASE)
    assert {d.code for d in result.deadlines} == set(LABELS)
    for deadline in result.deadlines:
        assert len(deadline.code) <= 40 and len(deadline.label) <= 200 and len(deadline.source) <= 300
