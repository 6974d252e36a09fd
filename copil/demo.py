"""Demo data of the COPIL app: a year of signed sessions in Moselle with decisions and levers, one
session open for review (the demo user `copil` sits on it, a prefecture representative chairs it),
one draft agenda for the manager to prepare, and a signed session in Meurthe-et-Moselle.

Bounded whatever the number of households (at most a few hundred agenda items), bulk inserts only.
Minutes PDFs are not rendered here: the first download builds and stores them.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organisation, Role, Territory, User
from households.demo import DEMO_PASSWORD
from households.models import Household

from .models import (
    AgendaItem,
    Decision,
    DecisionLever,
    Lever,
    Opinion,
    RequestedLever,
    Session,
    SessionMember,
)

PAST_SESSIONS = 8
ITEMS_PER_SESSION = 6
EXTRA_MEMBERS = [
    # username, organisation code, first name, last name (password: the demo password)
    ("copil-presidente", "pref-57", "Mathilde", "Keller"),
    ("copil-caf", "caf-57", "Yann", "Muller"),
    ("copil-cd", "cd-57", "Sabrina", "Weber"),
    ("copil-bailleur", "bat", "Thomas", "Becker"),
]
MISSING = ["Avis d'imposition 2024 et attestation CAF à jour", "Accord du ménage sur le plan d'apurement",
           "Évaluation du relogement par le bailleur"]
REFUSALS = ["Ressources hors plafond du dispositif", "Le ménage ne souhaite pas d'accompagnement",
            "Relève d'un autre dispositif (ASLL seul)"]


def _users(ctx) -> dict[str, User]:
    role = Role.objects.get(code=Role.Code.COPIL_MEMBER)
    moselle = Territory.objects.get(code="57")
    users = {}
    for username, org_code, first, last in EXTRA_MEMBERS:
        organisation = ctx.organisations.get(org_code) or Organisation.objects.get(code=org_code)
        user = User(username=username, first_name=first, last_name=last, organisation=organisation,
                    email=f"{username}@demo.zel.invalid")
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.roles.set([role])
        user.territories.set([moselle])
        users[username] = user
    return users


def _pick(territory_code: str, statuses, limit: int) -> list[tuple[int, str, str]]:
    return list(Household.objects.filter(territory__code=territory_code, status__in=statuses)
                .order_by("pk").values_list("pk", "track", "status")[:limit])


def _aware(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(11, 0)))


def _levers_for(track: str, rng) -> list[tuple[str, Decimal | None, int | None]]:
    """(kind, amount, months): only what the kind is measured in (support.aid_rules)."""
    if track == "maintien":
        levers = [(Lever.FSL_MAINTENANCE, Decimal(rng.randint(6, 30) * 100), None)]
        if rng.random() < 0.4:
            levers.append((Lever.APL_MAINTENANCE, None, None))
        if rng.random() < 0.3:
            levers.append((Lever.RENT_AID, Decimal(rng.randint(3, 12) * 50), None))
    else:
        levers = [(Lever.FSL_ACCESS, Decimal(rng.randint(4, 9) * 100), None), (Lever.VISALE, None, None)]
        if rng.random() < 0.5:
            levers.append((Lever.LOCA_PASS, Decimal(rng.randint(3, 6) * 100), None))
        if rng.random() < 0.5:
            levers.append((Lever.ASLL, None, rng.choice([6, 9, 12])))
    return levers


def seed(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    extra = _users(ctx)
    copil, manager = ctx.users["copil"], ctx.users["responsable"]
    chair = extra["copil-presidente"]
    moselle_members = [copil, chair, extra["copil-caf"], extra["copil-cd"], extra["copil-bailleur"]]
    territories = {t.code: t for t in Territory.objects.all()}

    decided = _pick("57", ["admitted", "supported", "ended", "adjourned", "refused"],
                    PAST_SESSIONS * ITEMS_PER_SESSION)
    waiting = _pick("57", ["presented"], 6)
    diagnosed = _pick("57", ["diagnosed"], 3)
    far_decided = _pick("54", ["admitted", "supported"], 4)

    sessions: list[Session] = []
    plan: list[tuple[Session, list[tuple[int, str, str]]]] = []
    for index in range(PAST_SESSIONS):
        held_on = today - timedelta(days=30 * (PAST_SESSIONS - index) + 5)
        session = Session(territory=territories["57"], held_on=held_on, starts_at=time(9, 30),
                          place="DDETS de la Moselle, Metz – salle du conseil", chair=chair, created_by=manager,
                          organisation_id=manager.organisation_id,
                          status=Session.Status.SIGNED, published_at=_aware(held_on - timedelta(days=14)),
                          signed_at=_aware(held_on + timedelta(days=2)), signed_by=chair)
        sessions.append(session)
        plan.append((session, decided[index * ITEMS_PER_SESSION:(index + 1) * ITEMS_PER_SESSION]))
    far = Session(territory=territories["54"], held_on=today - timedelta(days=40), starts_at=time(14, 0),
                  video_link="https://visio.example.invalid/copil-54", chair=manager, created_by=manager,
                  organisation_id=manager.organisation_id,
                  status=Session.Status.SIGNED, published_at=_aware(today - timedelta(days=55)),
                  signed_at=_aware(today - timedelta(days=38)), signed_by=manager)
    sessions.append(far)
    plan.append((far, far_decided))
    review = Session(territory=territories["57"], held_on=today + timedelta(days=3), starts_at=time(9, 30),
                     place="DDETS de la Moselle, Metz – salle du conseil",
                     video_link="https://visio.example.invalid/copil-57", chair=chair, created_by=manager,
                     organisation_id=manager.organisation_id,
                     status=Session.Status.REVIEW, published_at=_aware(today - timedelta(days=7)))
    draft = Session(territory=territories["57"], held_on=today + timedelta(days=33), starts_at=time(9, 30),
                    place="DDETS de la Moselle, Metz – salle du conseil", chair=chair, created_by=manager,
                    organisation_id=manager.organisation_id)
    sessions += [review, draft]
    plan += [(review, waiting), (draft, diagnosed)]
    Session.objects.bulk_create(sessions)

    members, items, requested = [], [], []
    for session, rows in plan:
        people = [manager] if session.territory.code == "54" else moselle_members
        members += [SessionMember(session=session, user=u, present=session.status == Session.Status.SIGNED
                                  and (u == session.chair or rng.random() < 0.85)) for u in people]
        for position, (household_id, track, _status) in enumerate(rows, start=1):
            item = AgendaItem(session=session, household_id=household_id, position=position, added_by=manager)
            if track == "acces":
                item.expected_rent = Decimal(rng.randint(330, 560))
                item.expected_charges = Decimal(rng.randint(40, 110))
                item.expected_housing_benefit = Decimal(rng.choice([0, rng.randint(150, 300)]))
            items.append((item, track))
    SessionMember.objects.bulk_create(members)
    AgendaItem.objects.bulk_create([item for item, _track in items])
    for item, track in items:
        requested += [RequestedLever(item=item, kind=kind, amount=amount, months=months)
                      for kind, amount, months in _levers_for(track, rng)]
    RequestedLever.objects.bulk_create(requested)

    decisions, statuses = [], {}
    for session, rows in plan:
        if session.status != Session.Status.SIGNED:
            continue
        for household_id, _track, status in rows:
            statuses[household_id] = status
    levers_by_item = {}
    for lever in requested:
        levers_by_item.setdefault(lever.item_id, []).append(lever)
    for item, _track in items:
        status = statuses.get(item.household_id)
        if status is None or item.session.status != Session.Status.SIGNED:
            continue
        if status == "adjourned":
            decision = Decision(item=item, outcome=Decision.Outcome.ADJOURNED, missing=rng.choice(MISSING),
                                comes_back_on=item.session.held_on + timedelta(days=60), recorded_by=item.session.chair)
        elif status == "refused":
            decision = Decision(item=item, outcome=Decision.Outcome.REFUSED, reason=rng.choice(REFUSALS),
                                recorded_by=item.session.chair)
        else:
            decision = Decision(item=item, outcome=Decision.Outcome.ADMITTED, recorded_by=item.session.chair)
        decisions.append(decision)
    Decision.objects.bulk_create(decisions)
    granted = [DecisionLever(decision=d, kind=lv.kind, amount=lv.amount, months=lv.months)
               for d in decisions if d.outcome == Decision.Outcome.ADMITTED for lv in levers_by_item[d.item_id]]
    DecisionLever.objects.bulk_create(granted)
    # auto_now_add stamped "now": a past decision is dated on its session day.
    for session in sessions:
        if session.status == Session.Status.SIGNED:
            Decision.objects.filter(item__session=session).update(recorded_at=_aware(session.held_on))

    # Two members have already read and given their opinion on the open session; `copil` has not.
    opinions = []
    for item, _track in items:
        if item.session_id == review.pk:
            opinions.append(Opinion(item=item, member=extra["copil-caf"], value=rng.choice(
                [Opinion.Value.FAVOURABLE, Opinion.Value.FAVOURABLE, Opinion.Value.RESERVED]),
                comment="Dossier complet, plan d'apurement réaliste."))
            if rng.random() < 0.5:
                opinions.append(Opinion(item=item, member=extra["copil-bailleur"], value=Opinion.Value.FAVOURABLE))
    Opinion.objects.bulk_create(opinions)
    if ctx.stdout:
        ctx.stdout.write(f"  COPIL : {len(sessions)} séances, {len(items)} dossiers, {len(decisions)} décisions "
                         f"(président(e) de séance : copil-presidente)")
