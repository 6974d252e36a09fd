"""The legal deadlines of an eviction procedure (France), each rule in the version in force on the
date of the act.

Pure Python, no ORM: the input is a list of `Event` values, the département and the lease's signing
or last renewal date; the output is every deadline with its date, its rule and its source, the
earliest date a forced eviction becomes lawful, and alerts (acts already late under the rule then in
force, effects of surendettement and DALO). The specification is "The eviction procedure" in
DOMAIN.md; the JSON contract of `manage.py procedure_deadlines` is documented in
docs/procedure_deadlines.md. Counting rules: `counting.py`; rule versions: `rules.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from .counting import (
    ALSACE_MOSELLE,
    DEPARTEMENT_RE,
    OVERSEAS_PREFIX,
    _parse_month_day,
    add_months,
    add_weeks,
    after_truce,
    fr,
    is_public_holiday,
    is_working_day,
    next_working_day,
    working_days_after,
    working_days_before,
)
from .rules import LAW_2023_IN_FORCE, Rule, RuleVersion, required_version, rule_version

_fr = fr
Day = date  # for annotations in classes that have a field named `date`

MAX_PAYMENT_DELAY_MONTHS = 36  # loi 89-462 art. 24 V
MIN_JEX_MONTHS, MAX_JEX_MONTHS = 1, 12  # CPCE L.412-4 since 29/07/2023 (rules.py has both versions)
MAX_PROTOCOL_MONTHS = 60  # 2 years, extendable by at most 3 more (CCH L.353-15-2)
DEFAULT_PROTOCOL_MONTHS = 24
CQL_MONTHS = 2  # CPCE L.412-1
MAX_CQL_REDUCED_MONTHS = 1  # a reduction leaves 0 (removed) or 1 month
MAX_CQL_EXTENSION_MONTHS = 3  # CPCE L.412-2
REFERE_APPEAL_DAYS = 15  # CPC art. 490
SURENDETTEMENT_SUSPENSION_MONTHS = 24  # C. consom. L.722-9: two years at most
RETABLISSEMENT_SUSPENSION_MONTHS = 24  # loi 89-462 art. 24 VI and VII
DALO_DECISION_MONTHS, DALO_DECISION_MONTHS_OVERSEAS = 3, 6  # CCH R.441-15


class EventCode:
    IMPAYE_CONSTITUE = "impaye_constitue"
    SAISINE_CCAPEX = "saisine_ccapex"
    SIGNALEMENT_CAF = "signalement_caf"  # the arrears reported to the CAF/MSA: deemed CCAPEX referral
    COMMANDEMENT_DE_PAYER = "commandement_de_payer"
    ASSIGNATION = "assignation"
    SAISINE_DSF = "saisine_dsf"  # the préfet refers the household to the DSF organisation
    ENTRETIEN_PROPOSE = "entretien_propose"
    DSF_TRANSMIS = "dsf_transmis"
    AUDIENCE_RENVOYEE = "audience_renvoyee"
    JUGEMENT = "jugement"
    SIGNIFICATION_JUGEMENT = "signification_jugement"
    COMMANDEMENT_DE_QUITTER = "commandement_de_quitter_les_lieux"
    CQL_NOTIFIE_PREFET = "cql_notifie_prefet"
    INFORMATION_DALO = "information_dalo"
    REDUCTION_DELAI_CQL = "reduction_delai_cql"
    PROROGATION_DELAI_CQL = "prorogation_delai_cql"
    DELAIS_JEX = "delais_jex"
    DEPOT_SURENDETTEMENT = "depot_surendettement"
    RECEVABILITE_SURENDETTEMENT = "recevabilite_surendettement"
    DEMANDE_SUSPENSION_EXPULSION = "demande_suspension_expulsion"
    SUSPENSION_EXPULSION = "suspension_expulsion"
    RETABLISSEMENT_PERSONNEL = "retablissement_personnel"
    RECOURS_DALO = "recours_dalo"
    DALO_RECONNU = "dalo_reconnu"
    DECISION_CCAPEX_APL = "decision_ccapex_apl"
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
    # Note: the deadline `signalement_caf` ("report the arrears by…", computed from `impaye_constitue`)
    # predates the event `signalement_caf` ("the arrears were reported on…"); both keep their name.
    SIGNALEMENT_CAF = "signalement_caf"
    ASSIGNATION_POSSIBLE_DES = "assignation_possible_des"
    FIN_DELAI_COMMANDEMENT = "fin_delai_commandement"
    NOTIFICATION_PREFET = "notification_prefet_au_plus_tard"
    ENTRETIEN_DSF = "entretien_dsf_au_plus_tard"
    DSF_AU_PLUS_TARD = "dsf_au_plus_tard"
    FIN_DELAIS_PAIEMENT = "fin_delais_paiement"
    FIN_DELAI_APPEL = "fin_delai_appel"
    FIN_DELAI_CQL = "fin_delai_cql"
    FIN_DELAIS_JEX = "fin_delais_jex"
    FIN_SUSPENSION_EXPULSION = "fin_suspension_expulsion"
    FIN_SUSPENSION_CLAUSE = "fin_suspension_clause_resolutoire"
    DECISION_DALO = "decision_dalo_attendue"
    REFUS_IMPLICITE_CFP = "refus_implicite_cfp"
    FIN_PROTOCOLE = "fin_protocole"


LABELS = {
    DeadlineCode.SIGNALEMENT_CAF: "Signalement de l'impayé à la CAF/MSA au plus tard",
    DeadlineCode.ASSIGNATION_POSSIBLE_DES: "Assignation possible dès",
    DeadlineCode.FIN_DELAI_COMMANDEMENT: "Fin du délai de paiement du commandement",
    DeadlineCode.NOTIFICATION_PREFET: "Notification de l'assignation au préfet au plus tard",
    DeadlineCode.ENTRETIEN_DSF: "Entretien du diagnostic social et financier proposé au plus tard",
    DeadlineCode.DSF_AU_PLUS_TARD: "Diagnostic social et financier transmis au juge et à la CCAPEX au plus tard",
    DeadlineCode.FIN_DELAIS_PAIEMENT: "Fin des délais de paiement accordés par le juge",
    DeadlineCode.FIN_DELAI_APPEL: "Fin du délai d'appel",
    DeadlineCode.FIN_DELAI_CQL: "Fin du délai du commandement de quitter les lieux",
    DeadlineCode.FIN_DELAIS_JEX: "Fin des délais accordés par le juge de l'exécution",
    DeadlineCode.FIN_SUSPENSION_EXPULSION: "Fin de la suspension de l'expulsion (surendettement) au plus tard",
    DeadlineCode.FIN_SUSPENSION_CLAUSE: "Fin de la suspension de la clause résolutoire (rétablissement personnel)",
    DeadlineCode.DECISION_DALO: "Décision de la commission de médiation DALO attendue",
    DeadlineCode.REFUS_IMPLICITE_CFP: "Refus implicite du concours de la force publique",
    DeadlineCode.FIN_PROTOCOLE: "Fin du protocole de cohésion sociale",
}


class AlertCode:
    NOTIFICATION_PREFET_IMPOSSIBLE = "notification_prefet_impossible"
    ASSIGNATION_AVANT_FIN_COMMANDEMENT = "assignation_avant_fin_commandement"
    ASSIGNATION_AVANT_DELAI_CCAPEX = "assignation_avant_delai_ccapex"
    SIGNALEMENT_CAF_TARDIF = "signalement_caf_tardif"
    ENTRETIEN_TARDIF = "entretien_dsf_tardif"
    DSF_TARDIF = "dsf_tardif"
    CQL_NOTIFICATION_NON_ENREGISTREE = "cql_notification_prefet_non_enregistree"
    CQL_NOTIFICATION_TARDIVE = "cql_notification_prefet_tardive"
    SURENDETTEMENT_RECEVABLE = "surendettement_recevable"
    SUSPENSION_DEMANDEE = "suspension_expulsion_demandee"
    RETABLISSEMENT_PERSONNEL = "retablissement_personnel"
    DALO_RECONNU = "dalo_reconnu"
    APL_SUSPENDUE = "apl_suspendue"


class DeadlineInputError(ValueError):
    """Invalid legal input; the message is French and names the faulty event."""


@dataclass(frozen=True)
class Event:
    type: str
    date: date
    hearing: Day | None = None  # assignation, audience_renvoyee: the hearing date
    payment_delay_months: int | None = None  # jugement: payment delays granted
    months: int | None = None  # delais_jex, protocole, reduction/prorogation_delai_cql: duration
    label: str = ""  # how to name the event in an error ("événement n° 2")
    refere: bool = False  # jugement: an ordonnance de référé (appeal within 15 days)
    apl_maintained: bool | None = None  # decision_ccapex_apl: housing benefit kept (True) or suspended


@dataclass(frozen=True)
class Deadline:
    code: str
    date: date
    rule: str
    source: str
    event_type: str = ""
    event_date: Day | None = None
    extended: bool = False
    unsettled: str = ""  # an unsettled legal point, shown to the user as such
    version: str = ""  # the version of the rule applied, when the rule changed over time

    @property
    def label(self) -> str:
        return LABELS[self.code]

    @property
    def full_rule(self) -> str:
        """The rule, then the unsettled point, then the version applied (the JSON `regle`)."""
        return " ".join(part for part in (self.rule, self.unsettled, self.version) if part)


@dataclass(frozen=True)
class Alert:
    """Something the user must know: an act already late under the rule in force, or an effect."""

    code: str
    message: str
    source: str


@dataclass(frozen=True)
class Result:
    deadlines: list[Deadline]
    eviction_possible_from: Day | None
    eviction_rule: str = ""
    warnings: list[str] = field(default_factory=list)  # the alerts' messages, in the same order
    alerts: list[Alert] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Public helpers for other screens (the DSF form, the litigation panel)
# ---------------------------------------------------------------------------------------------

def dsf_deadline(hearing: date, departement: str) -> date | None:
    """The last day the DSF may reach the judge and the CCAPEX: 5 working days before the hearing
    (décret n° 2021-8 art. 1), or None for a hearing before the décret came into force."""
    version = rule_version(Rule.DSF_TRANSMISSION, hearing)
    if version is None or version.working_days is None:
        return None
    return working_days_before(hearing, version.working_days, departement)


def dsf_interview_deadline(referral: date, departement: str) -> date | None:
    """The last day to offer the DSF interview: 15 working days after the préfet's referral."""
    version = rule_version(Rule.DSF_ENTRETIEN, referral)
    if version is None or version.working_days is None:
        return None
    return working_days_after(referral, version.working_days, departement)


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------

def _name(event: Event, index: int) -> str:
    return event.label or f"événement n° {index + 1} ({event.type} du {_fr(event.date)})"


def _refuse(event: Event, index: int, message: str) -> DeadlineInputError:
    return DeadlineInputError(f"{_name(event, index).capitalize()} : {message}")


def _earliest_date(events: list[Event], event_type: str) -> date | None:
    dates = [e.date for e in events if e.type == event_type]
    return min(dates) if dates else None


# (event type, the event it needs before it, its French name, the French error)
_ORDER: tuple[tuple[str, str, str], ...] = (
    (EventCode.RECEVABILITE_SURENDETTEMENT, EventCode.DEPOT_SURENDETTEMENT,
     "la décision de recevabilité précède le dépôt du dossier de surendettement du {before}."),
    (EventCode.DEMANDE_SUSPENSION_EXPULSION, EventCode.RECEVABILITE_SURENDETTEMENT,
     "la commission ne peut demander la suspension de l'expulsion qu'après la décision de recevabilité "
     "du {before} (C. consom. L.722-6)."),
    (EventCode.SUSPENSION_EXPULSION, EventCode.RECEVABILITE_SURENDETTEMENT,
     "le juge ne peut suspendre l'expulsion qu'après la décision de recevabilité du {before} "
     "(C. consom. L.722-6 à L.722-8)."),
    (EventCode.RETABLISSEMENT_PERSONNEL, EventCode.RECEVABILITE_SURENDETTEMENT,
     "le rétablissement personnel précède la décision de recevabilité du {before}."),
    (EventCode.DALO_RECONNU, EventCode.RECOURS_DALO,
     "la reconnaissance DALO précède le recours devant la commission de médiation du {before}."),
    (EventCode.CQL_NOTIFIE_PREFET, EventCode.COMMANDEMENT_DE_QUITTER,
     "la notification au préfet précède le commandement de quitter les lieux du {before} "
     "(CPCE L.412-5 : elle suit le commandement)."),
    (EventCode.ENTRETIEN_PROPOSE, EventCode.SAISINE_DSF,
     "l'entretien est proposé avant la saisine de l'organisme par le préfet du {before}."),
)


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
            jex = required_version(Rule.DELAIS_JEX, event.date)
            low, high = jex.min_months or MIN_JEX_MONTHS, jex.max_months or MAX_JEX_MONTHS
            if not low <= event.months <= high:
                if event.date >= LAW_2023_IN_FORCE:
                    law = "CPCE L.412-4"
                else:
                    law = f"CPCE L.412-4 dans sa {jex.version}, pour une décision antérieure au 29/07/2023"
                raise DeadlineInputError(
                    f"{name.capitalize()} : des délais du juge de l'exécution de {event.months} mois sont "
                    f"impossibles (entre {low} et {high} mois, {law}).")
        if (event.type == EventCode.PROTOCOLE and event.months is not None
                and not 1 <= event.months <= MAX_PROTOCOL_MONTHS):
            raise DeadlineInputError(
                f"{name.capitalize()} : un protocole de {event.months} mois est impossible (au plus "
                f"2 ans prolongeables de 3 ans, soit {MAX_PROTOCOL_MONTHS} mois, CCH L.353-15-2).")
        if event.type == EventCode.REDUCTION_DELAI_CQL and (
                event.months is None or not 0 <= event.months <= MAX_CQL_REDUCED_MONTHS):
            raise _refuse(event, index, (
                "le délai réduit du commandement de quitter les lieux (mois) est obligatoire et vaut 0 "
                "(délai supprimé) ou 1 mois (réduction d'un délai de 2 mois, CPCE L.412-1)"
                + ("" if event.months is None else f", pas {event.months} mois") + "."))
        if event.type == EventCode.PROROGATION_DELAI_CQL and (
                event.months is None or not 1 <= event.months <= MAX_CQL_EXTENSION_MONTHS):
            raise _refuse(event, index, (
                "la prorogation du délai du commandement de quitter les lieux (mois) est obligatoire et "
                f"va de 1 à {MAX_CQL_EXTENSION_MONTHS} mois (CPCE L.412-2)"
                + ("" if event.months is None else f", pas {event.months} mois") + "."))
        if event.type == EventCode.DECISION_CCAPEX_APL and event.apl_maintained is None:
            raise _refuse(event, index, "il faut indiquer si l'aide au logement est maintenue (apl_maintenue : "
                                        "true ou false).")
    # A hearing cannot precede the summons that set it, even through a postponement.
    summons = [e for e in events if e.type == EventCode.ASSIGNATION]
    for index, event in enumerate(events):
        if event.type == EventCode.AUDIENCE_RENVOYEE and summons and event.hearing is not None:
            first = min(e.date for e in summons)
            if event.hearing <= first:
                raise DeadlineInputError(
                    f"{_name(event, index).capitalize()} : l'audience du {_fr(event.hearing)} précède "
                    f"l'assignation du {_fr(first)}.")
    # The judge either shortens or lengthens the CQL period; both at once is contradictory.
    reductions = [(i, e) for i, e in enumerate(events) if e.type == EventCode.REDUCTION_DELAI_CQL]
    extensions = [(i, e) for i, e in enumerate(events) if e.type == EventCode.PROROGATION_DELAI_CQL]
    if reductions and extensions:
        index, event = max(reductions + extensions, key=lambda pair: (pair[1].date, pair[0]))
        raise _refuse(event, index, "le délai du commandement de quitter les lieux ne peut pas être à la fois "
                                    "réduit (CPCE L.412-1) et prorogé (CPCE L.412-2) ; enregistrez une seule "
                                    "décision.")
    # Steps that need an earlier one, when that one is recorded.
    for event_type, needed, message in _ORDER:
        before = _earliest_date(events, needed)
        if before is None:
            continue
        for index, event in enumerate(events):
            if event.type == event_type and event.date < before:
                raise _refuse(event, index, message.format(before=_fr(before)))
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
DEEMED_REFERRAL_UNSETTLED = (
    "Point non tranché : la loi répute la CCAPEX saisie lorsque persiste un impayé signalé à "
    "l'organisme payeur ; ZEL fait courir les 2 mois de la date du signalement, seul acte daté.")
CQL_NOTIFICATION_UNSETTLED = (
    "Point non tranché : faute de saisine du préfet, le délai est « suspendu » (CPCE L.412-5) ; ZEL fait "
    "courir les 2 mois du jour de la notification au préfet.")
CQL_REMOVED_UNSETTLED = (
    "Point non tranché : le délai supprimé, ZEL retient l'expulsion possible au plus tôt le lendemain du "
    "commandement.")
CQL_EXTENSION_UNSETTLED = (
    "Point non tranché : ZEL compte la prorogation en ajoutant ses mois aux 2 mois depuis le commandement "
    "(la lecture qui donne la date la plus tardive en fin de mois).")
RETABLISSEMENT_UNSETTLED = (
    "Point non tranché : le rétablissement personnel ne fait pas revivre un bail dont la clause résolutoire "
    "était acquise avant la décision de recevabilité (CA Saint-Denis de la Réunion 28/06/2019 n° 18/00493) ; "
    "ZEL donne la date à titre indicatif.")


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


def _add_period(day: date, version: RuleVersion, sign: int = 1) -> date:
    if version.weeks is not None:
        return add_weeks(day, sign * version.weeks)
    return add_months(day, sign * (version.months or 0))


def compute(events: Iterable[Event], *, departement: str, lease_date: date | None,
            truce_start: str = "11-01", truce_end: str = "03-31") -> Result:
    """Every deadline of the procedure, sorted by date, the earliest lawful eviction date, and alerts."""
    events = sorted(validate(events, departement), key=lambda e: e.date)
    _parse_month_day(truce_start), _parse_month_day(truce_end)
    deadlines: list[Deadline] = []
    alerts: list[Alert] = []

    def add(code: str, day: date, rule: str, source: str, event: Event, *, extended: bool = False,
            unsettled: str = "", version: str = "") -> Deadline:
        deadline = Deadline(code=code, date=day, rule=rule, source=source, event_type=event.type,
                            event_date=event.date, extended=extended, unsettled=unsettled, version=version)
        deadlines.append(deadline)
        return deadline

    def alert(code: str, message: str, source: str) -> None:
        alerts.append(Alert(code=code, message=message, source=source))

    # Arrears constituted: report to the CAF/MSA within 2 months (an act to do: extended).
    caf_report = _latest(events, EventCode.SIGNALEMENT_CAF)
    if (event := _latest(events, EventCode.IMPAYE_CONSTITUE)) is not None:
        raw = add_months(event.date, 2)
        day, extended = _extend(raw, departement)
        add(DeadlineCode.SIGNALEMENT_CAF, day,
            f"Le bailleur signale l'impayé constitué le {_fr(event.date)} à l'organisme payeur de l'aide au "
            f"logement dans les 2 mois (sauf apurement) ; la CAF demande ensuite un plan d'apurement dans "
            f"les 6 mois.{_extension_text(raw, day, extended, departement)}",
            "CCH R.824-1, R.824-4", event, extended=extended)
        if caf_report is not None and caf_report.date > day:
            alert(AlertCode.SIGNALEMENT_CAF_TARDIF,
                  f"L'impayé constitué le {_fr(event.date)} a été signalé à la CAF/MSA le "
                  f"{_fr(caf_report.date)}, après le {_fr(day)} : signalement tardif.",
                  "CCH R.824-1, R.824-4")

    # Commandement de payer: 6 weeks or 2 months depending on the lease date (an act to do: extended).
    commandement_end: date | None = None
    cmd = _latest(events, EventCode.COMMANDEMENT_DE_PAYER)
    if cmd is not None:
        version = required_version(Rule.COMMANDEMENT_DE_PAYER, lease_date or date.min)
        if lease_date is None:
            why = ("Date du bail inconnue : ZEL retient le délai le plus long, 2 mois, protecteur du "
                   "locataire.")
            act = "date du bail inconnue"
        elif lease_date >= LAW_2023_IN_FORCE:
            why = (f"Bail signé ou renouvelé le {_fr(lease_date)}, à partir du 29/07/2023 : délai de 6 "
                   f"semaines (loi 2023-668).")
            act = f"bail du {_fr(lease_date)}"
        else:
            why = (f"Bail signé ou renouvelé le {_fr(lease_date)}, avant le 29/07/2023 : l'ancien délai de "
                   f"2 mois s'applique.")
            act = f"bail du {_fr(lease_date)}"
        raw = _add_period(cmd.date, version)
        day, extended = _extend(raw, departement)
        commandement_end = day
        add(DeadlineCode.FIN_DELAI_COMMANDEMENT, day,
            f"Commandement de payer signifié le {_fr(cmd.date)} : le locataire a {version.period} pour payer, "
            f"délai qui court du lendemain et expire le {_fr(raw)} à minuit. {why}"
            f"{_extension_text(raw, day, extended, departement)}",
            "Loi 89-462 art. 24 I (loi 2023-668 art. 10) ; Cass. avis 13/06/2024 n° 24-70.002 ; "
            f"CPC art. 640-642 {version.source_suffix()}", cmd, extended=extended,
            unsettled=COMMANDEMENT_UNSETTLED + " " + LEASE_DATE_UNSETTLED, version=version.naming(act))

    # Summons possible from: after the CCAPEX waiting period (never extended) and after the
    # commandement period (a summons to note the resolutory clause needs it to have run out). The
    # report of the arrears to the CAF/MSA is a deemed referral: the earlier of the two starts the wait.
    summons = _latest(events, EventCode.ASSIGNATION)
    ccapex = _latest(events, EventCode.SAISINE_CCAPEX)
    referral = ccapex
    if caf_report is not None and (ccapex is None or caf_report.date < ccapex.date):
        referral = caf_report
    if referral is not None or commandement_end is not None:
        candidates: list[tuple[date, str, Event]] = []
        wait_end: date | None = None
        if referral is not None:
            wait_end = add_months(referral.date, 2)
            if referral is ccapex:
                what = f"saisine de la CCAPEX le {_fr(referral.date)}"
            else:
                what = (f"signalement de l'impayé à la CAF/MSA le {_fr(referral.date)}, qui vaut saisine de la "
                        f"CCAPEX (loi 89-462 art. 24 II)")
                if ccapex is not None:
                    what += f", antérieur à la saisine de la CCAPEX du {_fr(ccapex.date)}"
            candidates.append((wait_end + timedelta(days=1),
                               f"{what} : pas d'assignation avant "
                               f"l'expiration d'un délai de 2 mois, le {_fr(wait_end)} à minuit (délai "
                               f"d'attente, non prorogé)", referral))
        if commandement_end is not None and cmd is not None:
            candidates.append((commandement_end + timedelta(days=1),
                               f"commandement de payer resté sans effet à l'expiration de son délai, le "
                               f"{_fr(commandement_end)}", cmd))
        day, _why, source_event = max(candidates, key=lambda c: c[0])
        reasons = " ; ".join(c[1] for c in candidates)
        missing = "" if referral is not None else (
            " Le bailleur personne morale doit saisir la CCAPEX au moins 2 mois avant d'assigner, à "
            "peine d'irrecevabilité. Le signalement de l'impayé à la CAF ou à la MSA vaut saisine de la "
            "CCAPEX (loi 89-462 art. 24 II) : s'il a été fait, enregistrez-le (événement signalement_caf).")
        add(DeadlineCode.ASSIGNATION_POSSIBLE_DES, day,
            f"L'assignation est possible à partir du {_fr(day)} : {reasons}.{missing}",
            "Loi 89-462 art. 24 I et II ; CPC art. 641", source_event,
            unsettled=DEEMED_REFERRAL_UNSETTLED if referral is caf_report and referral is not None else "")
        if summons is not None and referral is not None and wait_end is not None and summons.date <= wait_end:
            alert(AlertCode.ASSIGNATION_AVANT_DELAI_CCAPEX,
                  f"L'assignation du {_fr(summons.date)} a été délivrée avant l'expiration du délai de 2 mois "
                  f"suivant la {'saisine de la CCAPEX' if referral is ccapex else 'saisine réputée de la CCAPEX'} "
                  f"du {_fr(referral.date)} (le {_fr(wait_end)}) : irrecevabilité.",
                  "Loi 89-462 art. 24 II")

    # Summons: notify the préfet at least 6 weeks before the hearing — 2 months for a summons delivered
    # before 29/07/2023 (counted backwards: never extended).
    if summons is not None and (hearing := summons.hearing) is not None:
        event = summons
        version = required_version(Rule.NOTIFICATION_PREFET, event.date)
        day = _add_period(hearing, version, -1)
        note = ""
        if not is_working_day(day, departement):
            note = (" Ce jour est un samedi, dimanche ou jour férié : un délai compté à rebours depuis "
                    "l'audience n'est jamais reporté, il faut notifier avant.")
        source = f"Loi 89-462 art. 24 III {version.source_suffix()}"
        if day < event.date:
            alert(AlertCode.NOTIFICATION_PREFET_IMPOSSIBLE,
                  f"L'audience du {_fr(hearing)} est à moins de {version.period} de l'assignation du "
                  f"{_fr(event.date)} : la notification au préfet ne peut plus être faite à temps "
                  f"(irrecevabilité).", source)
        add(DeadlineCode.NOTIFICATION_PREFET, day,
            f"Assignation du {_fr(event.date)}, audience le {_fr(hearing)} : l'assignation est notifiée "
            f"au préfet au moins {version.period} avant l'audience, soit au plus tard le {_fr(day)}.{note} Un "
            f"diagnostic social et financier est transmis au juge avant l'audience.",
            source, event, version=version.naming(f"assignation du {_fr(event.date)}"))
        if commandement_end is not None and event.date <= commandement_end:
            alert(AlertCode.ASSIGNATION_AVANT_FIN_COMMANDEMENT,
                  f"L'assignation du {_fr(event.date)} est antérieure à la fin du délai du "
                  f"commandement de payer ({_fr(commandement_end)}).", "Loi 89-462 art. 24 I")

    # The préfet refers the household to the DSF organisation: interview offered within 15 working days.
    if (event := _latest(events, EventCode.SAISINE_DSF)) is not None:
        interview = rule_version(Rule.DSF_ENTRETIEN, event.date)
        due = dsf_interview_deadline(event.date, departement)
        if interview is not None and due is not None:
            source = "Décret n° 2021-8 art. 1"
            add(DeadlineCode.ENTRETIEN_DSF, due,
                f"Saisine de l'organisme chargé du diagnostic social et financier par le préfet le "
                f"{_fr(event.date)} : un entretien est proposé au locataire dans les 15 jours ouvrés, au plus "
                f"tard le {_fr(due)} (jours ouvrés : du lundi au vendredi hors jours fériés du département).",
                source, event, version=interview.naming(f"saisine du {_fr(event.date)}"))
            offered = _latest(events, EventCode.ENTRETIEN_PROPOSE)
            if offered is not None and offered.date > due:
                alert(AlertCode.ENTRETIEN_TARDIF,
                      f"L'entretien a été proposé le {_fr(offered.date)}, après le {_fr(due)} (15 jours ouvrés "
                      f"après la saisine par le préfet du {_fr(event.date)}).", source)

    # DSF: to the judge and the CCAPEX at the latest 5 working days before the hearing (counted
    # backwards from the hearing to come: the postponed one if any).
    if summons is not None and summons.hearing is not None:
        hearing_event = max((e for e in events if e.type in (EventCode.ASSIGNATION, EventCode.AUDIENCE_RENVOYEE)
                             and e.hearing is not None),
                            key=lambda e: (e.date, e.type == EventCode.AUDIENCE_RENVOYEE))
        hearing = hearing_event.hearing or summons.hearing
        transmission = rule_version(Rule.DSF_TRANSMISSION, hearing)
        due = dsf_deadline(hearing, departement)
        if transmission is not None and due is not None:
            source = "Décret n° 2021-8 art. 1 ; loi 89-462 art. 24 III"
            postponed = (" (audience renvoyée)" if hearing_event.type == EventCode.AUDIENCE_RENVOYEE else "")
            add(DeadlineCode.DSF_AU_PLUS_TARD, due,
                f"Audience du {_fr(hearing)}{postponed} : le diagnostic social et financier est transmis au juge "
                f"et à la CCAPEX au plus tard 5 jours ouvrés avant l'audience, soit le {_fr(due)} (jours ouvrés "
                f"du lundi au vendredi hors jours fériés du département ; compté à rebours, jamais reporté).",
                source, hearing_event, version=transmission.naming(f"audience du {_fr(hearing)}"))
            sent = _latest(events, EventCode.DSF_TRANSMIS)
            if sent is not None and sent.date > due:
                alert(AlertCode.DSF_TARDIF,
                      f"Le diagnostic social et financier a été transmis le {_fr(sent.date)}, après le "
                      f"{_fr(due)} (5 jours ouvrés avant l'audience du {_fr(hearing)}).", source)

    # Judgment: payment delays (at most 3 years) run from the judgment (an act to do: extended).
    judgment = _latest(events, EventCode.JUGEMENT)
    if (event := judgment) is not None and event.payment_delay_months:
        raw = add_months(event.date, event.payment_delay_months)
        day, extended = _extend(raw, departement)
        add(DeadlineCode.FIN_DELAIS_PAIEMENT, day,
            f"Jugement du {_fr(event.date)} accordant {event.payment_delay_months} mois de délais de "
            f"paiement : la clause résolutoire est suspendue tant qu'ils sont respectés ; délai expirant "
            f"le {_fr(raw)}.{_extension_text(raw, day, extended, departement)}",
            "Loi 89-462 art. 24 V ; CPC art. 640-642", event, extended=extended)

    # Service of the judgment: appeal within 1 month, 15 days for an ordonnance de référé (extended).
    if (event := _latest(events, EventCode.SIGNIFICATION_JUGEMENT)) is not None:
        served = [e for e in events if e.type == EventCode.JUGEMENT and e.date <= event.date]
        decision = max(served, key=lambda e: e.date) if served else judgment
        if decision is not None and decision.refere:
            raw = event.date + timedelta(days=REFERE_APPEAL_DAYS)
            day, extended = _extend(raw, departement)
            add(DeadlineCode.FIN_DELAI_APPEL, day,
                f"Ordonnance de référé du {_fr(decision.date)} signifiée le {_fr(event.date)} : appel possible "
                f"pendant 15 jours, jusqu'au {_fr(day)} inclus. L'ordonnance est exécutoire à titre provisoire."
                f"{_extension_text(raw, day, extended, departement)}",
                "CPC art. 489, 490, 640, 641, 642", event, extended=extended)
        else:
            raw = add_months(event.date, 1)
            day, extended = _extend(raw, departement)
            add(DeadlineCode.FIN_DELAI_APPEL, day,
                f"Jugement signifié le {_fr(event.date)} : appel possible pendant 1 mois, jusqu'au {_fr(day)} "
                f"inclus. Le jugement est exécutoire de droit à titre provisoire."
                f"{_extension_text(raw, day, extended, departement)}",
                "CPC art. 514, 538, 640, 641, 642", event, extended=extended)

    # CQL: no eviction before 2 months (a waiting period: not extended), counted from the notification
    # to the préfet if later (L.412-5), reduced or removed (L.412-1) or extended (L.412-2) by the judge.
    eviction_from: date | None = None
    eviction_steps: list[str] = []
    if (event := _latest(events, EventCode.COMMANDEMENT_DE_QUITTER)) is not None:
        notified = _latest(events, EventCode.CQL_NOTIFIE_PREFET)
        informed = _latest(events, EventCode.INFORMATION_DALO)
        reduced = _latest(events, EventCode.REDUCTION_DELAI_CQL)
        extension = _latest(events, EventCode.PROROGATION_DELAI_CQL)
        plain = notified is None and informed is None and reduced is None and extension is None
        start = event.date
        unsettled: list[str] = []
        texts: list[str] = []
        if notified is not None and notified.date > event.date:
            start = notified.date
            texts.append(f"Notifié au préfet le {_fr(notified.date)} seulement : le délai, suspendu jusque-là, "
                         f"court de cette date.")
            unsettled.append(CQL_NOTIFICATION_UNSETTLED)
            alert(AlertCode.CQL_NOTIFICATION_TARDIVE,
                  f"Le commandement de quitter les lieux du {_fr(event.date)} n'a été notifié au préfet que le "
                  f"{_fr(notified.date)} : le délai avant l'expulsion est suspendu jusqu'à cette notification.",
                  "CPCE L.412-5")
        elif notified is not None:
            texts.append(f"Notifié au préfet le {_fr(notified.date)}.")
        else:
            alert(AlertCode.CQL_NOTIFICATION_NON_ENREGISTREE,
                  f"La notification au préfet du commandement de quitter les lieux du {_fr(event.date)} n'est pas "
                  f"enregistrée : à défaut de cette notification, le délai avant l'expulsion est suspendu. ZEL "
                  f"compte le délai comme si elle avait été faite.", "CPCE L.412-5")
        if informed is not None:
            texts.append(f"Le ménage a été informé le {_fr(informed.date)} de la possibilité de saisir la "
                         f"commission de médiation DALO.")
        months = CQL_MONTHS
        if reduced is not None and reduced.months is not None:
            months = reduced.months
            texts.append(f"Le juge a {'supprimé ce délai' if months == 0 else f'réduit ce délai à {months} mois'} "
                         f"le {_fr(reduced.date)} (CPCE L.412-1).")
            if months == 0:
                unsettled.append(CQL_REMOVED_UNSETTLED)
        if extension is not None and extension.months is not None:
            months = CQL_MONTHS + extension.months
            texts.append(f"Le juge a prorogé ce délai de {extension.months} mois le {_fr(extension.date)} "
                         f"(CPCE L.412-2), soit {months} mois.")
            unsettled.append(CQL_EXTENSION_UNSETTLED)
        day = add_months(start, months)
        if plain:
            rule = (f"Commandement de quitter les lieux du {_fr(event.date)} : aucune expulsion avant l'expiration "
                    f"d'un délai de 2 mois, le {_fr(day)} à minuit (délai d'attente, non prorogé ; le juge peut le "
                    f"réduire ou l'allonger de 3 mois au plus).")
        elif months == 0:
            rule = (f"Commandement de quitter les lieux du {_fr(event.date)} : " + " ".join(texts)
                    + f" Aucun délai d'attente : expulsion possible dès le {_fr(day + timedelta(days=1))}.")
        else:
            rule = (f"Commandement de quitter les lieux du {_fr(event.date)} : " + " ".join(texts)
                    + f" Aucune expulsion avant l'expiration d'un délai de {months} mois, le {_fr(day)} à minuit "
                    f"(délai d'attente, non prorogé).")
        add(DeadlineCode.FIN_DELAI_CQL, day, rule, "CPCE L.412-1, L.412-2, L.412-5", event,
            unsettled=" ".join(unsettled))
        eviction_from = day + timedelta(days=1)
        eviction_steps.append(f"fin du délai du commandement de quitter les lieux le {_fr(day)}")

    # Delays from the juge de l'exécution: 1 to 12 months from the decision (3 months to 3 years for
    # a decision before 29/07/2023; not extended).
    if (event := _latest(events, EventCode.DELAIS_JEX)) is not None and event.months is not None:
        jex = required_version(Rule.DELAIS_JEX, event.date)
        day = add_months(event.date, event.months)
        add(DeadlineCode.FIN_DELAIS_JEX, day,
            f"Le juge de l'exécution a accordé le {_fr(event.date)} des délais de {event.months} mois pour "
            f"quitter les lieux : aucune expulsion avant le {_fr(day + timedelta(days=1))}.",
            f"CPCE L.412-3, L.412-4 {jex.source_suffix()}", event,
            version=jex.naming(f"décision du {_fr(event.date)}"))
        if eviction_from is not None and day + timedelta(days=1) > eviction_from:
            eviction_from = day + timedelta(days=1)
            eviction_steps.append(f"fin des délais du juge de l'exécution le {_fr(day)}")

    # Surendettement: the judge may suspend the eviction (C. consom. L.722-6 to L.722-9), for two
    # years at most and until the plan, the measures or the rétablissement personnel.
    admissible = _latest(events, EventCode.RECEVABILITE_SURENDETTEMENT)
    requested = _latest(events, EventCode.DEMANDE_SUSPENSION_EXPULSION)
    suspended = _latest(events, EventCode.SUSPENSION_EXPULSION)
    wiped = _latest(events, EventCode.RETABLISSEMENT_PERSONNEL)
    if admissible is not None:
        alert(AlertCode.SURENDETTEMENT_RECEVABLE,
              f"Dossier de surendettement déclaré recevable le {_fr(admissible.date)} : la commission peut "
              f"demander au juge la suspension de l'expulsion ; si le locataire a repris le paiement du loyer, le "
              f"juge qui constate la clause résolutoire accorde des délais de paiement jusqu'à l'issue de la "
              f"procédure de surendettement.", "C. consom. L.722-6 ; loi 89-462 art. 24 VI")
    if requested is not None and (suspended is None or suspended.date < requested.date):
        alert(AlertCode.SUSPENSION_DEMANDEE,
              f"Suspension de l'expulsion demandée au juge le {_fr(requested.date)} : tant que le juge n'a pas "
              f"statué, l'expulsion n'est pas suspendue.", "C. consom. L.722-6, L.722-7, L.722-8")
    if suspended is not None:
        end = add_months(suspended.date, SURENDETTEMENT_SUSPENSION_MONTHS)
        ended_early = wiped is not None and suspended.date <= wiped.date < end
        if ended_early and wiped is not None:
            end = wiped.date
        add(DeadlineCode.FIN_SUSPENSION_EXPULSION, end,
            f"Le juge a suspendu l'expulsion le {_fr(suspended.date)} : suspension acquise pour 2 ans au plus, "
            f"jusqu'au {_fr(add_months(suspended.date, SURENDETTEMENT_SUSPENSION_MONTHS))}, et selon les cas "
            f"jusqu'au plan, aux mesures imposées ou au rétablissement personnel"
            + (f" (rétablissement personnel du {_fr(end)})" if ended_early else "") + ".",
            "C. consom. L.722-8, L.722-9", suspended)
        if eviction_from is not None and end + timedelta(days=1) > eviction_from:
            eviction_from = end + timedelta(days=1)
            eviction_steps.append(f"fin de la suspension de l'expulsion (surendettement) le {_fr(end)}")
    if wiped is not None:
        end = add_months(wiped.date, RETABLISSEMENT_SUSPENSION_MONTHS)
        add(DeadlineCode.FIN_SUSPENSION_CLAUSE, end,
            f"Rétablissement personnel du {_fr(wiped.date)} : la dette locative est effacée ; le juge suspend les "
            f"effets de la clause résolutoire pendant 2 ans, jusqu'au {_fr(end)} ; si le locataire paie son loyer "
            f"et ses charges pendant ce délai, la clause est réputée ne pas avoir joué.",
            "Loi 89-462 art. 24 VI et VII ; C. consom. L.741-2", wiped, unsettled=RETABLISSEMENT_UNSETTLED)
        alert(AlertCode.RETABLISSEMENT_PERSONNEL,
              f"Rétablissement personnel du {_fr(wiped.date)} : la dette locative arrêtée à cette date est effacée ; "
              f"elle ne peut plus être réclamée au locataire.", "C. consom. L.741-2 ; loi 89-462 art. 24 VI")

    # DALO: the commission de médiation decides within 3 months (6 overseas); a recognised household
    # must be offered housing.
    if (event := _latest(events, EventCode.RECOURS_DALO)) is not None:
        overseas = departement.startswith(OVERSEAS_PREFIX)
        months = DALO_DECISION_MONTHS_OVERSEAS if overseas else DALO_DECISION_MONTHS
        day = add_months(event.date, months)
        add(DeadlineCode.DECISION_DALO, day,
            f"Recours devant la commission de médiation DALO le {_fr(event.date)} : décision dans les {months} mois"
            f"{' (département d’outre-mer)' if overseas else ''}, au plus tard le {_fr(day)} (silence de "
            f"l'administration : non prorogé) ; faute de décision, un recours est possible devant le tribunal "
            f"administratif.", "CCH L.441-2-3, R.441-15", event)
    if (event := _latest(events, EventCode.DALO_RECONNU)) is not None:
        alert(AlertCode.DALO_RECONNU,
              f"Ménage reconnu prioritaire et à reloger d'urgence (DALO) le {_fr(event.date)} : le préfet doit lui "
              f"proposer un logement ; il est invité à ne pas accorder le concours de la force publique avant "
              f"cette offre.", "CCH L.441-2-3 ; circulaire du 26/10/2012")

    # The CCAPEX decision on maintaining the housing benefit.
    if (event := _latest(events, EventCode.DECISION_CCAPEX_APL)) is not None and event.apl_maintained is False:
        alert(AlertCode.APL_SUSPENDUE,
              f"Décision du {_fr(event.date)} : l'aide au logement n'est pas maintenue ; la dette risque de "
              f"s'aggraver du montant de l'aide.", "CCH L.824-1 et suivants ; loi 90-449 art. 7-2")

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
                  warnings=[a.message for a in alerts], alerts=alerts)


def next_deadline(result: Result, today: date) -> Deadline | None:
    """The nearest deadline on or after `today` (what the litigation list sorts by)."""
    upcoming = [d for d in result.deadlines if d.date >= today]
    return min(upcoming, key=lambda d: (d.date, d.code), default=None)
