"""RGPD hooks of the support app (registered in SupportConfig.ready, see zel.retention).

- anonymiser: blanks the free texts of the diagnoses (sensitive section included), visits and their
  addenda, plan goal labels, psychologist notes and budget labels, in the live rows and in their
  simple_history rows, with one UPDATE per table whatever the number of households. Dates, amounts,
  themes, statuses, intensities and exit reasons stay: the reports count them.
- hold: a household whose support episode is still open is kept. The households app only looks at the
  household's status, and `services.episode_open` leaves it alone: an episode reopened for a household
  whose earlier support ended stays "ended" until its first visit, and would otherwise be blanked.
- export: the app's sections of the subject-access export (RGPD art. 15).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from households import access as household_access
from households.models import Household

from . import access
from .models import (
    Appointment,
    BudgetCharge,
    BudgetDebt,
    Diagnosis,
    Intervention,
    InterventionAddendum,
    OfflineVisit,
    PlanGoal,
    PsychologistNote,
    Reminder,
    SupportEpisode,
    Theme,
)

# Every free text of a diagnosis, the sensitive section (health, mental health, addictions) included.
# The debts, the target typology and maximum rent are figures and stay.
DIAGNOSIS_BLANK = dict.fromkeys((
    "family_situation", "budget_notes", "debts_notes", "rights_opened", "rights_not_claimed", "housing_type",
    "housing_place", "housing_ties", "employment", "goals", "committee_summary", "target_place",
    *Diagnosis.SENSITIVE_FIELDS), "")
VISIT_BLANK = {"summary": "", "participants": ""}
ADDENDUM_BLANK = {"content": ""}
GOAL_BLANK = {"title": ""}  # written by the worker ("Dossier FSL avec Mme X"); the theme stays
NOTE_BLANK = {"content": ""}
CHARGE_BLANK = {"label": ""}
DEBT_BLANK = {"creditor": ""}  # a free text that may name a private lender; kind and amounts stay


def anonymise(household_ids: list[int]) -> None:
    """Blanks the support free texts of these households (live and history rows), in bulk."""
    ids = list(household_ids)
    if not ids:
        return
    for model, blank in ((Diagnosis, DIAGNOSIS_BLANK), (Intervention, VISIT_BLANK), (PlanGoal, GOAL_BLANK),
                         (PsychologistNote, NOTE_BLANK), (BudgetCharge, CHARGE_BLANK), (BudgetDebt, DEBT_BLANK)):
        model.objects.filter(household_id__in=ids).update(**blank)
        model.history.filter(household_id__in=ids).update(**blank)
    # Addenda hang on the visit: the visits' history also knows the visits deleted since.
    # Appointments: the internal purpose and the office address are free texts; the messages keep no text,
    # only the address they went to (issue 15).
    Appointment.objects.filter(household_id__in=ids).update(purpose="", office_address="")
    Appointment.history.filter(household_id__in=ids).update(purpose="", office_address="")
    Reminder.objects.filter(appointment__household_id__in=ids).update(recipient="")
    # Visits held for review (issue 19): what the phone sent, and the name it showed.
    for manager in (OfflineVisit.objects, OfflineVisit.history):
        manager.filter(household_id__in=ids).update(payload={}, household_label="", resolution_note="")
    visit_ids = Intervention.history.filter(household_id__in=ids).values("id")
    InterventionAddendum.objects.filter(intervention_id__in=visit_ids).update(**ADDENDUM_BLANK)
    InterventionAddendum.history.filter(intervention_id__in=visit_ids).update(**ADDENDUM_BLANK)


def open_support_holds(household_ids: list[int]) -> dict[int, str]:
    """Households whose support episode is still open: neither the retention job nor an erasure
    may blank a file the social worker is still working on (one query)."""
    episodes = (SupportEpisode.objects.filter(household_id__in=household_ids, closed_on__isnull=True)
                .values_list("household_id", "opened_on"))
    return {pk: _("Accompagnement en cours (ouvert le %(date)s) : il doit d'abord être clos.")
            % {"date": f"{opened_on:%d/%m/%Y}"} for pk, opened_on in episodes}


# ---------------------------------------------------------------------------------------------
# Subject access
# ---------------------------------------------------------------------------------------------

def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _diagnosis(d: Diagnosis) -> dict:
    return {
        "type": d.get_kind_display(), "réalisé_le": d.done_on,
        "signé_par": [_name(u) for u in d.authors.all()],
        "situation_familiale": d.family_situation, "budget": d.budget_notes,
        "dette_locative": d.rent_debt, "dette_énergie": d.energy_debt, "autres_dettes": d.other_debts,
        "créanciers_et_dettes": d.debts_notes, "droits_ouverts": d.rights_opened,
        "droits_non_réclamés": d.rights_not_claimed, "logement_adapté": d.housing_type,
        "secteur_souhaité": d.housing_place, "attaches": d.housing_ties, "emploi": d.employment,
        "objectifs": d.goals, "synthèse_pour_le_copil": d.committee_summary,
        "typologie_visée": d.target_typology, "secteur_visé": d.target_place, "loyer_maximum": d.target_max_rent,
        # The health section (art. 9 RGPD) is sealed: exported by the care circle (health_export).
    }


def _visit(v: Intervention) -> dict:
    return {
        "date": v.occurred_on, "mode": v.get_mode_display(), "durée_minutes": v.duration_minutes,
        "intervenant": _name(v.author), "participants": v.participants, "thèmes": v.theme_labels(),
        "compte_rendu": v.summary, "absent": v.no_show, "prévue": v.planned,
        "compléments": [{"date": a.created_at, "auteur": _name(a.author), "texte": a.content}
                        for a in v.addenda.all()],
    }


def export_sections(household: Household) -> dict:
    """Diagnoses (without their sealed health section), episodes, plan, visits and budget: what the
    manager who downloads the subject-access export may read. The psychologist's notes and the health
    section are sealed parts, exported by the people entitled to read them (`notes_export`,
    `health_export`) and only listed here (`sealed_parts`). Fixed number of queries."""
    hid = household.pk
    themes = dict(Theme.choices)
    diagnoses = Diagnosis.objects.filter(household_id=hid).prefetch_related("authors").order_by("done_on", "pk")
    episodes = SupportEpisode.objects.filter(household_id=hid).order_by("opened_on", "pk")
    goals = PlanGoal.objects.filter(household_id=hid).select_related("owner").order_by("created_at", "pk")
    visits = (Intervention.objects.filter(household_id=hid).select_related("author")
              .prefetch_related("addenda__author").order_by("occurred_on", "pk"))
    return {
        "accompagnement": {
            "diagnostics": [_diagnosis(d) for d in diagnoses],
            "épisodes": [{"ouvert_le": e.opened_on, "clos_le": e.closed_on, "intensité": e.get_intensity_display(),
                          "motif_de_sortie": e.get_exit_reason_display() if e.exit_reason else ""}
                         for e in episodes],
            "objectifs_du_plan": [{"thème": str(themes.get(g.theme, g.theme)), "objectif": g.title,
                                   "responsable": _name(g.owner) or _("le ménage"), "échéance": g.due_on,
                                   "statut": g.get_status_display()} for g in goals],
            "interventions": [_visit(v) for v in visits],
            "rendez_vous": [{"début": a.starts_at, "fin": a.ends_at, "lieu": a.place_label(),
                             "statut": a.get_status_display(),
                             "messages": [{"type": r.get_kind_display(), "canal": r.get_channel_display(),
                                           "statut": r.get_status_display(), "envoyé_le": r.sent_at}
                                          for r in a.reminders.all()]}
                            for a in Appointment.objects.filter(household_id=hid).prefetch_related("reminders")
                            .order_by("starts_at", "pk")],
            "budget": {
                "charges": [{"poste": c.get_kind_display(), "précision": c.label,
                             "montant_mensuel": c.monthly_amount}
                            for c in BudgetCharge.objects.filter(household_id=hid)],
                "dettes": [{"nature": d.get_kind_display(), "créancier": d.creditor, "montant_restant": d.amount,
                            "remboursement_mensuel": d.monthly_repayment}
                           for d in BudgetDebt.objects.filter(household_id=hid)],
            },
        },
    }


# --- Sealed parts: exported by those entitled to read them, listed in the manager's export ---------

HEALTH_LOOKUP = Q(health__gt="") | Q(mental_health__gt="") | Q(addictions__gt="")


def _names(users) -> str:
    return ", ".join(_name(u) for u in users)


def sealed_parts(household: Household) -> list[dict]:
    """What the manager's export says about the sealed parts that exist: how many items, who
    produces them and where, never their content (two queries and one for the care circle)."""
    notes = PsychologistNote.objects.filter(household_id=household.pk).count()
    health = Diagnosis.objects.filter(household_id=household.pk).filter(HEALTH_LOOKUP).count()
    if not notes and not health:
        return []
    circle = list(household_access.care_circle_of(household).order_by("last_name", "first_name"))
    psychologists = [u for u in circle if access.can_read_psychologist_notes(u)]
    parts = []
    if notes:
        parts.append({
            "partie": str(_("Notes de la psychologue")),
            "nombre": notes,
            "produite_par": (str(_("la psychologue du ménage : %(names)s")) % {"names": _names(psychologists)}
                             if psychologists else str(_("une psychologue affectée au ménage (aucune ne l'est "
                                                           "aujourd'hui : affectez-en une)"))),
            "comment": str(_("Page « Accompagnement » du ménage, « Droit d'accès : notes de la psychologue ». "
                             "Elle remet le fichier à la personne ; le responsable ne le lit pas.")),
        })
    if health:
        parts.append({
            "partie": str(_("Section santé des diagnostics (santé, santé mentale, addictions)")),
            "nombre": health,
            "produite_par": (str(_("le cercle de soin du ménage (travailleur social ou psychologue) : %(names)s"))
                             % {"names": _names(circle)} if circle else
                             str(_("un travailleur social ou une psychologue affecté au ménage (aucun ne l'est "
                                   "aujourd'hui : affectez-en un)"))),
            "comment": str(_("Page « Accompagnement » du ménage, « Droit d'accès : section santé ». "
                             "Le fichier est remis à la personne ; le responsable ne le lit pas.")),
        })
    return parts


def _sealed_header(household: Household, by) -> dict:
    return {"ménage": household.reference, "généré_le": timezone.now(), "produit_par": _name(by),
            "avertissement": str(_("Confidentiel : partie scellée du droit d'accès (art. 15 RGPD), à remettre en "
                                   "main propre à la personne ; ne pas la transmettre, copier ni verser au dossier."))}


def notes_export(household: Household, by) -> dict:
    """Every psychologist note of the household, for the psychologist who hands them to the person."""
    notes = (PsychologistNote.objects.filter(household_id=household.pk).select_related("author")
             .order_by("occurred_on", "pk"))
    return {**_sealed_header(household, by), "partie": str(_("Notes de la psychologue")),
            "notes": [{"date": n.occurred_on, "psychologue": _name(n.author), "note": n.content} for n in notes]}


def health_export(household: Household, by) -> dict:
    """The health section of every diagnosis of the household, for the care circle."""
    diagnoses = Diagnosis.objects.filter(household_id=household.pk).order_by("done_on", "pk")
    return {**_sealed_header(household, by),
            "partie": str(_("Section santé des diagnostics (données de santé, art. 9 RGPD)")),
            "diagnostics": [{"type": d.get_kind_display(), "réalisé_le": d.done_on, "santé": d.health,
                             "santé_mentale": d.mental_health, "addictions": d.addictions} for d in diagnoses]}
