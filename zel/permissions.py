"""Who may do what: the only module that knows.

Two kinds of answers:
- scoping: `visible_<things>(user)` returns the queryset of objects the user may see; lists, exports,
  search, timelines, PDFs and the admin start from it;
- checks: `can_<verb>_<thing>(user, obj)` answers one question about one object.

Views fetch objects through `<thing>_for(user, pk, write=...)`: an object the user may not see
answers 404, as if it did not exist; an object seen but not editable answers 403.

Sensitive data (health, psychologist notes) is readable by the care circle only: see the support
section. Each app keeps its rules in its own section below.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Role, User
from households.models import Household, Lease

R = Role.Code
CARE_CIRCLE = (R.SOCIAL_WORKER, R.PSYCHOLOGIST)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def has_role(user, *codes: str) -> bool:
    return _active(user) and user.has_role(*codes)


# ---------------------------------------------------------------------------------------------
# Households
# ---------------------------------------------------------------------------------------------

def visible_households(user) -> QuerySet[Household]:
    """Care circle: assigned households. Manager: their organisation's households (as the file
    holder or as the landlord) in their territories. Every other role: none (they work on COPIL
    summaries, procedures or aggregated reports, never on the household file)."""
    qs = Household.objects.all()
    if not _active(user):
        return qs.none()
    scope = Q(pk__in=[])
    if user.has_role(*CARE_CIRCLE):
        # A semi-join on the assignment table: no M2M join, so no repeated rows and no DISTINCT,
        # and no self-join of the households table (which made every count scan it twice).
        assigned = Household.assigned_workers.through.objects.filter(user_id=user.pk).values("household_id")
        scope |= Q(pk__in=assigned)
    if user.has_role(R.MANAGER) and user.organisation_id:
        landlord_of = Lease.objects.filter(household=OuterRef("pk"), landlord_id=user.organisation_id)
        scope |= Q(territory__code__in=user.territory_codes) & (
            Q(organisation_id=user.organisation_id) | Exists(landlord_of))
    return qs.filter(scope)


def can_view_household(user, household: Household) -> bool:
    # Remembered on the instance: a page asks several times (timeline providers, buttons).
    seen_by = household.__dict__.setdefault("_zel_seen_by", {})
    if user.pk not in seen_by:
        seen_by[user.pk] = visible_households(user).filter(pk=household.pk).exists()
    return seen_by[user.pk]


def mark_seen(user, household: Household) -> Household:
    """For fetchers that loaded the household through visible_households(user)."""
    household.__dict__.setdefault("_zel_seen_by", {})[user.pk] = True
    return household


def is_assigned(user, household: Household) -> bool:
    """Whether the user is one of the household's workers: no query when the page prefetched them."""
    prefetched = getattr(household, "_prefetched_objects_cache", {}).get("assigned_workers")
    if prefetched is not None:
        return any(worker.pk == user.pk for worker in prefetched)
    return household.assigned_workers.filter(pk=user.pk).exists()


def can_edit_household(user, household: Household) -> bool:
    """The manager of the file and the assigned social worker; the psychologist only reads."""
    if has_role(user, R.MANAGER) and can_view_household(user, household):
        return True
    return has_role(user, R.SOCIAL_WORKER) and is_assigned(user, household)


def household_for(user, pk: int, *, write: bool = False) -> Household:
    household = mark_seen(user, get_object_or_404(visible_households(user), pk=pk))
    if write and not can_edit_household(user, household):
        raise PermissionDenied
    return household


def can_create_household(user) -> bool:
    return has_role(user, R.MANAGER, R.SOCIAL_WORKER)


def can_assign_workers(user, household: Household | None = None) -> bool:
    if not has_role(user, R.MANAGER):
        return False
    return household is None or can_view_household(user, household)


def can_list_households(user) -> bool:
    return has_role(user, *CARE_CIRCLE, R.MANAGER)


def can_export_households(user) -> bool:
    return has_role(user, R.MANAGER)


def can_view_change_history(user, household: Household | None = None) -> bool:
    if not has_role(user, R.MANAGER):
        return False
    return household is None or can_view_household(user, household)


def assignable_workers(user) -> QuerySet[User]:
    """Workers a manager may assign: care-circle users of the manager's organisation."""
    if not has_role(user, R.MANAGER) or not user.organisation_id:
        return User.objects.none()
    return (User.objects.filter(is_active=True, organisation_id=user.organisation_id,
                                roles__code__in=CARE_CIRCLE).distinct().order_by("last_name", "first_name"))


def creatable_territories(user):
    return user.territories.all() if _active(user) else []


def referral_partners() -> QuerySet[Organisation]:
    return Organisation.objects.exclude(kind=Organisation.Kind.FUNDER)


# ---------------------------------------------------------------------------------------------
# Support (diagnosis, plan, visits, psychologist notes, budget, caseload)
# ---------------------------------------------------------------------------------------------

def can_use_caseload(user) -> bool:
    return has_role(user, *CARE_CIRCLE, R.MANAGER)


def can_read_sensitive(user) -> bool:
    """Health, mental health, addictions: the social-worker/psychologist circle only."""
    return has_role(user, *CARE_CIRCLE)


def can_read_psychologist_notes(user) -> bool:
    return has_role(user, R.PSYCHOLOGIST)


def can_log_visits(user) -> bool:
    """The care circle logs visits (on the households it may write to, checked per household)."""
    return has_role(user, *CARE_CIRCLE)


def can_export_visits(user) -> bool:
    return has_role(user, R.MANAGER)


def can_write_support(user, household: Household) -> bool:
    """Diagnosis, visits, plan, budget: the assigned care circle (the psychologist logs visits too)."""
    return has_role(user, *CARE_CIRCLE) and household.assigned_workers.filter(pk=user.pk).exists()


def can_manage_episodes(user, household: Household | None = None) -> bool:
    """Opening and closing support episodes: a manager of the household's scope (until the COPIL
    decision drives the opening)."""
    if not has_role(user, R.MANAGER):
        return False
    return household is None or can_view_household(user, household)


def can_hand_over(user) -> bool:
    return has_role(user, R.MANAGER)


def visible_diagnoses(user):
    """Diagnoses of the households the user sees (care circle: assigned; manager: scope). The
    sensitive section is filtered by `can_read_sensitive`, never by this queryset."""
    from support.models import Diagnosis

    if not can_use_caseload(user):
        return Diagnosis.objects.none()
    return Diagnosis.objects.filter(household__in=visible_households(user))


def diagnosis_for(user, pk: int, *, write: bool = False):
    diagnosis = get_object_or_404(visible_diagnoses(user).select_related("household"), pk=pk)
    if write and not can_write_support(user, diagnosis.household):
        raise PermissionDenied
    return diagnosis


def visible_interventions(user):
    from support.models import Intervention

    if not can_use_caseload(user):
        return Intervention.objects.none()
    return Intervention.objects.filter(household__in=visible_households(user))


def intervention_for(user, pk: int, *, write: bool = False):
    visit = get_object_or_404(visible_interventions(user).select_related("household", "author"), pk=pk)
    if write and not can_write_support(user, visit.household):
        raise PermissionDenied
    return visit


def visible_plan_goals(user):
    from support.models import PlanGoal

    if not can_use_caseload(user):
        return PlanGoal.objects.none()
    return PlanGoal.objects.filter(household__in=visible_households(user))


def plan_goal_for(user, pk: int, *, write: bool = False):
    goal = get_object_or_404(visible_plan_goals(user).select_related("household"), pk=pk)
    if write and not can_write_support(user, goal.household):
        raise PermissionDenied
    return goal


def visible_episodes(user):
    from support.models import SupportEpisode

    if not can_use_caseload(user):
        return SupportEpisode.objects.none()
    return SupportEpisode.objects.filter(household__in=visible_households(user))


def episode_for(user, pk: int, *, write: bool = False):
    episode = get_object_or_404(visible_episodes(user).select_related("household"), pk=pk)
    if write and not can_manage_episodes(user, episode.household):
        raise PermissionDenied
    return episode


def visible_psychologist_notes(user):
    """Psychologist notes: psychologists only, of their assigned households. Every other user,
    including managers and administrators (admin, exports, search), gets an empty queryset."""
    from support.models import PsychologistNote

    if not can_read_psychologist_notes(user):
        return PsychologistNote.objects.none()
    return PsychologistNote.objects.filter(household__assigned_workers=user)


def psychologist_note_for(user, pk: int):
    return get_object_or_404(visible_psychologist_notes(user).select_related("household", "author"), pk=pk)


def can_write_psychologist_note(user, household: Household) -> bool:
    return can_read_psychologist_notes(user) and household.assigned_workers.filter(pk=user.pk).exists()


def psychologist_visits_visible(user, household: Household) -> bool:
    """Whether the user may know that psychologist interviews took place (not their content)."""
    return can_use_caseload(user) and can_view_household(user, household)


# ---------------------------------------------------------------------------------------------
# COPIL
# ---------------------------------------------------------------------------------------------

def can_use_copil(user) -> bool:
    return has_role(user, R.COPIL_MEMBER, R.MANAGER)


def _is_copil_manager(user, territory_id: int | None = None) -> bool:
    """Programme managers prepare the agendas of their territories and see every session there."""
    if not has_role(user, R.MANAGER):
        return False
    return territory_id is None or territory_id in user.territory_ids


def visible_copil_sessions(user):
    """Manager: every session of their territories. COPIL member: the sessions they sit on (as a
    member or the chair) once the agenda is published — a draft is the manager's work."""
    from copil.models import Session

    qs = Session.objects.all()
    if not _active(user):
        return qs.none()
    scope = Q(pk__in=[])
    if user.has_role(R.MANAGER):
        scope |= Q(territory__code__in=user.territory_codes)
    if user.has_role(R.COPIL_MEMBER, R.MANAGER):
        sits = Q(memberships__user=user) | Q(chair=user)
        scope |= sits & ~Q(status=Session.Status.DRAFT)
    return qs.filter(pk__in=Session.objects.filter(scope).values("pk"))


def copil_session_for(user, pk: int, *, manage: bool = False):
    session = get_object_or_404(visible_copil_sessions(user).select_related("territory", "chair"), pk=pk)
    if manage and not can_manage_copil_session(user, session):
        raise PermissionDenied
    return session


def can_create_copil_session(user) -> bool:
    return has_role(user, R.MANAGER) and bool(user.territory_codes)


def copil_territories(user):
    from accounts.models import Territory

    return Territory.objects.filter(code__in=user.territory_codes) if can_create_copil_session(user) \
        else Territory.objects.none()


def can_manage_copil_session(user, session) -> bool:
    """Agenda, publication, opening, attendance: the territory's managers (not once signed)."""
    return _is_copil_manager(user, session.territory_id) and session.status != session.Status.SIGNED


def copil_member_candidates():
    return (User.objects.filter(is_active=True, roles__code=R.COPIL_MEMBER).select_related("organisation")
            .distinct().order_by("organisation__name", "last_name"))


def copil_chair_candidates():
    return (User.objects.filter(is_active=True, roles__code__in=[R.COPIL_MEMBER, R.MANAGER])
            .select_related("organisation").distinct().order_by("organisation__name", "last_name"))


def sits_on_copil_session(user, session) -> bool:
    """Chair or member. Uses `session.member_ids` when the selector set it (no query)."""
    if not _active(user):
        return False
    if session.chair_id == user.pk:
        return True
    member_ids = getattr(session, "member_ids", None)
    if member_ids is None:
        return session.memberships.filter(user=user).exists()
    return user.pk in member_ids


def is_copil_chair(user, session) -> bool:
    return _active(user) and session.chair_id == user.pk


def can_read_copil_dossier(user, session) -> bool:
    """The need-to-know summary: managers of the territory at any time; members and the chair only
    while the session is open for review or being held, and only for sessions they sit on."""
    if _is_copil_manager(user, session.territory_id):
        return True
    return has_role(user, R.COPIL_MEMBER, R.MANAGER) and session.dossiers_open and sits_on_copil_session(user, session)


def copil_item_for(user, session_pk: int, item_pk: int):
    """404 when the session is not the user's; 403 when it is but its dossiers are closed to them."""
    from copil.models import AgendaItem

    session = copil_session_for(user, session_pk)
    if not can_read_copil_dossier(user, session):
        raise PermissionDenied
    item = get_object_or_404(AgendaItem.objects.select_related("household__territory"), session=session,
                             pk=item_pk)
    item.session = session
    return item


def can_give_copil_opinion(user, session, *, today=None) -> bool:
    """Members (the chair included) give an opinion before or during the session."""
    from django.utils import timezone

    if not (has_role(user, R.COPIL_MEMBER, R.MANAGER) and sits_on_copil_session(user, session)):
        return False
    if session.is_written:
        closes = session.review_closes_on
        return session.status == session.Status.REVIEW and (
            closes is None or (today or timezone.localdate()) <= closes)
    return session.dossiers_open


def can_see_copil_opinions(user, session) -> bool:
    """The chair sees every opinion side by side; managers of the territory too."""
    return is_copil_chair(user, session) or _is_copil_manager(user, session.territory_id)


def can_decide_copil(user, session) -> bool:
    """The chair records decisions while the session is open or held; never after signature."""
    return is_copil_chair(user, session) and session.dossiers_open


def can_correct_copil_decision(user, session) -> bool:
    """After the minutes are signed, a decision changes only through a linked correction."""
    return is_copil_chair(user, session) and session.status == session.Status.SIGNED


def can_sign_copil_minutes(user, session) -> bool:
    return is_copil_chair(user, session) and session.status == session.Status.HELD


def can_close_copil_session(user, session) -> bool:
    """Marks the session held (records attendance): the chair or a manager of the territory."""
    return session.status == session.Status.REVIEW and (
        is_copil_chair(user, session) or _is_copil_manager(user, session.territory_id))


def can_download_copil_minutes(user, session) -> bool:
    """The session's members and chair, and the territory's managers."""
    if session.status != session.Status.SIGNED:
        return False
    return _is_copil_manager(user, session.territory_id) or sits_on_copil_session(user, session)


def can_regenerate_copil_minutes(user, session) -> bool:
    return session.status == session.Status.SIGNED and (
        is_copil_chair(user, session) or _is_copil_manager(user, session.territory_id))


def can_open_written_consultation(user) -> bool:
    """Urgent maintenance cases between sessions: managers, and COPIL members who chair a session."""
    from copil.models import Session

    if has_role(user, R.MANAGER) and user.territory_codes:
        return True
    return has_role(user, R.COPIL_MEMBER) and Session.objects.filter(chair=user).exists()


def copil_consultation_households(user):
    """Households a written consultation may be opened on: those the manager sees; for a chair
    who is not a manager, the households already on the agenda of a session they chair."""
    if has_role(user, R.MANAGER):
        return visible_households(user)
    if has_role(user, R.COPIL_MEMBER):
        return Household.objects.filter(copil_items__session__chair=user).distinct()
    return Household.objects.none()


def can_see_copil_timeline(user, household) -> bool:
    """COPIL decisions appear on the household timeline for whoever may see the household."""
    return can_view_household(user, household)


# ---------------------------------------------------------------------------------------------
# Litigation
# ---------------------------------------------------------------------------------------------

def can_use_litigation(user) -> bool:
    return has_role(user, R.LITIGATION_OFFICER, R.BAILIFF, R.MANAGER)


def _litigation_scope(user) -> Q | None:
    """Procedures a user may see, as a Q on Procedure; None means none.

    Litigation officer: every procedure of their landlord. Bailiff: only the procedures they are
    instructed on. Manager: the procedures of their territories (the early-warning worklist needs
    them). Care circle: the procedures of their assigned households (hearings on the dashboard)."""
    if not _active(user):
        return None
    scope = Q(pk__in=[])
    if user.has_role(R.LITIGATION_OFFICER) and user.organisation_id:
        scope |= Q(landlord_id=user.organisation_id)
    if user.has_role(R.BAILIFF):
        scope |= Q(bailiff_id=user.pk)
    if user.has_role(R.MANAGER):
        scope |= Q(territory__code__in=user.territory_codes)
    if user.has_role(*CARE_CIRCLE):
        # A semi-join on the assignment table, as for households: no M2M join, so no repeated rows,
        # hence no DISTINCT and no `pk IN (SELECT pk FROM procedures …)` self-join on every count.
        assigned = Household.assigned_workers.through.objects.filter(user_id=user.pk).values("household_id")
        scope |= Q(household_id__in=assigned)
    return scope


def visible_procedures(user):
    from litigation.models import Procedure

    scope = _litigation_scope(user)
    if scope is None:
        return Procedure.objects.none()
    # Every part of the scope is on the procedure's own columns or FKs: one row per procedure.
    return Procedure.objects.filter(scope)


def procedure_landlords(user) -> QuerySet[Organisation]:
    """Landlords a user may filter the procedure list by: managers and users without organisation
    see every landlord; others the landlords of the procedures they see. EXISTS per landlord (a few
    dozen rows, index on procedure.landlord_id), not a DISTINCT over every visible procedure."""
    landlords = Organisation.objects.filter(kind=Organisation.Kind.LANDLORD).order_by("name")
    if has_role(user, R.MANAGER) or not getattr(user, "organisation_id", None):
        return landlords
    return landlords.filter(Exists(visible_procedures(user).filter(landlord_id=OuterRef("pk"))))


def can_view_procedure(user, procedure) -> bool:
    return visible_procedures(user).filter(pk=procedure.pk).exists()


def recordable_event_types(user, procedure) -> list[str]:
    """Event types this user may record on this procedure: the landlord's litigation officer records
    every step; the instructed bailiff only the acts they serve; nobody writes on a closed one."""
    from litigation.models import BAILIFF_EVENT_TYPES, EventType

    if procedure.is_closed or not _active(user):
        return []
    if user.has_role(R.LITIGATION_OFFICER) and user.organisation_id == procedure.landlord_id:
        return list(EventType.values)
    if user.has_role(R.BAILIFF) and procedure.bailiff_id == user.pk:
        return [t for t in EventType.values if t in BAILIFF_EVENT_TYPES]
    return []


def can_record_event(user, procedure, event_type: str | None = None) -> bool:
    allowed = recordable_event_types(user, procedure)
    return bool(allowed) if event_type is None else event_type in allowed


def can_manage_procedure(user, procedure=None) -> bool:
    """Open procedures, instruct a bailiff, manage plans: the landlord's litigation officer."""
    if not has_role(user, R.LITIGATION_OFFICER) or not user.organisation_id:
        return False
    return procedure is None or procedure.landlord_id == user.organisation_id


def procedure_for(user, pk: int, *, write: bool = False):
    procedure = get_object_or_404(visible_procedures(user).select_related(
        "lease", "landlord", "territory", "bailiff", "household"), pk=pk)
    if write and not can_record_event(user, procedure):
        raise PermissionDenied
    return procedure


def visible_rent_leases(user) -> QuerySet[Lease]:
    """Leases whose rent account a user may read: the landlord's litigation officer, the manager of
    the territory, the care circle of the household. Not the bailiff (only procedures)."""
    if not _active(user):
        return Lease.objects.none()
    scope = Q(pk__in=[])
    if user.has_role(R.LITIGATION_OFFICER) and user.organisation_id:
        scope |= Q(landlord_id=user.organisation_id)
    if user.has_role(R.MANAGER):
        scope |= Q(household__territory__code__in=user.territory_codes)
    if user.has_role(*CARE_CIRCLE):
        scope |= Q(household__assigned_workers=user)
    return Lease.objects.filter(pk__in=Lease.objects.filter(scope).values("pk"))


def rent_lease_for(user, pk: int) -> Lease:
    return get_object_or_404(visible_rent_leases(user).select_related("landlord", "household__territory"),
                             pk=pk)


def can_import_rent_accounts(user, landlord=None) -> bool:
    if not has_role(user, R.LITIGATION_OFFICER) or not user.organisation_id:
        return False
    return landlord is None or landlord.pk == user.organisation_id


def can_see_support_status(user) -> bool:
    """Whether a procedure page may link to the social side (the litigation staff only see 'active')."""
    return has_role(user, *CARE_CIRCLE, R.MANAGER)


def can_edit_dsf(user, dsf) -> bool:
    """The social and financial diagnosis is completed by a social worker assigned to the household."""
    return has_role(user, R.SOCIAL_WORKER) and dsf.household.assigned_workers.filter(pk=user.pk).exists()


def can_manage_plans(user, lease) -> bool:
    return has_role(user, R.LITIGATION_OFFICER) and lease.landlord_id == user.organisation_id


def can_use_early_warning(user) -> bool:
    return has_role(user, R.MANAGER)


def visible_early_warnings(user):
    from litigation.models import EarlyWarning

    if not can_use_early_warning(user):
        return EarlyWarning.objects.none()
    return EarlyWarning.objects.filter(household__territory__code__in=user.territory_codes)


def early_warning_for(user, pk: int):
    return get_object_or_404(visible_early_warnings(user).select_related("lease", "household"), pk=pk)


def visible_dsfs(user):
    """The DSF holds the social file: the care circle of the household and its manager only."""
    from litigation.models import Dsf

    if not has_role(user, *CARE_CIRCLE, R.MANAGER):
        return Dsf.objects.none()
    return Dsf.objects.filter(household_id__in=visible_households(user).values("pk"))


def dsf_for(user, pk: int, *, write: bool = False):
    dsf = get_object_or_404(visible_dsfs(user).select_related("procedure", "household"), pk=pk)
    if write and not (has_role(user, R.SOCIAL_WORKER)
                      and dsf.household.assigned_workers.filter(pk=user.pk).exists()):
        raise PermissionDenied
    return dsf


# ---------------------------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------------------------

def can_use_reports(user) -> bool:
    return has_role(user, R.FUNDER, R.MANAGER)


def _covers_whole_programme(user) -> bool:
    """The programme-wide report is for users whose territories include every département."""
    from accounts.models import Territory

    codes = set(Territory.objects.values_list("code", flat=True))
    return bool(codes) and codes <= set(user.territory_codes)


def visible_reports(user):
    """Managers: every report of their territories (any status). Funders: the finished reports of their
    territories, addressed to nobody in particular or to their own organisation. The programme-wide
    report (no territory) only for users who cover every département. Nobody else sees any."""
    from reports.models import Report

    qs = Report.objects.select_related("territory", "funder", "requested_by")
    if not can_use_reports(user):
        return qs.none()
    scope = Q(territory__code__in=user.territory_codes)
    if _covers_whole_programme(user):
        scope |= Q(territory__isnull=True)
    qs = qs.filter(scope)
    if user.has_role(R.MANAGER):
        return qs
    return qs.filter(Q(funder__isnull=True) | Q(funder_id=user.organisation_id), status=Report.Status.DONE)


def report_for(user, pk: int):
    return get_object_or_404(visible_reports(user), pk=pk)


def can_request_reports(user) -> bool:
    return has_role(user, R.MANAGER)


def requestable_territories(user):
    """(territory or None for the whole programme) a manager may request a report for."""
    from accounts.models import Territory

    if not can_request_reports(user):
        return []
    scopes: list = [None] if _covers_whole_programme(user) else []
    return scopes + list(Territory.objects.filter(code__in=user.territory_codes).order_by("code"))


def can_download_report(user, report) -> bool:
    return report.status == report.Status.DONE and bool(report.file) and \
        visible_reports(user).filter(pk=report.pk).exists()


# ---------------------------------------------------------------------------------------------
# Navigation: each role sees only what it may use
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    allowed: object  # a predicate (user) -> bool


NAVIGATION = [
    NavItem(_("Mon tableau de bord"), "support:dashboard", can_use_caseload),
    NavItem(_("Ménages"), "households:list", can_list_households),
    NavItem(_("COPIL"), "copil:session_list", can_use_copil),
    NavItem(_("Contentieux"), "litigation:procedure_list", can_use_litigation),
    NavItem(_("Rapports"), "reports:report_list", can_use_reports),
    NavItem(_("Journal des accès"), "accounts:access_log", lambda u: has_role(u, R.MANAGER)),
]


def navigation(user) -> list[NavItem]:
    if not _active(user):
        return []
    return [item for item in NAVIGATION if item.allowed(user)]


def can_use_admin(user) -> bool:
    return _active(user) and user.is_staff and (user.is_superuser or user.has_role(R.ADMINISTRATOR))


def home_url_name(user) -> str:
    items = navigation(user)
    if items:
        return items[0].url_name
    return "admin:index" if can_use_admin(user) else "accounts:profile"


# ---------------------------------------------------------------------------------------------
# Audit
# ---------------------------------------------------------------------------------------------

def can_read_access_log(user) -> bool:
    return has_role(user, R.MANAGER)


def visible_access_log(user):
    """A manager reads the entries about the households of their scope, and their own entries."""
    from accounts.models import AccessLog

    if not can_read_access_log(user):
        return AccessLog.objects.none()
    return AccessLog.objects.filter(Q(household_id__in=visible_households(user).values("pk")) | Q(user=user))


# ---------------------------------------------------------------------------------------------
# RGPD: subject access and erasure (households.retention)
# ---------------------------------------------------------------------------------------------

def can_manage_personal_data(user, household: Household | None = None) -> bool:
    """Export everything held on a household, erase on request: the managers who see the file."""
    if not has_role(user, R.MANAGER):
        return False
    return household is None or can_view_household(user, household)
