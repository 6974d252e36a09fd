"""RGPD hooks of the support, COPIL and litigation apps, through the households' retention job,
erasure on request and subject-access export (households.retention, zel.retention)."""

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from copil.models import AgendaItem, Decision, DecisionLever, Opinion, RequestedLever
from households import retention as household_retention
from households.models import Household
from litigation import retention as litigation_retention
from litigation import services as litigation_services
from litigation.models import Dsf, Installment, Procedure, ProcedureEvent, RentAccountLine, RepaymentPlan
from support.models import (
    BudgetCharge,
    BudgetDebt,
    Diagnosis,
    Intervention,
    InterventionAddendum,
    PlanGoal,
    PsychologistNote,
    SupportEpisode,
)
from tests.copil.factories import AgendaItemFactory, RequestedLeverFactory, SessionFactory
from tests.factories import HouseholdFactory, LeaseFactory, MemberFactory, ResourceFactory, walk_to
from tests.litigation.factories import ProcedureFactory, RentLineFactory
from tests.support.factories import (
    ChargeFactory,
    DebtFactory,
    DiagnosisFactory,
    EpisodeFactory,
    InterventionFactory,
    PlanGoalFactory,
    PsychologistNoteFactory,
)
from zel import retention

pytestmark = pytest.mark.django_db

# Free texts written about the household: none may survive an anonymisation, in any row.
SECRETS = {
    "diagnosis": ("Mère isolée depuis le départ de M. Anquetil", "Prêt familial de sa sœur Lucie",
                  "Diabète de type 2", "Dépression suivie au CMP", "Alcool, sevrage en 2023",
                  "Synthèse COPIL : perte d'emploi chez Arcelor", "Près de l'école Jules Ferry"),
    "first_draft": ("Brouillon : situation très tendue chez les Anquetil",),
    "visit": ("Frigo vide, enfants chez la grand-mère", "Paul Anquetil et sa voisine Mme Roux"),
    "addendum": ("Complément : Paul a rappelé en pleurs",),
    "goal": ("Dossier FSL avec Mme Roux",),
    "psy": ("CONFIDENTIEL-PSY idées noires évoquées",),
    "budget": ("Crédit Cetelem de Paul", "Prêt de M. Roux"),
    "copil": ("Avis : monsieur Anquetil est de bonne foi", "Manque l'avis d'imposition 2023 de Paul",
              "Précision : dette EDF de Paul", "Levier accordé pour Paul Anquetil",
              "Rectification : erreur de montant au nom d'Anquetil"),
    "litigation": ("Commandement remis à Paul Anquetil en personne", "Dette soldée grâce à la sœur Lucie",
                   "DSF : Paul travaille de nuit", "DSF : souhaite rester près de sa mère"),
}
ALL_SECRETS = [s for group in SECRETS.values() for s in group] + ["Anquetil", "Inès", "Cetelem"]


def _blob(queryset) -> str:
    """Every value of the rows, lower-cased (a DSF holds the name as "ANCIEN Paul")."""
    return " ".join(str(v) for row in queryset.values() for v in row.values()).lower()


def _when(years_ago: float):
    return timezone.now() - relativedelta(days=int(years_ago * 365.25))


def _age(household: Household, years_ago: float) -> None:
    Household.objects.filter(pk=household.pk).update(updated_at=_when(years_ago))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def full_file(orgs, personas, chair=None, *, last_name="Anquetil"):
    """A household with data in every app: support (closed episode), COPIL (admitted with levers),
    litigation (a closed procedure with a served act, rent account, plan and validated DSF)."""
    household = HouseholdFactory(organisation=orgs.amli, last_name=last_name, first_name="Paul",
                                 workers=[personas.worker])
    MemberFactory(household=household, first_name="Inès", birth_year=2012)
    ResourceFactory(household=household, monthly_amount=Decimal("980.00"))
    lease = LeaseFactory(household=household, landlord=orgs.landlord_x)
    s = SECRETS

    # --- support
    diagnosis = DiagnosisFactory(household=household, family_situation=s["first_draft"][0])
    diagnosis.authors.add(personas.worker)
    diagnosis.family_situation = s["diagnosis"][0]  # a second history row: the first draft must go too
    diagnosis.debts_notes, diagnosis.health = s["diagnosis"][1], s["diagnosis"][2]
    diagnosis.mental_health, diagnosis.addictions = s["diagnosis"][3], s["diagnosis"][4]
    diagnosis.committee_summary, diagnosis.housing_ties = s["diagnosis"][5], s["diagnosis"][6]
    diagnosis.save()
    EpisodeFactory(household=household, opened_on=date(2021, 9, 1), closed_on=date(2022, 10, 3),
                   exit_reason=SupportEpisode.ExitReason.STABLE_TENANT)
    visit = InterventionFactory(household=household, author=personas.worker, occurred_on=date(2022, 3, 4),
                                summary=s["visit"][0], participants=s["visit"][1], duration_minutes=50)
    InterventionAddendum.objects.create(intervention=visit, author=personas.worker, content=s["addendum"][0])
    PlanGoalFactory(household=household, title=s["goal"][0], theme="rights", status=PlanGoal.Status.DONE)
    PsychologistNoteFactory(household=household, author=personas.psychologist, content=s["psy"][0],
                            occurred_on=date(2022, 2, 1))
    ChargeFactory(household=household, label=s["budget"][0], monthly_amount=Decimal("95.00"))
    DebtFactory(household=household, creditor=s["budget"][1], amount=Decimal("600.00"))

    # --- COPIL
    item = AgendaItemFactory(session=SessionFactory(chair=chair or personas.copil_a, members=[personas.copil_a],
                                                    held_on=date(2021, 8, 26)),
                             household=household, expected_rent=Decimal("420.00"))
    RequestedLeverFactory(item=item, amount=Decimal("1840.00"), note=s["copil"][2])
    Opinion.objects.create(item=item, member=personas.copil_a, value=Opinion.Value.FAVOURABLE, comment=s["copil"][0])
    adjourned = Decision.objects.create(item=item, outcome=Decision.Outcome.ADJOURNED, missing=s["copil"][1],
                                        recorded_by=personas.copil_a)
    admitted = Decision.objects.create(item=item, outcome=Decision.Outcome.ADMITTED, corrects=adjourned,
                                       correction_reason=s["copil"][4], recorded_by=personas.copil_a)
    DecisionLever.objects.create(decision=admitted, kind="fsl_maintenance", amount=Decimal("1500.00"),
                                 note=s["copil"][3])

    # --- litigation
    RentLineFactory(lease=lease, month=date(2022, 1, 1))
    procedure = ProcedureFactory(lease=lease, opened_on=date(2022, 1, 5))
    litigation_services.event_record(
        procedure=procedure, by=personas.litigation_x, type="commandement_de_payer", occurred_on=date(2022, 1, 10),
        debt_amount=Decimal("1840.00"), note=s["litigation"][0],
        document=SimpleUploadedFile("commandement-Anquetil.pdf", b"%PDF-1.4 Anquetil"))
    dsf = Dsf.objects.create(procedure=procedure, household=household, hearing_on=date(2022, 5, 3))
    litigation_services.dsf_save(dsf=dsf, by=personas.worker, validate=True,
                                 data={"situation": s["litigation"][2], "wishes": s["litigation"][3]})
    dsf.refresh_from_db()
    dsf.pdf.save("dsf.pdf", ContentFile(b"%PDF-1.4 DSF Anquetil"))
    plan = litigation_services.plan_create(lease=lease, by=personas.litigation_x, kind="plan_apurement",
                                           total_debt=Decimal("1200.00"), starts_on=date(2022, 6, 1), months=12,
                                           procedure=procedure)
    litigation_services.event_record(procedure=procedure, by=personas.litigation_x, type="cloture",
                                     occurred_on=date(2022, 9, 1), outcome="dette_soldee", note=s["litigation"][1])

    walk_to(household, Household.Status.ENDED)
    _age(household, 3)
    return SimpleNamespace(household=household, lease=lease, diagnosis=diagnosis, visit=visit, item=item,
                           procedure=procedure, dsf=Dsf.objects.get(pk=dsf.pk), plan=plan)


def open_procedure_file(orgs, personas, *, last_name="Procédure"):
    household = HouseholdFactory(organisation=orgs.amli, last_name=last_name, first_name="Marc")
    lease = LeaseFactory(household=household, landlord=orgs.landlord_x)
    procedure = ProcedureFactory(lease=lease, opened_on=date(2022, 1, 5))
    litigation_services.event_record(procedure=procedure, by=personas.litigation_x, type="commandement_de_payer",
                                     occurred_on=date(2022, 1, 10), debt_amount=Decimal("2100.00"),
                                     note="Marc absent, acte déposé en étude")
    walk_to(household, Household.Status.ENDED)
    _age(household, 3)
    return household


def app_rows(household: Household) -> dict:
    """Every live and history row of the three apps about this household."""
    hid = household.pk
    items = AgendaItem.objects.filter(household_id=hid).values("pk")
    procedures = Procedure.objects.filter(household_id=hid).values("pk")
    visits = Intervention.objects.filter(household_id=hid).values("pk")
    rows = {}
    for model in (Diagnosis, Intervention, PlanGoal, PsychologistNote, BudgetCharge, BudgetDebt):
        rows[model.__name__] = model.objects.filter(household_id=hid)
        rows[f"{model.__name__} (historique)"] = model.history.filter(household_id=hid)
    for model in (Opinion, Decision, RequestedLever):
        rows[model.__name__] = model.objects.filter(item_id__in=items)
        rows[f"{model.__name__} (historique)"] = model.history.filter(item_id__in=items)
    rows["DecisionLever"] = DecisionLever.objects.filter(decision__item_id__in=items)
    rows["InterventionAddendum"] = InterventionAddendum.objects.filter(intervention_id__in=visits)
    rows["InterventionAddendum (historique)"] = InterventionAddendum.history.filter(intervention_id__in=visits)
    rows["ProcedureEvent"] = ProcedureEvent.objects.filter(procedure_id__in=procedures)
    rows["ProcedureEvent (historique)"] = ProcedureEvent.history.filter(procedure_id__in=procedures)
    rows["Dsf"] = Dsf.objects.filter(household_id=hid)
    rows["Dsf (historique)"] = Dsf.history.filter(household_id=hid)
    return rows


# --- retention job ------------------------------------------------------------------------------

def test_retention_blanks_every_app_free_text_and_keeps_the_figures(orgs, personas, media,
                                                                    django_capture_on_commit_callbacks):
    case = full_file(orgs, personas)
    event = case.procedure.events.get(type="commandement_de_payer")
    act, dsf_pdf = Path(media, event.document.name), Path(media, case.dsf.pdf.name)
    assert act.exists() and dsf_pdf.exists()
    rows = app_rows(case.household)
    before = {name: _blob(qs) for name, qs in rows.items()}
    # The fixture did put the texts everywhere, history included (else the test below proves nothing).
    assert "brouillon" in before["Diagnosis (historique)"] and "diabète" in before["Diagnosis (historique)"]
    assert "frigo vide" in before["Intervention (historique)"] and "pleurs" in before["InterventionAddendum"]
    assert "bonne foi" in before["Opinion (historique)"] and "avis d'imposition" in before["Decision (historique)"]
    assert "remis à paul" in before["ProcedureEvent (historique)"] and "travaille de nuit" in before["Dsf"]
    assert "anquetil" in before["Dsf"] and "roux" in before["Dsf"]  # the frozen prefill names them (and a creditor)

    with django_capture_on_commit_callbacks(execute=True):
        result = household_retention.apply_retention()

    assert result.anonymised == [case.household.pk] and result.held == {}
    for name, qs in app_rows(case.household).items():
        assert qs.exists(), name
        blob = _blob(qs)
        for secret in ALL_SECRETS:
            assert secret.lower() not in blob, (name, secret)
    # The served act and the DSF PDF are gone from storage, and no row points to them.
    assert not act.exists() and not dsf_pdf.exists()
    assert not ProcedureEvent.history.exclude(document="").filter(procedure_id=case.procedure.pk).exists()

    # What the reports count stays: support ...
    diagnosis = Diagnosis.objects.get(pk=case.diagnosis.pk)
    assert (diagnosis.rent_debt, diagnosis.energy_debt, diagnosis.done_on) == (
        Decimal("1840.00"), Decimal("320.50"), date(2025, 3, 10))
    episode = SupportEpisode.objects.get(household=case.household)
    assert (episode.opened_on, episode.closed_on, episode.exit_reason) == (
        date(2021, 9, 1), date(2022, 10, 3), "stable_tenant")
    visit = Intervention.objects.get(pk=case.visit.pk)
    assert (visit.occurred_on, visit.duration_minutes, visit.themes, visit.mode) == (
        date(2022, 3, 4), 50, ["budget", "rights"], "home_visit")
    goal = PlanGoal.objects.get(household=case.household)
    assert (goal.theme, goal.status) == ("rights", "done")
    assert BudgetCharge.objects.get(household=case.household).monthly_amount == Decimal("95.00")
    debt = BudgetDebt.objects.get(household=case.household)
    assert (debt.kind, debt.amount, debt.monthly_repayment) == ("energy", Decimal("600.00"), Decimal("50.00"))
    assert PsychologistNote.objects.get(household=case.household).occurred_on == date(2022, 2, 1)
    # ... COPIL ...
    decisions = list(Decision.objects.filter(item=case.item).order_by("pk").values_list("outcome", flat=True))
    assert decisions == ["adjourned", "admitted"]
    assert list(DecisionLever.objects.filter(decision__item=case.item).values_list("kind", "amount")) == [
        ("fsl_maintenance", Decimal("1500.00"))]
    assert RequestedLever.objects.get(item=case.item).amount == Decimal("1840.00")
    assert Opinion.objects.get(item=case.item).value == "favourable"
    assert AgendaItem.objects.get(pk=case.item.pk).expected_rent == Decimal("420.00")
    # ... litigation.
    procedure = Procedure.objects.get(pk=case.procedure.pk)
    assert (procedure.stage, procedure.outcome, procedure.closed_on) == ("closed", "dette_soldee", date(2022, 9, 1))
    assert list(procedure.events.values_list("type", "occurred_on", "debt_amount")) == [
        ("commandement_de_payer", date(2022, 1, 10), Decimal("1840.00")),
        ("cloture", date(2022, 9, 1), None)]
    assert RentAccountLine.objects.get(lease=case.lease).amount_paid == Decimal("380.00")
    assert RepaymentPlan.objects.get(pk=case.plan.pk).total_debt == Decimal("1200.00")
    assert Installment.objects.filter(plan=case.plan).count() == 12
    dsf = Dsf.objects.get(pk=case.dsf.pk)
    assert (dsf.status, dsf.hearing_on, dsf.pdf.name) == ("validated", date(2022, 5, 3), "")
    # The DSF keeps its figure lines (with source and date), not the names, creditors or texts.
    kept = {line["key"]: line["value"] for lines in dsf.data["prefill"].values() for line in lines}
    assert kept["resources"] == "980,00\xa0€" and kept["charges"] == "95,00\xa0€" and kept["repayments"] == "50,00\xa0€"
    assert "identite" not in dsf.data["prefill"] or dsf.data["prefill"]["identite"] == []
    assert set(dsf.data) == {"prefill"}  # no situation, wishes, proposal...


def test_a_household_with_an_open_procedure_is_held_with_the_reason(orgs, personas):
    done = full_file(orgs, personas)
    held = open_procedure_file(orgs, personas)

    result = household_retention.apply_retention()

    assert result.anonymised == [done.household.pk]
    assert result.held == {held.pk: "Procédure d'expulsion en cours (étape : Commandement de payer) : le "
                                    "dossier est conservé jusqu'à sa clôture."}
    held.refresh_from_db()
    assert held.anonymised_at is None and held.last_name == "Procédure"
    assert ProcedureEvent.objects.get(procedure__household=held).note == "Marc absent, acte déposé en étude"


def test_the_reason_gives_the_hearing_date(orgs, personas):
    held = open_procedure_file(orgs, personas)
    Procedure.objects.filter(household=held).update(stage="assignation", hearing_on=date(2026, 3, 12))
    assert retention.held([held.pk])[held.pk].startswith(
        "Procédure d'expulsion en cours (étape : Assignation, audience le 12/03/2026)")
    Procedure.objects.filter(household=held).update(stage="closed")
    assert retention.held([held.pk]) == {}


def test_an_ended_household_whose_support_was_reopened_is_held(orgs, personas):
    """Reopening support leaves the household "ended" until the first visit (support.services)."""
    from support.services import episode_open

    household = HouseholdFactory(organisation=orgs.amli)
    EpisodeFactory(household=household, opened_on=date(2021, 2, 1), closed_on=date(2022, 2, 1))
    InterventionFactory(household=household, author=personas.worker, summary="Visite avant la reprise")
    walk_to(household, Household.Status.ENDED)
    episode_open(household=household, by=personas.worker, opened_on=date(2023, 4, 3))
    _age(household, 3)
    assert Household.objects.get(pk=household.pk).status == Household.Status.ENDED

    result = household_retention.apply_retention()

    assert result.anonymised == []
    assert result.held == {household.pk: "Accompagnement en cours (ouvert le 03/04/2023) : il doit d'abord être clos."}
    assert Intervention.objects.get(household=household).summary == "Visite avant la reprise"


def test_anonymisers_cost_the_same_queries_for_2_and_8_households(orgs, personas, media):
    cases = [full_file(orgs, personas, last_name=f"Anquetil{i}") for i in range(8)]
    ids = [c.household.pk for c in cases]

    def count(household_ids):
        with CaptureQueriesContext(connection) as ctx:
            retention.run_anonymisers(household_ids)
        return len(ctx.captured_queries)

    small, large = count(ids[:2]), count(ids[2:])
    assert small == large
    assert large <= 37  # was 30; + appointments and reminders (issue 15), + aid applications and documents (14)
    assert not Intervention.objects.filter(household_id__in=ids).exclude(summary="").exists()


def test_dsf_scrub_keeps_figures_and_drops_texts():
    data = {"situation": "Paul", "proposal": "plan", "prefill": {
        "household": {"reference": "ZEL-57-1", "name": "Paul Anquetil", "birth_year": 1980, "track": "Maintien",
                      "consumption_units": 1.8, "members": [{"relation": "Enfant", "first_name": "Inès",
                                                             "birth_year": 2012, "occupation": "Collège"}]},
        "goals": [{"theme": "Budget", "title": "Voir Mme Roux", "status": "Atteint", "due_on": "2022-03-01"}],
        "rights_opened": "RSA de Paul", "wishes": "Rester", "debts_total": "600.00"}}
    assert litigation_retention.dsf_data_scrubbed(data) == {"prefill": {
        "debts_total": "600.00",
        "goals": [{"theme": "Budget", "status": "Atteint", "due_on": "2022-03-01"}],
        "household": {"reference": "ZEL-57-1", "birth_year": 1980, "track": "Maintien", "consumption_units": 1.8,
                      "members": [{"relation": "Enfant", "birth_year": 2012}]}}}
    assert litigation_retention.dsf_data_scrubbed({"situation": "brouillon"}) == {}


# --- erasure on request -----------------------------------------------------------------------

def _erase(client, household):
    return client.post(reverse("households:personal_data_erase", args=[household.pk]),
                       {"reference": household.reference, "request_received_on": "2026-01-05"}, follow=True)


def test_erasure_is_refused_while_a_procedure_is_open(as_user, personas, orgs):
    held = open_procedure_file(orgs, personas)
    client = as_user(personas.manager)
    page = client.get(reverse("households:personal_data", args=[held.pk])).content.decode()
    assert "Procédure d&#x27;expulsion en cours (étape : Commandement de payer)" in page

    page = _erase(client, held).content.decode()

    assert "Procédure d&#x27;expulsion en cours (étape : Commandement de payer)" in page
    held.refresh_from_db()
    assert held.anonymised_at is None and held.last_name == "Procédure"
    assert ProcedureEvent.objects.get(procedure__household=held).note == "Marc absent, acte déposé en étude"


def test_erasure_runs_the_apps_anonymisers(as_user, personas, orgs, media, django_capture_on_commit_callbacks):
    case = full_file(orgs, personas)
    _age(case.household, 0)  # a recent file: erasure on request does not wait for the retention period
    with django_capture_on_commit_callbacks(execute=True):
        response = _erase(as_user(personas.manager), case.household)
    assert "Le dossier a été anonymisé" in response.content.decode()
    for name, qs in app_rows(case.household).items():
        blob = _blob(qs)
        for secret in ALL_SECRETS:
            assert secret.lower() not in blob, (name, secret)


# --- subject access ---------------------------------------------------------------------------

def _export(client, household) -> dict:
    response = client.get(reverse("households:personal_data_export", args=[household.pk]))
    assert response.status_code == 200
    return json.loads(response.content)


def test_subject_access_export_has_each_app_section(as_user, personas, orgs, media):
    case = full_file(orgs, personas)
    data = _export(as_user(personas.manager), case.household)

    support = data["accompagnement"]
    diagnosis = support["diagnostics"][0]
    assert diagnosis["situation_familiale"] == SECRETS["diagnosis"][0]
    assert diagnosis["dette_locative"] == "1840.00"
    assert diagnosis["signé_par"] == [personas.worker.get_full_name()]
    # Sealed parts are not in the manager's export (issue 17): it lists them and who produces them.
    body = json.dumps(data, ensure_ascii=False)
    for sealed in ("Diabète de type 2", "Dépression suivie au CMP", "Alcool, sevrage en 2023", SECRETS["psy"][0]):
        assert sealed not in body
    assert "santé" not in diagnosis and "notes_de_la_psychologue" not in data
    assert [(p["partie"], p["nombre"]) for p in data["parties_scellées"]] == [
        ("Notes de la psychologue", 1), ("Section santé des diagnostics (santé, santé mentale, addictions)", 1)]
    assert data["parties_scellées"][0]["produite_par"].startswith("une psychologue affectée au ménage (aucune")
    assert data["parties_scellées"][1]["produite_par"] == (
        "le cercle de soin du ménage (travailleur social ou psychologue) : " + personas.worker.get_full_name())
    assert support["épisodes"] == [{"ouvert_le": "2021-09-01", "clos_le": "2022-10-03", "intensité": "Normale",
                                    "motif_de_sortie": "Locataire autonome"}]
    assert support["objectifs_du_plan"][0]["objectif"] == "Dossier FSL avec Mme Roux"
    assert support["objectifs_du_plan"][0]["thème"] == "Accès aux droits"
    visit = support["interventions"][0]
    assert (visit["date"], visit["compte_rendu"], visit["participants"]) == (
        "2022-03-04", SECRETS["visit"][0], SECRETS["visit"][1])
    assert visit["compléments"][0]["texte"] == SECRETS["addendum"][0]
    assert support["budget"]["dettes"][0]["créancier"] == "Prêt de M. Roux"

    passage = data["copil"]["passages"][0]
    assert (passage["séance"], passage["objet"], passage["loyer_prévu"]) == ("2021-08-26", "Admission", "420.00")
    assert passage["leviers_demandés"] == [{"levier": "FSL maintien", "montant": "1840.00",
                                            "précision": SECRETS["copil"][2]}]
    assert [d["décision"] for d in passage["décisions"]] == ["Ajourné", "Admis"]
    assert passage["décisions"][0]["éléments_manquants"] == SECRETS["copil"][1]
    assert passage["décisions"][1]["leviers_accordés"] == [
        {"levier": "FSL maintien", "montant": "1500.00", "précision": SECRETS["copil"][3]}]
    # Opinions: value and comment, never who gave them.
    assert [(o["avis"], o["commentaire"]) for o in passage["avis"]] == [("Favorable", SECRETS["copil"][0])]
    opinions = json.dumps(passage["avis"], ensure_ascii=False)
    for who in (personas.copil_a.last_name, personas.copil_a.username, "DDETS"):
        assert who not in opinions

    litigation = data["contentieux"]
    procedure = litigation["procédures"][0]
    assert (procedure["étape"], procedure["issue"], procedure["bailleur"]) == ("Close", "Dette soldée", "Batigère")
    assert [(e["type"], e["date"], e["commentaire"], e["acte_joint"]) for e in procedure["événements"]] == [
        ("Commandement de payer", "2022-01-10", SECRETS["litigation"][0], True),
        ("Procédure close", "2022-09-01", SECRETS["litigation"][1], False)]
    assert litigation["comptes_locataires"][0]["lignes"] == [
        {"mois": "2022-01-01", "quittancé": "530.00", "apl": "150.00", "encaissé": "380.00", "reste_dû": "0.00"}]
    plan = litigation["plans_d_apurement"][0]
    assert (plan["nature"], plan["dette_à_apurer"], len(plan["échéances"])) == ("Plan d'apurement", "1200.00", 12)
    assert plan["échéances"][0] == {"date": "2022-06-01", "montant": "100.00"}
    dsf = litigation["diagnostics_sociaux_et_financiers"][0]
    assert (dsf["audience"], dsf["statut"]) == ("2022-05-03", "Validé")
    assert dsf["contenu"]["situation"] == SECRETS["litigation"][2]


def test_export_after_anonymisation_holds_no_free_text(as_user, personas, orgs, media):
    case = full_file(orgs, personas)
    household_retention.apply_retention()
    body = json.dumps({k: v for k, v in _export(as_user(personas.manager), case.household).items()
                       if k in ("accompagnement", "notes_de_la_psychologue", "copil", "contentieux")},
                      ensure_ascii=False)
    for secret in ALL_SECRETS:
        assert secret.lower() not in body.lower(), secret
    assert "1840.00" in body and "Dette soldée" in body and "2022-01-10" in body


def test_export_sections_cost_the_same_queries_for_1_and_5_rows(personas, orgs, media):
    one, five = full_file(orgs, personas, last_name="Un"), full_file(orgs, personas, last_name="Cinq")
    for _i in range(4):
        visit = InterventionFactory(household=five.household, author=personas.worker)
        InterventionAddendum.objects.create(intervention=visit, author=personas.worker, content="ajout")
        PsychologistNoteFactory(household=five.household, author=personas.psychologist)
        item = AgendaItemFactory(household=five.household)
        Opinion.objects.create(item=item, member=personas.copil_a, value="reserved")
        procedure = ProcedureFactory(lease=five.lease, opened_on=date(2023, 1, 5) + timedelta(days=_i))
        litigation_services.event_record(procedure=procedure, by=personas.litigation_x,
                                         type="commandement_de_payer", occurred_on=date(2023, 2, 1))

    def count(household):
        household = Household.objects.get(pk=household.pk)
        with CaptureQueriesContext(connection) as ctx:
            retention.export_sections(household)
        return len(ctx.captured_queries)

    assert count(one.household) == count(five.household) <= 25


def test_only_the_manager_of_the_file_downloads_the_manager_export(as_user, personas, orgs):
    household = HouseholdFactory(organisation=orgs.amli, workers=[personas.worker, personas.psychologist])
    PsychologistNoteFactory(household=household, author=personas.psychologist)
    for who, status in (("psychologist", 403), ("worker", 403), ("manager_54", 404), ("manager", 200)):
        url = reverse("households:personal_data_export", args=[household.pk])
        assert as_user(getattr(personas, who)).get(url).status_code == status
