"""Reads for the household pages: scoped by the access modules, with a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from zel.lib.text import normalize

from . import access, small_rows
from .models import FrozenFigures, Household, HouseholdMember, Lease, Referral, Resource, StatusChange


def search_households(qs: QuerySet[Household], text: str) -> QuerySet[Household]:
    """Accent- and case-insensitive: every word must appear in the name or the reference."""
    for word in normalize(text).split():
        qs = qs.filter(search_text__contains=word)
    return qs


def household_list(user) -> QuerySet[Household]:
    workers = User.objects.only("id", "first_name", "last_name", "username")
    return (access.visible_households(user)
            .select_related("territory", "organisation")
            .prefetch_related(Prefetch("assigned_workers", queryset=workers)))


_PERSON = ("id", "first_name", "last_name", "username")
SMALL_RELATIONS = [
    small_rows.Relation("members", HouseholdMember),
    small_rows.Relation("resources", Resource),
    small_rows.Relation("referrals", Referral, {"partner": (Organisation, ("id", "name", "code", "kind")),
                                                "created_by": (User, _PERSON)}),
    small_rows.Relation("status_changes", StatusChange, {"by": (User, _PERSON)}),
    small_rows.Relation("frozen_figures", FrozenFigures, {"created_by": (User, _PERSON)}),
    small_rows.Relation("leases", Lease, {"landlord": (Organisation, ("id", "name", "code", "kind"))}),
]


def household_file(user, pk: int, *, write: bool = False) -> Household:
    """The file with everything its page shows. Same answers as `access.household_for` (404 when
    unseen, 403 when seen but not editable) but the scoped fetch is the prefetching one: one query less.
    The small relations, leases and their landlords included, come in one more query (households.small_rows)."""
    scoped = access.visible_households(user).select_related("territory", "organisation")
    household = get_object_or_404(scoped.prefetch_related("assigned_workers"), pk=pk)
    small_rows.prefetch(household, SMALL_RELATIONS)
    access.mark_seen(user, household)
    if write and not access.can_edit_household(user, household):
        raise PermissionDenied
    return household


def likely_duplicates(user, *, last_name: str, first_name: str, birth_year: int) -> QuerySet[Household]:
    """Same name and birth year, accents and case ignored, among the households the user may see
    (a duplicate outside that scope must not reveal that the person is known elsewhere)."""
    needle = normalize(f"{last_name} {first_name}")
    return (access.visible_households(user)
            .filter(birth_year=birth_year, search_text__contains=needle)
            .select_related("territory"))


@dataclass
class Change:
    when: datetime
    who: object
    what: str
    action: str
    fields: list[tuple[str, object, object]]


def _changes_of(records, label) -> list[Change]:
    changes, previous = [], {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(record.id)
        fields = []
        if before is not None and record.history_type == "~":
            delta = record.diff_against(before)
            fields = [(record.instance_type._meta.get_field(c.field).verbose_name, c.old, c.new)
                      for c in delta.changes if c.field in {f.name for f in record.instance_type._meta.fields}]
        changes.append(Change(record.history_date, record.history_user, label(record),
                              record.get_history_type_display(), fields))
        previous[record.id] = record
    return changes


def change_history(household: Household, limit: int = 300) -> list[Change]:
    """Every recorded change to the household and its members, resources, leases and referrals."""
    sources = [
        (Household.history.filter(id=household.pk), lambda r: str(_("Ménage"))),
        (HouseholdMember.history.filter(household_id=household.pk),
         lambda r: f"{_('Membre')} {r.first_name}"),
        (Resource.history.filter(household_id=household.pk), lambda r: f"{_('Ressource')} {r.get_kind_display()}"),
        (Lease.history.filter(household_id=household.pk), lambda r: f"{_('Bail')} {r.reference}"),
        (Referral.history.filter(household_id=household.pk), lambda r: str(_("Orientation"))),
    ]
    changes = [c for qs, label in sources for c in _changes_of(qs.select_related("history_user"), label)]
    return sorted(changes, key=lambda c: c.when, reverse=True)[:limit]
