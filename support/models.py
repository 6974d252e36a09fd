"""Support: social diagnosis, support episodes and plan, visits, psychologist notes, budget sheet.

Sensitive data (the diagnosis' health section, psychologist notes) is kept in separate fields or a
separate model so that every read can be filtered by the access modules, never by a template.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from households.models import Household, HousingSituation
from zel.lib.limits import bounded

MONEY = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}
# The author may correct a visit for this long; afterwards only an addendum can be added.
EDIT_WINDOW = timedelta(days=7)


class Theme(models.TextChoices):
    """The programme's support themes, shared by plan goals and visits."""

    BUDGET = "budget", _("Gestion budgétaire")
    RIGHTS = "rights", _("Accès aux droits")
    ADMINISTRATIVE = "administrative", _("Démarches administratives")
    ENERGY_CREDITORS = "energy_creditors", _("Fournisseurs d'énergie et créanciers")
    SAVOIR_HABITER = "savoir_habiter", _("Savoir habiter")
    ENERGY_KIT = "energy_kit", _("Maîtrise de l'énergie (kit énergie)")
    HEALTH = "health", _("Santé")
    EMPLOYMENT = "employment", _("Emploi")


def validate_themes(value) -> None:
    if not isinstance(value, list) or any(v not in Theme.values for v in value):
        raise ValidationError(_("Thème inconnu."), code="invalid_theme")


class Diagnosis(models.Model):
    """One social diagnosis, dated and signed. A new diagnosis is a new row: the old one stays."""

    class Kind(models.TextChoices):
        STANDARD = "standard", _("Diagnostic social")
        RELOCATION = "relocation", _("Co-diagnostic relogement")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="diagnoses",
                                  verbose_name=_("ménage"))
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.STANDARD)
    done_on = models.DateField(_("réalisé le"), default=timezone.localdate)
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="diagnoses_signed",
                                     verbose_name=_("signé par"))
    # Family and budget
    family_situation = models.TextField(_("situation familiale"), blank=True, validators=bounded())
    budget_notes = models.TextField(_("budget"), blank=True, validators=bounded())
    rent_debt = models.DecimalField(_("dette locative (€)"), default=Decimal(0), **MONEY)
    energy_debt = models.DecimalField(_("dette d'énergie (€)"), default=Decimal(0), **MONEY)
    other_debts = models.DecimalField(_("autres dettes (€)"), default=Decimal(0), **MONEY)
    debts_notes = models.TextField(_("créanciers et dettes"), blank=True, validators=bounded())
    # Rights
    rights_opened = models.TextField(_("droits ouverts"), blank=True, validators=bounded())
    rights_not_claimed = models.TextField(_("droits non réclamés (non-recours)"), blank=True, validators=bounded())
    # Housing fit
    housing_type = models.CharField(_("type de logement adapté"), max_length=120, blank=True)
    housing_place = models.CharField(_("secteur souhaité"), max_length=200, blank=True)
    housing_ties = models.TextField(_("attaches (école, travail, soins, famille)"), blank=True, validators=bounded())
    employment = models.TextField(_("emploi et formation"), blank=True, validators=bounded())
    goals = models.TextField(_("objectifs du ménage"), blank=True, validators=bounded())
    committee_summary = models.TextField(
        _("synthèse pour le COPIL"), blank=True, validators=bounded(),
        help_text=_("Seul ce texte est lu par le comité : aucune donnée de santé."))
    # Sensitive section (RGPD art. 9): the social-worker/psychologist circle only.
    health = models.TextField(_("santé"), blank=True, validators=bounded())
    mental_health = models.TextField(_("santé mentale"), blank=True, validators=bounded())
    addictions = models.TextField(_("addictions"), blank=True, validators=bounded())
    # Relocation co-diagnosis: the target dwelling.
    target_typology = models.CharField(_("typologie visée"), max_length=2, blank=True,
                                       choices=[(f"T{i}", f"T{i}") for i in range(1, 7)])
    target_place = models.CharField(_("secteur visé"), max_length=200, blank=True)
    target_max_rent = models.DecimalField(_("loyer maximum (€)"), null=True, blank=True, **MONEY)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   related_name="+", verbose_name=_("saisi par"))
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[authors])

    SENSITIVE_FIELDS = ("health", "mental_health", "addictions")

    class Meta:
        ordering = ["-done_on", "-pk"]
        verbose_name = _("diagnostic social")
        verbose_name_plural = _("diagnostics sociaux")
        indexes = [models.Index(fields=["household", "-done_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.done_on:%d/%m/%Y}"

    @property
    def total_debt(self) -> Decimal:
        return self.rent_debt + self.energy_debt + self.other_debts


class SupportEpisode(models.Model):
    """One admission's support, from opening to exit. A household may have several over time."""

    class Intensity(models.TextChoices):
        LIGHT = "light", _("Légère")
        STANDARD = "standard", _("Normale")
        INTENSIVE = "intensive", _("Renforcée")

    class ExitReason(models.TextChoices):
        STABLE_TENANT = "stable_tenant", _("Locataire autonome")
        REHOUSED = "rehoused", _("Relogé")
        CHEAPER_DWELLING = "cheaper_dwelling", _("Relogé dans un logement moins cher")
        LEFT_PROGRAMME = "left_programme", _("Sortie du dispositif")
        EVICTED = "evicted", _("Expulsé")
        OTHER = "other", _("Autre")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="support_episodes",
                                  verbose_name=_("ménage"))
    opened_on = models.DateField(_("ouvert le"))
    closed_on = models.DateField(_("clos le"), null=True, blank=True)
    intensity = models.CharField(_("intensité"), max_length=10, choices=Intensity.choices,
                                 default=Intensity.STANDARD)
    exit_reason = models.CharField(_("motif de sortie"), max_length=20, choices=ExitReason.choices, blank=True)
    housing_at_exit = models.CharField(_("situation de logement à la sortie"), max_length=12,
                                       choices=HousingSituation.choices, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                  related_name="+", verbose_name=_("ouvert par"))
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("clos par"))
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("accompagnement")
        indexes = [
            # A household's latest episode opened by a date (the report's entry month, per household
            # at 10⁶: the debt's 17,2 → 15,7 s), read along the index instead of sorted.
            models.Index(fields=["household", "-opened_on"], name="episode_household_latest"),
        ]
        constraints = [
            # At most one open episode per household, enforced by the database as well.
            models.UniqueConstraint(fields=["household"], condition=models.Q(closed_on__isnull=True),
                                    name="support_one_open_episode"),
        ]

    def __str__(self) -> str:
        return f"{self.opened_on:%d/%m/%Y} – {self.closed_on:%d/%m/%Y}" if self.closed_on else \
            f"{self.opened_on:%d/%m/%Y} –"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class PlanGoal(models.Model):
    """A goal of the support plan, by programme theme."""

    class Status(models.TextChoices):
        TODO = "todo", _("À faire")
        IN_PROGRESS = "in_progress", _("En cours")
        DONE = "done", _("Atteint")
        DROPPED = "dropped", _("Abandonné")

    OPEN_STATUSES = (Status.TODO, Status.IN_PROGRESS)

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="plan_goals",
                                  verbose_name=_("ménage"))
    theme = models.CharField(_("thème"), max_length=20, choices=Theme.choices)
    title = models.CharField(_("objectif"), max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="owned_goals", verbose_name=_("responsable"),
                              help_text=_("Vide : le ménage lui-même."))
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.TODO)
    source_intervention = models.ForeignKey("Intervention", on_delete=models.SET_NULL, null=True, blank=True,
                                            related_name="next_actions", verbose_name=_("issue de la visite"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("objectif du plan")
        verbose_name_plural = _("objectifs du plan")
        indexes = [models.Index(fields=["owner", "status", "due_on"]),
                   models.Index(fields=["household", "status"]),
                   # Open goals in due order, whole (the date then the id), so the dashboard's "next
                   # actions" and "overdue" lists are an index range stopped after a page instead
                   # of a sort of every open goal (380 ms each for an owner of 10⁵ goals).
                   models.Index(fields=["owner", "due_on", "id"], name="plangoal_open_by_owner",
                                condition=models.Q(status__in=["todo", "in_progress"])),
                   models.Index(fields=["due_on", "id"], name="plangoal_open_by_due",
                                condition=models.Q(status__in=["todo", "in_progress"]))]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due_on is not None and self.due_on < today


class InterventionQuerySet(models.QuerySet):
    def done(self) -> "InterventionQuerySet":
        """Visits done: took place (not planned) and the household was there (not a no-show). The one
        definition of "visit done" (docs/domain.md), used by the support pages, the DSF and the report."""
        return self.filter(planned=False, no_show=False)


class Intervention(models.Model):
    """A visit or contact, done or planned. Logged from a phone on the doorstep."""

    class Mode(models.TextChoices):
        HOME_VISIT = "home_visit", _("Visite à domicile")
        OFFICE = "office", _("Rendez-vous au bureau")
        PHONE = "phone", _("Téléphone")
        ACCOMPANIMENT = "accompaniment", _("Accompagnement physique")
        VIDEO = "video", _("Visio")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="interventions",
                                  verbose_name=_("ménage"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="interventions", verbose_name=_("intervenant"))
    occurred_on = models.DateField(_("date"), default=timezone.localdate)
    duration_minutes = models.PositiveSmallIntegerField(
        _("durée (minutes)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(720)])
    mode = models.CharField(_("mode"), max_length=14, choices=Mode.choices, default=Mode.HOME_VISIT)
    participants = models.CharField(_("participants"), max_length=200, blank=True)
    # A validated list of Theme codes: works the same on SQLite and PostgreSQL and is read with the
    # row (no extra query per visit in lists and timelines).
    themes = models.JSONField(_("thèmes"), default=list, blank=True, validators=[validate_themes])
    summary = models.TextField(_("compte rendu"), blank=True, validators=bounded())
    no_show = models.BooleanField(_("absent au rendez-vous"), default=False)
    planned = models.BooleanField(_("prévue"), default=False,
                                  help_text=_("Visite programmée, pas encore réalisée."))
    created_at = models.DateTimeField(_("saisie le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = InterventionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("intervention")
        indexes = [models.Index(fields=["household", "-occurred_on"]),
                   models.Index(fields=["author", "planned", "occurred_on"]),
                   # The visit list's keyset (zel.lib.pagination), read backwards: newest first.
                   models.Index(fields=["occurred_on", "id"], name="intervention_keyset"),
                   # The dashboard's no-shows of 90 days: a few percent of the visits, read alone
                   # (80 ms → a few for a caseload of 137 000 households at 10⁶).
                   models.Index(fields=["household", "occurred_on"], name="intervention_no_show",
                                condition=models.Q(no_show=True))]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} {self.occurred_on:%d/%m/%Y}"

    def theme_labels(self) -> list[str]:
        labels = dict(Theme.choices)
        return [str(labels.get(code, code)) for code in self.themes]

    def editable_until(self):
        return (self.created_at or timezone.now()) + EDIT_WINDOW


class InterventionAddendum(models.Model):
    """Added to a visit once its edit window has passed: the original text is never changed."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("auteur"))
    content = models.TextField(_("complément"), validators=bounded())
    created_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("complément de visite")


class PsychologistNote(models.Model):
    """Confidential note of the psychologist: read by psychologists only (support.access)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="psychologist_notes",
                                  verbose_name=_("ménage"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("psychologue"))
    occurred_on = models.DateField(_("date de l'entretien"), default=timezone.localdate)
    content = models.TextField(_("note"), validators=bounded())
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("note de la psychologue")
        verbose_name_plural = _("notes de la psychologue")
        indexes = [models.Index(fields=["household", "-occurred_on"])]

    def __str__(self) -> str:
        # Never the content: a str() may end up in a log line or an error page.
        return str(_("Entretien du %(date)s") % {"date": f"{self.occurred_on:%d/%m/%Y}"})


class BudgetCharge(models.Model):
    """A monthly fixed charge of the household (the rent comes from the lease)."""

    class Kind(models.TextChoices):
        ENERGY = "energy", _("Énergie (électricité, gaz)")
        WATER = "water", _("Eau")
        INSURANCE = "insurance", _("Assurances")
        TELECOM = "telecom", _("Téléphone, internet")
        TRANSPORT = "transport", _("Transport")
        FOOD = "food", _("Alimentation")
        CHILDCARE = "childcare", _("Garde d'enfants, cantine")
        HEALTH = "health", _("Mutuelle")
        TAXES = "taxes", _("Impôts")
        OTHER = "other", _("Autre")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="budget_charges")
    kind = models.CharField(_("poste"), max_length=12, choices=Kind.choices)
    label = models.CharField(_("précision"), max_length=120, blank=True)
    monthly_amount = models.DecimalField(_("montant mensuel (€)"), **MONEY)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("charge")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.monthly_amount}"


class BudgetDebt(models.Model):
    class Kind(models.TextChoices):
        RENT = "rent", _("Loyer")
        ENERGY = "energy", _("Énergie")
        WATER = "water", _("Eau")
        TELECOM = "telecom", _("Téléphone")
        CONSUMER_CREDIT = "credit", _("Crédit à la consommation")
        TAX = "tax", _("Impôts, amendes")
        OTHER = "other", _("Autre")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="budget_debts")
    kind = models.CharField(_("nature"), max_length=10, choices=Kind.choices)
    creditor = models.CharField(_("créancier"), max_length=120)
    amount = models.DecimalField(_("montant restant dû (€)"), **MONEY)
    monthly_repayment = models.DecimalField(_("remboursement mensuel (€)"), default=Decimal(0), **MONEY)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("dette")

    def __str__(self) -> str:
        return f"{self.creditor} {self.amount}"


class Handover(models.Model):
    """A manager moved (part of) a leaving worker's caseload to another worker."""

    from_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("intervenant sortant"))
    to_worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("intervenant repreneur"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("par"))
    households = models.ManyToManyField(Household, related_name="handovers", verbose_name=_("ménages"))
    goals_moved = models.PositiveIntegerField(default=0)
    visits_moved = models.PositiveIntegerField(default=0)
    at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("passation")


# --- Appointments, reminders and the worker's calendar (issue 15) --------------------------------

class Appointment(models.Model):
    """A rendez-vous with a household. Its reminders (`Reminder`) tell only the date, the time, the
    place and the worker's first name: `purpose` is internal and never leaves ZEL."""

    class Place(models.TextChoices):
        HOME = "home", _("Visite à domicile")
        OFFICE = "office", _("Au bureau")
        PHONE = "phone", _("Téléphone")
        VIDEO = "video", _("Visio")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Prévu")
        CONFIRMED = "confirmed", _("Confirmé")
        HONOURED = "honoured", _("Honoré")
        EXCUSED = "excused", _("Excusé")
        NO_SHOW = "no_show", _("Non venu")
        CANCELLED = "cancelled", _("Annulé")

    UPCOMING = (Status.PLANNED, Status.CONFIRMED)
    # The status chain: from a planned or confirmed appointment to an outcome; an outcome is final,
    # except a mistaken "non venu" / "excusé", which may still be corrected to "honoré".
    TRANSITIONS = {
        Status.PLANNED: {Status.CONFIRMED, Status.HONOURED, Status.EXCUSED, Status.NO_SHOW, Status.CANCELLED},
        Status.CONFIRMED: {Status.HONOURED, Status.EXCUSED, Status.NO_SHOW, Status.CANCELLED},
        Status.NO_SHOW: {Status.HONOURED},
        Status.EXCUSED: {Status.HONOURED},
        Status.HONOURED: set(),
        Status.CANCELLED: set(),
    }
    # The visit mode a honoured appointment pre-fills.
    VISIT_MODE = {Place.HOME: "home_visit", Place.OFFICE: "office", Place.PHONE: "phone", Place.VIDEO: "video"}

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="appointments",
                                  verbose_name=_("ménage"))
    workers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="appointments",
                                     verbose_name=_("intervenants"))
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    place = models.CharField(_("lieu"), max_length=8, choices=Place.choices, default=Place.HOME)
    office_address = models.CharField(_("adresse du bureau"), max_length=200, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    purpose = models.CharField(_("objet (interne)"), max_length=200, blank=True,
                               help_text=_("Jamais envoyé au ménage."))
    reminders_enabled = models.BooleanField(_("envoyer des rappels au ménage"), default=True)
    # Bumped when the date, time or place changes: the reminders of an older revision are superseded.
    revision = models.PositiveIntegerField(default=1, editable=False)
    source_intervention = models.ForeignKey(Intervention, on_delete=models.SET_NULL, null=True, blank=True,
                                            related_name="appointments_planned",
                                            verbose_name=_("prévu lors de la visite"))
    intervention = models.OneToOneField(Intervention, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="appointment", verbose_name=_("compte rendu"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[workers])

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        indexes = [models.Index(fields=["household", "starts_at"]), models.Index(fields=["status", "starts_at"])]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="appointment_ends_after_start")]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return str(_("Rendez-vous du %(date)s à %(time)s") % {"date": f"{local:%d/%m/%Y}",
                                                               "time": f"{local:%H:%M}"})

    @property
    def is_upcoming(self) -> bool:
        return self.status in self.UPCOMING

    def can_become(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())

    def place_label(self) -> str:
        if self.place == self.Place.OFFICE and self.office_address:
            return f"{self.get_place_display()} — {self.office_address}"
        return str(self.get_place_display())

    def duration_minutes(self) -> int:
        return max(1, int((self.ends_at - self.starts_at).total_seconds() // 60))


class Reminder(models.Model):
    """One message to the household about one appointment. The unique constraint on (appointment,
    kind, channel, revision) is what makes sending exactly-once: a second beat run, a retry or a
    second worker finds the row and claims it with a conditional UPDATE, or finds it already taken."""

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("Confirmation")
        CHANGE = "change", _("Modification")
        CANCELLATION = "cancellation", _("Annulation")
        BEFORE = "before", _("Rappel avant le rendez-vous")

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")

    class Status(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        SENDING = "sending", _("En cours d'envoi")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec")
        CANCELLED = "cancelled", _("Annulé")

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("message"), max_length=12, choices=Kind.choices)
    channel = models.CharField(_("canal"), max_length=5, choices=Channel.choices)
    revision = models.PositiveIntegerField(default=1)
    due_at = models.DateTimeField(_("à envoyer à partir du"))
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.CharField(_("dernière erreur"), max_length=200, blank=True)
    cancel_reason = models.CharField(max_length=40, blank=True)
    recipient = models.CharField(_("destinataire"), max_length=254, blank=True)
    provider_message_id = models.CharField(max_length=100, blank=True, db_index=True)
    delivery_status = models.CharField(_("remise"), max_length=40, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("rappel")
        constraints = [models.UniqueConstraint(fields=["appointment", "kind", "channel", "revision"],
                                               name="reminder_once_per_kind_channel_revision")]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_channel_display()})"


class CalendarToken(models.Model):
    """The secret of a user's ICS feed. Revoked tokens stay (revoked_at set) and answer 404."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lien d'agenda")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%d/%m/%Y}"
# Aid applications and the document vault (issue 14) live in their own module.
from .models_aid import (  # noqa: E402, F401
    AidApplication,
    AidTransition,
    Document,
    HistoricalAidApplication,
    HistoricalDocument,
)

# Visits sent from a phone after an offline capture that need a person's decision (issue 19).
from .models_offline import HistoricalOfflineVisit, OfflineVisit  # noqa: E402, F401
