"""Visits sent by a phone after an offline capture (issue 19): recorded, or held for review.

The phone sends each queued visit once it is online, with the idempotency key drawn when the visit
was captured; `zel.idempotency.run_once` makes a resend (lost answer, second tab, reload) return the
first result. What changed while the phone was offline decides the outcome: a visit the worker may
still record is recorded as if typed online; one whose household was closed, handed to another worker
or erased, or dated in a quarter already declared to the funders, is kept "à vérifier" with the
reason, never dropped and never recorded in silence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from households.models import Household
from zel import periods
from zel.access import require
from zel.lib.limits import SHORT_TEXT, check_length

from . import access
from .models import Intervention, OfflineVisit
from .services import NextAction, visit_create

# The visit form's fields a phone sends (support.forms.OfflineVisitForm); kept as sent for review.
PAYLOAD_FIELDS = ("occurred_on", "mode", "themes", "summary", "duration_minutes", "participants",
                  "no_show", "planned", "action_title", "action_due", "action_theme")


@dataclass(frozen=True)
class Conflict:
    reason: str  # OfflineVisit.Reason
    detail: str


def conflict_for(user: User, household: Household | None, occurred_on: date) -> Conflict | None:
    """Why this visit cannot be recorded as it was captured (None: nothing changed that matters)."""
    R = OfflineVisit.Reason
    if household is None or household.anonymised_at is not None:
        return Conflict(R.MISSING, _("Ce dossier n'existe plus dans ZEL (supprimé ou anonymisé)."))
    if household.status == Household.Status.ENDED:
        return Conflict(R.CLOSED, _("L'accompagnement de ce ménage a été clos pendant que la visite "
                                    "attendait d'être envoyée."))
    if not access.can_write_support(user, household):
        return Conflict(R.TRANSFERRED, _("Ce ménage a été confié à un autre intervenant pendant que la "
                                         "visite attendait d'être envoyée."))
    locked = periods.locked_reason(household.territory_id, occurred_on)
    if locked:
        return Conflict(R.LOCKED, locked)
    return None


def payload_of(data: dict) -> dict:
    """The cleaned form data as JSON (dates as ISO strings), for the review page."""
    return {name: (value.isoformat() if isinstance(value, date) else value)
            for name, value in data.items() if name in PAYLOAD_FIELDS}


def next_actions_of(data: dict) -> list[NextAction]:
    if not data.get("action_title"):
        return []
    due = data["action_due"]
    due = date.fromisoformat(due) if isinstance(due, str) else due
    theme = data.get("action_theme") or (data.get("themes") or ["administrative"])[0]
    return [NextAction(title=data["action_title"], due_on=due, theme=theme)]


def _visit_fields(data: dict) -> dict:
    occurred_on = data["occurred_on"]
    return {
        "occurred_on": date.fromisoformat(occurred_on) if isinstance(occurred_on, str) else occurred_on,
        "mode": data["mode"], "themes": data.get("themes") or [], "summary": data.get("summary") or "",
        "duration_minutes": data.get("duration_minutes"), "participants": data.get("participants") or "",
        "no_show": bool(data.get("no_show")), "planned": bool(data.get("planned")),
    }


@transaction.atomic
def offline_visit_receive(*, by: User, household: Household | None, household_label: str, data: dict,
                          captured_at: datetime | None) -> Intervention | OfflineVisit:
    """Records the visit, or holds it for review when something changed while the phone was offline."""
    conflict = conflict_for(by, household, data["occurred_on"])
    if conflict is None:
        assert household is not None
        return visit_create(household=household, author=by, by=by, next_actions=next_actions_of(data),
                            **_visit_fields(data))
    review = OfflineVisit(author=by, household=household, household_label=household_label[:200],
                          occurred_on=data["occurred_on"], payload=payload_of(data), reason=conflict.reason,
                          reason_detail=conflict.detail[:300], captured_at=captured_at)
    review._history_user = by
    review.save()
    return review


def _lock(review: OfflineVisit) -> OfflineVisit:
    locked = OfflineVisit.objects.select_for_update(of=("self",)).get(pk=review.pk)
    if not locked.is_open:
        raise ValidationError(_("Cette visite a déjà été traitée (%(status)s).")
                              % {"status": locked.get_status_display()}, code="already_resolved")
    return locked


@transaction.atomic
def offline_visit_record(*, review: OfflineVisit, by: User, note: str = "") -> Intervention:
    """A manager of the household records the held visit, in its author's name."""
    require(access.can_decide_offline_visit(by, review))
    locked = _lock(review)
    check_length(note, field="resolution_note", limit=SHORT_TEXT)
    household = locked.household
    assert household is not None
    visit = visit_create(household=household, author=locked.author, by=by,
                         next_actions=next_actions_of(locked.payload), **_visit_fields(locked.payload))
    _close(locked, by=by, status=OfflineVisit.Status.RECORDED, note=note, visit=visit)
    review.refresh_from_db()
    return visit


@transaction.atomic
def offline_visit_dismiss(*, review: OfflineVisit, by: User, note: str) -> OfflineVisit:
    """Its author withdraws it, or a manager sets it aside: always with a reason, kept in the history."""
    require(access.can_dismiss_offline_visit(by, review))
    if not note.strip():
        raise ValidationError({"resolution_note": _("Indiquez pourquoi cette visite est écartée.")})
    check_length(note, field="resolution_note", limit=SHORT_TEXT)
    locked = _lock(review)
    _close(locked, by=by, status=OfflineVisit.Status.DISMISSED, note=note, visit=None)
    review.refresh_from_db()
    return review


def _close(review: OfflineVisit, *, by: User, status: str, note: str, visit: Intervention | None) -> None:
    review.status = status
    review.resolved_by = by
    review.resolved_at = timezone.now()
    review.resolution_note = note.strip()
    review.intervention = visit
    review._history_user = by
    review.save()
