"""The bench data set, generated in Python one chunk of households at a time and sent with COPY.

Same proportions as the demo seeders (households.demo, support.demo, litigation.demo): the same
draws, made on plain values (amounts in cents) instead of model instances, so that 10⁶ households
fit in minutes. A chunk depends on nothing but its number, so chunks can be seeded by parallel
processes: ids are derived from the household's id (`hid * K + j`), lease references from it too.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .copy_rows import NULL, Table, cents, esc

# Rows at most per household, by table: the id of row j of household h is h * K + j.
K = {"member": 4, "resource": 2, "assign": 2, "diag": 2, "episode": 1, "visit": 11, "goal": 4, "note": 3,
     "charge": 4, "debt": 2, "line": 12, "procedure": 1, "event": 12, "deadline": 24, "dsf": 1, "plan": 1,
     "installment": 12, "warning": 4}
STATUSES = (["supported"] * 55 + ["ended"] * 15 + ["referred"] * 8 + ["diagnosed"] * 10 + ["presented"] * 4
            + ["adjourned"] * 3 + ["refused"] * 2 + ["admitted"] * 3)
DEP_WEIGHTS = {"57": 0.55, "54": 0.2, "67": 0.15, "68": 0.1}
POOL = 4000


@dataclass
class World:
    """What every chunk reads: ids of the reference rows, pools of fake names, the day."""

    today: date
    now: str
    territories: dict[str, int]
    organisations: dict[str, int]
    users: dict[str, int]
    months: list[date]
    pools: dict[str, list] = field(default_factory=dict)
    seed_value: int = 2026
    sort_name: bool = False  # the list's sort key column (branch `lists`), filled when the model has it


def build_world(today: date, users: dict, organisations: dict, territories: dict, seed_value: int = 2026) -> World:
    from faker import Faker

    from litigation.demo import _months_back
    from zel.lib.text import normalize

    fake = Faker("fr_FR")
    fake.seed_instance(seed_value)
    pools = {
        "last": [fake.last_name() for _ in range(POOL)],
        "female": [fake.first_name_female() for _ in range(POOL)],
        "male": [fake.first_name_male() for _ in range(POOL)],
        "first": [fake.first_name() for _ in range(POOL)],
        "phone": [fake.phone_number()[:20] for _ in range(POOL)],
        "street": [fake.street_address() for _ in range(POOL)],
        "name": [fake.name() for _ in range(POOL)],
    }
    pools["norm"] = {name: normalize(name) for key in ("last", "female", "male") for name in pools[key]}
    from households.models import Household

    return World(today=today, now=timezone.now().isoformat(), territories=territories, organisations=organisations,
                 users=users, months=_months_back(today, 12), pools=pools, seed_value=seed_value,
                 sort_name=_has_sort_name(Household))


def _has_sort_name(model) -> bool:
    return any(f.name == "sort_name" for f in model._meta.concrete_fields)


def tables() -> dict[str, Table]:
    """The tables a chunk fills, in an order that keeps foreign keys pointing backwards."""
    from households.models import Household, HouseholdMember, Lease, Referral, Resource
    from litigation.models import (
        Dsf,
        EarlyWarning,
        Installment,
        Procedure,
        ProcedureDeadline,
        ProcedureEvent,
        RentAccountLine,
        RepaymentPlan,
    )
    from support.models import (
        BudgetCharge,
        BudgetDebt,
        Diagnosis,
        Intervention,
        PlanGoal,
        PsychologistNote,
        SupportEpisode,
    )

    return {
        "household": Table(Household, ["id", "reference", "track", "territory_id", "organisation_id", "status",
                                       "last_name", "first_name", "birth_year", "phone", "sex", "birth_date",
                                       "target_publics", "housing_at_entry", "search_text"]
                           + (["sort_name"] if _has_sort_name(Household) else [])),
        "member": Table(HouseholdMember, ["id", "household_id", "relation", "first_name", "last_name",
                                          "birth_year", "occupation"]),
        "resource": Table(Resource, ["id", "household_id", "kind", "monthly_amount"]),
        "lease": Table(Lease, ["id", "household_id", "landlord_id", "reference", "address", "postcode", "commune",
                               "typology", "financing", "rent", "service_charges", "housing_benefit", "signed_on"]),
        "referral": Table(Referral, ["id", "household_id", "partner_id", "referrer_name", "referred_on", "reason",
                                     "track"]),
        "assign": Table(Household.assigned_workers.through, ["id", "household_id", "user_id"]),
        "diag": Table(Diagnosis, ["id", "household_id", "done_on", "created_by_id", "kind", "family_situation",
                                  "budget_notes", "rent_debt", "energy_debt", "other_debts", "debts_notes",
                                  "rights_opened", "rights_not_claimed", "housing_type", "housing_place",
                                  "housing_ties", "employment", "goals", "committee_summary", "health",
                                  "target_typology", "target_place", "target_max_rent"]),
        "author": Table(Diagnosis.authors.through, ["id", "diagnosis_id", "user_id"]),
        "episode": Table(SupportEpisode, ["id", "household_id", "opened_on", "closed_on", "opened_by_id",
                                          "intensity", "exit_reason", "housing_at_exit"]),
        "visit": Table(Intervention, ["id", "household_id", "author_id", "occurred_on", "duration_minutes", "mode",
                                      "participants", "themes", "summary", "no_show", "planned"]),
        "goal": Table(PlanGoal, ["id", "household_id", "theme", "title", "owner_id", "due_on", "status",
                                 "created_by_id"]),
        "note": Table(PsychologistNote, ["id", "household_id", "author_id", "occurred_on", "content"]),
        "charge": Table(BudgetCharge, ["id", "household_id", "kind", "monthly_amount"]),
        "debt": Table(BudgetDebt, ["id", "household_id", "kind", "creditor", "amount", "monthly_repayment"]),
        "procedure": Table(Procedure, ["id", "lease_id", "household_id", "landlord_id", "territory_id", "bailiff_id",
                                       "opened_on", "stage", "outcome", "closed_on", "current_debt", "hearing_on",
                                       "next_deadline_on", "next_deadline_code", "eviction_possible_from"]),
        "line": Table(RentAccountLine, ["id", "lease_id", "month", "amount_called", "housing_benefit",
                                        "amount_paid"]),
        "event": Table(ProcedureEvent, ["id", "procedure_id", "type", "occurred_on", "hearing_on", "months",
                                        "debt_amount", "outcome"]),
        "deadline": Table(ProcedureDeadline, ["id", "procedure_id", "code", "due_on", "label", "rule", "source"]),
        "dsf": Table(Dsf, ["id", "procedure_id", "household_id", "hearing_on", "assigned_to_id"]),
        "plan": Table(RepaymentPlan, ["id", "lease_id", "procedure_id", "kind", "total_debt", "starts_on"]),
        "installment": Table(Installment, ["id", "plan_id", "due_on", "amount"]),
        "warning": Table(EarlyWarning, ["id", "lease_id", "household_id", "kind", "detail", "debt", "period_key",
                                        "detected_on"]),
    }


def _d(day: date | None) -> str:
    return NULL if day is None else day.isoformat()


class Chunk:
    """The rows of households [first, first + count) (0-based indexes; ids are index + 1)."""

    def __init__(self, world: World, out: dict[str, Table], number: int, first: int, count: int):
        self.w, self.out, self.first, self.count = world, out, first, count
        self.rng = FastRandom(world.seed_value * 1_000_003 + number)
        self.number = number
        self.maintenance_index = 0  # position among maintenance leases: picks the litigation scenario
        self.instructed = 0 if number == 0 else 3  # the bailiff instructs 3 procedures, in the first chunk
        self.showcase = 0 if number == 0 else 2  # 2 files of the demo worker with a hearing in 12 days

    def run(self) -> None:
        for index in range(self.first, self.first + self.count):
            self.household(index)

    # --- households (households.demo) -----------------------------------------------------------

    def household(self, index: int) -> None:
        from households.demo import ACCESS_SITUATIONS, demo_target_publics

        rng, w, pools = self.rng, self.w, self.w.pools
        hid = index + 1
        dep = rng.choices(list(DEP_WEIGHTS), weights=list(DEP_WEIGHTS.values()))[0]
        female = rng.random() < 0.6
        track = "maintien" if rng.random() < 0.6 else "acces"
        born = date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))
        status = STATUSES[index % len(STATUSES)]
        last = rng.choice(pools["last"])
        first = rng.choice(pools["female"] if female else pools["male"])
        phone = rng.choice(pools["phone"])
        birth_date = born if rng.random() < 0.8 else None
        publics = demo_target_publics(rng, female)
        housing = (("locataire" if track == "maintien" else rng.choice(ACCESS_SITUATIONS))
                   if rng.random() < 0.9 else "")
        reference = f"ZEL-{dep}-{hid:06d}"
        search = f"{reference.lower()} {pools['norm'][last]} {pools['norm'][first]}"[:400]
        # households.models.sort_name_of (branch `lists`): the names without accents or case.
        sort_name = f"\t{esc((pools['norm'][last] + ' ' + pools['norm'][first])[:161])}" if w.sort_name else ""
        self.out["household"].add(
            f"{hid}\t{reference}\t{track}\t{w.territories[dep]}\t{w.organisations['amli']}\t{status}\t"
            f"{esc(last)}\t{esc(first)}\t{born.year}\t{esc(phone)}\t{'F' if female else 'M'}\t{_d(birth_date)}\t"
            f"{json.dumps(publics)}\t{housing}\t{esc(search)}{sort_name}")
        lease = self.related(hid, index, dep, track, last, born.year)
        workers = self.assign(hid, index, dep)
        in_support = self.support(hid, status, track, workers)
        if lease is not None and track == "maintien":
            self.litigation(hid, dep, lease, in_support, workers)
        elif lease is not None and index < 2000:
            self.clean_account(hid, lease)

    def related(self, hid, index, dep, track, last, birth_year):
        from households.demo import COMMUNES, TYPOLOGY_RENT

        rng, w, pools, out = self.rng, self.w, self.w.pools, self.out
        n = 0
        for _child in range(rng.choice([0, 0, 1, 1, 2, 3])):
            out["member"].add(f"{hid * K['member'] + n}\t{hid}\tchild\t{esc(rng.choice(pools['first']))}\t"
                              f"{esc(last)}\t{rng.randint(2008, 2024)}\tScolarisé(e)")
            n += 1
        if rng.random() < 0.35:
            out["member"].add(f"{hid * K['member'] + n}\t{hid}\tspouse\t{esc(rng.choice(pools['first']))}\t"
                              f"{esc(last)}\t{birth_year + rng.randint(-5, 5)}\t")
        resources = rng.choice(RESOURCES)
        for j, (kind, low, high) in enumerate(resources):
            out["resource"].add(f"{hid * K['resource'] + j}\t{hid}\t{kind}\t{rng.randint(low, high)}")
        landlord = "bat" if rng.random() < 0.7 else "pha"
        typology = rng.choice(TYPOLOGIES)
        rent = (TYPOLOGY_RENT[typology] + rng.randint(-40, 60)) * 100 + rng.randint(0, 99)
        postcode, commune = rng.choice(COMMUNES[dep])
        signed = w.today - timedelta(days=rng.randint(200, 4000))
        financing = rng.choice(["PLAI", "PLAI", "PLUS", "PLUS", "PLUS", "PLS"])
        charges = rng.randint(40, 140) * 100
        benefit = rng.choice([0, 0, rng.randint(150, 330)]) * 100
        # households.demo numbers leases per landlord and département; from the id here, so chunks
        # need no shared counter; 7 digits, apart from the 6 of the demo builders (BAT-57-900001).
        reference = f"{landlord.upper()}-{dep}-{hid:07d}"
        out["lease"].add(f"{hid}\t{hid}\t{w.organisations[landlord]}\t{reference}\t{esc(rng.choice(pools['street']))}"
                         f"\t{postcode}\t{esc(commune)}\t{typology}\t{financing}\t{cents(rent)}\t{cents(charges)}\t"
                         f"{cents(benefit)}\t{signed.isoformat()}")
        referred = (signed + timedelta(days=rng.randint(30, 150)) if track == "maintien"
                    else w.today - timedelta(days=rng.randint(30, 900)))
        partner = rng.choice(PARTNERS)
        out["referral"].add(f"{hid}\t{hid}\t{w.organisations[partner]}\t{esc(rng.choice(pools['name']))}\t"
                            f"{referred.isoformat()}\t{rng.choice(REASONS)}\t{track}")
        return Lease(hid, landlord, rent + charges, benefit, signed, reference)

    def assign(self, hid, index, dep) -> list[int]:
        users = self.w.users
        demo = dep == "57" and index % 4 == 0
        worker = users["travailleur"] if demo else users[f"ts-{dep}"]
        workers = [worker]
        if demo and index % 3 == 0:
            workers.append(users["psychologue"])
        for j, user in enumerate(workers):
            self.out["assign"].add(f"{hid * K['assign'] + j}\t{hid}\t{user}")
        return workers

    # --- support (support.demo) -----------------------------------------------------------------

    def support(self, hid, status, track, workers) -> bool:
        """Diagnoses, episode, visits, plan, budget, notes; True if an episode is open."""
        from support.demo import ADMITTED_OR_LATER, DIAGNOSED_OR_LATER

        if status not in DIAGNOSED_OR_LATER:
            return False
        rng, today, out = self.rng, self.w.today, self.out
        worker = workers[0]
        psy = workers[1] if len(workers) > 1 else None
        started = today - timedelta(days=rng.randint(60, 700))
        rent_debt = rng.choice([0, rng.randint(300, 4500)])
        relocation = track == "maintien" and rent_debt > 2000 and rng.random() < 0.4
        dones = [started - timedelta(days=rng.randint(20, 60))]
        if rng.random() < 0.3:
            dones.append(started + timedelta(days=rng.randint(120, 300)))
        for n, done in enumerate(dones):
            if done > today:
                continue
            self.diagnosis(hid, n, done, worker, rent_debt, relocation and n == 1)
        if status not in ADMITTED_OR_LATER:
            return False
        closed = None
        if status == "ended":
            closed = min(today - timedelta(days=rng.randint(5, 60)), started + timedelta(days=rng.randint(200, 500)))
            closed = max(closed, started + timedelta(days=30))
        intensity = rng.choice(["light", "standard", "standard", "intensive"])
        reason = rng.choice(EXIT_REASONS) if closed else ""
        from support.demo import EXIT_HOUSING

        out["episode"].add(f"{hid}\t{hid}\t{started.isoformat()}\t{_d(closed)}\t{worker}\t{intensity}\t{reason}\t"
                           f"{EXIT_HOUSING.get(reason, 'autre') if closed else ''}")
        if status == "admitted":
            return True
        self.visits(hid, worker, started, closed)
        if not closed:
            self.plan(hid, worker)
        if psy:
            for j in range(rng.randint(1, 3)):
                day = min(today, started + timedelta(days=rng.randint(10, 400)))
                out["note"].add(f"{hid * K['note'] + j}\t{hid}\t{psy}\t{day.isoformat()}\t{rng.choice(PSY_NOTES)}")
        return closed is None

    def diagnosis(self, hid, n, done, worker, rent_debt, relocation) -> None:
        rng = self.rng
        pk = hid * K["diag"] + n
        self.out["diag"].add(
            f"{pk}\t{hid}\t{done.isoformat()}\t{worker}\t{'relocation' if relocation else 'standard'}\t"
            f"{rng.choice(FAMILY)}\tRessources irrégulières ; pas de compte épargne.\t{rent_debt}\t"
            f"{rng.choice([0, 0, rng.randint(80, 900)])}\t{rng.choice([0, rng.randint(100, 2500)])}\t"
            f"{rng.choice(DEBTS_NOTES)}\tRSA, APL\t{rng.choice(RIGHTS)}\t"
            f"{rng.choice(['T2', 'T3', 'T4'])}\t{rng.choice(['Metz', 'Thionville', ''])}\t"
            "École des enfants à proximité.\t"
            f"{rng.choice(['Sans emploi', 'Intérim', 'CDI'])}\tGarder le logement et apurer la dette.\t"
            f"{rng.choice(COMMITTEE)}\t{rng.choice(['', 'Suivi médical régulier'])}\t"
            f"{rng.choice(['T2', 'T3']) if relocation else ''}\t{'Metz' if relocation else ''}\t"
            f"{rng.randint(350, 450) if relocation else NULL}")
        self.out["author"].add(f"{pk}\t{pk}\t{worker}")

    def visits(self, hid, worker, started, closed) -> None:
        from support.demo import PARTICIPANTS, SUMMARIES

        rng, today = self.rng, self.w.today
        end = closed or today
        day = end - timedelta(days=rng.randint(1, 12) if rng.random() < 0.85 else rng.randint(31, 60))
        count = 0
        table = self.out["visit"]
        while day >= started and count < 10:
            no_show = rng.random() < 0.1
            themes = rng.sample(THEMES, k=rng.choice([1, 2, 2, 3]))
            duration = NULL if no_show else rng.choice([30, 45, 60, 60, 90])
            mode = rng.choice(MODES)
            participants = "" if no_show else rng.choice(PARTICIPANTS)
            summary = "" if no_show else rng.choice(SUMMARIES)
            table.add(f"{hid * K['visit'] + count}\t{hid}\t{worker}\t{day.isoformat()}\t{duration}\t{mode}\t"
                      f"{participants}\t{'[]' if no_show else json_list(themes)}\t{summary}\t"
                      f"{'t' if no_show else 'f'}\tf")
            day -= timedelta(days=rng.randint(12, 35))
            count += 1
        if not closed:
            planned = today + timedelta(days=rng.randint(0, 6 if worker == self.w.users["travailleur"] else 20))
            table.add(f"{hid * K['visit'] + count}\t{hid}\t{worker}\t{planned.isoformat()}\t{NULL}\thome_visit\t\t"
                      "[]\t\tf\tt")

    def plan(self, hid, worker) -> None:
        from support.demo import CHARGES, CREDITORS, GOALS

        rng, today, out = self.rng, self.w.today, self.out
        for j, theme in enumerate(rng.sample(GOAL_THEMES, k=rng.randint(2, 4))):
            due = today + timedelta(days=rng.randint(-40, 90))
            status = (rng.choice(["todo", "in_progress", "in_progress", "done"]) if due < today
                      else rng.choice(["todo", "in_progress"]))
            owner = worker if rng.random() < 0.8 else NULL
            out["goal"].add(f"{hid * K['goal'] + j}\t{hid}\t{theme}\t{rng.choice(GOALS[theme])}\t{owner}\t"
                            f"{due.isoformat()}\t{status}\t{worker}")
        for j, (kind, low, high) in enumerate(rng.sample(CHARGES, k=4)):
            out["charge"].add(f"{hid * K['charge'] + j}\t{hid}\t{kind}\t{rng.randint(low, high)}")
        for j, (kind, creditor) in enumerate(rng.sample(CREDITORS, k=rng.randint(0, 2))):
            out["debt"].add(f"{hid * K['debt'] + j}\t{hid}\t{kind}\t{creditor}\t{rng.randint(150, 2500)}\t"
                            f"{rng.choice([0, 20, 30, 50])}")

    # --- litigation (litigation.demo) -----------------------------------------------------------

    def rent_lines(self, lease, debt_target: int) -> list[tuple[date, int]]:
        """litigation.demo._rent_lines in cents: (month, paid) for each of the last 12 months."""
        rng = self.rng
        due = lease.called - lease.benefit
        lines, remaining = [], debt_target
        months = self.w.months
        for index, month in enumerate(months):
            left = len(months) - index
            if remaining > 0 and (left <= 6 or rng.random() < 0.3):
                shortfall = min(remaining, due, round(remaining / max(1, min(left, 6))) + 100)
                paid = max(0, due - shortfall)
                remaining -= due - paid
            else:
                paid = due
            lines.append((month, paid))
        table = self.out["line"]
        for j, (month, paid) in enumerate(lines):
            table.add(f"{lease.id * K['line'] + j}\t{lease.id}\t{month.isoformat()}\t{cents(lease.called)}\t"
                      f"{cents(lease.benefit)}\t{cents(paid)}")
        return lines

    def clean_account(self, hid, lease) -> None:
        """The first 2 000 households' other leases: a clean account (one in five 2 months behind)."""
        self.others = getattr(self, "others", 0) + 1
        due = lease.called - lease.benefit
        lines = self.rent_lines(lease, 0 if self.others % 5 else due * 2)
        self.warnings(hid, lease, lines, in_support=False)

    def litigation(self, hid, dep, lease, in_support, workers) -> None:
        from litigation.demo import DEBT_MONTHS, SCENARIOS

        index = self.maintenance_index
        self.maintenance_index += 1
        due = lease.called - lease.benefit
        showcase = (self.showcase < 2 and in_support and workers[0] == self.w.users["travailleur"])
        if index % 3 == 2 and not showcase:
            lines = self.rent_lines(lease, 0 if index % 2 else round(due * 1.2))
            self.warnings(hid, lease, lines, in_support)
            return
        name, steps = SCENARIOS[(index // 3 * 2 + index % 3) % len(SCENARIOS)]
        if showcase:
            self.showcase += 1
            name, steps = SCENARIOS[3]
        debt = round(due * DEBT_MONTHS[name])
        lines = self.rent_lines(lease, debt)
        events = self.procedure(index, hid, dep, lease, name, steps, debt, due, lines, in_support, workers)
        self.warnings(hid, lease, lines, in_support, events)

    def procedure(self, index, hid, dep, lease, name, steps, debt, due, lines, in_support, workers):
        from litigation.models import EventType as E
        from litigation.models import outcome_for, stage_for

        rng, today = self.rng, self.w.today
        events = []
        jitters = tuple(rng.randint(0, 3) for _step in steps)
        for (event_type, days_ago, extra), jitter in zip(steps, jitters, strict=True):
            occurred = today - timedelta(days=days_ago + jitter)
            hearing = today + timedelta(days=extra["hearing"]) if "hearing" in extra else None
            if hearing is not None and hearing <= occurred:
                hearing = occurred + timedelta(days=60)
            events.append((event_type, occurred, hearing, extra.get("months"), extra.get("outcome", "")))
        events.sort(key=lambda e: e[1])
        computed = deadlines_for(name, jitters, dep, lease.signed_on, events, today)
        if computed is None:
            return []
        rows, upcoming, eviction_possible_from = computed
        stage = stage_for([e[0] for e in events])
        if stage == "closed":
            upcoming = None
        hearings = [e[2] for e in events if e[2]]
        hearing_on = hearings[-1] if hearings else None
        bailiff = NULL
        if (self.instructed < 3 and lease.landlord == "bat" and dep == "57"
                and name in ("commandement", "assignation", "assignation-late")):
            self.instructed += 1
            bailiff = self.w.users["huissier"]
        balance = 0
        for _month, paid in lines:
            balance += lease.called - lease.benefit - paid
        out, pk = self.out, hid
        out["procedure"].add(
            f"{pk}\t{lease.id}\t{hid}\t{self.w.organisations[lease.landlord]}\t{self.w.territories[dep]}\t{bailiff}\t"
            f"{events[0][1].isoformat()}\t{stage}\t{outcome_for([(e[0], e[4]) for e in events])}\t"
            f"{events[-1][1].isoformat() if stage == 'closed' else NULL}\t{cents(max(0, balance))}\t{_d(hearing_on)}\t"
            f"{_d(upcoming[0] if upcoming else None)}\t{upcoming[1] if upcoming else ''}\t"
            f"{_d(eviction_possible_from)}")
        for j, (t, occurred, hearing, months, outcome) in enumerate(events):
            out["event"].add(f"{pk * K['event'] + j}\t{pk}\t{t}\t{occurred.isoformat()}\t{_d(hearing)}\t"
                             f"{NULL if months is None else months}\t{cents(0 if t == E.DETTE_SOLDEE else debt)}\t"
                             f"{outcome}")
        signed = _fr(lease.signed_on)
        for j, row in enumerate(rows):
            out["deadline"].add(f"{pk * K['deadline'] + j}\t{pk}\t{row.replace(LEASE_DATE, signed)}")
        if hearing_on and hearing_on >= today and in_support:
            out["dsf"].add(f"{pk}\t{pk}\t{hid}\t{hearing_on.isoformat()}\t{workers[0]}")
        if name in ("jugement", "protocole", "plan-tenu") or (name == "commandement" and index % 2):
            self.repayment_plan(pk, lease, name, max(debt, due))
        if stage == "closed":
            return []
        return [(pk * K["event"] + j, e[0], e[1], max(0, balance)) for j, e in enumerate(events)]

    def repayment_plan(self, pk, lease, name, total: int) -> None:
        kind = {"jugement": "delais_judge", "protocole": "protocol"}.get(name, "plan_apurement")
        kind = PLAN_KINDS.get(kind, kind)
        starts_on = self.w.months[-6].replace(day=5)
        self.out["plan"].add(f"{pk}\t{lease.id}\t{pk}\t{kind}\t{cents(total)}\t{starts_on.isoformat()}")
        base = int((Decimal(total) / 12).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        for j, due_on in enumerate(installment_dates(starts_on)):
            amount = base if j < 11 else total - base * 11
            self.out["installment"].add(f"{pk * K['installment'] + j}\t{pk}\t{due_on.isoformat()}\t{cents(amount)}")

    def warnings(self, hid, lease, lines, in_support, events=()) -> None:
        """litigation.services.early_warnings_detect on the lines just made (households not in
        support): constituted arrears this month, a second month of growth, a step of the last month."""
        if in_support:
            return
        from litigation.models import STAGE_OF_EVENT, EventType
        from zel.lib.formats import format_eur, format_month

        net = lease.called - lease.benefit
        debts, balance = [], 0
        for _month, paid in lines:
            balance += net - paid
            debts.append(max(0, balance))
        last_month = lines[-1][0]
        key = last_month.strftime("%Y-%m")
        table, j = self.out["warning"], 0
        before = debts[-2] if len(debts) > 1 else 0
        if net > 0 and debts[-1] >= 2 * net and not before >= 2 * net:
            detail = _("Dette de %(debt)s fin %(month)s.") % {"debt": format_eur(Decimal(debts[-1]) / 100),
                                                              "month": format_month(last_month)}
            table.add(f"{hid * K['warning'] + j}\t{lease.id}\t{hid}\tthreshold\t{esc(detail)}\t{cents(debts[-1])}\t"
                      f"{key}\t{self.w.today.isoformat()}")
            j += 1
        if len(debts) >= 3 and debts[-3] < debts[-2] < debts[-1]:
            detail = _("Dette passée de %(a)s à %(b)s.") % {"a": format_eur(Decimal(debts[-3]) / 100),
                                                             "b": format_eur(Decimal(debts[-1]) / 100)}
            table.add(f"{hid * K['warning'] + j}\t{lease.id}\t{hid}\tgrowing\t{esc(detail)}\t{cents(debts[-1])}\t"
                      f"{key}\t{self.w.today.isoformat()}")
            j += 1
        since = self.w.today - timedelta(days=31)
        for event_id, t, occurred, debt in events:
            if occurred >= since and t in STAGE_OF_EVENT and t != EventType.AUDIENCE_RENVOYEE and j < K["warning"]:
                # The job keys a step by its event's id and records the procedure's debt.
                detail = str(EventType(t).label) + f" du {occurred:%d/%m/%Y}"
                table.add(f"{hid * K['warning'] + j}\t{lease.id}\t{hid}\tnew_step\t{esc(detail)}\t"
                          f"{cents(debt)}\tevent-{event_id}\t{self.w.today.isoformat()}")
                j += 1


def json_list(values: list[str]) -> str:
    """json.dumps of a list of plain codes, without the encoder's cost."""
    return '["' + '", "'.join(values) + '"]'


class FastRandom(random.Random):
    """choice() and randint() from one random() each: a third of the time of the library's."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randint(self, a, b):
        return a + int(self.random() * (b - a + 1))


LEASE_DATE = "\x00"  # where the lease's date goes in a cached deadline's text
_DEADLINES: dict[tuple, tuple | None] = {}
CACHE_MAX = 20_000


def _fr(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def deadlines_for(name, jitters, dep, lease_date, events, today):
    """The deadline engine's answer for a scenario (13 of them), its jitters and département: the
    lease's date only picks the law's version and appears in the text, so one answer per version is
    computed and the date is written in afterwards. Returns (COPY rows, (next date, code), eviction)."""
    from litigation import deadlines
    from litigation.deadlines.rules import LAW_2023_IN_FORCE
    from litigation.models import EventType as E

    recent = lease_date >= LAW_2023_IN_FORCE
    key = (name, jitters, dep, recent)
    if key in _DEADLINES:
        return _DEADLINES[key]
    sample = date(2023, 8, 2) if recent else date(2001, 1, 3)  # dates no rule text holds
    try:
        result = deadlines.compute(
            [deadlines.Event(type=t, date=occurred, hearing=hearing,
                             payment_delay_months=months if t == E.JUGEMENT else None,
                             months=months if t in (E.DELAIS_JEX, E.PROTOCOLE) else None)
             for t, occurred, hearing, months, _outcome in events],
            departement=dep, lease_date=sample,
            truce_start=settings.ZEL_TRUCE_START, truce_end=settings.ZEL_TRUCE_END)
    except deadlines.DeadlineInputError:
        answer = None
    else:
        marker = _fr(sample)
        rows = [f"{d.code}\t{d.date.isoformat()}\t{esc(d.label)}\t{esc(d.rule)}\t{esc(d.source)}"
                .replace(marker, LEASE_DATE) for d in result.deadlines]
        upcoming = deadlines.next_deadline(result, today)
        answer = (rows, (upcoming.date, upcoming.code) if upcoming else None, result.eviction_possible_from)
    # Bounded memory: a long scenario's 4^n jitters rarely repeat, so it is not kept.
    if len(jitters) <= 5:
        if len(_DEADLINES) >= CACHE_MAX:
            _DEADLINES.clear()
        _DEADLINES[key] = answer
    return answer


@dataclass(frozen=True)
class Lease:
    id: int
    landlord: str
    called: int  # rent + charges, cents
    benefit: int
    signed_on: date
    reference: str


_DATES: dict[date, list[date]] = {}


def installment_dates(starts_on: date) -> list[date]:
    from litigation.deadlines import add_months

    if starts_on not in _DATES:
        _DATES[starts_on] = [add_months(starts_on, i) for i in range(12)]
    return _DATES[starts_on]


RESOURCES = [[("rsa", 560, 640)], [("salary", 1100, 1700)], [("aah", 900, 1016)], [("pension", 800, 1300)],
             [("unemployment", 700, 1200), ("family", 140, 300)],
             [("salary", 1300, 1900), ("prime_activite", 80, 250)]]
TYPOLOGIES = ["T1", "T2", "T3", "T4", "T5", "T6"]
PARTNERS = ["siao-57", "ddets-57", "bat", "pha", "cd-57", "caf-57"]
REASONS = ["Dette locative de plusieurs mois", "Sortie de CHRS", "Assignation reçue", "Commandement de payer",
           "Ménage prioritaire DALO"]
EXIT_REASONS = ["stable_tenant", "stable_tenant", "stable_tenant", "rehoused", "cheaper_dwelling",
                "left_programme", "evicted", "other"]
FAMILY = ["Personne isolée.", "Mère isolée avec deux enfants.", "Couple avec trois enfants, dont un en bas âge."]
RIGHTS = ["", "Prime d'activité", "CSS"]
DEBTS_NOTES = ["EDF, Orange", "Crédit à la consommation", "Aucun autre créancier"]
COMMITTEE = ["Dette née d'une perte d'emploi ; loyer courant repris depuis deux mois.",
             "Ménage mobilisé, dossier FSL en cours ; dette en baisse.",
             "Sortie de CHRS, ressources stables, besoin d'un T3 proche de l'école."]
PSY_NOTES = ["Anxiété importante liée à la procédure ; prochain entretien dans un mois.",
             "Entretien de soutien ; Madame exprime un épuisement.", "Orientation vers le CMP proposée et acceptée."]
MODES = ["home_visit"] * 5 + ["office", "phone", "phone", "accompaniment", "video"]
THEMES: list[str] = []
GOAL_THEMES: list[str] = []
PLAN_KINDS: dict[str, str] = {}


def load_choices() -> None:
    """Values of the apps' choices (after django.setup())."""
    from litigation.models import RepaymentPlan
    from support.demo import GOALS
    from support.models import Theme

    THEMES[:] = list(Theme.values)
    GOAL_THEMES[:] = [str(theme) for theme in GOALS]
    PLAN_KINDS.update({"delais_judge": RepaymentPlan.Kind.JUDGE_DELAYS.value,
                       "protocol": RepaymentPlan.Kind.PROTOCOL.value,
                       "plan_apurement": RepaymentPlan.Kind.PLAN_APUREMENT.value})
