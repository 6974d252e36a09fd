"""The report's two definitions, implemented once, as queryset filters on Household.

Every figure of the report that says "up to date with rent" or "eviction avoided" goes through
`up_to_date_q` / `eviction_avoided_q`; the French text printed on the report's last page is
`DEFINITIONS` below, so what the funders read and what the code counts cannot drift apart.

Rent accounts are monthly (one line per lease and month), so dates are compared at month
granularity: a line counts for a day D when its month starts on or before D.

No installment carries its own payment: the landlord's rent account is the only record of what the
tenant paid. An installment is therefore paid when the tenant's payments on the lease since the
plan's first installment exceed the residual rent called over the same months by at least the
installments due so far — payments go to the oldest debt first (Code civil art. 1342-10).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import (
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext_lazy as _

from litigation.arrears import line_balance
from litigation.models import EventType, Installment, Outcome, Procedure, ProcedureEvent, RentAccountLine, RepaymentPlan
from support.models import SupportEpisode

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)

#: Steps from the commandement de payer on: a household that entered at one of them was facing a
#: real eviction risk, so a good outcome counts as an eviction avoided.
ADVANCED_EVENT_TYPES = (
    EventType.COMMANDEMENT_DE_PAYER, EventType.ASSIGNATION, EventType.AUDIENCE_RENVOYEE, EventType.JUGEMENT,
    EventType.SIGNIFICATION_JUGEMENT, EventType.COMMANDEMENT_DE_QUITTER, EventType.DELAIS_JEX,
    EventType.DEMANDE_CFP, EventType.CFP_ACCORDEE, EventType.CFP_REFUSEE, EventType.PROTOCOLE,
)
#: Procedure outcomes other than an eviction that docs/domain.md lists (debt cleared, plan kept,
#: protocol signed, landlord withdrew, rehoused).
AVOIDED_OUTCOMES = (Outcome.DETTE_SOLDEE, Outcome.PLAN_RESPECTE, Outcome.PROTOCOLE, Outcome.DESISTEMENT,
                    Outcome.RELOGEMENT)

DEFINITIONS = [
    (_("Ménage à jour de son loyer"), _(
        "Ménage accompagné à la fin du trimestre dont le compte locataire ne laisse aucun loyer résiduel "
        "impayé sur les trois mois appelés du trimestre (total encaissé au moins égal au loyer et aux charges "
        "quittancés, déduction faite de l'APL versée au bailleur), et dont toutes les échéances de plan "
        "d'apurement dues dans le trimestre sont payées. Une échéance est payée quand les encaissements "
        "depuis le début du plan couvrent le loyer résiduel et toutes les échéances dues jusque-là (les "
        "paiements s'imputent sur la dette la plus ancienne). Les ménages dont le compte locataire n'est pas "
        "connu pour le trimestre ne sont comptés ni au numérateur ni au dénominateur ; leur nombre est "
        "indiqué à part.")),
    (_("Expulsion évitée"), _(
        "Ménage entré dans le dispositif alors que sa procédure avait atteint le commandement de payer ou une "
        "étape ultérieure, et dont la procédure s'est terminée autrement que par une expulsion (dette soldée, "
        "plan d'apurement respecté, protocole de cohésion sociale respecté, désistement du bailleur, "
        "relogement), ou dont l'accompagnement s'est terminé alors que la procédure était suspendue et son plan "
        "respecté. Une expulsion évitée est comptée dans le trimestre de la clôture de la procédure ou de la "
        "fin de l'accompagnement.")),
    (_("Ménage accompagné, entré, sorti"), _(
        "Un ménage est accompagné à une date quand un accompagnement est ouvert à cette date ; il est entré "
        "dans le trimestre quand un accompagnement y a été ouvert, sorti quand un accompagnement y a été clos. "
        "Un événement daté du dernier jour du trimestre appartient à ce trimestre, un événement du premier jour "
        "du trimestre suivant au suivant.")),
    (_("Demandes d'aide : demandé, accordé, versé"), _(
        "Une demande d'aide (FSL, aide sur quittance, Loca-Pass, ASLL, maintien des APL…) est comptée comme "
        "demandée dans le trimestre de son dépôt auprès de l'organisme instructeur, accordée dans le trimestre "
        "de la décision favorable de cet organisme, versée dans le trimestre du versement. Les montants sont "
        "ceux demandés, accordés et versés, qui peuvent différer ; les aides sans montant (maintien des APL, "
        "Visale, mutation…) et l'ASLL (comptée en mois) sont dénombrées sans montant. Les montants des leviers "
        "du COPIL sont ceux retenus en séance, avant l'examen par l'organisme instructeur.")),
    (_("Petits effectifs"), _(
        "Toute case qui porte sur 1 à 4 ménages est affichée « < 5 » (et les taux, moyennes et montants "
        "calculés sur moins de 5 ménages ne sont pas publiés), afin que personne ne puisse être reconnu. Aucun "
        "nom, aucune adresse et aucun texte libre concernant une personne ne figurent dans le rapport."))
]


def _sum(qs: QuerySet, group: str, expression) -> Subquery:
    """A correlated SUM as a scalar subquery (grouping on the correlated column gives one row)."""
    return Subquery(qs.order_by().values(group).annotate(total=Sum(expression, output_field=MONEY_FIELD))
                    .values("total")[:1], output_field=MONEY_FIELD)


def line_surplus():
    """What a month's payment leaves over the residual rent: the opposite of the arrears rule's balance."""
    return ExpressionWrapper(ZERO - line_balance(), output_field=MONEY_FIELD)


def as_of(on) -> Value | F:
    return Value(on) if isinstance(on, date) else on


def plans_with_cover(on_ref) -> QuerySet[RepaymentPlan]:
    """Repayment plans annotated with `_due` (installments due up to `on_ref`) and `_covered` (what the
    payments since the first installment left over the residual rent, up to `on_ref`'s month).

    `on_ref` is a date or an expression resolved on the plan row (e.g. OuterRef(...))."""
    due = Installment.objects.filter(plan=OuterRef("pk"), due_on__lte=OuterRef("_on")).filter(
        Q(plan__ended_on__isnull=True) | Q(due_on__lte=F("plan__ended_on")))
    paid = RentAccountLine.objects.filter(lease=OuterRef("lease"), month__gte=OuterRef("_start_month"),
                                          month__lte=OuterRef("_on"))
    return (RepaymentPlan.objects.annotate(_on=as_of(on_ref), _start_month=TruncMonth("starts_on"))
            .annotate(_due=Coalesce(_sum(due, "plan", F("amount")), ZERO),
                      _covered=Coalesce(_sum(paid, "lease", line_surplus()), ZERO)))


def kept_plans(on_ref) -> QuerySet[RepaymentPlan]:
    """Plans started by `on_ref` whose installments due so far are all paid."""
    return plans_with_cover(on_ref).filter(starts_on__lte=F("_on"), _due__lte=F("_covered"))


def rent_known_q(start: date, end: date) -> Q:
    """The household's rent account has at least one line in the months of [start, end]."""
    return Q(Exists(RentAccountLine.objects.filter(lease__household=OuterRef("pk"), month__gte=start,
                                                   month__lte=end)))


def up_to_date_q(start: date, end: date) -> Q:
    """Up to date with rent for the quarter [start, end] (the first definition, for Household).

    Callers restrict to the households supported at `end` themselves."""
    shortfall = (RentAccountLine.objects.filter(lease__household=OuterRef("pk"), month__gte=start, month__lte=end)
                 .order_by().values("lease__household").annotate(s=Sum(line_balance())).filter(s__gt=0))
    installment_in_quarter = Installment.objects.filter(plan=OuterRef("pk"), due_on__gte=start, due_on__lte=end)
    missed_plan = (plans_with_cover(end).filter(lease__household=OuterRef("pk"))
                   .filter(Exists(installment_in_quarter), _due__gt=F("_covered")))
    return rent_known_q(start, end) & ~Q(Exists(shortfall)) & ~Q(Exists(missed_plan))


def _advanced_at_entry(procedure_ref: str, entry_ref) -> Exists:
    return Exists(ProcedureEvent.objects.filter(procedure=OuterRef(procedure_ref), type__in=ADVANCED_EVENT_TYPES,
                                                occurred_on__lte=entry_ref))


def eviction_avoided_q(start: date, end: date) -> Q:
    """Eviction avoided within [start, end] (the second definition, for Household)."""
    # (a) the procedure closed in the period with an outcome other than eviction, and the household
    #     had entered the programme (before the closure) while the procedure was at commandement or later.
    entered_advanced = SupportEpisode.objects.filter(
        household=OuterRef("household"), opened_on__lte=OuterRef("closed_on")).filter(
        _advanced_at_entry(OuterRef("pk"), OuterRef("opened_on")))
    closed_well = Procedure.objects.filter(
        household=OuterRef("pk"), outcome__in=AVOIDED_OUTCOMES, closed_on__gte=start, closed_on__lte=end,
    ).filter(Exists(entered_advanced))
    # (b) the support ended in the period while the procedure (at commandement or later at entry) was
    #     still open, suspended by a repayment plan that was kept on the day support ended.
    suspended = Procedure.objects.filter(
        household=OuterRef("household"), opened_on__lte=OuterRef("closed_on"),
    ).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=OuterRef("closed_on"))).filter(
        _advanced_at_entry("pk", OuterRef(OuterRef("opened_on"))),
        Exists(kept_plans(OuterRef(OuterRef("closed_on"))).filter(
            Q(procedure=OuterRef("pk")) | Q(procedure__isnull=True, lease=OuterRef("lease")))),
    ).exclude(Exists(ProcedureEvent.objects.filter(procedure=OuterRef("pk"), type=EventType.EXPULSION_REALISEE)))
    ended_suspended = SupportEpisode.objects.filter(
        household=OuterRef("pk"), closed_on__gte=start, closed_on__lte=end,
    ).exclude(exit_reason=SupportEpisode.ExitReason.EVICTED).filter(Exists(suspended))
    return Q(Exists(closed_well)) | Q(Exists(ended_suspended))


def evicted_q(start: date, end: date) -> Q:
    """An eviction carried out in [start, end] on a household the programme supported before it."""
    return Q(Exists(ProcedureEvent.objects.filter(
        procedure__household=OuterRef("pk"), type=EventType.EXPULSION_REALISEE, occurred_on__gte=start,
        occurred_on__lte=end)))


def active_q(on: date) -> Q:
    """Supported at the end of that day: an episode opened on or before it and not closed by then
    (closed on the quarter's last day = exited in that quarter, not active at its end)."""
    return Q(Exists(SupportEpisode.objects.filter(household=OuterRef("pk"), opened_on__lte=on).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=on))))


def entered_q(start: date, end: date) -> Q:
    return Q(Exists(SupportEpisode.objects.filter(household=OuterRef("pk"), opened_on__gte=start,
                                                  opened_on__lte=end)))
