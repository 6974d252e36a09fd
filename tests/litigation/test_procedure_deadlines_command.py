"""The `procedure_deadlines` command: the JSON contract of the issue, and its errors."""

import io
import json
import sys

import pytest
from django.core.management import call_command

EXAMPLE = {"departement": "57", "bail_signe_le": "2024-01-10",
           "evenements": [{"type": "commandement_de_payer", "date": "2025-03-14"},
                          {"type": "assignation", "date": "2025-04-20", "audience": "2025-06-26"}]}


def run(monkeypatch, capsys, payload, *, via_file=None):
    if via_file is None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(payload if isinstance(payload, str) else json.dumps(payload)))
        call_command("procedure_deadlines", "-")
    else:
        call_command("procedure_deadlines", str(via_file))
    return json.loads(capsys.readouterr().out)


def run_error(monkeypatch, capsys, payload):
    monkeypatch.setattr(sys, "stdin", io.StringIO(payload if isinstance(payload, str) else json.dumps(payload)))
    with pytest.raises(SystemExit) as exc:
        call_command("procedure_deadlines", "-")
    captured = capsys.readouterr()
    assert exc.value.code == 2
    assert captured.out == ""
    return captured.err


def test_issue_example_from_stdin(monkeypatch, capsys):
    output = run(monkeypatch, capsys, EXAMPLE)
    assert set(output) == {"echeances", "expulsion_possible_des", "alertes"}
    by_code = {e["code"]: e for e in output["echeances"]}
    assert by_code["fin_delai_commandement"]["date"] == "2025-04-25"
    assert by_code["assignation_possible_des"]["date"] == "2025-04-26"
    assert by_code["notification_prefet_au_plus_tard"]["date"] == "2025-05-15"
    assert output["expulsion_possible_des"] is None
    for item in output["echeances"]:
        assert set(item) == {"code", "date", "regle", "source"}
        assert item["regle"] and item["source"]
    assert "24 III" in by_code["notification_prefet_au_plus_tard"]["source"]


def test_reads_a_file_with_bom(tmp_path, monkeypatch, capsys):
    path = tmp_path / "cas.json"
    path.write_text(json.dumps({**EXAMPLE, "evenements": [
        {"type": "commandement_de_quitter_les_lieux", "date": "2025-09-01"},
        {"type": "delais_jex", "date": "2025-10-15", "mois": 2},
    ]}), encoding="utf-8-sig")
    output = run(monkeypatch, capsys, None, via_file=path)
    by_code = {e["code"]: e["date"] for e in output["echeances"]}
    assert by_code == {"fin_delai_cql": "2025-11-01", "fin_delais_jex": "2025-12-15"}
    assert output["expulsion_possible_des"] == "2026-04-01"


def test_every_deadline_code_of_the_issue(monkeypatch, capsys):
    payload = {"departement": "54", "bail_signe_le": "2020-01-10", "evenements": [
        {"type": "impaye_constitue", "date": "2024-09-05"},
        {"type": "saisine_ccapex", "date": "2024-10-01"},
        {"type": "commandement_de_payer", "date": "2024-10-15"},
        {"type": "assignation", "date": "2025-01-10", "audience": "2025-03-20"},
        {"type": "jugement", "date": "2025-04-10", "delais_paiement_mois": 12},
        {"type": "signification_jugement", "date": "2025-04-25"},
        {"type": "commandement_de_quitter_les_lieux", "date": "2025-06-02"},
        {"type": "delais_jex", "date": "2025-07-01", "mois": 2},
        {"type": "demande_cfp", "date": "2025-09-15"},
        {"type": "protocole_cohesion_sociale", "date": "2025-10-01"},
    ]}
    output = run(monkeypatch, capsys, payload)
    by_code = {e["code"]: e["date"] for e in output["echeances"]}
    assert by_code == {
        "signalement_caf": "2024-11-05",
        "fin_delai_commandement": "2024-12-16",  # 15/12/2024 is a Sunday
        "assignation_possible_des": "2024-12-17",
        "notification_prefet_au_plus_tard": "2025-02-06",
        "dsf_au_plus_tard": "2025-03-13",  # hearing Thursday 20/03/2025, 5 working days before
        "fin_delais_paiement": "2026-04-10",
        "fin_delai_appel": "2025-05-26",  # 25/05/2025 is a Sunday
        "fin_delai_cql": "2025-08-02",
        "fin_delais_jex": "2025-09-01",
        "refus_implicite_cfp": "2025-11-15",
        "fin_protocole": "2027-10-01",
    }
    assert output["expulsion_possible_des"] == "2025-09-02"
    dates = [e["date"] for e in output["echeances"]]
    assert dates == sorted(dates)


@pytest.mark.parametrize(("payload", "expected"), [
    ({"departement": "57", "evenements": [{"type": "delais_jex", "date": "2025-01-10", "mois": 14}]},
     "Événement n° 1 (delais_jex du 10/01/2025)"),
    ({"departement": "57", "evenements": [{"type": "commandement_de_payer", "date": "2025-01-10"},
                                          {"type": "jugement", "date": "2025-05-10",
                                           "delais_paiement_mois": 40}]},
     "Événement n° 2 (jugement du 10/05/2025) : des délais de paiement de 40 mois"),
    ({"departement": "57", "evenements": [{"type": "assignation", "date": "2025-04-20",
                                           "audience": "2025-04-01"}]},
     "l'audience du 01/04/2025 n'est pas postérieure à l'assignation du 20/04/2025"),
    ({"departement": "57", "evenements": [{"type": "expulsion", "date": "2025-04-20"}]},
     "Événement n° 1 (expulsion) : type d'événement inconnu"),
    ({"departement": "57", "evenements": [{"type": "jugement", "date": "20/04/2025"}]},
     "Événement n° 1 (jugement) : date invalide « 20/04/2025 »"),
    ({"departement": "57", "bail_signe_le": "2024-13-01", "evenements": []}, "bail_signe_le"),
    ({"evenements": []}, "département"),
    ("{pas du json", "JSON invalide"),
])
def test_invalid_input_exits_2_with_french_error(monkeypatch, capsys, payload, expected):
    err = run_error(monkeypatch, capsys, payload)
    assert expected in err
    assert err.startswith("Erreur : ")


def test_missing_file_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        call_command("procedure_deadlines", "/nonexistent/cas.json")
    assert exc.value.code == 2
    assert "Impossible de lire" in capsys.readouterr().err
