"""The diagnostic social et financier (DSF) sent to the judge and the CCAPEX before the hearing.

Its sections follow décret n° 2021-8 du 5 janvier 2021, art. 2, and the model form (CERFA n° 16227,
arrêté du 23 août 2022), in their order: see docs/dsf.md. Each section holds values pre-filled from
the lease, the landlord's rent account, the procedure, the repayment plans and the household budget
— each with where and when it came from — and the worker's own entries. Everything is frozen when
the DSF is validated. Never any health or psychologist data: the social side hands over only
`support.selectors.dsf_prefill`, which leaves them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zel.lib.formats import format_date, format_eur, format_percent

from . import deadlines, rent
from .arrears import lease_debt
from .integrations import dsf_prefill_for
from .selectors import rent_lines


@dataclass(frozen=True)
class Entry:
    """A value the worker writes: `kind` is text, long (a paragraph), date, choice or amount."""

    name: str
    label: str
    kind: str = "long"
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    entries: tuple[Entry, ...] = ()


YES_NO = (("oui", _("Oui")), ("non", _("Non")))
LEGAL_AID = (("non_demandee", _("Non demandée")), ("demandee", _("Demandée")), ("accordee", _("Accordée")),
             ("refusee", _("Refusée")))
RESUMED = (("oui", _("Oui, intégralement")), ("partiel", _("Partiellement")), ("non", _("Non")))

SECTIONS: tuple[Section, ...] = (
    Section("auteur", _("1. Auteur du diagnostic"), (
        Entry("author_phone", _("Téléphone de l'auteur"), "text"),
    )),
    Section("entretien", _("2. Entretien et observations des parties"), (
        Entry("interview_on", _("Date de l'entretien"), "date"),
        Entry("tenant_present", _("Le locataire était-il présent à l'entretien ?"), "choice", YES_NO),
        Entry("tenant_invited_on", _("Locataire invité à présenter ses observations le"), "date"),
        Entry("tenant_answered_on", _("Réponse du locataire le"), "date"),
        Entry("tenant_observations", _("Observations du locataire")),
        Entry("landlord_invited_on", _("Bailleur invité à présenter ses observations le"), "date"),
        Entry("landlord_answered_on", _("Réponse du bailleur le"), "date"),
        Entry("landlord_observations", _("Observations du bailleur")),
    )),
    Section("identite", _("3. Identité et situation familiale"), (
        Entry("situation", _("Situation familiale et professionnelle")),
    )),
    Section("accompagnement", _("4. Accompagnement social, juridique et judiciaire"), (
        Entry("social_support", _("Accompagnement social en cours")),
        Entry("lawyer", _("Avocat (nom, coordonnées)"), "text"),
        Entry("legal_aid", _("Aide juridictionnelle"), "choice", LEGAL_AID),
    )),
    Section("location", _("5. Situation locative"), (
        Entry("dwelling_type", _("Type de logement (typologie, surface)"), "text"),
    )),
    Section("dette", _("6. Dette locative"), (
        Entry("debts_comment", _("Origine et causes de la dette")),
    )),
    Section("dispositifs", _("7. Dispositifs de traitement de la dette en cours"), (
        Entry("fsl", _("Fonds de solidarité pour le logement (FSL)")),
        Entry("protocol", _("Protocole de cohésion sociale")),
        Entry("overindebtedness", _("Surendettement (dépôt, recevabilité, mesures)")),
    )),
    Section("reprise", _("8. Reprise du paiement du loyer courant"), (
        Entry("rent_resumed", _("Le loyer courant est-il de nouveau payé ?"), "choice", RESUMED),
        Entry("rent_resumed_comment", _("Précisions")),
    )),
    Section("budget", _("9. Ressources, charges et capacité de remboursement"), (
        Entry("charges_comment", _("Observations sur le budget")),
        Entry("repayment_capacity", _("Capacité de remboursement mensuelle retenue (€)"), "amount"),
        Entry("rights", _("Droits ouverts ou à ouvrir")),
    )),
    Section("evaluation", _("10. Évaluation et préconisations du travailleur social"), (
        Entry("steps_taken", _("Démarches engagées")),
        Entry("wishes", _("Souhaits du ménage")),
        Entry("proposal", _("Préconisations (délais de paiement, plan d'apurement, maintien, relogement…)")),
    )),
    Section("relogement", _("11. Besoins et démarches de relogement"), (
        Entry("social_housing_number", _("Numéro unique de demande de logement social"), "text"),
        Entry("dalo", _("Recours DALO (date, décision)"), "text"),
        Entry("siao", _("Demande SIAO"), "text"),
        Entry("rehousing_needs", _("Besoins de relogement")),
    )),
    Section("ccapex", _("12. Saisine de la CCAPEX et ses préconisations"), (
        Entry("ccapex_referred_on", _("Date de saisine de la CCAPEX"), "date"),
        Entry("ccapex_recommendations", _("Préconisations de la CCAPEX")),
    )),
)

ENTRIES: tuple[Entry, ...] = tuple(e for s in SECTIONS for e in s.entries)
ENTRY_NAMES: tuple[str, ...] = tuple(e.name for e in ENTRIES)


@dataclass(frozen=True)
class Prefilled:
    """A value ZEL fills in, with where and when it came from."""

    label: str
    value: str
    source: str
    as_of: str = ""
    key: str = ""  # a stable name for tests and assistive labels


@dataclass
class SectionView:
    section: Section
    prefilled: list[Prefilled] = field(default_factory=list)
    entered: list[tuple[Entry, str]] = field(default_factory=list)


def _p(label, value, source, as_of: date | None = None, key: str = "") -> dict:
    return {"label": str(label), "value": str(value), "source": str(source),
            "as_of": format_date(as_of) if as_of else "", "key": key}


def _yes_no(flag: bool) -> str:
    return str(_("Oui") if flag else _("Non"))


def build_prefill(dsf, *, today: date | None = None) -> dict[str, list[dict]]:
    """The pre-filled values of each section, as plain strings (so that they freeze as JSON)."""
    today = today or timezone.localdate()
    procedure, lease = dsf.procedure, dsf.procedure.lease
    social = dsf_prefill_for(dsf.household_id)
    lines = rent_lines(lease.pk)
    lease_account = lease_debt(lease.pk)  # the one arrears rule, on this procedure's lease
    debt = lease_account.amount if lease_account else Decimal(0)
    last_month = _month_end(lines[-1].month) if lines else None
    account = _("compte locataire du bailleur")
    budget_src = _("budget du ménage (ZEL)")
    author = dsf.assigned_to
    out: dict[str, list[dict]] = {s.code: [] for s in SECTIONS}
    if author is not None:
        out["auteur"] += [
            _p(_("Nom"), author.get_full_name() or author.username, _("compte ZEL de l'auteur")),
            _p(_("Organisme"), author.organisation or "—", _("compte ZEL de l'auteur")),
            _p(_("Courriel"), author.email or "—", _("compte ZEL de l'auteur")),
        ]
    h = social["household"]
    out["identite"] += [_p(_("Ménage"), f"{h['name']} ({h['reference']})", _("dossier du ménage")),
                        _p(_("Année de naissance"), h["birth_year"] or "—", _("dossier du ménage"))]
    for m in h["members"]:
        out["identite"].append(_p(m["relation"], f"{m['first_name']}, {m['birth_year'] or '—'}",
                                  _("composition du ménage")))
    out["accompagnement"].append(_p(_("Accompagnement ZEL"), social.get("support_since") or _("en cours"),
                                    _("accompagnement ZEL")))
    lease_src = _("bail")
    out["location"] += [
        _p(_("Bailleur"), procedure.landlord, lease_src),
        _p(_("Référence du bail"), lease.reference, lease_src),
        _p(_("Date du bail"), format_date(lease.signed_on) if lease.signed_on else "—", lease_src),
        _p(_("Logement"), f"{lease.get_typology_display()}, {lease.address} {lease.postcode} {lease.commune}",
           lease_src),
        _p(_("Loyer"), format_eur(lease.rent), lease_src),
        _p(_("Charges"), format_eur(lease.service_charges), lease_src),
    ]
    for label, value in _housing_benefit(lease):
        out["location"].append(_p(label, value, lease_src))
    out["dette"] += [
        _p(_("Dette locative au %(day)s") % {"day": format_date(last_month or today)}, format_eur(debt), account,
           last_month or today, key="rent-debt"),
        _p(_("Ancienneté (mois de loyer dus)"), _months(debt, lease), account, last_month or today,
           key="debt-months"),
    ]
    summons = _summons(procedure)
    if summons is not None and summons.debt_amount is not None:
        out["dette"].append(_p(_("Dette au jour de l'assignation"), format_eur(summons.debt_amount),
                               _("acte d'assignation"), summons.occurred_on, key="summons-debt"))
    for plan in lease.repayment_plans.annotate(months=Count("installments")):
        out["dispositifs"].append(_p(plan.get_kind_display(), _("%(total)s sur %(months)s mois depuis le %(start)s")
                                     % {"total": format_eur(plan.total_debt), "months": plan.months,
                                        "start": format_date(plan.starts_on)}, _("plan d'apurement")))
    out["reprise"].append(_p(_("Loyer courant payé les derniers mois"), _yes_no(rent.residual_rent_resumed(lines)),
                             account, last_month or today, key="rent-resumed"))
    effort = (format_percent(social["effort_rate"]) if social.get("effort_rate") is not None
              else str(_("ressources nulles : taux non calculable")) if social.get("no_resources") else "—")
    out["budget"] += [
        _p(_("Ressources mensuelles"), format_eur(social["resources_total"]), budget_src, today, key="resources"),
        _p(_("Coût du logement (loyer + charges − aide au logement)"), format_eur(social["housing_cost"]),
           budget_src, today, key="housing-cost"),
        _p(_("Taux d'effort"), effort, budget_src, today, key="effort"),
        _p(_("Charges fixes"), format_eur(social["charges_total"]), budget_src, today, key="charges"),
        _p(_("Remboursements de dettes en cours"), format_eur(social.get("repayments_total", Decimal(0))),
           budget_src, today, key="repayments"),
    ]
    # The judge weighs the other debts (a surendettement file, a plan the rent must fit beside).
    out["budget"] += [
        _p(_("Autre dette : %(kind)s, %(creditor)s") % {"kind": d["kind"], "creditor": d["creditor"] or "—"},
           _("%(amount)s, remboursement %(monthly)s par mois") % {
               "amount": format_eur(d["amount"]), "monthly": format_eur(d["monthly_repayment"] or Decimal(0))},
           budget_src, today)
        for d in social.get("debts", [])
    ]
    out["budget"] += [
        _p(_("Reste à vivre mensuel"), format_eur(social["remaining_income"]), budget_src, today, key="remaining"),
        _p(_("par unité de consommation"), format_eur(social["remaining_income_per_unit"]), budget_src, today,
           key="remaining-per-unit"),
        _p(_("par jour et par unité de consommation"), format_eur(social["remaining_income_per_day_per_unit"]),
           budget_src, today, key="remaining-per-day"),
    ]
    out["evaluation"].append(_p(_("Thèmes travaillés"), ", ".join(social["themes_worked"]) or "—",
                                _("visites (thèmes et dates seulement)"), key="themes"))
    return out


# The prefilled lines that are figures with a fixed label, never a name, a creditor or a text: what
# an anonymised DSF keeps for the reports (litigation.retention).
FIGURE_KEYS = frozenset({"rent-debt", "debt-months", "summons-debt", "rent-resumed", "resources", "housing-cost",
                         "effort", "charges", "repayments", "remaining", "remaining-per-unit",
                         "remaining-per-day", "themes"})


def figures_only(prefill: dict) -> dict[str, list[dict]]:
    """The frozen prefill of a DSF reduced to its figure lines (each still with its source and date)."""
    return {code: [line for line in lines if isinstance(line, dict) and line.get("key") in FIGURE_KEYS]
            for code, lines in prefill.items() if isinstance(lines, list)}


def _month_end(month: date) -> date:
    import calendar

    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _summons(procedure):
    from .models import EventType

    return procedure.events.filter(type=EventType.ASSIGNATION).order_by("-occurred_on").first()


def _housing_benefit(lease) -> list[tuple[str, str]]:
    amount = getattr(lease, "housing_benefit", None)
    if amount is None:
        return []
    rows = [(str(_("Aide au logement")), format_eur(amount))]
    receiver = getattr(lease, "get_housing_benefit_paid_to_display", None)
    if receiver is not None:
        rows.append((str(_("Aide versée au")), str(receiver())))
    return rows


def _months(debt: Decimal, lease) -> str:
    due = getattr(lease, "monthly_due", None)
    if not due:
        return "—"
    return str(rent.months_of_arrears(debt, due)).replace(".", ",")


def sections_for(dsf, prefill: dict[str, list[dict]]) -> list[SectionView]:
    """What the page and the PDF show, section by section, in the decree's order."""
    views = []
    for section in SECTIONS:
        view = SectionView(section)
        view.prefilled = [Prefilled(**p) for p in prefill.get(section.code, [])]
        view.entered = [(e, _display(e, dsf.data.get(e.name, ""))) for e in section.entries]
        views.append(view)
    return views


def _display(entry: Entry, value) -> str:
    if not value:
        return ""
    if entry.kind == "choice":
        return str(dict(entry.choices).get(value, value))
    if entry.kind == "date":
        try:
            return format_date(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if entry.kind == "amount":
        try:
            return format_eur(Decimal(str(value)))
        except ArithmeticError:
            return str(value)
    return str(value)


def deadline(dsf) -> date | None:
    """The last day the DSF may reach the judge and the CCAPEX (décret 2021-8 art. 1)."""
    if dsf.hearing_on is None:
        return None
    return deadlines.dsf_deadline(dsf.hearing_on, dsf.procedure.territory.code)


SENDING_FIELDS = ("sent_to_court_on", "sent_to_ccapex_on", "sent_to_tenant_on", "sent_to_landlord_on")


# Figures of a DSF frozen before the sections (a flat dict): key -> (section, label, kind, line key).
_LEGACY_FIGURES = (
    ("resources_total", "budget", _("Ressources mensuelles"), "eur", "resources"),
    ("rent_due", "location", _("Loyer et charges dus (net d'aide au logement)"), "eur", ""),
    ("effort_rate", "budget", _("Taux d'effort"), "percent", "effort"),
    ("charges_total", "budget", _("Charges fixes"), "eur", "charges"),
    ("debts_total", "budget", _("Autres dettes (total)"), "eur", ""),
    ("remaining_income", "budget", _("Reste à vivre mensuel"), "eur", "remaining"),
    ("remaining_income_per_unit", "budget", _("par unité de consommation"), "eur", "remaining-per-unit"),
)


def _legacy_prefill(frozen: dict, *, frozen_on: date | None) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {s.code: [] for s in SECTIONS}
    source = _("DSF validé (format antérieur aux sections)")
    household = frozen.get("household") if isinstance(frozen.get("household"), dict) else {}
    if household.get("name"):
        out["identite"].append(_p(_("Ménage"), f"{household['name']} ({household.get('reference', '')})", source,
                                  frozen_on))
    for name, section, label, kind, key in _LEGACY_FIGURES:
        raw = frozen.get(name)
        if raw in (None, ""):
            continue
        amount = Decimal(str(raw))
        shown = format_eur(amount) if kind == "eur" else format_percent(amount)
        out[section].append(_p(label, shown, source, frozen_on, key=key))
    return out


def prefill_of(dsf) -> dict[str, list[dict]]:
    """The frozen values of a validated DSF, the live ones of a draft. A DSF validated before the
    sections existed kept a flat dict of figures: they are shown in their sections as they were frozen."""
    if dsf.status == dsf.Status.VALIDATED:
        frozen = dsf.data.get("prefill") or {}
        if all(isinstance(v, list) for v in frozen.values()):
            return frozen
        return _legacy_prefill(frozen, frozen_on=timezone.localdate(dsf.validated_at) if dsf.validated_at else None)
    # A draft shows today's values.
    return build_prefill(dsf)
