"""The access core: roles, the care circle, and the one scoping primitive every app composes.

Each app owns its rules in `<app>/access.py` (scopes `visible_<things>(user)`, predicates
`can_<verb>_<thing>(user, obj)`, fetchers `<thing>_for(user, pk, write=...)`), built on this module.
Nothing else in the project tests a role: a view, service, form or template asks a predicate.

The core imports no app's models (accounts, which defines users and roles, is below it), so every
app may build on it. Where a new rule goes: docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import reduce
from operator import or_
from typing import Any, TypeAlias

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from accounts.models import Role

# A User or Django's AnonymousUser: the predicates take whatever request.user is.
AnyUser: TypeAlias = Any

R = Role.Code
CARE_CIRCLE: tuple[str, ...] = (R.SOCIAL_WORKER, R.PSYCHOLOGIST)
NOTHING = Q(pk__in=[])

# A condition on the user's organisation that is not a plain foreign key on the row (for example
# "one of the household's leases is with this landlord"): a callable (organisation_id) -> Q.
OrganisationCondition = Callable[[int], Q]


def active(user: AnyUser) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def has_role(user: AnyUser, *codes: str) -> bool:
    return active(user) and user.has_role(*codes)


# Named role predicates: what the apps' access modules compose. Only this module and the access
# modules spell role codes.
def in_care_circle(user: AnyUser) -> bool:
    return has_role(user, *CARE_CIRCLE)


def is_social_worker(user: AnyUser) -> bool:
    return has_role(user, R.SOCIAL_WORKER)


def is_psychologist(user: AnyUser) -> bool:
    return has_role(user, R.PSYCHOLOGIST)


def is_manager(user: AnyUser) -> bool:
    return has_role(user, R.MANAGER)


def is_copil_member(user: AnyUser) -> bool:
    return has_role(user, R.COPIL_MEMBER)


def is_litigation_officer(user: AnyUser) -> bool:
    """A litigation officer always works for one landlord: without an organisation, no scope."""
    return has_role(user, R.LITIGATION_OFFICER) and bool(user.organisation_id)


def is_bailiff(user: AnyUser) -> bool:
    return has_role(user, R.BAILIFF)


def is_funder(user: AnyUser) -> bool:
    return has_role(user, R.FUNDER)


def is_administrator(user: AnyUser) -> bool:
    return active(user) and user.is_staff and (user.is_superuser or user.has_role(R.ADMINISTRATOR))


def in_territories(user: AnyUser, territory_id: int | None) -> bool:
    """Whether an object of `territory_id` is in the user's territories (no query)."""
    return active(user) and territory_id is not None and territory_id in user.territory_ids


def has_wide_scope(user: AnyUser) -> bool:
    """Whether the user works on more than one territory (a regional or national scope), where an
    unfiltered list would run over a whole region's or the country's rows (issue 20)."""
    return active(user) and len(user.territory_ids) > 1


def territory_and_organisation(user: AnyUser, *, territory: str,
                               organisation: Sequence[str | OrganisationCondition]) -> Q:
    """Rows of the user's territories that belong to the user's organisation, as one Q.

    `territory` is the lookup path to the row's Territory (e.g. "household__territory");
    `organisation` lists the ways a row belongs to an organisation: lookup paths to an Organisation
    foreign key ("household__organisation", "landlord") or callables for relations that are not a
    plain key. A user without an organisation or territory gets nothing: territory alone is never
    enough, which is the rule this primitive exists to keep (issue 11)."""
    organisation_id = getattr(user, "organisation_id", None)
    codes = getattr(user, "territory_codes", None)
    if not active(user) or not organisation_id or not codes or not organisation:
        return NOTHING
    belongs = reduce(or_, (Q(**{f"{way}_id": organisation_id}) if isinstance(way, str) else way(organisation_id)
                           for way in organisation))
    return Q(**{f"{territory}__code__in": codes}) & belongs


def organisation_only(user: AnyUser, *, organisation: str) -> Q:
    """Rows of the user's organisation whatever the territory (a landlord's litigation service works
    on all its leases)."""
    organisation_id = getattr(user, "organisation_id", None)
    if not active(user) or not organisation_id:
        return NOTHING
    return Q(**{f"{organisation}_id": organisation_id})


def users_with_role(queryset: QuerySet[Any], *codes: str) -> QuerySet[Any]:
    """Active users of `queryset` holding one of the roles (for choosers and digests)."""
    return queryset.filter(is_active=True, roles__code__in=codes).distinct()


def require(allowed: bool) -> None:
    """For services: a write the rules refuse raises PermissionDenied (403), whoever calls it —
    a view, a task or another app. Reads that must look absent use the fetchers' 404 instead."""
    if not allowed:
        raise PermissionDenied
