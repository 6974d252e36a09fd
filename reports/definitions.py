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

from litigation.arrears import household_arrears_sql, line_balance
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
        "calculés sur moins de 5 ménages ne sont pas publiés), afin que personne ne puisse être reconnu. Pour "
        "qu'une case « < 5 » ne puisse pas être retrouvée par soustraction à partir du total de sa ligne ou de "
        "sa colonne, d'autres cases de la même ligne ou colonne (les plus petites) sont masquées avec elle et "
        "affichées « s » (secret statistique). Aucun nom, aucune adresse et aucun texte libre concernant une "
        "personne ne figurent dans le rapport."))
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
    return rent_known_q(start, end) & nothing_left_unpaid_q(start, end)


def nothing_left_unpaid_q(start: date, end: date) -> Q:
    """The part of `up_to_date_q` beside a known rent account: the quarter's rent paid and the
    quarter's installments covered."""
    shortfall = (RentAccountLine.objects.filter(lease__household=OuterRef("pk"), month__gte=start, month__lte=end)
                 .order_by().values("lease__household").annotate(s=Sum(line_balance())).filter(s__gt=0))
    return ~Q(Exists(shortfall)) & ~missed_installment_q(start, end)


def missed_installment_q(start: date, end: date) -> Q:
    """One of the household's repayment plans has an installment due in [start, end] and is not
    covered at `end` (plans_with_cover)."""
    installment_in_quarter = Installment.objects.filter(plan=OuterRef("pk"), due_on__gte=start, due_on__lte=end)
    missed_plan = (plans_with_cover(end).filter(lease__household=OuterRef("pk"))
                   .filter(Exists(installment_in_quarter), _due__gt=F("_covered")))
    return Q(Exists(missed_plan))


def rent_known_sql(window: str) -> str:
    """`rent_known_q` on a household's row of the report's pass over the rent lines, where `window`
    (litigation.arrears.RentWindow) is the quarter's months."""
    return f"COALESCE({window}_lines, 0) > 0"


def rent_paid_sql(window: str, missed: str) -> str:
    """`nothing_left_unpaid_q` on the same row, with `missed` the fact `missed_installment_q`."""
    return f"NOT COALESCE({window}_balance > 0, FALSE) AND NOT {missed}"


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


def episode_active_q(on: date) -> Q:
    """An episode that is open at the end of that day: opened on or before it and not closed by then
    (closed on the quarter's last day = exited in that quarter, not active at its end)."""
    return Q(opened_on__lte=on) & (Q(closed_on__isnull=True) | Q(closed_on__gt=on))


def active_q(on: date) -> Q:
    """Supported at the end of that day: one of its episodes is active then (`episode_active_q`)."""
    return Q(Exists(SupportEpisode.objects.filter(episode_active_q(on), household=OuterRef("pk"))))


def entered_q(start: date, end: date) -> Q:
    return Q(Exists(SupportEpisode.objects.filter(household=OuterRef("pk"), opened_on__gte=start,
                                                  opened_on__lte=end)))



# ---------------------------------------------------------------------------------------------
# Issue 16: the figures FNAVDL calls for projects ask for. Each is defined once here (filter or
# expression) and its French text is in DEFINITIONS_FNAVDL, printed on the definitions page.
# ---------------------------------------------------------------------------------------------

DEFINITIONS_FNAVDL = [
    (_("Ménage accompagné au cours de la période"), _(
        "Ménage accompagné au premier jour de la période (accompagnement ouvert avant et non clos) ou entré "
        "pendant la période. Depuis le début du programme, ce sont tous les ménages entrés.")),
    (_("Publics prioritaires"), _(
        "Publics pour lesquels le FNAVDL existe (CCH, art. L.300-2) : ménages prioritaires DALO, publics du "
        "PDALHPD, sortants d'hébergement, victimes de violences conjugales, jeunes sortant de l'aide sociale "
        "à l'enfance. Un ménage peut relever de plusieurs publics : les lignes ne s'additionnent pas. "
        "Population : ménages accompagnés au cours de la période.")),
    (_("Situation de logement à l'entrée et à la sortie"), _(
        "À l'entrée : situation renseignée sur la fiche du ménage, pour les ménages entrés dans la période. "
        "À la sortie : situation renseignée à la clôture de l'accompagnement, pour les ménages sortis dans "
        "la période.")),
    (_("Âge et sexe de la personne de référence"), _(
        "Âge révolu au dernier jour de la période, calculé sur la date de naissance ; quand seule l'année de "
        "naissance est connue, âge atteint dans l'année. Tranches : moins de 25 ans, 25 à 34, 35 à 44, 45 "
        "à 54, 55 à 64, 65 ans et plus. Population : ménages accompagnés au cours de la période.")),
    (_("Délais médians du parcours"), _(
        "Pour les ménages entrés dans la période : de la dernière orientation reçue au dernier diagnostic "
        "réalisé, de ce diagnostic à la dernière décision d'admission du COPIL (décision corrigée remplacée "
        "par sa correction), tous trois au plus tard le jour de l'entrée ; de cette décision à la première "
        "visite à domicile réalisée ensuite (ni prévue, ni manquée). Médiane en jours, sur les ménages dont "
        "les deux dates sont connues et dans l'ordre.")),
    (_("Taux de relogement du volet accès"), _(
        "Part des ménages du volet accès sortis dans la période qui sont locataires à la sortie, parmi ceux "
        "dont la situation de logement à la sortie est renseignée (les autres sont comptés à part).")),
    (_("Dette locative après la fin de l'accompagnement"), _(
        "Pour les ménages dont l'accompagnement s'est terminé 6 (ou 12) mois avant un mois de la période, "
        "la dette du compte locataire à la fin du sixième (ou douzième) mois qui suit le mois de sortie, "
        "calculée comme la dette en fin de trimestre. Seuls les ménages dont le compte locataire a une ligne "
        "ce mois-là sont comptés.")),
    (_("Stade de la procédure à l'entrée"), _(
        "Étape la plus avancée atteinte, au jour de l'entrée dans le dispositif, par les procédures du ménage "
        "en cours ce jour-là (ordre légal : impayé constitué, saisine CCAPEX, commandement de payer, "
        "assignation, jugement, signification, commandement de quitter les lieux, concours de la force "
        "publique, protocole). « Aucune procédure » : pas de procédure en cours à l'entrée.")),
]
# Before the last one (small cells), which stays last.
DEFINITIONS[-1:-1] = DEFINITIONS_FNAVDL

#: Months after the end of support at which the rent account is read again.
AFTER_EXIT_MONTHS = (6, 12)

#: Age bands of the reference person: (code, label, lowest age, highest age or None).
AGE_BANDS = [("u25", _("Moins de 25 ans"), 0, 24), ("25_34", _("25 à 34 ans"), 25, 34),
             ("35_44", _("35 à 44 ans"), 35, 44), ("45_54", _("45 à 54 ans"), 45, 54),
             ("55_64", _("55 à 64 ans"), 55, 64), ("65p", _("65 ans et plus"), 65, None)]
UNKNOWN = "inconnu"


def supported_during_q(start: date, end: date) -> Q:
    """Supported at some point of [start, end]: active at the start of `start` or entered in the period
    (an episode opened by `end` and not closed before `start`)."""
    return Q(Exists(SupportEpisode.objects.filter(episode_during_q(start, end), household=OuterRef("pk"))))


def episode_during_q(start: date, end: date) -> Q:
    """An episode open at some point of [start, end]."""
    return Q(opened_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start))


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_band_of(age: int) -> str:
    """The pure rule: the band of an age in whole years."""
    for code, _label, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return code
    return AGE_BANDS[0][0]


def age_on(*, on: date, birth_date: date | None, birth_year: int | None) -> int | None:
    if birth_date is not None:
        return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    return on.year - birth_year if birth_year else None


def age_band(on: date):
    """The reference person's age band at the end of `on` as a SQL expression on Household: compares
    dates with the band limits computed here, so no date arithmetic runs in SQL (same on SQLite)."""
    from django.db.models import Case, CharField, When

    whens = []
    for code, _label, _low, high in AGE_BANDS[:-1]:
        # Younger than high + 1 at `on`: born after `on` minus (high + 1) years.
        whens.append(When(birth_date__isnull=False, birth_date__gt=years_before(on, high + 1), then=Value(code)))
    whens.append(When(birth_date__isnull=False, then=Value(AGE_BANDS[-1][0])))
    for code, _label, _low, high in AGE_BANDS[:-1]:
        whens.append(When(birth_year__gt=on.year - high - 1, then=Value(code)))
    return Case(*whens, default=Value(AGE_BANDS[-1][0]), output_field=CharField())


def target_public_q(code: str) -> Q:
    """Households counted in a target public (a JSON list of codes; portable text match on the quoted code)."""
    return Q(target_publics__icontains=f'"{code}"')


def month_shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def after_exit_cohort(households: QuerySet, start: date, end: date, months: int) -> QuerySet:
    """Households whose support ended in a month m with m + `months` in [start, end]'s months, annotated
    with `_after_month` (the first day of that later month), `_after_known` (the rent account has a line
    that month) and `_after_debt` (the arrears at its end, litigation.arrears)."""
    from django.db.models import Case, DateField, When

    first = month_shift(date(start.year, start.month, 1), -months)
    last = month_shift(date(end.year, end.month, 1), -months)
    whens, month = [], first
    while month <= last:
        whens.append(When(closed_on__gte=month, closed_on__lt=month_shift(month, 1),
                          then=Value(month_shift(month, months))))
        month = month_shift(month, 1)
    # The month is mapped inside the episode subquery (on its own column): referencing the subquery
    # from each WHEN would repeat it once per month of the period.
    closed = (SupportEpisode.objects.filter(household=OuterRef("pk"), closed_on__gte=first,
                                            closed_on__lt=month_shift(last, 1)).order_by("-closed_on")
              .annotate(_after=Case(*whens, default=None, output_field=DateField())))
    lines = RentAccountLine.objects.filter(lease__household=OuterRef("pk"), month=OuterRef("_after_month"))
    # The households that left in the window first, in one pass over the episodes: the month's
    # subquery then runs for them only, not for every household of the programme (10⁶).
    left = (SupportEpisode.objects.filter(closed_on__gte=first, closed_on__lt=month_shift(last, 1))
            .values("household_id"))
    return (households.filter(pk__in=left)
            .annotate(_after_month=Subquery(closed.values("_after")[:1], output_field=DateField()))
            .filter(_after_month__isnull=False)
            .annotate(_after_known=Exists(lines), _after_debt=household_arrears_sql("pk", on=OuterRef("_after_month"))))


#: Stage codes at entry, furthest first, with the event types that reach them (litigation's mapping).
NO_PROCEDURE = "aucune"


def stage_at_entry(entry_ref: str = "opened_on", household_ref: str = "household"):
    """The furthest legal stage, on the entry day, of the household's procedures open that day
    (SupportEpisode expression); NO_PROCEDURE without any. Uses litigation's STAGE_OF_EVENT order."""
    from django.db.models import Case, CharField, When

    from litigation.models import STAGE_OF_EVENT, STAGE_ORDER, Stage

    open_then = Procedure.objects.filter(household=OuterRef(household_ref), opened_on__lte=OuterRef(entry_ref)).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=OuterRef(entry_ref)))
    # Every stage below needs a procedure open on the entry day: without one (most entries), the
    # answer comes from one probe instead of one per stage (11 s → see docs/benchmarks.md at 10⁶).
    whens = [When(~Exists(open_then), then=Value(NO_PROCEDURE))]
    for stage in sorted(set(STAGE_OF_EVENT.values()), key=lambda s: -STAGE_ORDER[s]):
        types = [t for t, s in STAGE_OF_EVENT.items() if s == stage]
        events = ProcedureEvent.objects.filter(
            procedure__household=OuterRef(household_ref), type__in=types, occurred_on__lte=OuterRef(entry_ref),
            procedure__opened_on__lte=OuterRef(entry_ref)).filter(
            Q(procedure__closed_on__isnull=True) | Q(procedure__closed_on__gte=OuterRef(entry_ref)))
        whens.append(When(Exists(events), then=Value(str(stage))))
    whens.append(When(Exists(open_then), then=Value(str(Stage.PRECONTENTIEUX))))
    return Case(*whens, default=Value(NO_PROCEDURE), output_field=CharField())
