"""Demo data: the levers the demo COPIL decided become aid applications, in every status
(registered after support's demo, which builds the worker's own applications and documents)."""

from __future__ import annotations

from support import aid_rules
from support.aid_rules import Status as S
from support.demo_aid import CHAIN, shape_application
from support.models import AidApplication, AidTransition

from .models import Decision, DecisionLever


def seed(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    levers = list(DecisionLever.objects.filter(decision__outcome=Decision.Outcome.ADMITTED, application__isnull=True,
                                               decision__corrected_by__isnull=True)
                  .select_related("decision__item").order_by("pk"))
    applications = []
    for index, lever in enumerate(levers):
        app = AidApplication(household_id=lever.decision.item.household_id, kind=lever.kind,
                             examining_body=aid_rules.spec(lever.kind).body, amount_requested=lever.amount,
                             months_requested=lever.months, note="Levier activé par le COPIL")
        status = CHAIN[index % len(CHAIN)]
        if status == S.PAID and not aid_rules.is_paid_out(lever.kind):
            status = S.CLOSED
        applications.append(shape_application(app, status, today, rng))
    AidApplication.objects.bulk_create(applications)
    for lever, app in zip(levers, applications, strict=True):
        lever.application_id = app.pk
    DecisionLever.objects.bulk_update(levers, ["application"])
    AidTransition.objects.bulk_create(
        [AidTransition(application=a, from_status="", to_status=S.TO_PREPARE, by=a.created_by) for a in applications]
        + [AidTransition(application=a, from_status=S.TO_PREPARE, to_status=a.status, by=a.created_by)
           for a in applications if a.status != S.TO_PREPARE])
