"""Eviction procedures, rent accounts, repayment plans, DSF and early warnings.

The legal arithmetic lives in `litigation.deadlines` (pure Python); the models store the events and,
for the list pages, a cache of what the engine computed (stage, next deadline) so that lists sort and
filter in SQL.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, Territory
from households.models import Household, Lease
from zel.lib.formats import format_date, format_eur
from zel.lib.limits import SHORT_TEXT, bounded

MONEY = {"max_digits": 12, "decimal_places": 2}
POSITIVE_MONEY = {**MONEY, "validators": [MinValueValidator(Decimal(0))]}


class EventType(models.TextChoices):
    """Codes are those of the `procedure_deadlines` JSON contract (see docs/procedure_deadlines.md)."""

    IMPAYE_CONSTITUE = "impaye_constitue", _("Impayé constitué")
    SAISINE_CCAPEX = "saisine_ccapex", _("Saisine de la CCAPEX")
    COMMANDEMENT_DE_PAYER = "commandement_de_payer", _("Commandement de payer")
    ASSIGNATION = "assignation", _("Assignation")
    AUDIENCE_RENVOYEE = "audience_renvoyee", _("Audience renvoyée")
    JUGEMENT = "jugement", _("Jugement")
    SIGNIFICATION_JUGEMENT = "signification_jugement", _("Signification du jugement")
    COMMANDEMENT_DE_QUITTER = "commandement_de_quitter_les_lieux", _("Commandement de quitter les lieux")
    DELAIS_JEX = "delais_jex", _("Délais accordés par le juge de l'exécution")
    DEMANDE_CFP = "demande_cfp", _("Demande de concours de la force publique")
    CFP_ACCORDEE = "cfp_accordee", _("Concours de la force publique accordé")
    CFP_REFUSEE = "cfp_refusee", _("Concours de la force publique refusé")
    EXPULSION_REALISEE = "expulsion_realisee", _("Expulsion réalisée")
    PROTOCOLE = "protocole_cohesion_sociale", _("Protocole de cohésion sociale signé")
    DESISTEMENT = "desistement_bailleur", _("Désistement du bailleur")
    DETTE_SOLDEE = "dette_soldee", _("Dette soldée")
    CLOTURE = "cloture", _("Procédure close")


#: The acts a bailiff serves and may record (docs/domain.md: commandement, assignation, signification).
BAILIFF_EVENT_TYPES = frozenset({
    EventType.COMMANDEMENT_DE_PAYER, EventType.ASSIGNATION, EventType.SIGNIFICATION_JUGEMENT,
    EventType.COMMANDEMENT_DE_QUITTER,
})


class Stage(models.TextChoices):
    """Where the procedure stands, in legal order. Derived from the events (see `stage_for`)."""

    PRECONTENTIEUX = "precontentieux", _("Précontentieux")
    IMPAYE = "impaye", _("Impayé constitué")
    CCAPEX = "ccapex", _("Saisine CCAPEX")
    COMMANDEMENT = "commandement", _("Commandement de payer")
    ASSIGNATION = "assignation", _("Assignation")
    JUGEMENT = "jugement", _("Jugement")
    SIGNIFICATION = "signification", _("Jugement signifié")
    CQL = "cql", _("Commandement de quitter les lieux")
    CFP = "cfp", _("Concours de la force publique")
    PROTOCOLE = "protocole", _("Protocole de cohésion sociale")
    # With a context: Django's own catalogue translates the bare verb "Close" to "Fermer".
    CLOSED = "closed", pgettext_lazy("procedure stage", "Close")


STAGE_OF_EVENT = {
    EventType.IMPAYE_CONSTITUE: Stage.IMPAYE,
    EventType.SAISINE_CCAPEX: Stage.CCAPEX,
    EventType.COMMANDEMENT_DE_PAYER: Stage.COMMANDEMENT,
    EventType.ASSIGNATION: Stage.ASSIGNATION,
    EventType.AUDIENCE_RENVOYEE: Stage.ASSIGNATION,
    EventType.JUGEMENT: Stage.JUGEMENT,
    EventType.SIGNIFICATION_JUGEMENT: Stage.SIGNIFICATION,
    EventType.COMMANDEMENT_DE_QUITTER: Stage.CQL,
    EventType.DELAIS_JEX: Stage.CQL,
    EventType.DEMANDE_CFP: Stage.CFP,
    EventType.CFP_ACCORDEE: Stage.CFP,
    EventType.CFP_REFUSEE: Stage.CFP,
    EventType.PROTOCOLE: Stage.PROTOCOLE,
}
STAGE_ORDER = {code: i for i, code in enumerate(Stage.values)}

CLOSING_EVENT_OUTCOME = {
    EventType.EXPULSION_REALISEE: "expulsion",
    EventType.DESISTEMENT: "desistement",
    EventType.DETTE_SOLDEE: "dette_soldee",
}


class Outcome(models.TextChoices):
    DETTE_SOLDEE = "dette_soldee", _("Dette soldée")
    PLAN_RESPECTE = "plan_respecte", _("Plan d'apurement respecté")
    PROTOCOLE = "protocole", _("Protocole respecté, nouveau bail")
    DESISTEMENT = "desistement", _("Désistement du bailleur")
    RELOGEMENT = "relogement", _("Relogement")
    EXPULSION = "expulsion", _("Expulsion réalisée")
    DEPART = "depart", _("Départ volontaire")
    AUTRE = "autre", _("Autre")


#: Outcomes that count as an eviction avoided (docs/domain.md, "Eviction avoided").
AVOIDED_OUTCOMES = frozenset({Outcome.DETTE_SOLDEE, Outcome.PLAN_RESPECTE, Outcome.PROTOCOLE,
                              Outcome.DESISTEMENT, Outcome.RELOGEMENT})


def stage_for(event_types: list[str]) -> str:
    """The stage reached by a list of event types (in date order): the furthest legal step, or
    closed when a closing event happened."""
    stage = Stage.PRECONTENTIEUX
    for event_type in event_types:
        if event_type in CLOSING_EVENT_OUTCOME or event_type == EventType.CLOTURE:
            return Stage.CLOSED
        candidate = STAGE_OF_EVENT.get(event_type)
        if candidate and STAGE_ORDER[candidate] >= STAGE_ORDER[stage]:
            stage = candidate
    return stage


def outcome_for(events: list[tuple[str, str]]) -> str:
    """Outcome from (type, outcome) pairs in date order: the closing event decides; '' while open."""
    for event_type, outcome in reversed(events):
        if event_type == EventType.CLOTURE:
            return outcome or Outcome.AUTRE
        if event_type in CLOSING_EVENT_OUTCOME:
            return CLOSING_EVENT_OUTCOME[event_type]
    return ""


# A procedure without a next deadline comes after every dated one. The list orders on this non-null
# key rather than NULLS LAST so that "after this row" stays one row comparison an index answers.
NO_DEADLINE = date(9999, 12, 31)


def deadline_key():
    return Coalesce("next_deadline_on", models.Value(NO_DEADLINE))


class Procedure(models.Model):
    """One procedure per lease and episode of arrears."""

    lease = models.ForeignKey(Lease, on_delete=models.PROTECT, related_name="procedures",
                              verbose_name=_("bail"))
    # Denormalised from the lease so that scoping and list filters need no join.
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="procedures",
                                  verbose_name=_("ménage"))
    landlord = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="procedures",
                                 verbose_name=_("bailleur"))
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="procedures",
                                  verbose_name=_("département"))
    bailiff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="instructed_procedures",
                                verbose_name=_("commissaire de justice mandaté"))
    opened_on = models.DateField(_("ouverte le"))
    # Cache of the engine's answer, refreshed by services.procedure_refresh on every event change
    # and daily (the "next" deadline moves as days pass).
    stage = models.CharField(_("étape"), max_length=20, choices=Stage.choices, default=Stage.PRECONTENTIEUX,
                             db_index=True)
    outcome = models.CharField(_("issue"), max_length=20, choices=Outcome.choices, blank=True)
    closed_on = models.DateField(_("close le"), null=True, blank=True)
    current_debt = models.DecimalField(_("dette actuelle"), **MONEY, default=Decimal(0))
    hearing_on = models.DateField(_("audience"), null=True, blank=True)
    next_deadline_on = models.DateField(_("prochaine échéance"), null=True, blank=True, db_index=True)
    next_deadline_code = models.CharField(_("code de la prochaine échéance"), max_length=40, blank=True)
    eviction_possible_from = models.DateField(_("expulsion possible dès"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = [models.F("next_deadline_on").asc(nulls_last=True), "pk"]
        verbose_name = _("procédure d'expulsion")
        verbose_name_plural = _("procédures d'expulsion")
        indexes = [
            models.Index(fields=["landlord", "next_deadline_on"]),
            models.Index(fields=["territory", "stage"]),
            # The procedure list's keyset (zel.lib.pagination): the deadline with NULL as "never".
            models.Index(deadline_key(), models.F("id"), name="procedure_deadline_key"),
            # The dashboard's coming hearings, soonest first: read in order, stopped after a panel.
            models.Index(fields=["hearing_on", "id"], name="procedure_hearing_order"),
        ]

    def __str__(self) -> str:
        return f"{self.lease.reference} ({self.opened_on:%d/%m/%Y})"

    @property
    def is_closed(self) -> bool:
        return self.stage == Stage.CLOSED

    def stage_label(self) -> str:
        return Stage(self.stage).label

    @property
    def eviction_avoided(self) -> bool | None:
        if not self.outcome:
            return None
        return self.outcome in AVOIDED_OUTCOMES


def procedure_document_path(instance: ProcedureEvent, filename: str) -> str:
    # Random names: the file name the user chose may contain a person's name.
    return f"litigation/procedures/{instance.procedure_id}/{uuid.uuid4().hex}.pdf"


class ProcedureEvent(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("type"), max_length=40, choices=EventType.choices)
    occurred_on = models.DateField(_("date de l'acte"))
    hearing_on = models.DateField(_("date d'audience"), null=True, blank=True)
    months = models.PositiveSmallIntegerField(_("mois"), null=True, blank=True,
                                              help_text=_("Délais de paiement ou délais du JEX, en mois."))
    debt_amount = models.DecimalField(_("dette à cette date"), **POSITIVE_MONEY, null=True, blank=True)
    outcome = models.CharField(_("issue"), max_length=20, choices=Outcome.choices, blank=True)
    note = models.TextField(_("commentaire"), blank=True, validators=bounded(SHORT_TEXT))
    document = models.FileField(_("acte signifié (PDF)"), upload_to=procedure_document_path, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    related_name="+", verbose_name=_("saisi par"))
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["occurred_on", "pk"]
        verbose_name = _("événement de procédure")
        indexes = [models.Index(fields=["procedure", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.occurred_on:%d/%m/%Y}"


class ProcedureDeadline(models.Model):
    """The engine's deadlines, stored so dashboards and digests query them in SQL."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="deadlines")
    code = models.CharField(max_length=40)
    due_on = models.DateField()
    label = models.CharField(max_length=200)
    rule = models.TextField()
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["procedure", "code"], name="deadline_unique_code")]
        # The whole order (day, then id): a dashboard's soonest deadlines are an index range read in
        # order, where the day alone left every deadline of a busy day to sort (170 ms at 10⁶).
        indexes = [models.Index(fields=["due_on", "id"], name="deadline_due_order")]


class RentAccountLine(models.Model):
    """One month of a lease's rent account, as exported by the landlord's accounting."""

    lease = models.ForeignKey(Lease, on_delete=models.CASCADE, related_name="rent_lines")
    month = models.DateField(_("mois"), help_text=_("Premier jour du mois."))
    amount_called = models.DecimalField(_("quittancé (loyer + charges)"), **MONEY)
    housing_benefit = models.DecimalField(_("APL versée au bailleur"), **MONEY, default=Decimal(0))
    amount_paid = models.DecimalField(_("encaissé"), **MONEY, default=Decimal(0))
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["lease", "month"]
        verbose_name = _("ligne de compte locataire")
        constraints = [models.UniqueConstraint(fields=["lease", "month"], name="rent_line_unique_month")]

    def __str__(self) -> str:
        return f"{self.lease_id} {self.month:%m/%Y}"

    def month_line(self):
        """The line as the pure arrears rule reads it (litigation.rent.MonthLine)."""
        from .rent import MonthLine

        return MonthLine(self.month, self.amount_called, self.housing_benefit, self.amount_paid)


class RentImportMapping(models.Model):
    """Column headers of a landlord's export. Each field lists accepted headers separated by '|';
    matching ignores case, accents and punctuation. Empty: the defaults of litigation.rent_import."""

    landlord = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="rent_import_mapping",
                                    limit_choices_to={"kind": Organisation.Kind.LANDLORD},
                                    verbose_name=_("bailleur"))
    lease_reference = models.CharField(_("colonne référence du bail"), max_length=200, blank=True)
    month = models.CharField(_("colonne mois"), max_length=200, blank=True)
    amount_called = models.CharField(_("colonne quittancé"), max_length=200, blank=True)
    housing_benefit = models.CharField(_("colonne APL"), max_length=200, blank=True)
    amount_paid = models.CharField(_("colonne encaissé"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("correspondance des colonnes d'import")

    def __str__(self) -> str:
        return str(self.landlord)


class RepaymentPlan(models.Model):
    class Kind(models.TextChoices):
        PLAN_APUREMENT = "plan_apurement", _("Plan d'apurement")
        JUDGE_DELAYS = "judge_delays", _("Délais de paiement du juge")
        PROTOCOL = "protocol", _("Protocole de cohésion sociale")

    lease = models.ForeignKey(Lease, on_delete=models.PROTECT, related_name="repayment_plans",
                              verbose_name=_("bail"))
    procedure = models.ForeignKey(Procedure, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="plans", verbose_name=_("procédure"))
    kind = models.CharField(_("nature"), max_length=20, choices=Kind.choices)
    total_debt = models.DecimalField(_("dette à apurer"), **POSITIVE_MONEY)
    starts_on = models.DateField(_("première échéance"))
    ended_on = models.DateField(_("fin anticipée"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("plan d'apurement")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on:%m/%Y}"


class Installment(models.Model):
    plan = models.ForeignKey(RepaymentPlan, on_delete=models.CASCADE, related_name="installments")
    due_on = models.DateField(_("échéance"))
    amount = models.DecimalField(_("montant"), **POSITIVE_MONEY)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("échéance")
        constraints = [models.UniqueConstraint(fields=["plan", "due_on"], name="installment_unique_due")]

    def __str__(self) -> str:
        return f"{format_date(self.due_on)} {format_eur(self.amount)}"


def dsf_document_path(instance: Dsf, filename: str) -> str:
    return f"litigation/dsf/{instance.procedure_id}/{uuid.uuid4().hex}.pdf"


class Dsf(models.Model):
    """Diagnostic social et financier for the judge; its existence in 'to do' is the worker's task."""

    class Status(models.TextChoices):
        TODO = "todo", _("À faire")
        VALIDATED = "validated", _("Validé")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="dsfs")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="dsfs")
    hearing_on = models.DateField(_("audience"), null=True, blank=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="dsf_tasks", verbose_name=_("travailleur social"))
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.TODO)
    data = models.JSONField(_("contenu"), default=dict, blank=True)
    validated_at = models.DateTimeField(_("validé le"), null=True, blank=True)
    validated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    sent_to_court_on = models.DateField(_("envoyé au tribunal le"), null=True, blank=True)
    sent_to_ccapex_on = models.DateField(_("envoyé à la CCAPEX le"), null=True, blank=True)
    sent_to_tenant_on = models.DateField(_("envoyé au locataire le"), null=True, blank=True)
    sent_to_landlord_on = models.DateField(_("envoyé au bailleur le"), null=True, blank=True)
    pdf = models.FileField(upload_to=dsf_document_path, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["data"])

    class Meta:
        ordering = ["hearing_on", "pk"]
        verbose_name = _("diagnostic social et financier")
        constraints = [models.UniqueConstraint(fields=["procedure", "hearing_on"], name="dsf_unique_hearing")]
        # DSFs still to send to the court, by hearing: the dashboard's DSF tasks in order.
        indexes = [models.Index(fields=["hearing_on", "id"], name="dsf_unsent_by_hearing",
                                condition=models.Q(sent_to_court_on__isnull=True))]

    def __str__(self) -> str:
        return f"DSF {self.procedure_id}"

    @property
    def is_missing_for_hearing(self) -> bool:
        return self.sent_to_court_on is None


class EarlyWarning(models.Model):
    """A lease the programme should look at before the summons (worklist of the manager)."""

    class Kind(models.TextChoices):
        THRESHOLD = "threshold", _("Impayé constitué (dette ≥ 2 mois)")
        GROWING = "growing", _("Dette en hausse un deuxième mois")
        NEW_STEP = "new_step", _("Nouvelle étape de procédure")

    lease = models.ForeignKey(Lease, on_delete=models.CASCADE, related_name="early_warnings")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="early_warnings")
    kind = models.CharField(_("motif"), max_length=12, choices=Kind.choices)
    detail = models.CharField(_("détail"), max_length=200, blank=True)
    debt = models.DecimalField(_("dette"), **MONEY, default=Decimal(0))
    # One warning per lease, motive and month (or step): re-running the job adds nothing.
    period_key = models.CharField(max_length=40)
    detected_on = models.DateField(_("détecté le"))
    referred_on = models.DateField(_("orienté le"), null=True, blank=True)
    dismissed_on = models.DateField(_("écarté le"), null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-detected_on", "pk"]
        verbose_name = _("alerte précoce")
        constraints = [models.UniqueConstraint(fields=["lease", "kind", "period_key"],
                                               name="early_warning_unique")]
        # The open alerts, newest first, in keyset order (detected_on, id): one index range a page.
        indexes = [models.Index(fields=["referred_on", "dismissed_on", "detected_on", "id"],
                                name="early_warning_open_keyset")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.detected_on:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.referred_on is None and self.dismissed_on is None


def month_start(day: date) -> date:
    return day.replace(day=1)



class DigestSent(models.Model):
    """The deadline digest of one day went to this user: claimed before sending, so that a second run
    that day (another worker, a redelivered task) mails nobody twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()

    class Meta:
        verbose_name = _("récapitulatif d'échéances envoyé")
        constraints = [models.UniqueConstraint(fields=["user", "sent_on"], name="digest_sent_once_a_day")]
        indexes = [models.Index(fields=["sent_on"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.sent_on:%d/%m/%Y}"
