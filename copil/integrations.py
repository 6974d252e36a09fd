"""The only doors from COPIL into the support and litigation apps (their public functions).

Each call is wrapped here so that the COPIL pages keep working while those apps are still being
built, and so that tests can replace one door (e.g. make `open_support_episode` fail)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class EpisodeAlreadyOpen(Exception):
    """The household already has an open support episode (a renewal, a correction)."""


@dataclass(frozen=True)
class CommitteeFacts:
    """What COPIL shows from the social diagnosis: never its sensitive section."""

    diagnosed_on: date | None = None
    social_summary: str = ""
    rent_debt: Decimal | None = None
    energy_debt: Decimal | None = None
    other_debts: Decimal | None = None
    relocation_target: str = ""

    @property
    def total_debt(self) -> Decimal | None:
        parts = [d for d in (self.rent_debt, self.energy_debt, self.other_debts) if d is not None]
        return sum(parts, Decimal(0)) if parts else None


def _value(obj, *names, default=None):
    for name in names:
        if hasattr(obj, name):
            return getattr(obj, name)
    return default


def committee_facts(household) -> CommitteeFacts:
    try:
        from support.selectors import committee_summary
    except ImportError:  # support app not there yet: the dossier shows no diagnosis
        return CommitteeFacts()
    summary = committee_summary(household)
    if summary is None:
        return CommitteeFacts()
    target = _value(summary, "target", "relocation_target", default=None)
    target_text = ""
    if target is not None and not isinstance(target, str):
        # Typology, area and rent cap of the dwelling a relocation co-diagnosis aims at.
        parts = [getattr(target, "typology", ""), getattr(target, "place", "")]
        max_rent = getattr(target, "max_rent", None)
        if max_rent is not None:
            from zel.lib.formats import format_eur

            parts.append(_("loyer maximum %(rent)s") % {"rent": format_eur(max_rent)})
        target_text = " · ".join(p for p in parts if p)
    elif target:
        target_text = target
    return CommitteeFacts(
        diagnosed_on=_value(summary, "diagnosed_on", "latest_diagnosis_date", "diagnosis_date"),
        social_summary=_value(summary, "social_summary", default="") or "",
        rent_debt=_value(summary, "rent_debt"), energy_debt=_value(summary, "energy_debt"),
        other_debts=_value(summary, "other_debts"), relocation_target=target_text)


@dataclass(frozen=True)
class ProcedureFacts:
    stage_label: str
    debt: Decimal | None
    next_deadline: date | None


def procedure_facts(household_ids) -> dict[int, ProcedureFacts]:
    try:
        from litigation.selectors import procedure_summaries
    except ImportError:
        return {}
    return {hid: ProcedureFacts(stage_label=s.stage_label, debt=_value(s, "current_debt", "debt"),
                                next_deadline=_value(s, "next_deadline"))
            for hid, s in procedure_summaries(list(household_ids)).items()}


def open_support_episode(*, household, by, opened_on: date):
    """Opens the support episode of an admitted household (inside the caller's transaction).

    Raises EpisodeAlreadyOpen when one is open; any other refusal propagates and rolls back."""
    try:
        from support.services import episode_open
    except ImportError:
        logger.warning("support.services.episode_open missing: no support episode opened")
        return None
    from django.core.exceptions import ValidationError
    from django.db import transaction

    try:
        # A savepoint: a refusal (one episode already open) must not break the caller's transaction.
        with transaction.atomic():
            return episode_open(household=household, by=by, opened_on=opened_on)
    except ValidationError as exc:
        if getattr(exc, "code", None) == "already_open":
            raise EpisodeAlreadyOpen(" ".join(exc.messages)) from exc
        raise

