"""Demo data: organisations, one user per role, and realistic households across 54, 57, 67, 68.

Bulk inserts only, so that `seed_demo --households 100000` stays practical. Other apps add their
own demo data in `<app>/demo.py` through a `seed(ctx)` function that receives a DemoContext.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from faker import Faker

from accounts.demo import DEMO_PASSWORD  # noqa: E402  (one password for every demo account)
from accounts.models import Organisation, Role, Territory, User

from .models import Household, HouseholdMember, HousingSituation, Lease, Referral, Resource, TargetPublic, Track

BATCH = 5000

# username, role, organisation code, first name, last name
DEMO_USERS = [
    ("travailleur", Role.Code.SOCIAL_WORKER, "amli", "Camille", "Bertrand"),
    ("psychologue", Role.Code.PSYCHOLOGIST, "amli", "Hélène", "Marchal"),
    ("responsable", Role.Code.MANAGER, "amli", "Julien", "Lambert"),
    ("copil", Role.Code.COPIL_MEMBER, "ddets-57", "Nadia", "Ferhat"),
    ("contentieux", Role.Code.LITIGATION_OFFICER, "bat", "Sophie", "Klein"),
    ("huissier", Role.Code.BAILIFF, "cdj-metz", "Marc", "Schneider"),
    ("financeur", Role.Code.FUNDER, "fnavdl", "Claire", "Dubois"),
    ("admin", Role.Code.ADMINISTRATOR, "amli", "Alex", "Martin"),
]

ORGANISATIONS = [
    ("amli", "AMLI", Organisation.Kind.ASSOCIATION),
    ("bat", "Batigère", Organisation.Kind.LANDLORD),
    ("pha", "Présence Habitat", Organisation.Kind.LANDLORD),
    ("siao-57", "SIAO de Moselle", Organisation.Kind.SIAO),
    ("ddets-57", "DDETS de la Moselle", Organisation.Kind.DDETS),
    ("caf-57", "CAF de la Moselle", Organisation.Kind.CAF),
    ("cd-57", "Département de la Moselle", Organisation.Kind.DEPARTEMENT),
    ("pref-57", "Préfecture de la Moselle", Organisation.Kind.PREFECTURE),
    ("adil-57", "ADIL de la Moselle", Organisation.Kind.ADIL),
    ("al", "Action Logement", Organisation.Kind.ACTION_LOGEMENT),
    ("grand-nancy", "Métropole du Grand Nancy", Organisation.Kind.METROPOLE),
    ("fnavdl", "FNAVDL", Organisation.Kind.FUNDER),
    ("cdj-metz", "Commissaires de justice associés de Metz", Organisation.Kind.BAILIFF_OFFICE),
]

COMMUNES = {
    "54": [("54000", "Nancy"), ("54500", "Vandœuvre-lès-Nancy"), ("54400", "Longwy"), ("54300", "Lunéville")],
    "57": [("57000", "Metz"), ("57100", "Thionville"), ("57200", "Sarreguemines"), ("57600", "Forbach"),
           ("57070", "Metz"), ("57300", "Hagondange")],
    "67": [("67000", "Strasbourg"), ("67100", "Strasbourg"), ("67200", "Strasbourg"), ("67500", "Haguenau")],
    "68": [("68100", "Mulhouse"), ("68000", "Colmar"), ("68200", "Mulhouse")],
}
ACCESS_SITUATIONS = ["hebergement", "hebergement", "hotel", "tiers", "tiers", "rue", "autre"]


def demo_target_publics(rng, female: bool) -> list[str]:
    chosen = set()
    for code, share in (("dalo", 0.2), ("pdalhpd", 0.35), ("sortie_hebergement", 0.12),
                        ("violences_conjugales", 0.12 if female else 0.02), ("sortie_ase", 0.05)):
        if rng.random() < share:
            chosen.add(code)
    return [code for code in TargetPublic.values if code in chosen]


TYPOLOGY_RENT = {"T1": 330, "T2": 410, "T3": 490, "T4": 570, "T5": 650, "T6": 720}


@dataclass
class DemoContext:
    """What the household seeding made, handed to the other apps' demo seeders."""

    rng: random.Random
    faker: Faker
    today: date
    users: dict[str, User]
    organisations: dict[str, Organisation]
    household_ids: list[int] = field(default_factory=list)
    stdout: object = None


def demo_loaded() -> bool:
    return User.objects.filter(username="responsable").exists()


def _organisations() -> dict[str, Organisation]:
    territories = list(Territory.objects.all())
    orgs = {}
    for code, name, kind in ORGANISATIONS:
        org, _created = Organisation.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
        org.territories.set(territories if code in {"amli", "bat", "pha", "fnavdl", "al"} else
                            [t for t in territories if t.code == ("54" if code == "grand-nancy" else "57")])
        orgs[code] = org
    return orgs


def _users(orgs) -> dict[str, User]:
    roles = {r.code: r for r in Role.objects.all()}
    territories = list(Territory.objects.all())
    moselle = [t for t in territories if t.code == "57"]
    users = {}
    for username, role, org_code, first, last in DEMO_USERS:
        user = User(username=username, first_name=first, last_name=last, organisation=orgs[org_code],
                    email=f"{username}@demo.zel.invalid", is_staff=(role == Role.Code.ADMINISTRATOR),
                    is_superuser=(role == Role.Code.ADMINISTRATOR))
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.roles.set([roles[role]])
        user.territories.set(territories if role in {Role.Code.MANAGER, Role.Code.FUNDER} else moselle)
        users[username] = user
    # A few more workers so that caseloads, hand-overs and filters have something to show.
    for index, territory in enumerate(territories):
        user = User(username=f"ts-{territory.code}", first_name="Intervenant", last_name=f"Équipe {territory.code}",
                    organisation=orgs["amli"], email=f"ts{index}@demo.zel.invalid")
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.roles.set([roles[Role.Code.SOCIAL_WORKER]])
        user.territories.set([territory])
        users[user.username] = user
    return users


def _lease_reference(landlord_code: str, dep: str, serial: int) -> str:
    # Matches the landlords' exports in shared/samples (BAT-57-001001, PHA-57-001001…).
    return f"{landlord_code.upper()}-{dep}-{1000 + serial:06d}"


def seed_households(ctx: DemoContext, count: int) -> None:
    rng, fake = ctx.rng, ctx.faker
    territories = {t.code: t for t in Territory.objects.all()}
    weights = {"57": 0.55, "54": 0.2, "67": 0.15, "68": 0.1}
    statuses = ([Household.Status.SUPPORTED] * 55 + [Household.Status.ENDED] * 15 + [Household.Status.REFERRED] * 8
                + [Household.Status.DIAGNOSED] * 10 + [Household.Status.PRESENTED] * 4
                + [Household.Status.ADJOURNED] * 3 + [Household.Status.REFUSED] * 2 + [Household.Status.ADMITTED] * 3)
    serials = {}
    workers = {code: ctx.users[f"ts-{code}"] for code in territories}
    partners = [ctx.organisations[c] for c in ("siao-57", "ddets-57", "bat", "pha", "cd-57", "caf-57")]
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        households = []
        for i in range(size):
            dep = rng.choices(list(weights), weights=list(weights.values()))[0]
            female = rng.random() < 0.6
            track = Track.MAINTENANCE if rng.random() < 0.6 else Track.ACCESS
            born = date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))
            households.append(Household(
                track=track, territory=territories[dep], organisation=ctx.organisations["amli"],
                status=statuses[(start + i) % len(statuses)],
                last_name=fake.last_name(), first_name=fake.first_name_female() if female else fake.first_name_male(),
                birth_year=born.year, phone=fake.phone_number()[:20],
                # Issue 16: what the FNAVDL report needs; the date of birth is known for most files.
                birth_date=born if rng.random() < 0.8 else None, sex="F" if female else "M",
                target_publics=demo_target_publics(rng, female),
                housing_at_entry=(HousingSituation.TENANT if track == Track.MAINTENANCE
                                  else rng.choice(ACCESS_SITUATIONS)) if rng.random() < 0.9 else ""))
        for household in households:
            household.refresh_search_text()
        created = Household.objects.bulk_create(households, batch_size=BATCH)
        if created[0].pk is None:  # databases without RETURNING: read the ids back in order
            ids = list(Household.objects.order_by("-pk").values_list("pk", flat=True)[:size])[::-1]
            for household, pk in zip(created, ids, strict=True):
                household.pk = pk
        for household in created:
            household.reference = f"ZEL-{household.territory.code}-{household.pk:06d}"
            household.refresh_search_text()
        Household.objects.bulk_update(created, ["reference", "search_text"], batch_size=BATCH)
        _seed_related(ctx, created, serials, workers, partners)
        ctx.household_ids.extend(h.pk for h in created)
        if ctx.stdout and count > BATCH:
            ctx.stdout.write(f"  {start + size}/{count} ménages")


def _seed_related(ctx, households, serials, workers, partners) -> None:
    rng, fake = ctx.rng, ctx.faker
    members, resources, leases, referrals, assignments = [], [], [], [], []
    through = Household.assigned_workers.through
    demo_worker, psychologist = ctx.users["travailleur"], ctx.users["psychologue"]
    for index, h in enumerate(households):
        dep = h.territory.code
        for _child in range(rng.choice([0, 0, 1, 1, 2, 3])):
            members.append(HouseholdMember(household=h, relation=HouseholdMember.Relation.CHILD,
                                           first_name=fake.first_name(), last_name=h.last_name,
                                           birth_year=rng.randint(2008, 2024), occupation="Scolarisé(e)"))
        if rng.random() < 0.35:
            members.append(HouseholdMember(household=h, relation=HouseholdMember.Relation.SPOUSE,
                                           first_name=fake.first_name(), last_name=h.last_name,
                                           birth_year=h.birth_year + rng.randint(-5, 5)))
        for kind, low, high in rng.choice([[("rsa", 560, 640)], [("salary", 1100, 1700)],
                                           [("aah", 900, 1016)], [("pension", 800, 1300)],
                                           [("unemployment", 700, 1200), ("family", 140, 300)],
                                           [("salary", 1300, 1900), ("prime_activite", 80, 250)]]):
            resources.append(Resource(household=h, kind=kind, monthly_amount=Decimal(rng.randint(low, high))))
        landlord = "bat" if rng.random() < 0.7 else "pha"
        serials[(landlord, dep)] = serials.get((landlord, dep), 0) + 1
        typology = rng.choice(list(TYPOLOGY_RENT))
        rent = Decimal(TYPOLOGY_RENT[typology] + rng.randint(-40, 60)) + Decimal(rng.randint(0, 99)) / 100
        postcode, commune = rng.choice(COMMUNES[dep])
        signed = ctx.today - timedelta(days=rng.randint(200, 4000))
        leases.append(Lease(household=h, landlord=ctx.organisations[landlord],
                            reference=_lease_reference(landlord, dep, serials[(landlord, dep)]),
                            address=fake.street_address(), postcode=postcode, commune=commune,
                            typology=typology, financing=rng.choice(["PLAI", "PLAI", "PLUS", "PLUS", "PLUS", "PLS"]),
                            rent=rent, service_charges=Decimal(rng.randint(40, 140)),
                            housing_benefit=Decimal(rng.choice([0, 0, rng.randint(150, 330)])),
                            signed_on=signed))
        referrals.append(Referral(household=h, partner=rng.choice(partners), referrer_name=fake.name(),
                                  referred_on=signed + timedelta(days=rng.randint(30, 150)) if h.track == "maintien"
                                  else ctx.today - timedelta(days=rng.randint(30, 900)),
                                  reason=rng.choice(["Dette locative de plusieurs mois", "Sortie de CHRS",
                                                     "Assignation reçue", "Commandement de payer",
                                                     "Ménage prioritaire DALO"]), track=h.track))
        worker = demo_worker if dep == "57" and index % 4 == 0 else workers[dep]
        assignments.append(through(household_id=h.pk, user_id=worker.pk))
        if worker == demo_worker and index % 3 == 0:
            assignments.append(through(household_id=h.pk, user_id=psychologist.pk))
    for model, rows in ((HouseholdMember, members), (Resource, resources), (Lease, leases),
                        (Referral, referrals), (through, assignments)):
        model.objects.bulk_create(rows, batch_size=BATCH)


@transaction.atomic
def seed(*, households: int = 200, stdout=None, seed_value: int = 2026) -> DemoContext:
    rng = random.Random(seed_value)
    fake = Faker("fr_FR")
    fake.seed_instance(seed_value)
    orgs = _organisations()
    users = _users(orgs)
    ctx = DemoContext(rng=rng, faker=fake, today=date.today(), users=users, organisations=orgs, stdout=stdout)
    seed_households(ctx, households)
    from accounts.otp import demo_devices  # the demo logins of the roles that require two factors

    demo_devices(users.values())
    return ctx
