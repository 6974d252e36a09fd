"""Who may see and do what on COPIL sessions: the copil app's rules, on zel.access.

A session belongs to the organisation that organises it, in one territory. Its managers are the
managers of that organisation and territory (territory alone is never enough: a landlord's manager
does not run AMLI's sessions). Members and the chair see the sessions they sit on once the agenda is
published, and read the need-to-know dossiers while the session is open for review or being held.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Territory, User
from households import access as household_access
from households.models import Household
from zel import access
from zel.access import R

from .models import AgendaItem, Session


def can_use_copil(user) -> bool:
    return access.is_copil_member(user) or access.is_manager(user)


def _manager_scope(user) -> Q:
    if not access.is_manager(user):
        return access.NOTHING
    return access.territory_and_organisation(user, territory="territory", organisation=["organisation"])


def visible_copil_sessions(user) -> QuerySet[Session]:
    """Managers: the sessions their organisation organises in their territories. Members and chairs:
    the sessions they sit on once the agenda is published — a draft is the organisers' work."""
    qs = Session.objects.all()
    if not can_use_copil(user):
        return qs.none()
    sits = (Q(memberships__user=user) | Q(chair=user)) & ~Q(status=Session.Status.DRAFT)
    scope = _manager_scope(user) | sits
    return qs.filter(pk__in=Session.objects.filter(scope).values("pk"))


def manages_session(user, session: Session) -> bool:
    """One of the session's organisers (no query)."""
    return (access.is_manager(user) and session.organisation_id is not None
            and session.organisation_id == user.organisation_id
            and access.in_territories(user, session.territory_id))


def copil_session_for(user, pk: int, *, manage: bool = False) -> Session:
    session = get_object_or_404(visible_copil_sessions(user).select_related("territory", "chair"), pk=pk)
    if manage and not can_manage_copil_session(user, session):
        raise PermissionDenied
    return session


def can_create_copil_session(user) -> bool:
    return access.is_manager(user) and bool(user.territory_codes) and bool(user.organisation_id)


def copil_territories(user) -> QuerySet[Territory]:
    if not can_create_copil_session(user):
        return Territory.objects.none()
    return Territory.objects.filter(code__in=user.territory_codes)


def can_manage_copil_session(user, session: Session) -> bool:
    """Agenda, publication, opening, attendance: the session's organisers (not once signed)."""
    return manages_session(user, session) and session.status != Session.Status.SIGNED


def copil_member_candidates() -> QuerySet[User]:
    return (access.users_with_role(User.objects.all(), R.COPIL_MEMBER).select_related("organisation")
            .order_by("organisation__name", "last_name"))


def copil_chair_candidates() -> QuerySet[User]:
    return (access.users_with_role(User.objects.all(), R.COPIL_MEMBER, R.MANAGER).select_related("organisation")
            .order_by("organisation__name", "last_name"))


def may_choose_chair(user) -> bool:
    """A manager opening a written consultation names its chair; a chair opening one chairs it."""
    return access.is_manager(user)


def sits_on_copil_session(user, session: Session) -> bool:
    """Chair or member. Uses `session.member_ids` when the selector set it (no query)."""
    if not access.active(user):
        return False
    if session.chair_id == user.pk:
        return True
    member_ids = getattr(session, "member_ids", None)
    if member_ids is None:
        return session.memberships.filter(user=user).exists()
    return user.pk in member_ids


def is_copil_chair(user, session: Session) -> bool:
    return access.active(user) and session.chair_id == user.pk


def can_read_copil_dossier(user, session: Session) -> bool:
    """The need-to-know summary: the session's organisers at any time; members and the chair only
    while the session is open for review or being held, and only for sessions they sit on."""
    if manages_session(user, session):
        return True
    return can_use_copil(user) and session.dossiers_open and sits_on_copil_session(user, session)


def copil_item_for(user, session_pk: int, item_pk: int) -> AgendaItem:
    """404 when the session is not the user's; 403 when it is but its dossiers are closed to them."""
    session = copil_session_for(user, session_pk)
    if not can_read_copil_dossier(user, session):
        raise PermissionDenied
    item = get_object_or_404(AgendaItem.objects.select_related("household__territory"), session=session,
                             pk=item_pk)
    item.session = session
    return item


def agenda_item_for(user, session_pk: int, item_pk: int) -> AgendaItem:
    """An agenda line to edit or remove: the session's organisers only."""
    session = copil_session_for(user, session_pk, manage=True)
    item = get_object_or_404(AgendaItem.objects.select_related("household"), session=session, pk=item_pk)
    item.session = session
    return item


def named_households(user, household_ids) -> set[int]:
    """Of these households, those whose name the viewer may read on the agenda (the file's own
    scope): one query. Members read the agenda by reference only."""
    if not access.is_manager(user):
        return set()
    return set(household_access.visible_households(user).filter(pk__in=list(household_ids))
               .values_list("pk", flat=True))


def agenda_candidates(user) -> QuerySet[Household]:
    return household_access.visible_households(user)


def can_give_copil_opinion(user, session: Session, *, today=None) -> bool:
    """Members (the chair included) give an opinion before or during the session."""
    if not (can_use_copil(user) and sits_on_copil_session(user, session)):
        return False
    if session.is_written:
        closes = session.review_closes_on
        return session.status == Session.Status.REVIEW and (
            closes is None or (today or timezone.localdate()) <= closes)
    return session.dossiers_open


def can_see_copil_opinions(user, session: Session) -> bool:
    """The chair sees every opinion side by side; the session's organisers too."""
    return is_copil_chair(user, session) or manages_session(user, session)


def can_decide_copil(user, session: Session) -> bool:
    """The chair records decisions while the session is open or held; never after signature."""
    return is_copil_chair(user, session) and session.dossiers_open


def can_correct_copil_decision(user, session: Session) -> bool:
    """After the minutes are signed, a decision changes only through a linked correction."""
    return is_copil_chair(user, session) and session.status == Session.Status.SIGNED


def can_sign_copil_minutes(user, session: Session) -> bool:
    return is_copil_chair(user, session) and session.status == Session.Status.HELD


def can_close_copil_session(user, session: Session) -> bool:
    """Marks the session held (records attendance): the chair or one of its organisers."""
    return session.status == Session.Status.REVIEW and (
        is_copil_chair(user, session) or manages_session(user, session))


def can_download_copil_minutes(user, session: Session) -> bool:
    """The session's members and chair, and its organisers."""
    if session.status != Session.Status.SIGNED:
        return False
    return manages_session(user, session) or sits_on_copil_session(user, session)


def can_regenerate_copil_minutes(user, session: Session) -> bool:
    return session.status == Session.Status.SIGNED and (
        is_copil_chair(user, session) or manages_session(user, session))


def can_open_written_consultation(user) -> bool:
    """Urgent maintenance cases between sessions: managers, and COPIL members who chair a session."""
    if can_create_copil_session(user):
        return True
    return access.is_copil_member(user) and Session.objects.filter(chair=user).exists()


def copil_consultation_households(user) -> QuerySet[Household]:
    """Households a written consultation may be opened on: those the manager sees; for a chair
    who is not a manager, the households already on the agenda of a session they chair."""
    if access.is_manager(user):
        return household_access.visible_households(user)
    if access.is_copil_member(user):
        return Household.objects.filter(copil_items__session__chair=user).distinct()
    return Household.objects.none()


def can_see_copil_timeline(user, household: Household) -> bool:
    """COPIL decisions appear on the household timeline for whoever may see the household."""
    return household_access.can_view_household(user, household)
