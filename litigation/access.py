"""Who may see and do what on eviction procedures, rent accounts, early warnings and DSFs: the
litigation app's rules, on zel.access and households.access.

Litigation officer: every procedure and rent account of their landlord. Bailiff: the procedures
they are instructed on. Manager: their territories AND their organisation (as the file holder or the
landlord). Care circle: the procedures of their assigned households. Health and psychologist data
never reach these screens: the DSF holds the social file and is for the care circle and managers.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Organisation, User
from households import access as household_access
from households.models import Household, Lease
from zel import access
from zel.access import R

from .models import BAILIFF_EVENT_TYPES, Dsf, EarlyWarning, EventType, Procedure, RepaymentPlan


def can_use_litigation(user) -> bool:
    return access.is_litigation_officer(user) or access.is_bailiff(user) or access.is_manager(user)


def _scope(user, *, household: str, territory: str, landlord: str, bailiff: str | None) -> Q:
    """The litigation scope as one Q, for rows that reach a household and a landlord by these
    paths. Every part is on the row's own keys: one row per object, no DISTINCT."""
    scope = access.NOTHING
    if not access.active(user):
        return scope
    if access.is_litigation_officer(user):
        scope |= access.organisation_only(user, organisation=landlord)
    if bailiff and access.is_bailiff(user):
        scope |= Q(**{f"{bailiff}_id": user.pk})
    if access.is_manager(user):
        scope |= access.territory_and_organisation(
            user, territory=territory, organisation=[f"{household}__organisation", landlord])
    if access.in_care_circle(user):
        scope |= Q(**{f"{household}_id__in": household_access.assigned_household_ids(user)})
    return scope


def visible_procedures(user) -> QuerySet[Procedure]:
    return Procedure.objects.filter(_scope(user, household="household", territory="territory",
                                              landlord="landlord", bailiff="bailiff"))


def procedure_for(user, pk: int, *, write: bool = False) -> Procedure:
    procedure = get_object_or_404(visible_procedures(user).select_related(
        "lease", "landlord", "territory", "bailiff", "household"), pk=pk)
    if write and not can_record_event(user, procedure):
        raise PermissionDenied
    return procedure


def procedure_landlords(user) -> QuerySet[Organisation]:
    """Landlords a user may filter the procedure list by: those of the procedures they see. EXISTS
    per landlord (a few dozen rows, index on procedure.landlord_id), not a DISTINCT over every
    visible procedure."""
    landlords = Organisation.objects.filter(kind=Organisation.Kind.LANDLORD).order_by("name")
    return landlords.filter(Exists(visible_procedures(user).filter(landlord_id=OuterRef("pk"))))


def recordable_event_types(user, procedure: Procedure) -> list[str]:
    """Event types this user may record on this procedure: the landlord's litigation officer records
    every step; the instructed bailiff only the acts they serve; nobody writes on a closed one."""
    if procedure.is_closed or not access.active(user):
        return []
    if access.is_litigation_officer(user) and user.organisation_id == procedure.landlord_id:
        return list(EventType.values)
    if access.is_bailiff(user) and procedure.bailiff_id == user.pk:
        return [t for t in EventType.values if t in BAILIFF_EVENT_TYPES]
    return []


def can_record_event(user, procedure: Procedure, event_type: str | None = None) -> bool:
    allowed = recordable_event_types(user, procedure)
    return bool(allowed) if event_type is None else event_type in allowed


def can_manage_procedure(user, procedure: Procedure | None = None) -> bool:
    """Open procedures, instruct a bailiff, manage plans: the landlord's litigation officer."""
    if not access.is_litigation_officer(user):
        return False
    return procedure is None or procedure.landlord_id == user.organisation_id


def bailiff_candidates() -> QuerySet[User]:
    return access.users_with_role(User.objects.all(), R.BAILIFF).order_by("last_name")


def can_be_instructed(user: User) -> bool:
    """Whether a user may be instructed as the bailiff of a procedure."""
    return access.is_bailiff(user)


def visible_rent_leases(user) -> QuerySet[Lease]:
    """Leases whose rent account a user may read: the landlord's litigation officer, the managers of
    the household's scope, the care circle of the household. Not the bailiff (only procedures)."""
    return Lease.objects.filter(_scope(user, household="household", territory="household__territory",
                                          landlord="landlord", bailiff=None))


def rent_lease_for(user, pk: int) -> Lease:
    return get_object_or_404(visible_rent_leases(user).select_related("landlord", "household__territory"), pk=pk)


def can_read_rent_account(user, lease_id: int) -> bool:
    return visible_rent_leases(user).filter(pk=lease_id).exists()


def can_import_rent_accounts(user, landlord: Organisation | None = None) -> bool:
    if not access.is_litigation_officer(user):
        return False
    return landlord is None or landlord.pk == user.organisation_id


def can_see_support_status(user) -> bool:
    """Whether a procedure page may link to the social side (the litigation staff only see 'active')."""
    return access.in_care_circle(user) or access.is_manager(user)


def can_manage_plans(user, lease: Lease) -> bool:
    return access.is_litigation_officer(user) and lease.landlord_id == user.organisation_id


def repayment_plan_for(user, pk: int, *, write: bool = False) -> RepaymentPlan:
    plan = get_object_or_404(RepaymentPlan.objects.select_related("lease"), pk=pk,
                             lease__in=visible_rent_leases(user))
    if write and not can_manage_plans(user, plan.lease):
        raise PermissionDenied
    return plan


# --- Early warning ------------------------------------------------------------------------------

def can_use_early_warning(user) -> bool:
    return access.is_manager(user)


def visible_early_warnings(user) -> QuerySet[EarlyWarning]:
    """A manager's worklist: the warnings on the households and leases of their territories AND
    organisation (the file holder, or the landlord of the lease in arrears)."""
    if not can_use_early_warning(user):
        return EarlyWarning.objects.none()
    return EarlyWarning.objects.filter(access.territory_and_organisation(
        user, territory="household__territory", organisation=["household__organisation", "lease__landlord"]))


def early_warning_for(user, pk: int) -> EarlyWarning:
    return get_object_or_404(visible_early_warnings(user).select_related("lease", "household"), pk=pk)


# --- DSF (social and financial diagnosis for the judge) ----------------------------------------

def visible_dsfs(user) -> QuerySet[Dsf]:
    """The DSF holds the social file: the care circle of the household and its managers only."""
    if not (access.in_care_circle(user) or access.is_manager(user)):
        return Dsf.objects.none()
    return Dsf.objects.filter(household_id__in=household_access.visible_households(user).values("pk"))


def can_edit_dsf(user, dsf: Dsf) -> bool:
    """The DSF is completed by a social worker assigned to the household."""
    return access.is_social_worker(user) and household_access.is_assigned(user, dsf.household)


def dsf_for(user, pk: int, *, write: bool = False) -> Dsf:
    dsf = get_object_or_404(visible_dsfs(user).select_related("procedure", "household"), pk=pk)
    if write and not can_edit_dsf(user, dsf):
        raise PermissionDenied
    return dsf


# --- Dashboard panel and digest ----------------------------------------------------------------

def sees_procedure_panel(user) -> bool:
    """Hearings and deadlines of assigned households on the care circle's dashboard."""
    return access.in_care_circle(user)


def dsf_links_shown(user) -> bool:
    return access.is_social_worker(user)


def assigned_procedures_filter(user) -> dict:
    return {"household_id__in": household_access.assigned_household_ids(user)}


def digest_officers(landlord_ids) -> QuerySet[User]:
    """Litigation officers of these landlords (ids, or a subquery of them), who receive the deadline
    digest."""
    return access.users_with_role(User.objects.filter(organisation_id__in=landlord_ids),
                                  R.LITIGATION_OFFICER).exclude(email="")


def digest_workers(household_ids) -> QuerySet[User]:
    """Social workers assigned to these households (ids, or a subquery of them)."""
    return (User.objects.filter(is_active=True, roles__code=R.SOCIAL_WORKER,
                                assigned_households__in=household_ids).exclude(email=""))


def dsf_worker_for(household: Household) -> User | None:
    """The social worker a new DSF is assigned to: the household's first active social worker."""
    return (household.assigned_workers.filter(roles__code=R.SOCIAL_WORKER, is_active=True)
            .order_by("pk").first())


def can_handle_early_warning(user, warning: EarlyWarning) -> bool:
    """Refer or dismiss: a manager whose worklist holds the warning."""
    return can_use_early_warning(user) and visible_early_warnings(user).filter(pk=warning.pk).exists()
