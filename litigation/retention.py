"""RGPD hooks of the litigation app (registered in LitigationConfig.ready, see zel.retention).

- anonymiser: blanks the events' notes, deletes the served acts and the DSF PDFs (their paths are
  blanked in the live and history rows; the files go once the transaction commits, so a rollback
  never leaves a row pointing to a deleted file) and keeps of each DSF only its figures. Dates, event
  types, stages, outcomes, debts, rent-account lines, plans and installments stay: reports need them.
- hold: a household with a procedure still open is kept (art. 17(3)(e) RGPD: establishment, exercise
  or defence of legal claims).
- export: procedures with their events, rent accounts, plans and installments, DSFs (RGPD art. 15).
"""

from __future__ import annotations

import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from households.models import Household, Lease

from . import dsf as dsf_spec
from .models import (
    Dsf,
    EarlyWarning,
    Procedure,
    ProcedureEvent,
    RentAccountLine,
    RepaymentPlan,
    Stage,
)

BATCH = 500
logger = logging.getLogger(__name__)

# What a DSF keeps once anonymised: the figures of its frozen "prefill" (see support.selectors.
# dsf_prefill), never the texts, names, creditors or goal labels.
_KEPT_FIGURES = ("resources_total", "rent_due", "effort_rate", "charges_total", "debts_total",
                 "remaining_income", "remaining_income_per_unit", "diagnosis_date", "diagnosis_debts",
                 "themes_worked", "visit_count")
_KEPT_IN_LISTS = {
    "resources": ("kind", "monthly_amount"),
    "charges": ("kind", "monthly_amount"),
    "debts": ("kind", "amount", "monthly_repayment"),
    "steps_taken": ("date", "mode", "themes"),
    "goals": ("theme", "status", "due_on"),
}
_KEPT_OF_HOUSEHOLD = ("reference", "birth_year", "track", "consumption_units")
_KEPT_OF_MEMBERS = ("relation", "birth_year")


def dsf_data_scrubbed(data: dict) -> dict:
    """The DSF content with its free texts removed and only the figures of the prefill kept."""
    prefill = (data or {}).get("prefill")
    if not isinstance(prefill, dict):
        return {}
    if prefill and all(isinstance(v, list) for v in prefill.values()):  # the sections of litigation.dsf
        return {"prefill": dsf_spec.figures_only(prefill)}
    # A DSF validated before the sections existed froze a dict of figures and lists.
    kept: dict = {k: prefill[k] for k in _KEPT_FIGURES if k in prefill}
    for key, fields in _KEPT_IN_LISTS.items():
        if isinstance(prefill.get(key), list):
            kept[key] = [{f: row.get(f) for f in fields} for row in prefill[key] if isinstance(row, dict)]
    household = prefill.get("household")
    if isinstance(household, dict):
        kept["household"] = {k: household.get(k) for k in _KEPT_OF_HOUSEHOLD}
        kept["household"]["members"] = [{f: m.get(f) for f in _KEPT_OF_MEMBERS}
                                        for m in household.get("members") or [] if isinstance(m, dict)]
    return {"prefill": kept}


def _file_names(*querysets) -> set[str]:
    names: set[str] = set()
    for qs in querysets:
        names.update(name for name in qs if name)
    return names


def _delete_files(names: set[str]) -> None:
    for name in sorted(names):
        try:
            default_storage.delete(name)
        except OSError:
            # The rows no longer point to it: an operator can remove it by hand, the path is logged.
            logger.warning("RGPD: could not delete %s", name, exc_info=True)


def anonymise(household_ids: list[int]) -> None:
    ids = list(household_ids)
    if not ids:
        return
    # The procedures' history also knows procedures deleted since.
    procedure_ids = Procedure.history.filter(household_id__in=ids).values("id")
    events = ProcedureEvent.objects.filter(procedure_id__in=procedure_ids)
    event_history = ProcedureEvent.history.filter(procedure_id__in=procedure_ids)
    dsfs = Dsf.objects.filter(household_id__in=ids)
    dsf_history = Dsf.history.filter(household_id__in=ids)
    files = _file_names(events.values_list("document", flat=True),
                        event_history.values_list("document", flat=True),
                        dsfs.values_list("pdf", flat=True), dsf_history.values_list("pdf", flat=True))
    events.update(note="", document="")
    event_history.update(note="", document="")
    dsf_history.update(pdf="")  # `data` is not kept in the history (excluded_fields)
    # Each DSF keeps different figures: one bulk UPDATE per batch, not one per row.
    scrubbed = [Dsf(pk=pk, data=dsf_data_scrubbed(data), pdf="") for pk, data in dsfs.values_list("pk", "data")]
    Dsf.objects.bulk_update(scrubbed, ["data", "pdf"], batch_size=BATCH)
    if files:
        transaction.on_commit(lambda: _delete_files(files))


def open_procedure_holds(household_ids: list[int]) -> dict[int, str]:
    """Households with a procedure still open, with the reason shown to the manager (one query)."""
    reasons: dict[int, str] = {}
    rows = (Procedure.objects.filter(household_id__in=household_ids).exclude(stage=Stage.CLOSED)
            .order_by("household_id", "opened_on", "pk").values_list("household_id", "stage", "hearing_on"))
    for pk, stage, hearing_on in rows:
        if pk in reasons:
            continue
        values = {"stage": Stage(stage).label, "date": f"{hearing_on:%d/%m/%Y}" if hearing_on else ""}
        if hearing_on:
            reasons[pk] = _("Procédure d'expulsion en cours (étape : %(stage)s, audience le %(date)s) : le "
                            "dossier est conservé jusqu'à sa clôture.") % values
        else:
            reasons[pk] = _("Procédure d'expulsion en cours (étape : %(stage)s) : le dossier est conservé "
                            "jusqu'à sa clôture.") % values
    return reasons


# ---------------------------------------------------------------------------------------------
# Subject access
# ---------------------------------------------------------------------------------------------

def _event(e: ProcedureEvent) -> dict:
    return {"type": e.get_type_display(), "date": e.occurred_on, "audience": e.hearing_on, "mois": e.months,
            "dette": e.debt_amount, "issue": e.get_outcome_display() if e.outcome else "", "commentaire": e.note,
            "acte_joint": bool(e.document)}


def export_sections(household: Household) -> dict:
    """Fixed number of queries. The DSF figures frozen at validation are those sent to the judge."""
    hid = household.pk
    procedures = (Procedure.objects.filter(household_id=hid).select_related("lease", "landlord")
                  .prefetch_related(Prefetch("events", queryset=ProcedureEvent.objects.order_by("occurred_on", "pk")))
                  .order_by("opened_on", "pk"))
    leases = (Lease.objects.filter(household_id=hid)
              .prefetch_related(Prefetch("rent_lines", queryset=RentAccountLine.objects.order_by("month")))
              .order_by("pk"))
    plans = (RepaymentPlan.objects.filter(lease__household_id=hid).select_related("lease")
             .prefetch_related("installments").order_by("starts_on", "pk"))
    dsfs = Dsf.objects.filter(household_id=hid).order_by("hearing_on", "pk")
    warnings = EarlyWarning.objects.filter(household_id=hid).order_by("detected_on", "pk")
    return {"contentieux": {
        "procédures": [{
            "bail": p.lease.reference, "bailleur": p.landlord.name, "ouverte_le": p.opened_on,
            "étape": p.stage_label(), "issue": p.get_outcome_display() if p.outcome else "",
            "close_le": p.closed_on, "dette_actuelle": p.current_debt, "audience": p.hearing_on,
            "prochaine_échéance": p.next_deadline_on, "expulsion_possible_dès": p.eviction_possible_from,
            "événements": [_event(e) for e in p.events.all()],
        } for p in procedures],
        "comptes_locataires": [{
            "bail": lease.reference,
            "lignes": [{"mois": line.month, "quittancé": line.amount_called, "apl": line.housing_benefit,
                        "encaissé": line.amount_paid, "reste_dû": line.month_line().balance}
                       for line in lease.rent_lines.all()],
        } for lease in leases],
        "plans_d_apurement": [{
            "bail": plan.lease.reference, "nature": plan.get_kind_display(), "dette_à_apurer": plan.total_debt,
            "première_échéance": plan.starts_on, "fin_anticipée": plan.ended_on,
            "échéances": [{"date": i.due_on, "montant": i.amount} for i in plan.installments.all()],
        } for plan in plans],
        "diagnostics_sociaux_et_financiers": [{
            "audience": d.hearing_on, "statut": d.get_status_display(), "validé_le": d.validated_at,
            "envoyé_au_tribunal_le": d.sent_to_court_on, "envoyé_à_la_ccapex_le": d.sent_to_ccapex_on,
            "contenu": d.data,
        } for d in dsfs],
        "alertes_précoces": [{"motif": w.get_kind_display(), "détail": w.detail, "dette": w.debt,
                              "détectée_le": w.detected_on, "orientée_le": w.referred_on,
                              "écartée_le": w.dismissed_on} for w in warnings],
    }}
