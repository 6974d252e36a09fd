"""The legal deadlines of an eviction procedure (France, after the law of 27 July 2023).

Pure Python, no ORM: the input is a list of `Event` values, the département and the lease's signing
or last renewal date; the output is every deadline with its date, its rule and its source, and the
earliest date a forced eviction becomes lawful. The specification is "The eviction procedure" in
docs/domain.md and docs/procedure_deadlines.md; the JSON contract of `manage.py procedure_deadlines` is documented in
docs/procedure_deadlines.md.

Counting (Code de procédure civile, art. 640 to 642):
- a delay runs from the day after the act and ends at midnight on its last day;
- months end on the same day number of the last month, or on that month's last day when the day
  number does not exist; weeks end on the same weekday;
- a delay within which an act must be done and which ends on a Saturday, Sunday or public holiday
  runs to the next working day; a waiting period ("no summons / no eviction before…") and a delay
  counted backwards from a hearing are never extended;
- public holidays are those of the département: Alsace-Moselle (57, 67, 68) adds Good Friday and
  26 December (ZEL applies them to the whole of the three départements).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays

# The day the law of 27 July 2023 came into force: leases signed or renewed from this day have a
# 6-week commandement period, older ones 2 months (Cass. avis 13/06/2024 n° 24-70.002).
LAW_2023_IN_FORCE = date(2023, 7, 29)

MAX_PAYMENT_DELAY_MONTHS = 36  # loi 89-462 art. 24 V
MIN_JEX_MONTHS, MAX_JEX_MONTHS = 1, 12  # CPCE L.412-4 since 29/07/2023
MAX_PROTOCOL_MONTHS = 60  # 2 years, extendable by at most 3 more (CCH L.353-15-2)
DEFAULT_PROTOCOL_MONTHS = 24


class EventCode:
    IMPAYE_CONSTITUE = "impaye_constitue"
    SAISINE_CCAPEX = "saisine_ccapex"
    COMMANDEMENT_DE_PAYER = "commandement_de_payer"
    ASSIGNATION = "assignation"
    AUDIENCE_RENVOYEE = "audience_renvoyee"
    JUGEMENT = "jugement"
    SIGNIFICATION_JUGEMENT = "signification_jugement"
    COMMANDEMENT_DE_QUITTER = "commandement_de_quitter_les_lieux"
    DELAIS_JEX = "delais_jex"
    DEMANDE_CFP = "demande_cfp"
    CFP_ACCORDEE = "cfp_accordee"
    CFP_REFUSEE = "cfp_refusee"
    EXPULSION_REALISEE = "expulsion_realisee"
    PROTOCOLE = "protocole_cohesion_sociale"
    DESISTEMENT = "desistement_bailleur"
    DETTE_SOLDEE = "dette_soldee"
    CLOTURE = "cloture"


KNOWN_EVENT_TYPES = frozenset(v for k, v in vars(EventCode).items() if not k.startswith("_"))
# After one of these, no eviction can follow in this procedure.
ENDING_EVENT_TYPES = frozenset({EventCode.EXPULSION_REALISEE, EventCode.DESISTEMENT, EventCode.DETTE_SOLDEE,
                                EventCode.CLOTURE})


class DeadlineCode:
    SIGNALEMENT_CAF = "signalement_caf"
    ASSIGNATION_POSSIBLE_DES = "assignation_possible_des"
    FIN_DELAI_COMMANDEMENT = "fin_delai_commandement"
    NOTIFICATION_PREFET = "notification_prefet_au_plus_tard"
    FIN_DELAIS_PAIEMENT = "fin_delais_paiement"
    FIN_DELAI_APPEL = "fin_delai_appel"
    FIN_DELAI_CQL = "fin_delai_cql"
    FIN_DELAIS_JEX = "fin_delais_jex"
    REFUS_IMPLICITE_CFP = "refus_implicite_cfp"
    FIN_PROTOCOLE = "fin_protocole"


LABELS = {
    DeadlineCode.SIGNALEMENT_CAF: "Signalement de l'impayé à la CAF/MSA au plus tard",
    DeadlineCode.ASSIGNATION_POSSIBLE_DES: "Assignation possible dès",
    DeadlineCode.FIN_DELAI_COMMANDEMENT: "Fin du délai de paiement du commandement",
    DeadlineCode.NOTIFICATION_PREFET: "Notification de l'assignation au préfet au plus tard",
    DeadlineCode.FIN_DELAIS_PAIEMENT: "Fin des délais de paiement accordés par le juge",
    DeadlineCode.FIN_DELAI_APPEL: "Fin du délai d'appel",
    DeadlineCode.FIN_DELAI_CQL: "Fin du délai du commandement de quitter les lieux",
    DeadlineCode.FIN_DELAIS_JEX: "Fin des délais accordés par le juge de l'exécution",
    DeadlineCode.REFUS_IMPLICITE_CFP: "Refus implicite du concours de la force publique",
    DeadlineCode.FIN_PROTOCOLE: "Fin du protocole de cohésion sociale",
}


class DeadlineInputError(ValueError):
    """Invalid legal input; the message is French and names the faulty event."""


@dataclass(frozen=True)
class Event:
    type: str
    date: date
    hearing: date | None = None  # assignation, audience_renvoyee: the hearing date
    payment_delay_months: int | None = None  # jugement: payment delays granted
    months: int | None = None  # delais_jex, protocole: duration
    label: str = ""  # how to name the event in an error ("événement n° 2")


@dataclass(frozen=True)
class Deadline:
    code: str
    date: date
    rule: str
    source: str
    event_type: str = ""
    event_date: date | None = None
    extended: bool = False
    unsettled: str = ""  # an unsettled legal point, shown to the user as such

    @property
    def label(self) -> str:
        return LABELS[self.code]


@dataclass(frozen=True)
class Result:
    deadlines: list[Deadline]
    eviction_possible_from: date | None
    eviction_rule: str = ""
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Calendar
# ---------------------------------------------------------------------------------------------

ALSACE_MOSELLE = frozenset({"57", "67", "68"})
DEPARTEMENT_RE = re.compile(r"^(0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])$")


def _holiday_subdivision(departement: str) -> str | None:
    if departement == "57":
        return "57"
    if departement in {"67", "68"}:
        return "6AE"  # the package's Alsace subdivision
    if departement in holidays.France.subdivisions:
        return departement  # overseas départements (971…)
    return None


@lru_cache(maxsize=32)
def _holidays(departement: str, year: int) -> frozenset[date]:
    days = set(holidays.France(subdiv=_holiday_subdivision(departement), years=[year]).keys())
    if departement in ALSACE_MOSELLE:
        # holidays 0.109 already has both for "57" and "6AE"; kept so a package change cannot
        # silently drop the local law (Code du travail L.3134-13).
        days.add(date(year, 12, 26))
        days.add(_easter(year) - timedelta(days=2))
    return frozenset(days)


def _easter(year: int) -> date:
    from dateutil.easter import easter

    return easter(year)


def is_public_holiday(day: date, departement: str) -> bool:
    return day in _holidays(departement, day.year)


def is_working_day(day: date, departement: str) -> bool:
    return day.weekday() < 5 and not is_public_holiday(day, departement)


def next_working_day(day: date, departement: str) -> date:
    while not is_working_day(day, departement):
        day += timedelta(days=1)
    return day


def add_months(day: date, months: int) -> date:
    """Same day number `months` later, or that month's last day (31/01 + 1 month = 28 or 29/02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_weeks(day: date, weeks: int) -> date:
    return day + timedelta(weeks=weeks)


def _parse_month_day(value: str) -> tuple[int, int]:
    month, day = (int(part) for part in value.split("-"))
    date(2024, month, day)  # raises ValueError on an impossible day
    return month, day


def in_truce(day: date, truce_start: str = "11-01", truce_end: str = "03-31") -> bool:
    start, end = _parse_month_day(truce_start), _parse_month_day(truce_end)
    md = (day.month, day.day)
    if start <= end:
        return start <= md <= end
    return md >= start or md <= end


def after_truce(day: date, truce_start: str = "11-01", truce_end: str = "03-31") -> date:
    """The day itself if outside the truce, else the day after the truce ends."""
    if not in_truce(day, truce_start, truce_end):
        return day
    end_month, end_day = _parse_month_day(truce_end)
    end = date(day.year, end_month, end_day)
    if end < day:
        end = date(day.year + 1, end_month, end_day)
    return end + timedelta(days=1)


def _fr(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------

def _name(event: Event, index: int) -> str:
    return event.label or f"événement n° {index + 1} ({event.type} du {_fr(event.date)})"


def validate(events: Iterable[Event], departement: str) -> list[Event]:
    events = list(events)
    if not isinstance(departement, str) or not DEPARTEMENT_RE.match(departement):
        raise DeadlineInputError(f"Département inconnu : « {departement} » (attendu par exemple 57 ou 54).")
    for index, event in enumerate(events):
        name = _name(event, index)
        if event.type not in KNOWN_EVENT_TYPES:
            raise DeadlineInputError(f"{name.capitalize()} : type d'événement inconnu « {event.type} ».")
        if event.type in {EventCode.ASSIGNATION, EventCode.AUDIENCE_RENVOYEE}:
            if event.hearing is None:
                raise DeadlineInputError(f"{name.capitalize()} : la date d'audience est obligatoire.")
            if event.hearing <= event.date:
                raise DeadlineInputError(
                    f"{name.capitalize()} : l'audience du {_fr(event.hearing)} n'est pas postérieure à "
                    f"l'assignation du {_fr(event.date)}.")
        if (event.type == EventCode.JUGEMENT and event.payment_delay_months is not None
                and not 0 <= event.payment_delay_months <= MAX_PAYMENT_DELAY_MONTHS):
                raise DeadlineInputError(
                    f"{name.capitalize()} : des délais de paiement de {event.payment_delay_months} mois sont "
                    f"impossibles (entre 0 et {MAX_PAYMENT_DELAY_MONTHS} mois, loi 89-462 art. 24 V).")
        if event.type == EventCode.DELAIS_JEX:
            if event.months is None:
                raise DeadlineInputError(f"{name.capitalize()} : la durée des délais (mois) est obligatoire.")
            if not MIN_JEX_MONTHS <= event.months <= MAX_JEX_MONTHS:
                raise DeadlineInputError(
                    f"{name.capitalize()} : des délais du juge de l'exécution de {event.months} mois sont "
                    f"impossibles (entre {MIN_JEX_MONTHS} et {MAX_JEX_MONTHS} mois, CPCE L.412-4).")
        if (event.type == EventCode.PROTOCOLE and event.months is not None
                and not 1 <= event.months <= MAX_PROTOCOL_MONTHS):
                raise DeadlineInputError(
                    f"{name.capitalize()} : un protocole de {event.months} mois est impossible (au plus "
                    f"2 ans prolongeables de 3 ans, soit {MAX_PROTOCOL_MONTHS} mois, CCH L.353-15-2).")
    # A hearing cannot precede the summons that set it, even through a postponement.
    summons = [e for e in events if e.type == EventCode.ASSIGNATION]
    for index, event in enumerate(events):
        if event.type == EventCode.AUDIENCE_RENVOYEE and summons:
            first = min(e.date for e in summons)
            if event.hearing <= first:
                raise DeadlineInputError(
                    f"{_name(event, index).capitalize()} : l'audience du {_fr(event.hearing)} précède "
                    f"l'assignation du {_fr(first)}.")
    return events


# ---------------------------------------------------------------------------------------------
# The rules
# ---------------------------------------------------------------------------------------------

COMMANDEMENT_UNSETTLED = (
    "Point non tranché : la prorogation au jour ouvrable suivant (CPC art. 642) du délai de paiement "
    "du commandement est discutée ; ZEL l'applique (lecture protectrice du locataire).")
LEASE_DATE_UNSETTLED = (
    "Point non tranché : pour un bail social ancien jamais renouvelé, ZEL retient la date de signature "
    "ou du dernier renouvellement du bail pour choisir entre 6 semaines et 2 mois.")


def _latest(events: list[Event], event_type: str) -> Event | None:
    matching = [e for e in events if e.type == event_type]
    return max(matching, key=lambda e: e.date) if matching else None


def _extend(day: date, departement: str) -> tuple[date, bool]:
    extended = next_working_day(day, departement)
    return extended, extended != day


def _extension_text(raw: date, final: date, extended: bool, departement: str = "") -> str:
    if not extended:
        return ""
    text = (f" Le délai expirait le {_fr(raw)}, samedi, dimanche ou jour férié : il est prorogé au "
            f"premier jour ouvrable suivant, le {_fr(final)} (CPC art. 642).")
    if departement in ALSACE_MOSELLE:
        text += (" Jours fériés d'Alsace-Moselle (Vendredi saint et 26 décembre) appliqués dans tout le "
                 "département, y compris le Vendredi saint dans les communes sans temple protestant ni "
                 "église mixte.")
    return text


def compute(events: Iterable[Event], *, departement: str, lease_date: date | None,
            truce_start: str = "11-01", truce_end: str = "03-31") -> Result:
    """Every deadline of the procedure, sorted by date, and the earliest lawful eviction date."""
    events = sorted(validate(events, departement), key=lambda e: e.date)
    _parse_month_day(truce_start), _parse_month_day(truce_end)
    deadlines: list[Deadline] = []
    warnings: list[str] = []

    def add(code: str, day: date, rule: str, source: str, event: Event, *, extended: bool = False,
            unsettled: str = "") -> Deadline:
        deadline = Deadline(code=code, date=day, rule=rule, source=source, event_type=event.type,
                            event_date=event.date, extended=extended, unsettled=unsettled)
        deadlines.append(deadline)
        return deadline

    # Arrears constituted: report to the CAF/MSA within 2 months (an act to do: extended).
    if (event := _latest(events, EventCode.IMPAYE_CONSTITUE)) is not None:
        raw = add_months(event.date, 2)
        day, extended = _extend(raw, departement)
        add(DeadlineCode.SIGNALEMENT_CAF, day,
            f"Le bailleur signale l'impayé constitué le {_fr(event.date)} à l'organisme payeur de l'aide au "
            f"logement dans les 2 mois (sauf apurement) ; la CAF demande ensuite un plan d'apurement dans "
            f"les 6 mois.{_extension_text(raw, day, extended, departement)}",
            "CCH R.824-1, R.824-4", event, extended=extended)

    # Commandement de payer: 6 weeks or 2 months depending on the lease date (an act to do: extended).
    commandement_end: date | None = None
    if (event := _latest(events, EventCode.COMMANDEMENT_DE_PAYER)) is not None:
        if lease_date is None:
            raw, period = add_months(event.date, 2), "2 mois"
            why = ("Date du bail inconnue : ZEL retient le délai le plus long, 2 mois, protecteur du "
                   "locataire.")
        elif lease_date >= LAW_2023_IN_FORCE:
            raw, period = add_weeks(event.date, 6), "6 semaines"
            why = (f"Bail signé ou renouvelé le {_fr(lease_date)}, à partir du 29/07/2023 : délai de 6 "
                   f"semaines (loi 2023-668).")
        else:
            raw, period = add_months(event.date, 2), "2 mois"
            why = (f"Bail signé ou renouvelé le {_fr(lease_date)}, avant le 29/07/2023 : l'ancien délai de "
                   f"2 mois s'applique.")
        day, extended = _extend(raw, departement)
        commandement_end = day
        add(DeadlineCode.FIN_DELAI_COMMANDEMENT, day,
            f"Commandement de payer signifié le {_fr(event.date)} : le locataire a {period} pour payer, "
            f"délai qui court du lendemain et expire le {_fr(raw)} à minuit. {why}"
            f"{_extension_text(raw, day, extended, departement)}",
            "Loi 89-462 art. 24 I (loi 2023-668 art. 10) ; Cass. avis 13/06/2024 n° 24-70.002 ; "
            "CPC art. 640-642", event, extended=extended,
            unsettled=COMMANDEMENT_UNSETTLED + " " + LEASE_DATE_UNSETTLED)

    # Summons possible from: after the CCAPEX waiting period (never extended) and after the
    # commandement period (a summons to note the resolutory clause needs it to have run out).
    ccapex = _latest(events, EventCode.SAISINE_CCAPEX)
    if ccapex is not None or commandement_end is not None:
        candidates: list[tuple[date, str, Event]] = []
        if ccapex is not None:
            wait_end = add_months(ccapex.date, 2)
            candidates.append((wait_end + timedelta(days=1),
                               f"saisine de la CCAPEX le {_fr(ccapex.date)} : pas d'assignation avant "
                               f"l'expiration d'un délai de 2 mois, le {_fr(wait_end)} à minuit (délai "
                               f"d'attente, non prorogé)", ccapex))
        if commandement_end is not None:
            cmd = _latest(events, EventCode.COMMANDEMENT_DE_PAYER)
            candidates.append((commandement_end + timedelta(days=1),
                               f"commandement de payer resté sans effet à l'expiration de son délai, le "
                               f"{_fr(commandement_end)}", cmd))
        day, _why, source_event = max(candidates, key=lambda c: c[0])
        reasons = " ; ".join(c[1] for c in candidates)
        missing = "" if ccapex is not None else (
            " Le bailleur personne morale doit saisir la CCAPEX au moins 2 mois avant d'assigner, à "
            "peine d'irrecevabilité.")
        add(DeadlineCode.ASSIGNATION_POSSIBLE_DES, day,
            f"L'assignation est possible à partir du {_fr(day)} : {reasons}.{missing}",
            "Loi 89-462 art. 24 I et II ; CPC art. 641", source_event)

    # Summons: notify the préfet at least 6 weeks before the hearing (counted backwards: never extended).
    if (event := _latest(events, EventCode.ASSIGNATION)) is not None:
        day = add_weeks(event.hearing, -6)
        note = ""
        if not is_working_day(day, departement):
            note = (" Ce jour est un samedi, dimanche ou jour férié : un délai compté à rebours depuis "
                    "l'audience n'est jamais reporté, il faut notifier avant.")
        if day < event.date:
            warnings.append(
                f"L'audience du {_fr(event.hearing)} est à moins de 6 semaines de l'assignation du "
                f"{_fr(event.date)} : la notification au préfet ne peut plus être faite à temps "
                f"(irrecevabilité).")
        add(DeadlineCode.NOTIFICATION_PREFET, day,
            f"Assignation du {_fr(event.date)}, audience le {_fr(event.hearing)} : l'assignation est notifiée "
            f"au préfet au moins 6 semaines avant l'audience, soit au plus tard le {_fr(day)}.{note} Un "
            f"diagnostic social et financier est transmis au juge avant l'audience.",
            "Loi 89-462 art. 24 III", event)
        if commandement_end is not None and event.date <= commandement_end:
            warnings.append(f"L'assignation du {_fr(event.date)} est antérieure à la fin du délai du "
                            f"commandement de payer ({_fr(commandement_end)}).")

    # Judgment: payment delays (at most 3 years) run from the judgment (an act to do: extended).
    if (event := _latest(events, EventCode.JUGEMENT)) is not None and event.payment_delay_months:
        raw = add_months(event.date, event.payment_delay_months)
        day, extended = _extend(raw, departement)
        add(DeadlineCode.FIN_DELAIS_PAIEMENT, day,
            f"Jugement du {_fr(event.date)} accordant {event.payment_delay_months} mois de délais de "
            f"paiement : la clause résolutoire est suspendue tant qu'ils sont respectés ; délai expirant "
            f"le {_fr(raw)}.{_extension_text(raw, day, extended, departement)}",
            "Loi 89-462 art. 24 V ; CPC art. 640-642", event, extended=extended)

    # Service of the judgment: appeal within 1 month (extended).
    if (event := _latest(events, EventCode.SIGNIFICATION_JUGEMENT)) is not None:
        raw = add_months(event.date, 1)
        day, extended = _extend(raw, departement)
        add(DeadlineCode.FIN_DELAI_APPEL, day,
            f"Jugement signifié le {_fr(event.date)} : appel possible pendant 1 mois, jusqu'au {_fr(day)} "
            f"inclus. Le jugement est exécutoire de droit à titre provisoire."
            f"{_extension_text(raw, day, extended, departement)}",
            "CPC art. 514, 538, 640, 641, 642", event, extended=extended)

    # CQL: no eviction before 2 months (a waiting period: not extended).
    eviction_from: date | None = None
    eviction_steps: list[str] = []
    if (event := _latest(events, EventCode.COMMANDEMENT_DE_QUITTER)) is not None:
        day = add_months(event.date, 2)
        add(DeadlineCode.FIN_DELAI_CQL, day,
            f"Commandement de quitter les lieux du {_fr(event.date)} : aucune expulsion avant l'expiration "
            f"d'un délai de 2 mois, le {_fr(day)} à minuit (délai d'attente, non prorogé ; le juge peut le "
            f"réduire ou l'allonger de 3 mois au plus).",
            "CPCE L.412-1, L.412-2, L.412-5", event)
        eviction_from = day + timedelta(days=1)
        eviction_steps.append(f"fin du délai du commandement de quitter les lieux le {_fr(day)}")

    # Delays from the juge de l'exécution: 1 to 12 months from the decision (not extended).
    if (event := _latest(events, EventCode.DELAIS_JEX)) is not None:
        day = add_months(event.date, event.months)
        add(DeadlineCode.FIN_DELAIS_JEX, day,
            f"Le juge de l'exécution a accordé le {_fr(event.date)} des délais de {event.months} mois pour "
            f"quitter les lieux : aucune expulsion avant le {_fr(day + timedelta(days=1))}.",
            "CPCE L.412-3, L.412-4", event)
        if eviction_from is not None and day + timedelta(days=1) > eviction_from:
            eviction_from = day + timedelta(days=1)
            eviction_steps.append(f"fin des délais du juge de l'exécution le {_fr(day)}")

    # CFP: silence for 2 months is a refusal (administrative silence: not extended).
    if (event := _latest(events, EventCode.DEMANDE_CFP)) is not None:
        day = add_months(event.date, 2)
        add(DeadlineCode.REFUS_IMPLICITE_CFP, day,
            f"Concours de la force publique demandé le {_fr(event.date)} : le silence du préfet pendant 2 "
            f"mois vaut refus, acquis le {_fr(day)} ; la responsabilité de l'État est engagée ensuite, "
            f"hors trêve hivernale.",
            "CPCE R.153-1, R.154-1 et suivants", event)

    # Protocole de cohésion sociale: at most 2 years (+3); if kept, a new lease within 3 months.
    if (event := _latest(events, EventCode.PROTOCOLE)) is not None:
        months = event.months or DEFAULT_PROTOCOL_MONTHS
        day = add_months(event.date, months)
        add(DeadlineCode.FIN_PROTOCOLE, day,
            f"Protocole signé le {_fr(event.date)} pour {months} mois : s'il est respecté, le bailleur "
            f"propose un nouveau bail dans les 3 mois, au plus tard le {_fr(add_months(day, 3))}, et "
            f"renonce à l'expulsion. Durée maximale 2 ans, prolongeable de 3 ans.",
            "CCH L.353-15-2, L.442-6-5", event)

    eviction_rule = ""
    if eviction_from is not None and any(e.type in ENDING_EVENT_TYPES for e in events):
        eviction_from = None
        eviction_rule = "La procédure est terminée : aucune expulsion n'est à prévoir."
    elif eviction_from is not None:
        base = eviction_from
        lawful = after_truce(base, truce_start, truce_end)
        parts = [f"Expulsion possible au plus tôt le lendemain de la {eviction_steps[-1]}, soit le {_fr(base)}"]
        if lawful != base:
            parts.append(f"reportée après la trêve hivernale ({truce_start[3:]}/{truce_start[:2]} – "
                         f"{truce_end[3:]}/{truce_end[:2]}, CPCE L.412-6) au {_fr(lawful)}")
        # No enforcement on a Sunday or public holiday (CPCE L.141-1); Saturdays are allowed.
        after = lawful
        while lawful.weekday() == 6 or is_public_holiday(lawful, departement):
            lawful += timedelta(days=1)
        if lawful != after:
            parts.append(f"puis au jour suivant qui n'est ni un dimanche ni un jour férié (CPCE L.141-1), "
                         f"le {_fr(lawful)}")
        eviction_from = lawful
        eviction_rule = ", ".join(parts) + ". Sauf exceptions à la trêve (relogement assuré, entrée par "
        eviction_rule += "voie de fait), et sous réserve du concours de la force publique."

    deadlines.sort(key=lambda d: (d.date, d.code))
    return Result(deadlines=deadlines, eviction_possible_from=eviction_from, eviction_rule=eviction_rule,
                  warnings=warnings)


def next_deadline(result: Result, today: date) -> Deadline | None:
    """The nearest deadline on or after `today` (what the litigation list sorts by)."""
    upcoming = [d for d in result.deadlines if d.date >= today]
    return min(upcoming, key=lambda d: (d.date, d.code), default=None)
