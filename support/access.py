"""Who may read and write the social side of a file: diagnosis, plan, visits, psychologist notes,
budget, caseload. The support app's rules, on zel.access and households.access.

Sealed data: the health section of the diagnosis is read by the care circle only
(`can_read_sensitive`), psychologist notes by psychologists of the household only
(`visible_psychologist_notes`) — not managers, not the operator in the admin.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from households import access as household_access
from households.models import Household
from zel import access

from .models import (
    Appointment,
    Diagnosis,
    Intervention,
    OfflineVisit,
    PlanGoal,
    PsychologistNote,
    SupportEpisode,
)


def can_use_caseload(user) -> bool:
    return access.in_care_circle(user) or access.is_manager(user)


def caseload_is_assignments(user) -> bool:
    """The care circle's dashboard lists its assigned households; a manager's, the scope's
    admitted and supported households."""
    return access.in_care_circle(user)


def can_read_sensitive(user) -> bool:
    """Health, mental health, addictions: the social-worker/psychologist circle only."""
    return access.in_care_circle(user)


def can_read_psychologist_notes(user) -> bool:
    return access.is_psychologist(user)


def can_log_visits(user) -> bool:
    """The care circle logs visits (on the households it may write to, checked per household)."""
    return access.in_care_circle(user)


def can_export_visits(user) -> bool:
    return access.is_manager(user)


def can_write_support(user, household: Household) -> bool:
    """Diagnosis, visits, plan, budget: the assigned care circle (the psychologist logs visits too)."""
    return household_access.is_assigned_care_circle(user, household)


def can_manage_episodes(user, household: Household | None = None) -> bool:
    """Opening and closing support episodes: a manager of the household's scope."""
    return household_access.can_assign_workers(user, household)


def can_hand_over(user) -> bool:
    return access.is_manager(user)


def sees_household_support(user, household: Household) -> bool:
    """Whether the support rows of one household (its diagnoses, episodes, visits, plan, aid
    applications and documents) are in the user's `visible_…` scopes: all of them or none. The file's
    timeline asks once and reads them by household id (no scope subquery to compile per branch)."""
    return can_use_caseload(user) and household_access.can_view_household(user, household)


def sees_household_psychologist_notes(user, household: Household) -> bool:
    """Whether `visible_psychologist_notes(user)` holds this household's notes (no query on a file
    whose workers are prefetched)."""
    return can_read_psychologist_notes(user) and household_access.is_assigned(user, household)


def _in_visible_households(user, model) -> QuerySet:
    if not can_use_caseload(user):
        return model.objects.none()
    return model.objects.filter(household__in=household_access.visible_households(user))


def visible_diagnoses(user) -> QuerySet[Diagnosis]:
    """Diagnoses of the households the user sees. The sensitive section is filtered by
    `can_read_sensitive`, never by this queryset."""
    return _in_visible_households(user, Diagnosis)


def diagnosis_for(user, pk: int, *, write: bool = False) -> Diagnosis:
    diagnosis = get_object_or_404(visible_diagnoses(user).select_related("household"), pk=pk)
    if write and not can_write_support(user, diagnosis.household):
        raise PermissionDenied
    return diagnosis


def visible_interventions(user) -> QuerySet[Intervention]:
    return _in_visible_households(user, Intervention)


def intervention_for(user, pk: int, *, write: bool = False) -> Intervention:
    visit = get_object_or_404(visible_interventions(user).select_related("household", "author"), pk=pk)
    if write and not can_write_support(user, visit.household):
        raise PermissionDenied
    return visit


def visible_plan_goals(user) -> QuerySet[PlanGoal]:
    return _in_visible_households(user, PlanGoal)


def plan_goal_for(user, pk: int, *, write: bool = False) -> PlanGoal:
    goal = get_object_or_404(visible_plan_goals(user).select_related("household"), pk=pk)
    if write and not can_write_support(user, goal.household):
        raise PermissionDenied
    return goal


def visible_episodes(user) -> QuerySet[SupportEpisode]:
    return _in_visible_households(user, SupportEpisode)


def episode_for(user, pk: int, *, write: bool = False) -> SupportEpisode:
    episode = get_object_or_404(visible_episodes(user).select_related("household"), pk=pk)
    if write and not can_manage_episodes(user, episode.household):
        raise PermissionDenied
    return episode


def visible_psychologist_notes(user) -> QuerySet[PsychologistNote]:
    """Psychologists only, of their assigned households. Every other user, managers and
    administrators included (admin, exports, search), gets an empty queryset."""
    if not can_read_psychologist_notes(user):
        return PsychologistNote.objects.none()
    return PsychologistNote.objects.filter(household_id__in=household_access.assigned_household_ids(user))


def psychologist_note_for(user, pk: int) -> PsychologistNote:
    return get_object_or_404(visible_psychologist_notes(user).select_related("household", "author"), pk=pk)


def can_write_psychologist_note(user, household: Household) -> bool:
    return can_read_psychologist_notes(user) and household_access.is_assigned(user, household)


def admin_scope(user, queryset: QuerySet) -> QuerySet:
    """Support rows in the admin: the operator administers them all, others their scope."""
    return queryset.filter(household__in=household_access.admin_households(user))


# --- Sealed parts of the subject-access export (issue 17): produced by those who may read them --------

def can_export_psychologist_notes(user, household: Household) -> bool:
    """The psychologist of the household exports its notes for the person: nobody else reads them."""
    return can_write_psychologist_note(user, household)


def can_export_health(user, household: Household) -> bool:
    """The household's care circle exports the health section of its diagnoses for the person."""
    return can_read_sensitive(user) and household_access.is_assigned(user, household)


# --- Appointments, reminders, calendar (issue 15) -------------------------------------------------

def visible_appointments(user) -> QuerySet[Appointment]:
    """Appointments of the households the user sees (the care circle and managers of the scope)."""
    return _in_visible_households(user, Appointment)


def appointment_for(user, pk: int, *, write: bool = False) -> Appointment:
    appointment = get_object_or_404(visible_appointments(user).select_related("household__territory"), pk=pk)
    if write and not can_plan_appointments(user, appointment.household):
        raise PermissionDenied
    return appointment


def can_plan_appointments(user, household: Household) -> bool:
    """Planning, moving, cancelling and closing appointments: the household's assigned care circle."""
    return can_write_support(user, household)


def can_use_calendar(user) -> bool:
    """The week view and the personal ICS feed: whoever has appointments, the care circle."""
    return access.in_care_circle(user)


def calendar_appointments(user) -> QuerySet[Appointment]:
    """What a user's calendar (week view, ICS feed) shows: the appointments they take part in, in
    households they still see. A feed token outlives nothing: a worker who left the household's care
    circle, or the care circle altogether, no longer gets its appointments."""
    if not can_use_calendar(user):
        return Appointment.objects.none()
    return visible_appointments(user).filter(workers=user)


def can_view_appointment_figures(user) -> bool:
    """Honoured / no-show / cancelled rates per worker: managers, for their scope."""
    return access.is_manager(user)


# --- Aid applications and the document vault (issue 14) ---------------------------------------

def _aid_models():
    from .models_aid import AidApplication, Document

    return AidApplication, Document


def can_use_aid(user) -> bool:
    """Aid applications and documents: the care circle and the managers (the support side)."""
    return can_use_caseload(user)


def can_write_aid(user, household: Household) -> bool:
    """Preparing, lodging, recording the body's decision and the payment: the household's assigned
    care circle and the managers of its scope (who also record COPIL follow-ups)."""
    return can_write_support(user, household) or household_access.is_household_manager(user, household)


def visible_aid_applications(user) -> QuerySet:
    AidApplication, _ = _aid_models()
    return _in_visible_households(user, AidApplication)


def aid_application_for(user, pk: int, *, write: bool = False):
    application = get_object_or_404(visible_aid_applications(user).select_related("household"), pk=pk)
    household_access.mark_seen(user, application.household)
    if write and not can_write_aid(user, application.household):
        raise PermissionDenied
    return application


def can_read_confidential_documents(user) -> bool:
    """A confidential document is read by the household's care circle only (not managers)."""
    return access.in_care_circle(user)


def visible_documents(user) -> QuerySet:
    """Documents of the households the user sees; confidential ones for the care circle only (whose
    visible households are its assigned ones)."""
    _, Document = _aid_models()
    return documents_shown(_in_visible_households(user, Document), confidential=can_read_confidential_documents(user))


def documents_shown(documents: QuerySet, *, confidential: bool) -> QuerySet:
    """Documents without the confidential ones unless `confidential` (can_read_confidential_documents):
    the rule `visible_documents` applies, for a query that is given the answer rather than the user
    (the file's timeline, compiled once)."""
    return documents if confidential else documents.filter(confidential=False)


def can_add_document(user, household: Household) -> bool:
    return can_write_aid(user, household)


def can_mark_confidential(user) -> bool:
    return can_read_confidential_documents(user)


def document_for(user, pk: int, *, write: bool = False):
    document = get_object_or_404(visible_documents(user).select_related("household"), pk=pk)
    household_access.mark_seen(user, document.household)
    if write and not can_add_document(user, document.household):
        raise PermissionDenied
    return document


def sees_aid_panel(user) -> bool:
    """The dashboard panel of applications waiting on something: the care circle's caseload."""
    return access.in_care_circle(user)


# --- Visits captured offline and held for review (issue 19) -----------------------------------------

def offline_caseload(user) -> QuerySet[Household]:
    """What a phone keeps for offline capture: the user's own open households, nothing more."""
    if not can_log_visits(user):
        return Household.objects.none()
    return (Household.objects.filter(pk__in=household_access.assigned_household_ids(user))
            .exclude(status=Household.Status.ENDED).filter(anonymised_at__isnull=True))


def visible_offline_visits(user) -> QuerySet[OfflineVisit]:
    """The author's own held visits, and a manager's for the households of their scope."""
    if not access.active(user):
        return OfflineVisit.objects.none()
    scope = Q(household__isnull=False) & household_access.manager_household_scope(user, prefix="household__")
    if can_log_visits(user):
        scope |= Q(author_id=user.pk)
    return OfflineVisit.objects.filter(scope)


def offline_visit_for(user, pk: int) -> OfflineVisit:
    return get_object_or_404(visible_offline_visits(user).select_related("household", "author", "resolved_by"),
                             pk=pk)


def can_decide_offline_visit(user, review: OfflineVisit) -> bool:
    """A manager of the household decides: they vouch for a visit the rules held back."""
    return (review.is_open and review.household is not None
            and household_access.is_household_manager(user, review.household))


def can_dismiss_offline_visit(user, review: OfflineVisit) -> bool:
    """Its author may withdraw their own held visit; a manager of the household may set it aside."""
    return review.is_open and (review.author_id == user.pk or can_decide_offline_visit(user, review))
