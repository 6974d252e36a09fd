"""Aid applications (demandes d'aide): the kinds, what each is measured in, and the status chain.

Pure rules, no ORM: the one owner of the aid-application lifecycle (CONVENTIONS "one owner per
concept"). Models, services, forms, the COPIL decision form, the minutes and the report ask here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class AidKind(models.TextChoices):
    # The first seven codes are the COPIL lever codes of before issue 14 (rows keep their value).
    FSL_ACCESS = "fsl_access", _("FSL accès")
    FSL_MAINTENANCE = "fsl_maintenance", _("FSL maintien")
    FSL_ENERGY = "fsl_energy", _("FSL énergie / eau")
    RENT_AID = "aide_quittance", _("Aide sur quittance")
    VISALE = "visale", _("Visale (garantie de loyer)")
    LOCA_PASS = "loca_pass", _("Loca-Pass (avance du dépôt de garantie)")
    ASLL = "asll", _("ASLL (accompagnement social lié au logement)")
    APL_MAINTENANCE = "apl_maintenance", _("Maintien des APL")
    ACTION_LOGEMENT = "action_logement", _("Aide Action Logement")
    CCAS = "ccas", _("Secours CCAS")
    PROTOCOL = "protocole", _("Protocole de cohésion sociale")
    RELOCATION = "mutation", _("Mutation vers un logement moins cher")
    OVERINDEBTEDNESS = "surendettement", _("Orientation surendettement")
    OTHER = "other", _("Autre")


class Measure(models.TextChoices):
    AMOUNT = "amount", _("montant")
    MONTHS = "months", _("mois")
    NONE = "none", _("sans montant")


class Nature(models.TextChoices):
    GRANT = "grant", _("subvention")
    LOAN = "loan", _("prêt")
    GRANT_OR_LOAN = "grant_or_loan", _("subvention ou prêt")
    NONE = "none", _("sans versement")


@dataclass(frozen=True)
class KindSpec:
    measure: str
    nature: str
    body: str  # the examining body by default (editable per application)


M, N = Measure, Nature
KINDS: dict[str, KindSpec] = {
    AidKind.FSL_ACCESS: KindSpec(M.AMOUNT, N.GRANT_OR_LOAN, "Département (commission FSL)"),
    AidKind.FSL_MAINTENANCE: KindSpec(M.AMOUNT, N.GRANT_OR_LOAN, "Département (commission FSL)"),
    AidKind.FSL_ENERGY: KindSpec(M.AMOUNT, N.GRANT, "Département (commission FSL)"),
    AidKind.RENT_AID: KindSpec(M.AMOUNT, N.GRANT, "Bailleur"),
    AidKind.VISALE: KindSpec(M.NONE, N.NONE, "Action Logement"),
    AidKind.LOCA_PASS: KindSpec(M.AMOUNT, N.LOAN, "Action Logement"),
    AidKind.ASLL: KindSpec(M.MONTHS, N.NONE, "Département (FSL)"),
    AidKind.APL_MAINTENANCE: KindSpec(M.NONE, N.NONE, "CAF / CCAPEX"),
    AidKind.ACTION_LOGEMENT: KindSpec(M.AMOUNT, N.GRANT_OR_LOAN, "Action Logement"),
    AidKind.CCAS: KindSpec(M.AMOUNT, N.GRANT, "CCAS"),
    AidKind.PROTOCOL: KindSpec(M.NONE, N.NONE, "Bailleur"),
    AidKind.RELOCATION: KindSpec(M.NONE, N.NONE, "Bailleur"),
    AidKind.OVERINDEBTEDNESS: KindSpec(M.NONE, N.NONE, "Banque de France (commission de surendettement)"),
    AidKind.OTHER: KindSpec(M.AMOUNT, N.GRANT_OR_LOAN, ""),
}


def spec(kind: str) -> KindSpec:
    return KINDS[kind]


def measure_of(kind: str) -> str:
    return KINDS[kind].measure if kind in KINDS else Measure.NONE


def has_amount(kind: str) -> bool:
    return measure_of(kind) == Measure.AMOUNT


def has_months(kind: str) -> bool:
    return measure_of(kind) == Measure.MONTHS


def is_paid_out(kind: str) -> bool:
    """Whether something is paid once granted (the "versée" step): only kinds with an amount."""
    return has_amount(kind)


class Status(models.TextChoices):
    TO_PREPARE = "to_prepare", _("À constituer")
    MISSING_PAPERS = "missing_papers", _("Pièces manquantes")
    LODGED = "lodged", _("Déposée")
    EXAMINING = "examining", _("En instruction")
    GRANTED = "granted", _("Accordée")
    REFUSED = "refused", _("Refusée")
    ADJOURNED = "adjourned", _("Ajournée")
    PAID = "paid", _("Versée")
    CLOSED = "closed", _("Close")


S = Status
# The one transition table: from each status, where an application may go next.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.TO_PREPARE: frozenset({S.MISSING_PAPERS, S.LODGED, S.CLOSED}),
    S.MISSING_PAPERS: frozenset({S.TO_PREPARE, S.LODGED, S.CLOSED}),
    S.LODGED: frozenset({S.MISSING_PAPERS, S.EXAMINING, S.GRANTED, S.REFUSED, S.ADJOURNED, S.CLOSED}),
    S.EXAMINING: frozenset({S.MISSING_PAPERS, S.GRANTED, S.REFUSED, S.ADJOURNED}),
    S.ADJOURNED: frozenset({S.MISSING_PAPERS, S.LODGED, S.EXAMINING, S.CLOSED}),
    S.GRANTED: frozenset({S.PAID, S.CLOSED}),
    S.REFUSED: frozenset({S.CLOSED}),
    S.PAID: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}
OPEN = frozenset(TRANSITIONS) - {S.CLOSED}
# Still waiting for a decision of the examining body: a COPIL decision may update these.
UNDECIDED = frozenset({S.TO_PREPARE, S.MISSING_PAPERS, S.LODGED, S.EXAMINING, S.ADJOURNED})


def allowed_next(kind: str, status: str) -> list[str]:
    """The statuses an application of `kind` may move to from `status`, in chain order."""
    nexts = TRANSITIONS.get(status, frozenset())
    if not is_paid_out(kind):
        nexts = nexts - {S.PAID}
    return [s for s in S.values if s in nexts]


def transition_errors(*, kind: str, current: str, target: str, amount_granted=None, amount_paid=None,
                      months_granted=None, reason: str = "") -> dict[str, str]:
    """Why the move `current` → `target` is refused (field -> French message); empty when allowed."""
    labels = dict(S.choices)
    if target not in labels:
        return {"status": str(_("Statut inconnu."))}
    if target not in allowed_next(kind, current):
        if target == S.PAID and not is_paid_out(kind):
            return {"status": str(_("Cette aide ne donne lieu à aucun versement."))}
        return {"status": str(_("Passage de « %(a)s » à « %(b)s » impossible.")
                              % {"a": labels.get(current, current), "b": labels[target]})}
    errors: dict[str, str] = {}
    errors.update(measure_errors(kind=kind, amount=amount_granted, months=months_granted, field="granted"))
    errors.update(measure_errors(kind=kind, amount=amount_paid, months=None, field="paid"))
    if target == S.GRANTED:
        if has_amount(kind) and amount_granted is None:
            errors["amount_granted"] = str(_("Indiquez le montant accordé."))
        if has_months(kind) and months_granted is None:
            errors["months_granted"] = str(_("Indiquez la durée accordée (en mois)."))
    if target == S.PAID and amount_paid is None:
        errors["amount_paid"] = str(_("Indiquez le montant versé."))
    if target in (S.REFUSED, S.ADJOURNED) and not reason.strip():
        errors["reason"] = str(_("Indiquez le motif."))
    return errors


def measure_errors(*, kind: str, amount, months, field: str = "requested") -> dict[str, str]:
    """An amount on a kind that has none, months on a kind not counted in months: refused."""
    errors = {}
    if amount is not None and not has_amount(kind):
        errors[f"amount_{field}"] = str(_("Cette aide n'a pas de montant."))
    if months is not None and not has_months(kind):
        errors[f"months_{field}"] = str(_("Cette aide ne se compte pas en mois."))
    return errors
