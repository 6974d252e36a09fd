"""Demo data of the support app: diagnoses, episodes, plans, visits, psychologist notes, budgets.

Bulk inserts by batches, so that `seed_demo --households 100000` stays practical. The demo user
`travailleur` gets a living caseload: overdue goals, no-shows, visits planned this week.
"""

from datetime import timedelta
from decimal import Decimal

from households.models import Household

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

BATCH = 2000
ADMITTED_OR_LATER = {"admitted", "supported", "ended"}
DIAGNOSED_OR_LATER = ADMITTED_OR_LATER | {"diagnosed", "presented", "adjourned", "refused"}

GOALS = {
    Theme.BUDGET: ["Établir un budget mensuel avec le ménage", "Mettre en place un prélèvement du loyer"],
    Theme.RIGHTS: ["Ouvrir les droits à la prime d'activité", "Déposer le dossier FSL maintien"],
    Theme.ADMINISTRATIVE: ["Mettre à jour la déclaration CAF", "Renouveler le titre de séjour"],
    Theme.ENERGY_CREDITORS: ["Négocier un échéancier avec le fournisseur d'énergie",
                             "Saisir la commission de surendettement"],
    Theme.SAVOIR_HABITER: ["Rencontrer le gardien pour l'entretien du logement"],
    Theme.ENERGY_KIT: ["Installer le kit énergie (ampoules, mousseurs)"],
    Theme.HEALTH: ["Prendre rendez-vous avec le médecin traitant"],
    Theme.EMPLOYMENT: ["Inscription à France Travail", "Rencontrer la mission locale"],
}
SUMMARIES = [
    "Point budget : loyer courant réglé ce mois-ci, reste 120 € de dette sur l'échéancier.",
    "Accompagnement à la CAF pour la mise à jour des ressources ; dossier complet.",
    "Visite du logement, humidité dans la chambre ; signalement au bailleur à faire.",
    "Appel au fournisseur d'énergie : échéancier accepté, 35 € par mois.",
    "Le ménage a reçu un courrier du commissaire de justice, explications données sur la procédure.",
    "Installation du kit énergie et conseils sur le chauffage.",
    "Préparation du dossier FSL avec Madame ; pièces manquantes listées.",
]
PARTICIPANTS = ["Madame", "Monsieur", "Madame et Monsieur", "Madame et sa fille aînée", "Monsieur, le gardien"]
CHARGES = [("energy", 60, 140), ("water", 15, 40), ("insurance", 10, 25), ("telecom", 20, 50),
           ("transport", 0, 60), ("food", 250, 500), ("health", 0, 45)]
CREDITORS = [("energy", "EDF"), ("energy", "Engie"), ("telecom", "Orange"), ("credit", "Cofidis"),
             ("tax", "Trésor public"), ("water", "Eau de Metz")]


# The housing situation at exit that goes with each exit reason (issue 16).
EXIT_HOUSING = {"stable_tenant": "locataire", "rehoused": "locataire", "cheaper_dwelling": "locataire",
                "left_programme": "tiers", "evicted": "hebergement", "other": "autre"}


def seed(ctx) -> None:
    through = Household.assigned_workers.through
    psychologist_ids = set(ctx.users["psychologue"].__class__.objects.filter(roles__code="psychologist")
                           .values_list("pk", flat=True))
    for start in range(0, len(ctx.household_ids), BATCH):
        ids = ctx.household_ids[start:start + BATCH]
        rows = list(Household.objects.filter(pk__in=ids).values_list("pk", "status", "track"))
        workers: dict[int, list[int]] = {}
        for household_id, user_id in through.objects.filter(household_id__in=ids).values_list("household_id",
                                                                                              "user_id"):
            workers.setdefault(household_id, []).append(user_id)
        _seed_batch(ctx, rows, workers, psychologist_ids)
    if ctx.stdout:
        ctx.stdout.write("  accompagnement : diagnostics, plans, visites")


def _seed_batch(ctx, rows, workers, psychologist_ids) -> None:
    rng, today = ctx.rng, ctx.today
    demo_worker = ctx.users["travailleur"].pk
    diagnoses, episodes, goals, visits, notes, charges, debts, authors = [], [], [], [], [], [], [], []
    for household_id, status, track in rows:
        care = workers.get(household_id, [])
        social = [u for u in care if u not in psychologist_ids] or care
        if not social or status not in DIAGNOSED_OR_LATER:
            continue
        worker = social[0]
        psy = next((u for u in care if u in psychologist_ids), None)
        started = today - timedelta(days=rng.randint(60, 700))
        rent_debt = Decimal(rng.choice([0, rng.randint(300, 4500)]))
        relocation = track == "maintien" and rent_debt > 2000 and rng.random() < 0.4
        for n, done in enumerate([started - timedelta(days=rng.randint(20, 60))]
                                 + ([started + timedelta(days=rng.randint(120, 300))] if rng.random() < 0.3 else [])):
            if done > today:
                continue
            diagnoses.append((worker, Diagnosis(
                household_id=household_id, done_on=done, created_by_id=worker,
                kind=Diagnosis.Kind.RELOCATION if relocation and n == 1 else Diagnosis.Kind.STANDARD,
                family_situation=rng.choice(["Personne isolée.", "Mère isolée avec deux enfants.",
                                             "Couple avec trois enfants, dont un en bas âge."]),
                budget_notes="Ressources irrégulières ; pas de compte épargne.",
                rent_debt=rent_debt, energy_debt=Decimal(rng.choice([0, 0, rng.randint(80, 900)])),
                other_debts=Decimal(rng.choice([0, rng.randint(100, 2500)])),
                debts_notes=rng.choice(["EDF, Orange", "Crédit à la consommation", "Aucun autre créancier"]),
                rights_opened="RSA, APL", rights_not_claimed=rng.choice(["", "Prime d'activité", "CSS"]),
                housing_type=rng.choice(["T2", "T3", "T4"]), housing_place=rng.choice(["Metz", "Thionville", ""]),
                housing_ties="École des enfants à proximité.", employment=rng.choice(["Sans emploi", "Intérim", "CDI"]),
                goals="Garder le logement et apurer la dette.",
                committee_summary=rng.choice([
                    "Dette née d'une perte d'emploi ; loyer courant repris depuis deux mois.",
                    "Ménage mobilisé, dossier FSL en cours ; dette en baisse.",
                    "Sortie de CHRS, ressources stables, besoin d'un T3 proche de l'école."]),
                health=rng.choice(["", "Suivi médical régulier"]),
                target_typology=rng.choice(["T2", "T3"]) if relocation and n == 1 else "",
                target_place="Metz" if relocation and n == 1 else "",
                target_max_rent=Decimal(rng.randint(350, 450)) if relocation and n == 1 else None)))
        if status not in ADMITTED_OR_LATER:
            continue
        closed = None
        if status == "ended":
            closed = min(today - timedelta(days=rng.randint(5, 60)), started + timedelta(days=rng.randint(200, 500)))
            closed = max(closed, started + timedelta(days=30))
        episodes.append(SupportEpisode(
            household_id=household_id, opened_on=started, closed_on=closed, opened_by_id=worker,
            intensity=rng.choice(["light", "standard", "standard", "intensive"]),
            exit_reason=(reason := rng.choice(["stable_tenant", "stable_tenant", "stable_tenant", "rehoused",
                                               "cheaper_dwelling", "left_programme", "evicted", "other"])
                         if closed else ""),
            housing_at_exit=EXIT_HOUSING.get(reason, "autre") if closed else ""))
        if status == "admitted":
            continue
        end = closed or today
        # A visit about every three weeks, counted back from the end so an active household was seen
        # recently (a few were not: they show on the "no contact in 30 days" list).
        day = end - timedelta(days=rng.randint(1, 12) if rng.random() < 0.85 else rng.randint(31, 60))
        count = 0
        while day >= started and count < 10:
            no_show = rng.random() < 0.1
            themes = rng.sample(Theme.values, k=rng.choice([1, 2, 2, 3]))
            visits.append(Intervention(
                household_id=household_id, author_id=worker, occurred_on=day,
                duration_minutes=None if no_show else rng.choice([30, 45, 60, 60, 90]),
                mode=rng.choice(["home_visit"] * 5 + ["office", "phone", "phone", "accompaniment", "video"]),
                participants="" if no_show else rng.choice(PARTICIPANTS), themes=[] if no_show else themes,
                summary="" if no_show else rng.choice(SUMMARIES), no_show=no_show))
            day -= timedelta(days=rng.randint(12, 35))
            count += 1
        if not closed:
            planned_on = today + timedelta(days=rng.randint(0, 6 if worker == demo_worker else 20))
            visits.append(Intervention(household_id=household_id, author_id=worker, occurred_on=planned_on,
                                       mode="home_visit", planned=True, themes=[]))
            for theme in rng.sample(list(GOALS), k=rng.randint(2, 4)):
                due = today + timedelta(days=rng.randint(-40, 90))
                goal_status = rng.choice(["todo", "in_progress", "in_progress", "done"]) if due < today \
                    else rng.choice(["todo", "in_progress"])
                goals.append(PlanGoal(household_id=household_id, theme=theme, title=rng.choice(GOALS[theme]),
                                      owner_id=worker if rng.random() < 0.8 else None, due_on=due,
                                      status=goal_status, created_by_id=worker))
            for kind, low, high in rng.sample(CHARGES, k=4):
                charges.append(BudgetCharge(household_id=household_id, kind=kind,
                                            monthly_amount=Decimal(rng.randint(low, high))))
            for kind, creditor in rng.sample(CREDITORS, k=rng.randint(0, 2)):
                debts.append(BudgetDebt(household_id=household_id, kind=kind, creditor=creditor,
                                        amount=Decimal(rng.randint(150, 2500)),
                                        monthly_repayment=Decimal(rng.choice([0, 20, 30, 50]))))
        if psy:
            for _ in range(rng.randint(1, 3)):
                notes.append(PsychologistNote(
                    household_id=household_id, author_id=psy,
                    occurred_on=min(today, started + timedelta(days=rng.randint(10, 400))),
                    content=rng.choice(["Anxiété importante liée à la procédure ; prochain entretien dans un mois.",
                                        "Entretien de soutien ; Madame exprime un épuisement.",
                                        "Orientation vers le CMP proposée et acceptée."])))
    created = Diagnosis.objects.bulk_create([d for _, d in diagnoses], batch_size=BATCH)
    if created and created[0].pk is not None:
        authors = [Diagnosis.authors.through(diagnosis_id=d.pk, user_id=worker)
                   for (worker, _), d in zip(diagnoses, created, strict=True)]
        Diagnosis.authors.through.objects.bulk_create(authors, batch_size=BATCH)
    for model, objs in ((SupportEpisode, episodes), (Intervention, visits), (PlanGoal, goals),
                        (PsychologistNote, notes), (BudgetCharge, charges), (BudgetDebt, debts)):
        model.objects.bulk_create(objs, batch_size=BATCH)
