"""Demo data of the programme's results for the last finished quarter (issue 16): the other demo
builders draw dates at random around today, so the last quarter had no closed procedure and the
demo report showed "Expulsions évitées 0". This builder adds a small, consistent cohort of files
whose story lands in that quarter: evictions avoided (debt cleared after a commandement, the
household having entered at that step) and carried out, rehousing from the access track, exits for
each reason, entries with their whole path (referral, diagnosis, COPIL admission, first home visit),
and exits 6 and 12 months earlier whose rent account is read again in the quarter.

Registered after the support, COPIL and litigation builders and before the reports one, which builds
the last quarter's report from it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Territory
from copil.models import AgendaItem, Decision, Session
from households.models import Household, Lease, Referral, Resource, Track
from litigation.models import EventType, Procedure, ProcedureEvent, RentAccountLine
from support.models import Diagnosis, Intervention, SupportEpisode

from . import quarters
from .definitions import month_shift

E = EventType
DUE = Decimal("450")  # monthly rent + charges − housing benefit of the cohort's leases

# (scenario, how many, département)
COHORT = [("avoided", 6, "57"), ("avoided", 2, "54"), ("evicted", 5, "57"), ("access_rehoused", 6, "57"),
          ("access_other", 2, "54"), ("left", 3, "57"), ("other_exit", 2, "57"), ("entered", 8, "57"),
          ("entered", 3, "54"), ("after6", 6, "57"), ("after12", 5, "57")]
EXIT_OF = {"avoided": ("stable_tenant", "locataire"), "evicted": ("evicted", "hebergement"),
           "access_rehoused": ("rehoused", "locataire"), "access_other": ("cheaper_dwelling", "locataire"),
           "left": ("left_programme", "tiers"), "other_exit": ("other", "hotel"),
           "after6": ("stable_tenant", "locataire"), "after12": ("stable_tenant", "locataire")}


def _aware(day: date):
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def seed(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    q_start, q_end = quarters.bounds(quarters.previous(quarters.of(today)))
    territories = {t.code: t for t in Territory.objects.all()}
    amli, landlord = ctx.organisations["amli"], ctx.organisations["bat"]
    manager, worker = ctx.users["responsable"], ctx.users["travailleur"]
    chair = ctx.users.get("copil", manager)
    partner = ctx.organisations.get("ddets-57") or amli
    sessions = {}
    for dep in ("57", "54"):
        held = q_start - timedelta(days=20)
        sessions[dep] = Session.objects.create(
            territory=territories[dep], held_on=held, starts_at=time(9, 30), place="Salle du conseil",
            chair=chair, created_by=manager, organisation_id=manager.organisation_id, status=Session.Status.SIGNED,
            published_at=_aware(held - timedelta(days=14)), signed_at=_aware(held + timedelta(days=2)),
            signed_by=chair)
    serial = 0
    for scenario, count, dep in COHORT:
        for index in range(count):
            serial += 1
            _one(ctx, rng, scenario, index, serial, territories[dep], amli, landlord, worker, partner,
                 sessions[dep], q_start, q_end, today)
    if ctx.stdout:
        ctx.stdout.write("  bilan du dernier trimestre : expulsions évitées et réalisées, sorties, relogements")


def _one(ctx, rng, scenario, index, serial, territory, amli, landlord, worker, partner, session, q_start, q_end,
         today) -> None:
    fake = ctx.faker
    female = index % 3 != 2
    born = date(rng.randint(1958, 2003), rng.randint(1, 12), rng.randint(1, 28))
    access = scenario.startswith("access") or scenario == "left" or (scenario == "entered" and index % 2 == 1)
    household = Household.objects.create(
        track=Track.ACCESS if access else Track.MAINTENANCE, territory=territory, organisation=amli,
        status=Household.Status.SUPPORTED if scenario == "entered" else Household.Status.ENDED,
        last_name=fake.last_name(), first_name=fake.first_name_female() if female else fake.first_name_male(),
        birth_year=born.year, birth_date=born, sex="F" if female else "M",
        target_publics=[["dalo"], ["pdalhpd"], ["sortie_hebergement", "pdalhpd"], ["violences_conjugales"],
                        ["sortie_ase"], []][serial % 6],
        housing_at_entry=(["hebergement", "hotel", "tiers", "rue"][index % 4] if access else "locataire"))
    household.reference = f"ZEL-{territory.code}-{household.pk:06d}"
    household.save()
    household.assigned_workers.add(worker if territory.code == "57" else ctx.users[f"ts-{territory.code}"])
    Resource.objects.create(household=household, kind="salary", monthly_amount=Decimal(rng.randint(1100, 1700)))
    lease = Lease.objects.create(
        household=household, landlord=landlord, reference=f"BAT-{territory.code}-9{serial:05d}",
        address=fake.street_address(), postcode="57000" if territory.code == "57" else "54000",
        commune="Metz" if territory.code == "57" else "Nancy", typology="T3", financing="PLAI" if access else "PLUS",
        rent=Decimal("520"), service_charges=Decimal("80"), housing_benefit=Decimal("150"),
        signed_on=q_start - timedelta(days=900))

    # Dates of the story.
    day_in = q_start + timedelta(days=5 + 7 * index)
    if scenario == "entered":
        entry = min(day_in, q_end)
        closed = None
    elif scenario in ("after6", "after12"):
        months = 6 if scenario == "after6" else 12
        closed = month_shift(q_start, index % 3 - months) + timedelta(days=10)
        entry = closed - timedelta(days=330)
    else:
        closed = min(day_in + timedelta(days=20), q_end)
        entry = closed - timedelta(days=300 + 15 * index)
    referred, diagnosed, decided = entry - timedelta(days=75), entry - timedelta(days=40), None
    if scenario == "entered":  # the whole path, in order, through the COPIL session before the quarter
        decided = session.held_on
        diagnosed = decided - timedelta(days=12 + 3 * index)
        referred = diagnosed - timedelta(days=20 + 4 * index)
    Referral.objects.create(household=household, partner=partner, referrer_name=fake.name(), referred_on=referred,
                            reason="Dette locative", track=household.track)
    Diagnosis.objects.create(household=household, done_on=diagnosed, created_by=worker,
                             family_situation="Situation décrite au diagnostic.")
    if decided:
        item = AgendaItem.objects.create(session=session, household=household, position=serial)
        Decision.objects.create(item=item, outcome=Decision.Outcome.ADMITTED, recorded_by=session.chair)
    reason, exit_housing = EXIT_OF.get(scenario, ("", ""))
    SupportEpisode.objects.create(household=household, opened_on=entry, closed_on=closed, opened_by=worker,
                                  closed_by=worker if closed else None, exit_reason=reason if closed else "",
                                  housing_at_exit=exit_housing if closed else "")
    first_visit = entry + timedelta(days=6 + 2 * index)
    for visit_on in (first_visit, first_visit + timedelta(days=21)):
        if visit_on <= min(today, closed or today):
            Intervention.objects.create(household=household, author=worker, occurred_on=visit_on,
                                        duration_minutes=60, mode="home_visit", summary="Visite à domicile.")

    # Procedure and rent account.
    if scenario == "avoided":
        # Commandement before entry (entered at that step); debt cleared and procedure closed in the quarter.
        steps = [(E.IMPAYE_CONSTITUE, -120), (E.COMMANDEMENT_DE_PAYER, -30), (E.ASSIGNATION, 60)]
        _procedure(household, lease, landlord, territory,
                   [(t, entry + timedelta(days=d)) for t, d in steps] + [(E.DETTE_SOLDEE, closed)],
                   closed, "dette_soldee")
    elif scenario == "evicted":
        steps = [(E.COMMANDEMENT_DE_PAYER, -200), (E.ASSIGNATION, -100), (E.JUGEMENT, -20),
                 (E.SIGNIFICATION_JUGEMENT, 20), (E.COMMANDEMENT_DE_QUITTER, 80), (E.DEMANDE_CFP, 180),
                 (E.CFP_ACCORDEE, 240)]
        _procedure(household, lease, landlord, territory,
                   [(t, entry + timedelta(days=d)) for t, d in steps] + [(E.EXPULSION_REALISEE, closed)],
                   closed, "expulsion")
    elif scenario == "entered" and not access:
        stage = [E.IMPAYE_CONSTITUE, E.SAISINE_CCAPEX, E.COMMANDEMENT_DE_PAYER, E.ASSIGNATION][index % 4]
        _procedure(household, lease, landlord, territory, [(stage, entry - timedelta(days=25))], None, "")
    if scenario in ("after6", "after12"):
        # The rent account read again 6 or 12 months after the exit: every other household has slipped.
        months = 6 if scenario == "after6" else 12
        first, last = month_shift(date(closed.year, closed.month, 1), -2), month_shift(
            date(closed.year, closed.month, 1), months)
        lines, month = [], first
        while month <= last and month <= today:
            short = Decimal("150") if index % 2 == 0 and month >= month_shift(last, -1) else Decimal(0)
            lines.append(RentAccountLine(lease=lease, month=month, amount_called=Decimal("600"),
                                         housing_benefit=Decimal("150"), amount_paid=DUE - short))
            month = month_shift(month, 1)
        RentAccountLine.objects.bulk_create(lines, ignore_conflicts=True)


def _procedure(household, lease, landlord, territory, events, closed, outcome) -> None:
    procedure = Procedure.objects.create(
        lease=lease, household=household, landlord=landlord, territory=territory, opened_on=events[0][1],
        closed_on=closed, outcome=outcome, stage="closed" if closed else "commandement")
    ProcedureEvent.objects.bulk_create([ProcedureEvent(procedure=procedure, type=t, occurred_on=d)
                                        for t, d in events])
