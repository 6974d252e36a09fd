"""Who may see and change household files: the households app's rules, on the core in zel.access.

Scopes `visible_<things>(user)`, predicates `can_<verb>_<thing>(user, obj)` and fetchers
`<thing>_for(user, pk, write=...)` (unseen answers 404, seen but not allowed 403). Other apps
compose `visible_households` and `assigned_household_ids`; they never re-derive them.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import AccessLog, Organisation, User
from zel import access
from zel.access import CARE_CIRCLE, R

from .models import Household, Lease


def assigned_household_ids(user) -> QuerySet:
    """The households a care-circle user is assigned to, as a semi-join on the assignment table:
    one row per household, no DISTINCT, no self-join of the households table."""
    return Household.assigned_workers.through.objects.filter(user_id=user.pk).values("household_id")


def _landlord_of(organisation_id: int) -> Q:
    return Q(Exists(Lease.objects.filter(household=OuterRef("pk"), landlord_id=organisation_id)))


def manager_household_scope(user, *, prefix: str = "") -> Q:
    """A manager's households: their territories AND their organisation, as the file holder or as
    the landlord of one of the household's leases. `prefix` reaches the household from another row
    ("household__"), for the apps whose rows hang on a household."""
    if not access.is_manager(user):
        return access.NOTHING
    if not prefix:
        return access.territory_and_organisation(user, territory="territory",
                                                 organisation=["organisation", _landlord_of])
    return access.territory_and_organisation(
        user, territory=f"{prefix}territory",
        organisation=[f"{prefix}organisation", lambda org: Q(**{
            f"{prefix}pk__in": Lease.objects.filter(landlord_id=org).values("household_id")})])


def visible_households(user) -> QuerySet[Household]:
    """Care circle: assigned households. Manager: their organisation's households (as the file
    holder or as the landlord) in their territories. Every other role: none (they work on COPIL
    summaries, procedures or aggregated reports, never on the household file)."""
    qs = Household.objects.all()
    if not access.active(user):
        return qs.none()
    scope = manager_household_scope(user)
    if access.in_care_circle(user):
        scope |= Q(pk__in=assigned_household_ids(user))
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
    if not access.active(user):
        return False
    prefetched = getattr(household, "_prefetched_objects_cache", {}).get("assigned_workers")
    if prefetched is not None:
        return any(worker.pk == user.pk for worker in prefetched)
    return household.assigned_workers.filter(pk=user.pk).exists()


def once_assigned_household(user, pk: int) -> Household | None:
    """A household the user sees now, or whose workers once included them (the assignment history):
    a phone's queued visit must be told "handed to another worker", not "unknown". None for a
    household the user never had, whether it exists or not, so that nothing is learnt by probing."""
    if not access.active(user):
        return None
    visible = visible_households(user).filter(pk=pk).first()
    if visible is not None:
        return mark_seen(user, visible)
    history = apps.get_model("households", "HistoricalHousehold_assigned_workers")  # simple_history's m2m
    was_worker = history.objects.filter(household_id=pk, user_id=user.pk).exists()
    return Household.objects.filter(pk=pk).first() if was_worker else None


def is_assigned_care_circle(user, household: Household) -> bool:
    return access.in_care_circle(user) and is_assigned(user, household)


def is_household_manager(user, household: Household) -> bool:
    return access.is_manager(user) and can_view_household(user, household)


def can_edit_household(user, household: Household) -> bool:
    """The manager of the file and the assigned social worker; the psychologist only reads."""
    if is_household_manager(user, household):
        return True
    return access.is_social_worker(user) and is_assigned(user, household)


def household_for(user, pk: int, *, write: bool = False) -> Household:
    household = mark_seen(user, get_object_or_404(visible_households(user), pk=pk))
    if write and not can_edit_household(user, household):
        raise PermissionDenied
    return household


def can_create_household(user) -> bool:
    return access.has_role(user, R.MANAGER, R.SOCIAL_WORKER)


def joins_caseload_on_creation(user) -> bool:
    """A worker who opens a file (or records a referral) becomes one of its workers."""
    return access.in_care_circle(user)


def can_assign_workers(user, household: Household | None = None) -> bool:
    if not access.is_manager(user):
        return False
    return household is None or can_view_household(user, household)


def can_list_households(user) -> bool:
    return access.in_care_circle(user) or access.is_manager(user)


def must_choose_territory(user) -> bool:
    """A manager of several départements picks one (or searches a name) before the household list
    shows anything: their whole scope is too wide to list or count on every view (issue 20). A
    care-circle user lists only their assigned households, always a short list."""
    return access.is_manager(user) and access.has_wide_scope(user)


def list_territories(user):
    """The territories a user may pick for a list: theirs."""
    return user.territories.all() if access.active(user) else []


def can_export_households(user) -> bool:
    return access.is_manager(user)


def can_view_change_history(user, household: Household | None = None) -> bool:
    return can_assign_workers(user, household)


def assignable_workers(user) -> QuerySet[User]:
    """Workers a manager may assign: care-circle users of the manager's organisation."""
    if not access.is_manager(user) or not user.organisation_id:
        return User.objects.none()
    return access.users_with_role(User.objects.filter(organisation_id=user.organisation_id),
                                  *CARE_CIRCLE).order_by("last_name", "first_name")


def care_circle_of(household: Household) -> QuerySet[User]:
    """The household's assigned social workers and psychologists (authors, hand-over choosers)."""
    return household.assigned_workers.filter(roles__code__in=CARE_CIRCLE).distinct()


def creatable_territories(user):
    return user.territories.all() if access.active(user) else []


def referral_partners() -> QuerySet[Organisation]:
    return Organisation.objects.exclude(kind=Organisation.Kind.FUNDER)


def can_manage_personal_data(user, household: Household | None = None) -> bool:
    """Export everything held on a household, erase on request: the managers of the organisation that
    holds the file (its data controller). A landlord's manager who sees another organisation's file
    because the household rents from the landlord reads it, but neither exports nor erases it."""
    if not can_assign_workers(user, household):
        return False
    return household is None or household.organisation_id == user.organisation_id


def can_use_admin(user) -> bool:
    return access.is_administrator(user)


def admin_households(user) -> QuerySet[Household]:
    """The operator administers every file in the admin (corrections, merges); anybody else with
    admin access sees their scope. Sealed parts (health, psychologist notes) stay closed to the
    operator: support.access decides those."""
    if access.is_administrator(user):
        return Household.objects.all()
    return visible_households(user)


# --- Access log (the entries are about households, so the households app owns the screen) -----

def can_read_access_log(user) -> bool:
    return access.is_manager(user)


def visible_access_log(user) -> QuerySet[AccessLog]:
    """A manager reads the entries about the households of their scope, and their own entries."""
    if not can_read_access_log(user):
        return AccessLog.objects.none()
    return AccessLog.objects.filter(Q(household_id__in=visible_households(user).values("pk")) | Q(user=user))
