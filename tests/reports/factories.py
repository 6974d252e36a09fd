"""Small builders for the reports fixture: plain ORM rows with exactly the dates the tests reason about."""

from datetime import date
from decimal import Decimal

from copil.models import AgendaItem, Decision, DecisionLever, Session
from households.models import Lease, Referral, Resource
from litigation.models import Installment, Procedure, ProcedureEvent, RentAccountLine, RepaymentPlan
from support.models import Diagnosis, Intervention, SupportEpisode
from tests.factories import HouseholdFactory, LeaseFactory, territory


def household(name: str, *, dep: str = "57", track: str = "maintien", organisation, resources=Decimal("1000")):
    last, first = name.split()
    h = HouseholdFactory(last_name=last, first_name=first, territory=territory(dep), track=track,
                         organisation=organisation)
    if resources:
        Resource.objects.create(household=h, kind=Resource.Kind.SALARY, monthly_amount=resources)
    return h


def lease(h, landlord, **kwargs) -> Lease:
    return LeaseFactory(household=h, landlord=landlord, **kwargs)


def episode(h, opened: date, closed: date | None = None, reason: str = "") -> SupportEpisode:
    return SupportEpisode.objects.create(household=h, opened_on=opened, closed_on=closed, exit_reason=reason)


def procedure(h, lease_, events: list[tuple[str, date]], *, closed: date | None = None, outcome: str = ""):
    p = Procedure.objects.create(lease=lease_, household=h, landlord=lease_.landlord, territory=h.territory,
                                 opened_on=events[0][1], closed_on=closed, outcome=outcome,
                                 stage="closed" if closed else "commandement")
    for event_type, day in events:
        ProcedureEvent.objects.create(procedure=p, type=event_type, occurred_on=day)
    return p


def rent_lines(lease_, rows: list[tuple[date, str, str, str]]) -> None:
    """(month, called, housing benefit, paid)"""
    RentAccountLine.objects.bulk_create([
        RentAccountLine(lease=lease_, month=month, amount_called=Decimal(called), housing_benefit=Decimal(benefit),
                        amount_paid=Decimal(paid)) for month, called, benefit, paid in rows])


def plan(lease_, proc, installments: list[tuple[date, str]]) -> RepaymentPlan:
    p = RepaymentPlan.objects.create(lease=lease_, procedure=proc, kind=RepaymentPlan.Kind.PLAN_APUREMENT,
                                     total_debt=sum(Decimal(a) for _d, a in installments),
                                     starts_on=installments[0][0])
    Installment.objects.bulk_create([Installment(plan=p, due_on=d, amount=Decimal(a)) for d, a in installments])
    return p


def referral(h, partner, day: date) -> Referral:
    return Referral.objects.create(household=h, partner=partner, referrer_name="Mme Orienteuse Secrète",
                                   referred_on=day, reason="Motif libre confidentiel", track=h.track)


def diagnosis(h, day: date) -> Diagnosis:
    return Diagnosis.objects.create(household=h, done_on=day, family_situation="Texte libre confidentiel")


def decision(session: Session, h, outcome: str, by, levers=(), corrects=None) -> Decision:
    item, _ = AgendaItem.objects.get_or_create(session=session, household=h)
    d = Decision.objects.create(item=item, outcome=outcome, recorded_by=by, corrects=corrects)
    for kind, amount in levers:
        DecisionLever.objects.create(decision=d, kind=kind, amount=Decimal(amount) if amount is not None else None)
    return d


def visit(h, author, day: date, minutes: int, mode: str = "home_visit", **kwargs) -> Intervention:
    return Intervention.objects.create(household=h, author=author, occurred_on=day, duration_minutes=minutes,
                                       mode=mode, summary="Compte rendu confidentiel", **kwargs)
