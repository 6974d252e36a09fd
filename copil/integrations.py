"""The only doors from COPIL into the support and litigation apps (their public functions), in one
place so that the coupling is easy to follow and tests can replace one door (e.g. make
`open_support_episode` fail)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from litigation.selectors import procedure_summaries
from support.selectors import committee_summary
from support.services import episode_open
from support.services_aid import aid_applications_from_levers
from zel.lib.formats import format_eur


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


def committee_facts(household) -> CommitteeFacts:
    summary = committee_summary(household)
    target = summary.target
    target_text = ""
    if target is not None:
        # Typology, area and rent cap of the dwelling a relocation co-diagnosis aims at.
        parts = [target.typology, target.place]
        if target.max_rent is not None:
            parts.append(_("loyer maximum %(rent)s") % {"rent": format_eur(target.max_rent)})
        target_text = " · ".join(p for p in parts if p)
    return CommitteeFacts(diagnosed_on=summary.diagnosis_date, social_summary=summary.social_summary,
                          rent_debt=summary.rent_debt, energy_debt=summary.energy_debt,
                          other_debts=summary.other_debts, relocation_target=target_text)


@dataclass(frozen=True)
class ProcedureFacts:
    """The procedure as the committee reads it. Its rent debt today is the household's (litigation's
    arrears rule, in DossierSummary.debt); here only the debt stated on the summons, with its date."""

    stage_label: str
    next_deadline: date | None
    summons_on: date | None = None
    summons_debt: Decimal | None = None


def procedure_facts(household_ids) -> dict[int, ProcedureFacts]:
    return {hid: ProcedureFacts(stage_label=s.stage_label, next_deadline=s.next_deadline,
                                summons_on=s.summons_on, summons_debt=s.summons_debt)
            for hid, s in procedure_summaries(list(household_ids)).items()}


def open_support_episode(*, household, by, opened_on: date):
    """Opens the support episode of an admitted household (inside the caller's transaction).

    Raises EpisodeAlreadyOpen when one is open; any other refusal propagates and rolls back."""
    try:
        # A savepoint: a refusal (one episode already open) must not break the caller's transaction.
        with transaction.atomic():
            return episode_open(household=household, by=by, opened_on=opened_on)
    except ValidationError as exc:
        if getattr(exc, "code", None) == "already_open":
            raise EpisodeAlreadyOpen(" ".join(exc.messages)) from exc
        raise


__all__ = ["aid_applications_from_levers"]  # the COPIL's door into aid applications (support)
