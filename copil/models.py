"""COPIL: sessions per territory, their agenda of dossiers, members' opinions, the chair's decisions
with the financial levers they activate, and the signed minutes (procès-verbal)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, Territory
from households import budget
from households.models import Household
from support.aid_rules import AidKind
from zel.lib.limits import SHORT_TEXT, bounded

MONEY = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


class Session(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Ordre du jour publié")
        REVIEW = "review", _("Ouverte à l'examen")
        HELD = "held", _("Tenue")
        SIGNED = "signed", _("Procès-verbal signé")

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Séance")
        WRITTEN = "written", _("Consultation écrite")

    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="copil_sessions",
                                  verbose_name=_("département"))
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.MEETING)
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("heure"), null=True, blank=True)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    video_link = models.URLField(_("lien de visioconférence"), blank=True)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chaired_copil_sessions",
                              verbose_name=_("président(e) de séance"))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="SessionMember",
                                     related_name="copil_sessions", verbose_name=_("membres"))
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    review_closes_on = models.DateField(_("clôture des avis"), null=True, blank=True,
                                        help_text=_("Consultation écrite : dernier jour pour donner un avis."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, verbose_name=_("créée par"))
    # The organisation that organises the session: its managers (in the territory) prepare and run
    # it; territory alone is never enough (copil.access).
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="copil_sessions",
                                     null=True, blank=True, verbose_name=_("organisatrice"))
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signée le"), null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                  blank=True, verbose_name=_("signé par"))
    # Private file: MEDIA_ROOT is not served; only copil.views.minutes_download hands it out.
    minutes = models.FileField(_("procès-verbal"), upload_to="copil/minutes/", blank=True)

    history = HistoricalRecords(excluded_fields=["minutes"])

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("séance du COPIL")
        verbose_name_plural = _("séances du COPIL")
        indexes = [models.Index(fields=["territory", "status", "held_on"])]

    def __str__(self) -> str:
        return f"COPIL {self.territory.code} – {self.held_on:%d/%m/%Y}"

    @property
    def is_written(self) -> bool:
        return self.kind == self.Kind.WRITTEN

    @property
    def dossiers_open(self) -> bool:
        """Members read dossiers only while the session is open for review or being held."""
        return self.status in (self.Status.REVIEW, self.Status.HELD)


class SessionMember(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="copil_memberships")
    present = models.BooleanField(_("présent(e)"), default=False)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="copil_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.session_id}"


# COPIL levers are aid applications (issue 14): one list of kinds, owned by support.aid_rules, which
# also says what each is measured in (amount, months, nothing).
Lever = AidKind


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        ADMISSION = "admission", _("Admission")
        RENEWAL = "renewal", _("Renouvellement")
        END = "end", _("Fin d'accompagnement")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="items")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="copil_items",
                                  verbose_name=_("ménage"))
    kind = models.CharField(_("objet"), max_length=10, choices=Kind.choices, default=Kind.ADMISSION)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    # The dwelling proposed (access) or the rent after a move/benefit change: gives the effort rate after.
    expected_rent = models.DecimalField(_("loyer prévu (€)"), null=True, blank=True, **MONEY)
    expected_charges = models.DecimalField(_("charges prévues (€)"), null=True, blank=True, **MONEY)
    expected_housing_benefit = models.DecimalField(_("APL prévue (€)"), null=True, blank=True, **MONEY)
    carried_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                     verbose_name=_("reporté de"))
    # Adjourned with no later agenda yet: the manager's agenda builder offers it first.
    to_reschedule = models.BooleanField(_("à reprogrammer"), default=False, db_index=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("dossier inscrit")
        verbose_name_plural = _("dossiers inscrits")
        constraints = [models.UniqueConstraint(fields=["session", "household"], name="copil_item_unique")]

    def __str__(self) -> str:
        return f"{self.household.reference} ({self.get_kind_display()})"

    def effort_rate_after(self, resources: Decimal) -> Decimal | None:
        if self.expected_rent is None:
            return None
        return budget.effort_rate(rent=self.expected_rent, charges=self.expected_charges or Decimal(0),
                                  housing_benefit=self.expected_housing_benefit or Decimal(0),
                                  resources=resources)


class RequestedLever(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="requested_levers")
    kind = models.CharField(_("levier"), max_length=20, choices=Lever.choices)
    amount = models.DecimalField(_("montant demandé (€)"), null=True, blank=True, **MONEY)
    months = models.PositiveSmallIntegerField(_("durée demandée (mois)"), null=True, blank=True)
    note = models.CharField(_("précision"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("levier demandé")

    def __str__(self) -> str:
        return self.get_kind_display()


class Opinion(models.Model):
    class Value(models.TextChoices):
        FAVOURABLE = "favourable", _("Favorable")
        RESERVED = "reserved", _("Réservé")
        UNFAVOURABLE = "unfavourable", _("Défavorable")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="opinions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="copil_opinions")
    value = models.CharField(_("avis"), max_length=12, choices=Value.choices)
    comment = models.TextField(_("commentaire"), blank=True, validators=bounded(SHORT_TEXT))
    updated_at = models.DateTimeField(_("donné le"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["member__last_name", "pk"]
        verbose_name = _("avis")
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="copil_opinion_unique")]

    def __str__(self) -> str:
        return f"{self.get_value_display()} ({self.member})"


class Decision(models.Model):
    class Outcome(models.TextChoices):
        ADMITTED = "admitted", _("Admis")
        ADJOURNED = "adjourned", _("Ajourné")
        REFUSED = "refused", _("Refusé")

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(_("décision"), max_length=10, choices=Outcome.choices)
    missing = models.TextField(_("éléments manquants"), blank=True, validators=bounded(SHORT_TEXT))
    comes_back_on = models.DateField(_("représenté le"), null=True, blank=True)
    reason = models.TextField(_("motif"), blank=True, validators=bounded(SHORT_TEXT))
    # A later decision on the same dossier replaces this one; after signature, only as a correction.
    corrects = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="corrected_by", verbose_name=_("rectifie"))
    correction_reason = models.TextField(_("motif de la rectification"), blank=True,
                                         validators=bounded(SHORT_TEXT))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)
    after_signature = models.BooleanField(_("après signature du PV"), default=False, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("décision")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} – {self.item}"

    def save(self, *args, **kwargs):
        # Recorded decisions are never rewritten: a change is a new decision that `corrects` this one.
        if self.pk is not None:
            raise ValidationError(_("Une décision enregistrée ne se modifie pas : enregistrez une rectification."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Une décision enregistrée ne se supprime pas."))


class DecisionLever(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="levers")
    kind = models.CharField(_("levier"), max_length=20, choices=Lever.choices)
    # Only what the kind is measured in (support.aid_rules): an amount, months, or nothing.
    amount = models.DecimalField(_("montant (€)"), null=True, blank=True, **MONEY)
    months = models.PositiveSmallIntegerField(_("durée (mois)"), null=True, blank=True)
    note = models.CharField(_("précision"), max_length=200, blank=True)
    # The aid application this lever created or updated: the follow-up after the COPIL.
    application = models.ForeignKey("support.AidApplication", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="copil_levers", verbose_name=_("demande d'aide"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("levier activé")
        verbose_name_plural = _("leviers activés")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount if self.amount is not None else ''}".strip()
