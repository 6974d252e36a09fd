"""The legal deadlines of an eviction procedure: `litigation.deadlines` is the engine's public face.

- `counting`: CPC art. 640–642, working days, public holidays of the département, the winter truce;
- `rules`: the rules that changed over time, each version with the period it applies to;
- `engine`: the events, the deadlines, the alerts, `compute()`.

Pure Python (no Django import: checked by import-linter). Contract: docs/procedure_deadlines.md.
"""

from .counting import (
    ALSACE_MOSELLE,
    DEPARTEMENT_RE,
    add_months,
    add_weeks,
    after_truce,
    in_truce,
    is_public_holiday,
    is_working_day,
    next_working_day,
    working_days_after,
    working_days_before,
)
from .engine import (
    COMMANDEMENT_UNSETTLED,
    DEFAULT_PROTOCOL_MONTHS,
    ENDING_EVENT_TYPES,
    KNOWN_EVENT_TYPES,
    LABELS,
    LEASE_DATE_UNSETTLED,
    MAX_JEX_MONTHS,
    MAX_PAYMENT_DELAY_MONTHS,
    MAX_PROTOCOL_MONTHS,
    MIN_JEX_MONTHS,
    Alert,
    AlertCode,
    Deadline,
    DeadlineCode,
    DeadlineInputError,
    Event,
    EventCode,
    Result,
    compute,
    dsf_deadline,
    dsf_interview_deadline,
    next_deadline,
    validate,
)
from .rules import DECREE_2021_8_IN_FORCE, LAW_2023_IN_FORCE, RULES, Rule, RuleVersion, rule_version

__all__ = [
    "ALSACE_MOSELLE", "COMMANDEMENT_UNSETTLED", "DECREE_2021_8_IN_FORCE", "DEFAULT_PROTOCOL_MONTHS",
    "DEPARTEMENT_RE", "ENDING_EVENT_TYPES", "KNOWN_EVENT_TYPES", "LABELS", "LAW_2023_IN_FORCE",
    "LEASE_DATE_UNSETTLED", "MAX_JEX_MONTHS", "MAX_PAYMENT_DELAY_MONTHS", "MAX_PROTOCOL_MONTHS", "MIN_JEX_MONTHS",
    "RULES", "Alert", "AlertCode", "Deadline", "DeadlineCode", "DeadlineInputError", "Event", "EventCode",
    "Result", "Rule", "RuleVersion", "add_months", "add_weeks", "after_truce", "compute", "dsf_deadline",
    "dsf_interview_deadline", "in_truce", "is_public_holiday", "is_working_day", "next_deadline",
    "next_working_day", "rule_version", "validate", "working_days_after", "working_days_before",
]
