"""Writes of the support app: each is keyword-only, atomic, and records who did it."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from households import lifecycle
from households.models import FrozenFigures, Household, HousingSituation
from households.services import figures_freeze, household_transition
from zel.access import require
from zel.lib.limits import check_length

from . import access
from .models import (
    Diagnosis,
    Handover,
    Intervention,
    InterventionAddendum,
    PlanGoal,
    PsychologistNote,
    SupportEpisode,
)


class StaleEdit(Exception):
    """Someone saved the diagnosis after this form was opened (optimistic locking)."""

    def __init__(self, current):
        super().__init__(_("Ce diagnostic a été modifié par quelqu'un d'autre entre-temps."))
        self.current = current


# --- Episodes ----------------------------------------------------------------------------------

@transaction.atomic
def episode_open(*, household: Household, by: User, opened_on: date | None = None,
                 intensity: str = SupportEpisode.Intensity.STANDARD) -> SupportEpisode:
    """Opens a support episode. The household status is left alone: the COPIL decision sets
    "admitted", and the first visit of an episode moves it to "supported"."""
    # Lock the household row so two concurrent openings cannot both pass the check.
    Household.objects.select_for_update().filter(pk=household.pk).first()
    if SupportEpisode.objects.filter(household=household, closed_on__isnull=True).exists():
        raise ValidationError(_("Un accompagnement est déjà ouvert pour ce ménage."), code="already_open")
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        raise ValidationError({"opened_on": _("La date d'ouverture ne peut pas être dans le futur.")})
    episode = SupportEpisode(household=household, opened_on=opened_on, intensity=intensity, opened_by=by)
    episode._history_user = by
    episode.save()
    return episode


@transaction.atomic
def episode_close(*, episode: SupportEpisode, by: User, closed_on: date, exit_reason: str,
                  housing_at_exit: str = "") -> SupportEpisode:
    require(access.can_manage_episodes(by, episode.household))
    episode = SupportEpisode.objects.select_for_update().get(pk=episode.pk)
    if episode.closed_on is not None:
        raise ValidationError(_("Cet accompagnement est déjà clos."), code="already_closed")
    if exit_reason not in SupportEpisode.ExitReason.values:
        raise ValidationError({"exit_reason": _("Choisissez un motif de sortie.")})
    if closed_on < episode.opened_on:
        raise ValidationError({"closed_on": _("La date de clôture précède l'ouverture (%(date)s).")
                               % {"date": f"{episode.opened_on:%d/%m/%Y}"}})
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("La date de clôture ne peut pas être dans le futur.")})
    if housing_at_exit and housing_at_exit not in HousingSituation.values:
        raise ValidationError({"housing_at_exit": _("Choisissez une situation de logement de la liste.")})
    episode.closed_on, episode.exit_reason, episode.closed_by = closed_on, exit_reason, by
    episode.housing_at_exit = housing_at_exit
    episode._history_user = by
    episode.save(update_fields=["closed_on", "exit_reason", "closed_by", "housing_at_exit"])
    household_transition(household=episode.household, to=Household.Status.ENDED, by=by,
                         reason=_("Accompagnement clos le %(date)s : %(reason)s")
                         % {"date": f"{closed_on:%d/%m/%Y}",
                            "reason": SupportEpisode.ExitReason(exit_reason).label})
    figures_freeze(household=episode.household, moment=FrozenFigures.Moment.EXIT, by=by, taken_on=closed_on,
                   source=f"episode-{episode.pk}")
    return episode


# --- Diagnosis ---------------------------------------------------------------------------------

@transaction.atomic
def diagnosis_create(*, household: Household, by: User, data: dict, authors: Iterable[User]) -> Diagnosis:
    """A new diagnosis is always a new row: the earlier ones are kept as they were."""
    require(access.can_write_support(by, household))
    diagnosis = Diagnosis(household=household, created_by=by, **data)
    if diagnosis.kind != Diagnosis.Kind.RELOCATION:
        diagnosis.target_typology, diagnosis.target_place, diagnosis.target_max_rent = "", "", None
    diagnosis._history_user = by
    diagnosis.full_clean(exclude=["household", "created_by"])
    diagnosis.save()
    diagnosis.authors.set({*authors, by})
    if lifecycle.allowed(household.status, Household.Status.DIAGNOSED):
        household_transition(household=household, to=Household.Status.DIAGNOSED, by=by,
                             reason=_("Diagnostic social du %(date)s") % {"date": f"{diagnosis.done_on:%d/%m/%Y}"})
    return diagnosis


@transaction.atomic
def diagnosis_update(*, diagnosis: Diagnosis, by: User, data: dict, authors: Iterable[User],
                     expected_version: int) -> Diagnosis:
    require(access.can_write_support(by, diagnosis.household))
    current = Diagnosis.objects.select_for_update().get(pk=diagnosis.pk)
    if current.version != expected_version:
        raise StaleEdit(current)
    for field, value in data.items():
        setattr(diagnosis, field, value)
    if diagnosis.kind != Diagnosis.Kind.RELOCATION:
        diagnosis.target_typology, diagnosis.target_place, diagnosis.target_max_rent = "", "", None
    diagnosis.full_clean(exclude=["household", "created_by"])
    # The row is locked (select_for_update): a plain increment is safe, and simple_history can copy it.
    diagnosis.version = current.version + 1
    diagnosis._history_user = by
    diagnosis.save()
    diagnosis.authors.set({*authors, by})
    return diagnosis


# --- Visits ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NextAction:
    title: str
    due_on: date | None
    theme: str


def check_visit(*, occurred_on: date, planned: bool, no_show: bool, summary: str,
                 duration_minutes: int | None) -> None:
    today = timezone.localdate()
    errors = {}
    if not planned and occurred_on > today:
        errors["occurred_on"] = _("Une visite réalisée ne peut pas être datée dans le futur : "
                                  "cochez « visite prévue » pour la programmer.")
    if planned and occurred_on < today:
        errors["occurred_on"] = _("Une visite prévue ne peut pas être datée dans le passé.")
    if planned and (occurred_on - today).days > 366:
        errors["occurred_on"] = _("Une visite ne peut pas être programmée plus d'un an à l'avance.")
    if duration_minutes is not None and duration_minutes <= 0:
        errors["duration_minutes"] = _("La durée doit être un nombre de minutes positif.")
    if not planned and not no_show and not summary.strip():
        errors["summary"] = _("Le compte rendu est obligatoire pour une visite réalisée.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def intervention_record(*, household: Household, by: User, occurred_on: date, mode: str,
                        themes: Sequence[str], summary: str = "", duration_minutes: int | None = None,
                        participants: str = "", no_show: bool = False, planned: bool = False,
                        next_actions: Sequence[NextAction] = ()) -> Intervention:
    """Logs a visit (or plans one) and turns its next actions into plan goals owned by the author."""
    require(access.can_write_support(by, household))
    return visit_create(household=household, author=by, by=by, occurred_on=occurred_on, mode=mode,
                        themes=themes, summary=summary, duration_minutes=duration_minutes,
                        participants=participants, no_show=no_show, planned=planned, next_actions=next_actions)


def visit_create(*, household: Household, author: User, by: User, occurred_on: date, mode: str,
                 themes: Sequence[str], summary: str, duration_minutes: int | None, participants: str,
                 no_show: bool, planned: bool, next_actions: Sequence[NextAction]) -> Intervention:
    """The visit's rows, for a caller that has checked who may write it: `author` made the visit, `by`
    saves it (a manager recording a visit held for review, issue 19, saves another worker's visit)."""
    check_visit(occurred_on=occurred_on, planned=planned, no_show=no_show, summary=summary,
                duration_minutes=duration_minutes)
    visit = Intervention(household=household, author=author, occurred_on=occurred_on, mode=mode,
                         themes=list(dict.fromkeys(themes)), summary=summary.strip(),
                         duration_minutes=duration_minutes, participants=participants,
                         no_show=no_show, planned=planned)
    visit._history_user = by
    visit.full_clean(exclude=["household", "author"])
    visit.save()
    goals = [PlanGoal(household=household, theme=action.theme, title=action.title[:200], owner=author,
                      due_on=action.due_on, source_intervention=visit, created_by=by)
             for action in next_actions if action.title.strip()]
    for goal in goals:
        goal._history_user = by
        goal.save()
    # A first visit done within an admitted household's episode means the support has started.
    if (not planned and not no_show and household.status == Household.Status.ADMITTED
            and SupportEpisode.objects.filter(household=household, closed_on__isnull=True).exists()):
        household_transition(household=household, to=Household.Status.SUPPORTED, by=by,
                             reason=_("Première intervention réalisée le %(date)s")
                             % {"date": f"{occurred_on:%d/%m/%Y}"})
    return visit


def can_still_edit(visit: Intervention, user: User, now=None) -> bool:
    now = now or timezone.now()
    return visit.author_id == user.pk and now <= visit.editable_until()


@transaction.atomic
def intervention_update(*, visit: Intervention, by: User, data: dict) -> Intervention:
    """The author corrects a visit within the edit window; the history keeps every version."""
    require(access.can_write_support(by, visit.household))
    if not can_still_edit(visit, by):
        raise ValidationError(_("Le délai de modification de 7 jours est passé : ajoutez un complément."),
                              code="edit_window")
    fields = {"occurred_on", "mode", "themes", "summary", "duration_minutes", "participants",
              "no_show", "planned"}
    merged = {f: data.get(f, getattr(visit, f)) for f in fields}
    check_visit(occurred_on=merged["occurred_on"], planned=merged["planned"], no_show=merged["no_show"],
                 summary=merged["summary"], duration_minutes=merged["duration_minutes"])
    for field in fields:
        setattr(visit, field, merged[field])
    visit._history_user = by
    visit.full_clean(exclude=["household", "author"])
    visit.save()
    return visit


@transaction.atomic
def intervention_add_addendum(*, visit: Intervention, by: User, content: str) -> InterventionAddendum:
    require(access.can_write_support(by, visit.household))
    if not content.strip():
        raise ValidationError({"content": _("Le complément est vide.")})
    check_length(content, field="content")
    addendum = InterventionAddendum(intervention=visit, author=by, content=content.strip())
    addendum._history_user = by
    addendum.save()
    return addendum


# --- Plan ----------------------------------------------------------------------------------------

@transaction.atomic
def plan_goal_save(*, goal: PlanGoal, by: User) -> PlanGoal:
    """Creates or updates a plan goal built by a validated form."""
    require(access.can_write_support(by, goal.household))
    if goal.pk is None:
        goal.created_by = by
    goal._history_user = by
    goal.full_clean()
    goal.save()
    return goal


# --- Psychologist notes --------------------------------------------------------------------------

@transaction.atomic
def psychologist_note_record(*, household: Household, by: User, occurred_on: date,
                             content: str) -> PsychologistNote:
    if not access.can_write_psychologist_note(by, household):
        raise ValidationError(_("Seule une psychologue peut rédiger cette note."))
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("La date de l'entretien ne peut pas être dans le futur.")})
    if not content.strip():
        raise ValidationError({"content": _("La note est vide.")})
    check_length(content, field="content")
    note = PsychologistNote(household=household, author=by, occurred_on=occurred_on, content=content.strip())
    note._history_user = by
    note.save()
    return note


# --- Budget --------------------------------------------------------------------------------------

@transaction.atomic
def budget_save(*, household: Household, by: User, formsets: Sequence) -> None:
    """Saves the charges and debts formsets together, or neither."""
    require(access.can_write_support(by, household))
    for formset in formsets:
        formset.instance = household
        for obj in formset.save(commit=False):
            obj._history_user = by
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()


# --- Hand-over -----------------------------------------------------------------------------------

@transaction.atomic
def caseload_handover(*, by: User, from_worker: User, to_worker: User,
                      households: Sequence[Household]) -> Handover:
    """Moves households, their open goals and planned visits from one worker to another at once."""
    require(access.can_hand_over(by))
    if from_worker.pk == to_worker.pk:
        raise ValidationError({"to_worker": _("Choisissez un autre intervenant que l'intervenant sortant.")})
    if not households:
        raise ValidationError({"households": _("Choisissez au moins un ménage.")})
    ids = [h.pk for h in households]
    today = timezone.localdate()
    goals = PlanGoal.objects.filter(household_id__in=ids, owner=from_worker,
                                    status__in=PlanGoal.OPEN_STATUSES)
    visits = Intervention.objects.filter(household_id__in=ids, author=from_worker, planned=True,
                                         occurred_on__gte=today)
    # Bulk updates skip simple_history: the Handover row is the record, and the timeline shows it.
    goals_moved = goals.update(owner=to_worker)
    visits_moved = visits.update(author=to_worker)
    for household in households:
        household._history_user = by
        household._change_reason = _("Passation de %(from)s à %(to)s") % {"from": from_worker,
                                                                            "to": to_worker}
        household.assigned_workers.remove(from_worker)
        household.assigned_workers.add(to_worker)
    handover = Handover.objects.create(from_worker=from_worker, to_worker=to_worker, by=by,
                                       goals_moved=goals_moved, visits_moved=visits_moved)
    handover.households.set(ids)
    return handover
