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
        scope |= Q(assigned_workers=user)
    if user.has_role(R.MANAGER) and user.organisation_id:
        landlord_of = Lease.objects.filter(household=OuterRef("pk"), landlord_id=user.organisation_id)
        scope |= Q(territory__code__in=user.territory_codes) & (
            Q(organisation_id=user.organisation_id) | Exists(landlord_of))
    # The M2M join can repeat a row; filtering on a pk subquery keeps the queryset distinct-free.
    return qs.filter(pk__in=Household.objects.filter(scope).values("pk"))


def can_view_household(user, household: Household) -> bool:
    return visible_households(user).filter(pk=household.pk).exists()


def can_edit_household(user, household: Household) -> bool:
    """The manager of the file and the assigned social worker; the psychologist only reads."""
    if has_role(user, R.MANAGER) and can_view_household(user, household):
        return True
    return has_role(user, R.SOCIAL_WORKER) and household.assigned_workers.filter(pk=user.pk).exists()


def household_for(user, pk: int, *, write: bool = False) -> Household:
    household = get_object_or_404(visible_households(user), pk=pk)
    if write and not can_edit_household(user, household):
        raise PermissionDenied
    return household


def can_create_household(user) -> bool:
    return has_role(user, R.MANAGER, R.SOCIAL_WORKER)


def can_assign_workers(user, household: Household | None = None) -> bool:
    if not has_role(user, R.MANAGER):
        return False
    return household is None or can_view_household(user, household)


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


# ---------------------------------------------------------------------------------------------
# COPIL
# ---------------------------------------------------------------------------------------------

def can_use_copil(user) -> bool:
    return has_role(user, R.COPIL_MEMBER, R.MANAGER)


# ---------------------------------------------------------------------------------------------
# Litigation
# ---------------------------------------------------------------------------------------------

def can_use_litigation(user) -> bool:
    return has_role(user, R.LITIGATION_OFFICER, R.BAILIFF, R.MANAGER)


# ---------------------------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------------------------

def can_use_reports(user) -> bool:
    return has_role(user, R.FUNDER, R.MANAGER)


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
    NavItem(_("Ménages"), "households:list", lambda u: has_role(u, *CARE_CIRCLE, R.MANAGER)),
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
