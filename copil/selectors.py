"""Reads for the COPIL pages, scoped by the access modules, with a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from households import budget
from households.figures import Debt, household_figures
from households.models import FrozenFigures, Household, HouseholdMember, Lease, Resource

from . import access, integrations, rules
from .models import AgendaItem, Decision, DecisionLever, Opinion, RequestedLever, Session, SessionMember


def session_list(user) -> QuerySet[Session]:
    return (access.visible_copil_sessions(user).select_related("territory", "chair")
            .annotate(item_count=Count("items", distinct=True)).order_by("-held_on", "-pk"))


def _current(decisions: list[Decision]) -> Decision | None:
    corrected = {d.corrects_id for d in decisions if d.corrects_id}
    live = [d for d in decisions if d.pk not in corrected]
    return max(live, key=lambda d: (d.recorded_at, d.pk), default=None)


def _household_prefetch() -> list:
    return [
        Prefetch("household__members", queryset=HouseholdMember.objects.only("id", "household_id", "relation",
                                                                             "birth_year", "birth_date")),
        Prefetch("household__resources", queryset=Resource.objects.all()),
        Prefetch("household__leases", queryset=Lease.objects.only(
            "id", "household_id", "rent", "service_charges", "housing_benefit", "signed_on", "ended_on",
            "typology", "financing")),
    ]


def session_page(user, pk: int) -> tuple[Session, list[AgendaItem]]:
    """The session with its members and agenda. Each item carries `current_decision`,
    `opinion_counts`, `my_opinion` and `effort_before`, read from prefetched rows."""
    session = access.copil_session_for(user, pk)
    memberships = list(SessionMember.objects.filter(session=session).select_related("user__organisation"))
    session.member_ids = {m.user_id for m in memberships}
    session.membership_list = memberships
    items = list(
        session.items.select_related("household__territory")
        .prefetch_related(*_household_prefetch(), "requested_levers",
                          Prefetch("decisions", queryset=Decision.objects.prefetch_related("levers")),
                          Prefetch("opinions", queryset=Opinion.objects.only("id", "item_id", "member_id", "value")))
    )
    # Names only for households the viewer may see anyway (one query for the whole agenda).
    named = access.named_households(user, [i.household_id for i in items])
    for item in items:
        item.session = session
        item.show_name = item.household_id in named
        item.current_decision = _current(list(item.decisions.all()))
        item.opinion_counts = Counter(o.value for o in item.opinions.all())
        item.my_opinion = next((o for o in item.opinions.all() if o.member_id == user.pk), None)
        item.effort_before = item.household.effort_rate()
    return session, items


@dataclass
class DossierSummary:
    """Everything the committee reads about one dossier, and nothing else (need to know)."""

    reference: str
    track: str
    territory: str
    kind: str
    composition: str
    resources: list[tuple[str, Decimal]]
    resources_total: Decimal
    figures: budget.BudgetFigures
    debt: Debt
    effort_before: Decimal | None
    effort_before_band: str
    monthly_due_before: Decimal | None
    effort_after: Decimal | None
    effort_after_band: str
    expected_rent: Decimal | None
    expected_charges: Decimal | None
    expected_housing_benefit: Decimal | None
    dwelling: str
    facts: integrations.CommitteeFacts
    procedure: integrations.ProcedureFacts | None
    requested_levers: list[RequestedLever] = field(default_factory=list)
    frozen: FrozenFigures | None = None  # the entry figures frozen with the admission


def dossier_summary(item: AgendaItem) -> DossierSummary:
    """Built from explicit fields only: the template never touches the household object, so no name,
    address, phone, visit or sensitive note can leak through it."""
    household = (Household.objects.select_related("territory")
                 .prefetch_related("members", "resources", "leases").get(pk=item.household_id))
    on = item.session.held_on
    resources = [(r.get_kind_display(), r.monthly_amount) for r in household.resources.all()]
    lease = household.current_lease()
    figures = household_figures(household, on=on)
    # Once admitted, "avant / après" read the figures frozen with the decision, not today's.
    frozen = FrozenFigures.objects.filter(household_id=household.pk, moment=FrozenFigures.Moment.ENTRY,
                                          source=f"copil-item-{item.pk}").first()
    shown = frozen.as_budget() if frozen is not None else figures.budget
    before = shown.effort_rate
    after = item.effort_rate_after(shown.resources)
    procedures = integrations.procedure_facts([household.pk])
    return DossierSummary(
        reference=household.reference or "—", track=household.get_track_display(),
        territory=str(household.territory), kind=item.get_kind_display(),
        composition=rules.composition_label(household.ages(on)),
        resources=resources, resources_total=shown.resources,
        figures=shown, debt=figures.debt, frozen=frozen,
        effort_before=before, effort_before_band=budget.effort_band(before),
        monthly_due_before=shown.housing_cost if lease or frozen else None,
        effort_after=after, effort_after_band=budget.effort_band(after),
        expected_rent=item.expected_rent, expected_charges=item.expected_charges,
        expected_housing_benefit=item.expected_housing_benefit,
        dwelling=f"{lease.typology} · {lease.financing}" if lease else "",
        facts=integrations.committee_facts(household), procedure=procedures.get(household.pk),
        requested_levers=list(item.requested_levers.all()))


def dossier_page(user, session_pk: int, item_pk: int) -> tuple[AgendaItem, DossierSummary]:
    item = access.copil_item_for(user, session_pk, item_pk)
    session = item.session
    session.member_ids = set(session.memberships.values_list("user_id", flat=True))
    decisions = list(item.decisions.select_related("recorded_by").prefetch_related("levers"))
    item.decision_list = decisions
    item.current_decision = _current(decisions)
    item.opinion_list = list(item.opinions.select_related("member__organisation"))
    item.my_opinion = next((o for o in item.opinion_list if o.member_id == user.pk), None)
    return item, dossier_summary(item)


def agenda_candidates(user, session: Session) -> QuerySet[Household]:
    """Households of the session's territory waiting for the committee: diagnosed, or adjourned and
    not yet back on an agenda; never one already on a pending agenda."""
    pending = AgendaItem.objects.filter(
        session__status__in=[Session.Status.DRAFT, Session.Status.PUBLISHED, Session.Status.REVIEW],
        decisions__isnull=True)
    return (access.agenda_candidates(user)
            .filter(territory_id=session.territory_id)
            .filter(Q(status=Household.Status.DIAGNOSED) | Q(status=Household.Status.ADJOURNED)
                    | Q(copil_items__to_reschedule=True))
            .exclude(pk__in=pending.values("household_id"))
            .distinct().order_by("reference"))


# ---------------------------------------------------------------------------------------------
# Minutes
# ---------------------------------------------------------------------------------------------

@dataclass
class MinutesLine:
    position: int
    reference: str
    track: str
    kind: str
    decision: Decision | None
    levers: list[DecisionLever]
    corrections: list[Decision]
    requested: dict[str, RequestedLever] = field(default_factory=dict)


def minutes_context(session: Session) -> dict:
    """What the procès-verbal prints. Only the session's own dates: regenerating gives the same text."""
    memberships = list(SessionMember.objects.filter(session=session).select_related("user__organisation")
                       .order_by("user__organisation__name", "user__last_name", "user__first_name", "pk"))
    items = list(session.items.select_related("household")
                 .prefetch_related(Prefetch("decisions", queryset=Decision.objects.prefetch_related("levers")
                                            .order_by("recorded_at", "pk")), "requested_levers")
                 .order_by("position", "pk"))
    lines = []
    for index, item in enumerate(items, start=1):
        decisions = list(item.decisions.all())
        signed = _current([d for d in decisions if not d.after_signature])
        lines.append(MinutesLine(
            position=index, reference=item.household.reference or "—", track=item.household.get_track_display(),
            kind=item.get_kind_display(), decision=signed, levers=list(signed.levers.all()) if signed else [],
            corrections=[d for d in decisions if d.after_signature],
            requested={lv.kind: lv for lv in item.requested_levers.all()}))
        for lever in lines[-1].levers:
            lever.requested = lines[-1].requested.get(lever.kind)
    return {
        "session": session,
        "present": [m for m in memberships if m.present],
        "absent": [m for m in memberships if not m.present],
        "lines": lines,
        "lever_totals": lever_totals(lv for line in lines for lv in line.levers),
        "counts": Counter(line.decision.outcome for line in lines if line.decision),
        "title": _("Procès-verbal du COPIL"),
    }


@dataclass
class LeverTotal:
    label: str
    measure: str
    count: int = 0
    requested: Decimal = Decimal(0)
    decided: Decimal = Decimal(0)
    months: int = 0


def lever_totals(levers) -> list[LeverTotal]:
    """Per kind: how many levers, and the sums of what the kind is measured in (amounts or months);
    a kind without an amount counts levers only (no "0,00 €")."""
    from support import aid_rules

    totals: dict[str, LeverTotal] = {}
    for lever in levers:
        total = totals.setdefault(lever.kind, LeverTotal(label=lever.get_kind_display(),
                                                         measure=aid_rules.measure_of(lever.kind)))
        total.count += 1
        requested = getattr(lever, "requested", None)
        if total.measure == aid_rules.Measure.AMOUNT:
            total.decided += lever.amount or Decimal(0)
            total.requested += (requested.amount or Decimal(0)) if requested is not None else Decimal(0)
        elif total.measure == aid_rules.Measure.MONTHS:
            total.months += lever.months or 0
    return sorted(totals.values(), key=lambda t: t.label)
