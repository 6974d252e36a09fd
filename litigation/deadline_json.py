"""The JSON contract of `manage.py procedure_deadlines` (docs/procedure_deadlines.md), kept apart from
the command so that it is tested without a subprocess. No ORM."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from . import deadlines
from .deadlines import DeadlineInputError, Event


class InputError(ValueError):
    """Invalid input; the French message names the faulty event."""


def _date(value: Any, what: str) -> date:
    if not isinstance(value, str):
        raise InputError(f"{what} : date manquante ou invalide ({json.dumps(value, ensure_ascii=False)}), "
                         f"format attendu AAAA-MM-JJ.")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{what} : date invalide « {value} », format attendu AAAA-MM-JJ.") from None


def _int(value: Any, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InputError(f"{what} : nombre de mois invalide ({json.dumps(value, ensure_ascii=False)}).")
    if isinstance(value, str):
        if not value.strip().lstrip("-").isdigit():
            raise InputError(f"{what} : nombre de mois invalide « {value} ».")
        return int(value)
    return int(value)


def _bool(value: Any, what: str) -> bool | None:
    if value is None:
        return None
    if not isinstance(value, bool):
        raise InputError(f"{what} : valeur invalide ({json.dumps(value, ensure_ascii=False)}), attendu true ou "
                         f"false.")
    return value


def parse(raw: str) -> tuple[list[Event], str, date | None]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"JSON invalide (ligne {exc.lineno}, colonne {exc.colno}) : {exc.msg}.") from None
    if not isinstance(data, dict):
        raise InputError("Le JSON doit être un objet avec les clés departement, bail_signe_le et evenements.")
    departement = data.get("departement")
    if isinstance(departement, int) and not isinstance(departement, bool):
        departement = f"{departement:02d}"
    if not isinstance(departement, str) or not departement.strip():
        raise InputError("Le département (clé « departement ») est obligatoire, par exemple \"57\".")
    departement = departement.strip().upper()
    lease_raw = data.get("bail_signe_le")
    lease_date = None if lease_raw in (None, "") else _date(lease_raw, "Date du bail (bail_signe_le)")
    items = data.get("evenements", [])
    if not isinstance(items, list):
        raise InputError("La clé « evenements » doit être une liste d'événements.")
    events: list[Event] = []
    for index, item in enumerate(items):
        number = f"Événement n° {index + 1}"
        if not isinstance(item, dict):
            raise InputError(f"{number} : un événement doit être un objet JSON.")
        event_type = item.get("type")
        if not isinstance(event_type, str) or not event_type:
            raise InputError(f"{number} : le type est obligatoire.")
        name = f"{number} ({event_type})"
        if event_type not in deadlines.KNOWN_EVENT_TYPES:
            raise InputError(f"{name} : type d'événement inconnu « {event_type} ».")
        day = _date(item.get("date"), name)
        label = f"événement n° {index + 1} ({event_type} du {day:%d/%m/%Y})"
        hearing = item.get("audience")
        events.append(Event(
            type=event_type, date=day,
            hearing=None if hearing in (None, "") else _date(hearing, f"{name}, audience"),
            payment_delay_months=_int(item.get("delais_paiement_mois"), f"{name}, delais_paiement_mois"),
            months=_int(item.get("mois"), f"{name}, mois"),
            label=label,
            refere=bool(_bool(item.get("refere"), f"{name}, refere")) if event_type == "jugement" else False,
            apl_maintained=(_bool(item.get("apl_maintenue"), f"{name}, apl_maintenue")
                            if event_type == "decision_ccapex_apl" else None)))
    return events, departement, lease_date


def compute_from_json(raw: str, *, truce_start: str = "11-01", truce_end: str = "03-31") -> dict[str, Any]:
    events, departement, lease_date = parse(raw)
    try:
        result = deadlines.compute(events, departement=departement, lease_date=lease_date,
                                   truce_start=truce_start, truce_end=truce_end)
    except DeadlineInputError as exc:
        raise InputError(str(exc)) from None
    return {
        "echeances": [
            {"code": d.code, "date": d.date.isoformat(),
             "regle": d.full_rule, "source": d.source}
            for d in result.deadlines
        ],
        "expulsion_possible_des": (result.eviction_possible_from.isoformat()
                                   if result.eviction_possible_from else None),
        "alertes": [{"code": a.code, "message": a.message, "source": a.source} for a in result.alerts],
    }
