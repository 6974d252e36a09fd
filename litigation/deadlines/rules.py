"""The rules whose content changed over time, each version with the period it applies to.

ZEL keeps ten years of history, so a rule is never "today's rule": the date of the act picks the
version (which act is named by `chosen_by`). Loi n° 2023-668 du 27 juillet 2023 (in force on
29/07/2023) changed three of them; décret n° 2021-8 du 5 janvier 2021 (JO 07/01/2021, in force on
08/01/2021) created the DSF time limits.

Pure Python: no Django import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .counting import fr

# The day the law of 27 July 2023 came into force.
LAW_2023_IN_FORCE = date(2023, 7, 29)
# The day décret n° 2021-8 (DSF) came into force: the day after its publication on 07/01/2021.
DECREE_2021_8_IN_FORCE = date(2021, 1, 8)


class Rule:
    NOTIFICATION_PREFET = "notification_prefet"
    DELAIS_JEX = "delais_jex"
    COMMANDEMENT_DE_PAYER = "commandement_de_payer"
    DSF_TRANSMISSION = "dsf_transmission"
    DSF_ENTRETIEN = "dsf_entretien"


@dataclass(frozen=True)
class RuleVersion:
    """One version of a rule: what it requires and the acts it applies to.

    `valid_from` is inclusive, `valid_until` exclusive; None is open-ended. Exactly one version of a
    rule applies to any date, except before the first version of a rule that did not always exist.
    """

    rule: str
    valid_from: date | None
    valid_until: date | None
    version: str  # the text that names it, in French
    chosen_by: str  # which act's date picks the version, in French
    months: int | None = None
    weeks: int | None = None
    working_days: int | None = None
    min_months: int | None = None
    max_months: int | None = None

    def applies_to(self, day: date) -> bool:
        return ((self.valid_from is None or day >= self.valid_from)
                and (self.valid_until is None or day < self.valid_until))

    @property
    def period(self) -> str:
        if self.weeks is not None:
            return f"{self.weeks} semaines"
        if self.months is not None:
            return f"{self.months} mois"
        if self.working_days is not None:
            return f"{self.working_days} jours ouvrés"
        return f"{self.min_months} à {self.max_months} mois"

    @property
    def in_force(self) -> str:
        if self.valid_from is None and self.valid_until is not None:
            return f"avant le {fr(self.valid_until)}"
        if self.valid_until is None and self.valid_from is not None:
            return f"à partir du {fr(self.valid_from)}"
        if self.valid_from is not None and self.valid_until is not None:
            return f"du {fr(self.valid_from)} au {fr(self.valid_until)} exclu"
        return "à toute date"

    def naming(self, act: str) -> str:
        """Appended to a `regle`: which version was applied and why."""
        return (f"Version appliquée : {self.version} ({self.period}), en vigueur {self.in_force}, choisie "
                f"par {self.chosen_by} ({act}).")

    def source_suffix(self) -> str:
        """Appended to a `source` (kept short: the stored source holds 300 characters)."""
        return f"— {self.version}"


_BEFORE_2023 = "rédaction antérieure à la loi n° 2023-668 du 27/07/2023"
_FROM_2023 = "rédaction issue de la loi n° 2023-668 du 27/07/2023"

RULES: tuple[RuleVersion, ...] = (
    RuleVersion(Rule.NOTIFICATION_PREFET, None, LAW_2023_IN_FORCE, _BEFORE_2023,
                "la date de délivrance de l'assignation", months=2),
    RuleVersion(Rule.NOTIFICATION_PREFET, LAW_2023_IN_FORCE, None, _FROM_2023,
                "la date de délivrance de l'assignation", weeks=6),
    RuleVersion(Rule.DELAIS_JEX, None, LAW_2023_IN_FORCE, _BEFORE_2023,
                "la date de la décision du juge", min_months=3, max_months=36),
    RuleVersion(Rule.DELAIS_JEX, LAW_2023_IN_FORCE, None, _FROM_2023,
                "la date de la décision du juge", min_months=1, max_months=12),
    RuleVersion(Rule.COMMANDEMENT_DE_PAYER, None, LAW_2023_IN_FORCE, _BEFORE_2023,
                "la date de signature ou du dernier renouvellement du bail (Cass. avis 13/06/2024)", months=2),
    RuleVersion(Rule.COMMANDEMENT_DE_PAYER, LAW_2023_IN_FORCE, None, _FROM_2023,
                "la date de signature ou du dernier renouvellement du bail (Cass. avis 13/06/2024)", weeks=6),
    RuleVersion(Rule.DSF_TRANSMISSION, DECREE_2021_8_IN_FORCE, None, "décret n° 2021-8 du 5 janvier 2021",
                "la date de l'audience", working_days=5),
    RuleVersion(Rule.DSF_ENTRETIEN, DECREE_2021_8_IN_FORCE, None, "décret n° 2021-8 du 5 janvier 2021",
                "la date de la saisine par le préfet", working_days=15),
)


def rule_version(rule: str, day: date) -> RuleVersion | None:
    """The version of `rule` that applies to an act of `day`, or None if the rule did not exist yet."""
    for version in RULES:
        if version.rule == rule and version.applies_to(day):
            return version
    return None


def required_version(rule: str, day: date) -> RuleVersion:
    version = rule_version(rule, day)
    if version is None:  # pragma: no cover - the table covers every date for these rules
        raise LookupError(f"no version of {rule} for {day}")
    return version
