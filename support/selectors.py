"""Reads of the support app: scoped through support.access, each with a fixed number of queries.

`active_episode_household_ids`, `committee_summary` and `dsf_prefill` are the public reads other apps
(COPIL, litigation, reports) may call. They never return sensitive fields, psychologist content or the
free text of visits.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import router
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from households import access as household_access
from households import budget
from households.figures import Outgoings, figures_from
from households.models import Household
from zel.lib.compiled import CompiledQuery
from zel.lib.pagination import KeysetPage, ListCount, Ordering, capped_counts, first_rows, paginate

from . import access
from .models import (
    BudgetCharge,
    BudgetDebt,
    Diagnosis,
    Intervention,
    PlanGoal,
    PsychologistNote,
    SupportEpisode,
    Theme,
)

NO_CONTACT_DAYS = 30

# --- Public reads for other apps ------------------------------------------------------------------


def active_episode_households() -> QuerySet:
    """The households with an open support episode, as a subquery of `household_id` values (never
    evaluated here: the daily jobs put it inside their own statement)."""
    return SupportEpisode.objects.filter(closed_on__isnull=True).order_by().values("household_id")


def active_episode_household_ids(household_ids: Iterable[int]) -> set[int]:
    """Which of these households have an open support episode (one query)."""
    ids = list(household_ids)
    if not ids:
        return set()
    return set(SupportEpisode.objects.filter(household_id__in=ids, closed_on__isnull=True)
               .values_list("household_id", flat=True))


def _outgoings(charges: Iterable[BudgetCharge], debts: Iterable[BudgetDebt]) -> Outgoings:
    return Outgoings(fixed_charges=sum((c.monthly_amount for c in charges), Decimal(0)),
                     debt_repayments=sum((d.monthly_repayment for d in debts), Decimal(0)))


def _budget_outgoings_query(*ids):
    charges = (BudgetCharge.objects.filter(household=OuterRef("pk")).order_by().values("household")
               .annotate(s=Sum("monthly_amount")).values("s"))
    repayments = (BudgetDebt.objects.filter(household=OuterRef("pk")).order_by().values("household")
                  .annotate(s=Sum("monthly_repayment")).values("s"))
    return (Household.objects.filter(pk__in=ids)
            .annotate(c=Subquery(charges), r=Subquery(repayments)).values_list("pk", "c", "r"))


_BUDGET_OUTGOINGS = CompiledQuery(_budget_outgoings_query)  # read on every view of the file


def budget_outgoings(household_ids: Iterable[int]) -> dict[int, Outgoings]:
    """Fixed charges and debt repayments of the budget, per household (one query); registered with
    households.figures so that the household file and the COPIL dossier subtract the same outgoings."""
    ids = list(household_ids)
    if not ids:
        return {}
    rows = _BUDGET_OUTGOINGS.rows(*ids, using=router.db_for_read(Household))
    return {pk: Outgoings(fixed_charges=c or Decimal(0), debt_repayments=r or Decimal(0)) for pk, c, r in rows}


@dataclass(frozen=True)
class TargetDwelling:
    typology: str
    place: str
    max_rent: Decimal | None


@dataclass(frozen=True)
class CommitteeSummary:
    """What the COPIL needs to know, and nothing more (no health, no psychologist, no visit notes)."""

    diagnosis_date: date | None
    diagnosis_kind: str = ""
    social_summary: str = ""
    rent_debt: Decimal = Decimal(0)
    energy_debt: Decimal = Decimal(0)
    other_debts: Decimal = Decimal(0)
    target: TargetDwelling | None = None

    @property
    def total_debt(self) -> Decimal:
        return self.rent_debt + self.energy_debt + self.other_debts


_SUMMARY_FIELDS = ("pk", "household_id", "kind", "done_on", "committee_summary", "rent_debt", "energy_debt",
                   "other_debts", "target_typology", "target_place", "target_max_rent")


def _summary_of(diagnosis: Diagnosis | None) -> CommitteeSummary:
    if diagnosis is None:
        return CommitteeSummary(diagnosis_date=None)
    target = None
    if diagnosis.kind == Diagnosis.Kind.RELOCATION:
        target = TargetDwelling(diagnosis.target_typology, diagnosis.target_place, diagnosis.target_max_rent)
    return CommitteeSummary(diagnosis_date=diagnosis.done_on, diagnosis_kind=diagnosis.get_kind_display(),
                            social_summary=diagnosis.committee_summary, rent_debt=diagnosis.rent_debt,
                            energy_debt=diagnosis.energy_debt, other_debts=diagnosis.other_debts,
                            target=target)


def committee_summary(household: Household | int) -> CommitteeSummary:
    """The latest diagnosis, reduced to what the committee may read (one query)."""
    household_id = getattr(household, "pk", household)
    latest = (Diagnosis.objects.filter(household_id=household_id).only(*_SUMMARY_FIELDS)
              .order_by("-done_on", "-pk").first())
    return _summary_of(latest)


def committee_summaries(household_ids: Iterable[int]) -> dict[int, CommitteeSummary]:
    """The same for a whole agenda, in one query."""
    ids = list(household_ids)
    latest: dict[int, Diagnosis] = {}
    for diagnosis in (Diagnosis.objects.filter(household_id__in=ids).only(*_SUMMARY_FIELDS)
                      .order_by("household_id", "-done_on", "-pk")):
        latest.setdefault(diagnosis.household_id, diagnosis)
    return {pk: _summary_of(latest.get(pk)) for pk in ids}


def dsf_prefill(household: Household | int, *, recent_days: int = 365) -> dict:
    """Data for the social and financial diagnosis (DSF) sent to the judge before the hearing.

    Household, resources, charges, debts, rights, steps taken (themes and dates of recent visits:
    never their free text, never a psychologist note), wishes and goals. No health data.
    """
    household_id = getattr(household, "pk", household)
    household = (Household.objects.select_related("territory")
                 .prefetch_related("members", "resources", "leases").get(pk=household_id))
    diagnosis = (Diagnosis.objects.filter(household_id=household_id).defer(*Diagnosis.SENSITIVE_FIELDS)
                 .order_by("-done_on", "-pk").first())
    charges = list(BudgetCharge.objects.filter(household_id=household_id))
    debts = list(BudgetDebt.objects.filter(household_id=household_id))
    since = timezone.localdate() - timedelta(days=recent_days)
    visits = list(Intervention.objects.done().filter(household_id=household_id, occurred_on__gte=since)
                  .only("occurred_on", "mode", "themes").order_by("occurred_on"))
    goals = list(PlanGoal.objects.filter(household_id=household_id).exclude(status=PlanGoal.Status.DROPPED)
                 .only("theme", "title", "status", "due_on"))
    figures = figures_from(household, _outgoings(charges, debts))
    theme_labels = dict(Theme.choices)
    themes_worked = sorted({str(theme_labels.get(t, t)) for v in visits for t in v.themes})
    return {
        "household": {
            "reference": household.reference, "name": household.display_name,
            "birth_year": household.birth_year, "track": household.get_track_display(),
            "members": [{"relation": m.get_relation_display(), "first_name": m.first_name,
                         "birth_year": m.birth_year, "occupation": m.occupation}
                        for m in household.members.all()],
            "consumption_units": figures.units,
        },
        "resources": [{"kind": r.get_kind_display(), "monthly_amount": r.monthly_amount}
                      for r in household.resources.all()],
        "resources_total": figures.resources,
        "rent_due": figures.housing_cost,
        "housing_cost": figures.housing_cost,
        "effort_rate": figures.effort_rate,
        "no_resources": figures.no_resources,
        "rule_version": figures.rule_version,
        "charges": [{"kind": c.get_kind_display(), "label": c.label, "monthly_amount": c.monthly_amount}
                    for c in charges],
        "charges_total": figures.fixed_charges,
        "debts": [{"kind": d.get_kind_display(), "creditor": d.creditor, "amount": d.amount,
                   "monthly_repayment": d.monthly_repayment} for d in debts],
        "debts_total": sum((d.amount for d in debts), Decimal(0)),
        "repayments_total": figures.debt_repayments,
        "remaining_income": figures.remaining.monthly,
        "remaining_income_per_unit": figures.remaining.per_unit,
        "remaining_income_per_day_per_unit": figures.remaining.per_day_per_unit,
        "diagnosis_date": diagnosis.done_on if diagnosis else None,
        "diagnosis_debts": ({"rent": diagnosis.rent_debt, "energy": diagnosis.energy_debt,
                             "other": diagnosis.other_debts} if diagnosis else None),
        "rights_opened": diagnosis.rights_opened if diagnosis else "",
        "rights_not_claimed": diagnosis.rights_not_claimed if diagnosis else "",
        "steps_taken": [{"date": v.occurred_on, "mode": v.get_mode_display(), "themes": v.theme_labels()}
                        for v in visits],
        "themes_worked": themes_worked,
        "visit_count": len(visits),
        "wishes": diagnosis.goals if diagnosis else "",
        "goals": [{"theme": g.get_theme_display(), "title": g.title, "status": g.get_status_display(),
                   "due_on": g.due_on} for g in goals],
    }


# --- Pages of the support app ---------------------------------------------------------------------

def diagnoses_of(user, household: Household) -> list[Diagnosis]:
    qs = access.visible_diagnoses(user).filter(household=household).prefetch_related("authors")
    if not access.can_read_sensitive(user):
        qs = qs.defer(*Diagnosis.SENSITIVE_FIELDS)
    return list(qs)


def plan_of(household: Household) -> list[PlanGoal]:
    return list(PlanGoal.objects.filter(household=household).select_related("owner", "source_intervention")
                .order_by("status", "due_on", "pk"))


def visits_of(user, household: Household) -> QuerySet[Intervention]:
    return (access.visible_interventions(user).filter(household=household)
            .select_related("author").prefetch_related("addenda__author"))


def psychologist_notes_of(user, household: Household) -> QuerySet[PsychologistNote]:
    return access.visible_psychologist_notes(user).filter(household=household).select_related("author")


@dataclass
class BudgetSheet:
    figures: budget.BudgetFigures
    resources: list
    charges: list
    debts: list
    debts_total: Decimal
    bars: list = field(default_factory=list)


def budget_sheet(household: Household) -> BudgetSheet:
    """Expects the household from households.selectors.household_file (prefetched)."""
    charges = list(household.budget_charges.all())
    debts = list(household.budget_debts.all())
    figures = figures_from(household, _outgoings(charges, debts))
    remaining = figures.remaining.monthly
    # Where the money goes: one bar per post, width in 5 % steps so a CSS class draws it (no inline style).
    posts = [(_("Coût du logement"), figures.housing_cost)] + [(c.label or c.get_kind_display(), c.monthly_amount)
                                                              for c in charges]
    if figures.debt_repayments:
        posts.append((_("Remboursements de dettes"), figures.debt_repayments))
    if remaining > 0:
        posts.append((_("Reste à vivre"), remaining))
    base = max(figures.resources, figures.outgoings, Decimal(1))
    bars = [{"label": label, "amount": amount, "step": min(20, int((amount / base * 20).to_integral_value()))}
            for label, amount in posts if amount > 0]
    return BudgetSheet(figures=figures, resources=list(household.resources.all()), charges=charges, debts=debts,
                       debts_total=sum((d.amount for d in debts), Decimal(0)), bars=bars)


# --- Caseload dashboard ----------------------------------------------------------------------------

@dataclass
class CaseloadRow:
    household: Household
    last_contact: date | None
    next_contact: date | None
    overdue_goals: int
    no_contact: bool


@dataclass
class Caseload:
    page: KeysetPage  # of CaseloadRow, CASELOAD_PER_PAGE households
    total: ListCount  # households in the caseload (up to COUNT_CAP, then "1 000+")
    overdue_goals: list[PlanGoal]  # the first 50
    overdue_count: ListCount
    planned_this_week: list[Intervention]
    no_show_count: ListCount
    no_contact: list[CaseloadRow]  # the first NO_CONTACT_SHOWN, by name
    no_contact_count: ListCount

    @property
    def rows(self) -> list[CaseloadRow]:
        """The rows of the page shown."""
        return self.page.object_list


CASELOAD_PER_PAGE = 25
NO_CONTACT_SHOWN = 20
# A dashboard's counters stop here ("1 000+"): nobody acts on the exact size of a caseload that
# large, and counting 10⁵ households' visits on every view took seconds.
COUNT_CAP = 1000
# Alphabetical, accents and case ignored, as the household list (index household_sort_name).
CASELOAD_ORDER = Ordering(("sort_name", "pk"))


def caseload_households(user) -> QuerySet[Household]:
    """The households of a user's dashboard: the care circle's assigned households; a manager's
    admitted or supported households."""
    if access.caseload_is_assignments(user):
        return Household.objects.filter(pk__in=_assigned_ids(user))
    return household_access.visible_households(user).filter(status__in=[Household.Status.ADMITTED,
                                                                   Household.Status.SUPPORTED])


def _assigned_ids(user) -> QuerySet:
    return household_access.assigned_household_ids(user)


def _contact_rows(households: QuerySet[Household], today: date) -> QuerySet[Household]:
    """Last and next contact and overdue goals as correlated subqueries: computed for the rows
    fetched only (a page, a short list), each an index probe on (household, occurred_on)."""
    done = Intervention.objects.done().filter(household=OuterRef("pk"))
    upcoming = Intervention.objects.filter(household=OuterRef("pk"), planned=True, occurred_on__gte=today)
    overdue = (PlanGoal.objects.filter(household=OuterRef("pk"), status__in=PlanGoal.OPEN_STATUSES,
                                       due_on__lt=today)
               .order_by().values("household").annotate(n=Count("pk")).values("n"))
    return (households
            .annotate(last_contact=Subquery(done.order_by("-occurred_on").values("occurred_on")[:1]),
                      next_contact=Subquery(upcoming.order_by("occurred_on").values("occurred_on")[:1]),
                      overdue=Coalesce(Subquery(overdue, output_field=IntegerField()), 0))
            .select_related("territory").order_by("sort_name", "pk"))


def caseload(user, request, *, today: date | None = None) -> Caseload:
    """The worker's households with last and next contact, overdue goals, this week's visits.

    Queries, whatever the caseload's size (the caseload is a subquery, never a list of ids; each
    counter stops at COUNT_CAP): 1 households, those without contact for 30 days and the no-shows of
    90 days counted, 2 the page's rows (25, keyset: `request`'s `apres`/`avant`/`fin`), 3 the first
    20 without contact, 4 overdue goals (first 50, with their count), 5 planned this week."""
    today = today or timezone.localdate()
    care_circle = access.caseload_is_assignments(user)
    households = caseload_households(user)
    in_caseload = _assigned_ids(user) if care_circle else households.values("pk")
    limit = today - timedelta(days=NO_CONTACT_DAYS)
    # No contact for 30 days: no visit done (neither planned nor missed) since `limit`, i.e. the last
    # contact is before `limit` or there is none.
    seen_lately = Exists(Intervention.objects.done().filter(household=OuterRef("pk"), occurred_on__gte=limit))
    total, no_contact_count, no_shows = capped_counts(households, households.filter(~seen_lately),
                                                      _missed(in_caseload, today), cap=COUNT_CAP)

    def row(h: Household) -> CaseloadRow:
        return CaseloadRow(h, h.last_contact, h.next_contact, h.overdue,
                           h.last_contact is None or h.last_contact < limit)

    listed = paginate(request, _contact_rows(households, today), CASELOAD_ORDER, per_page=CASELOAD_PER_PAGE,
                      salt="caseload")
    listed.object_list = [row(h) for h in listed.object_list]
    unseen = [row(h) for h in _contact_rows(households.filter(~seen_lately), today)[:NO_CONTACT_SHOWN]]
    week_end = today + timedelta(days=6 - today.weekday())
    goals_qs = PlanGoal.objects.filter(household_id__in=in_caseload, status__in=PlanGoal.OPEN_STATUSES,
                                       due_on__lt=today)
    if care_circle:
        goals_qs = goals_qs.filter(Q(owner=user) | Q(owner__isnull=True))
    overdue, overdue_count = first_rows(goals_qs.select_related("household", "owner").order_by("due_on", "pk"),
                                        50, cap=COUNT_CAP)
    planned = _this_week(in_caseload, today, week_end)
    return Caseload(page=listed, total=total, overdue_goals=overdue, overdue_count=overdue_count,
                    planned_this_week=planned, no_show_count=no_shows,
                    no_contact=unseen, no_contact_count=no_contact_count)


def _missed(in_caseload, today: date) -> QuerySet[Intervention]:
    return Intervention.objects.filter(household_id__in=in_caseload, no_show=True,
                                       occurred_on__gte=today - timedelta(days=90))


def _this_week(in_caseload, today: date, week_end: date) -> list[Intervention]:
    """This week's planned visits, the first 50."""
    return list(Intervention.objects.filter(household_id__in=in_caseload, planned=True,
                                            occurred_on__range=(today, week_end))
                .select_related("household", "author").order_by("occurred_on", "pk")[:50])


def upcoming_goals(user, *, today: date | None = None, limit: int = 20) -> list[PlanGoal]:
    """Open goals the user owns, next due first (the "next actions" of the dashboard)."""
    today = today or timezone.localdate()
    return list(PlanGoal.objects.filter(owner=user, status__in=PlanGoal.OPEN_STATUSES,
                                        due_on__gte=today, household__in=household_access.visible_households(user))
                .select_related("household").order_by("due_on", "pk")[:limit])


def prefetch_for_file():
    """Prefetches the budget relations, to add to a household_file() household."""
    return [Prefetch("budget_charges"), Prefetch("budget_debts")]
