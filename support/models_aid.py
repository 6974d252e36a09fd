"""Aid applications from request to payment, and the household's document vault (issue 14).

Imported by support.models so that Django registers them in the support app.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from households.models import Household
from zel.lib.limits import SHORT_TEXT, bounded

from . import aid_rules
from .aid_rules import AidKind, Nature, Status

MONEY = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


class AidApplication(models.Model):
    """One help request of a household to an examining body, followed until it is paid and closed."""

    Kind = AidKind
    Status = Status

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="aid_applications",
                                  verbose_name=_("ménage"))
    kind = models.CharField(_("aide"), max_length=20, choices=AidKind.choices)
    nature = models.CharField(_("forme"), max_length=14, choices=Nature.choices, blank=True,
                              help_text=_("Subvention ou prêt, quand l'aide peut être l'un ou l'autre."))
    examining_body = models.CharField(_("organisme instructeur"), max_length=120, blank=True)
    status = models.CharField(_("statut"), max_length=16, choices=Status.choices, default=Status.TO_PREPARE,
                              db_index=True)
    prepared_on = models.DateField(_("constituée le"), default=timezone.localdate)
    lodged_on = models.DateField(_("déposée le"), null=True, blank=True)
    commission_on = models.DateField(_("date de commission"), null=True, blank=True)
    decided_on = models.DateField(_("décision le"), null=True, blank=True)
    paid_on = models.DateField(_("versée le"), null=True, blank=True)
    amount_requested = models.DecimalField(_("montant demandé (€)"), null=True, blank=True, **MONEY)
    amount_granted = models.DecimalField(_("montant accordé (€)"), null=True, blank=True, **MONEY)
    amount_paid = models.DecimalField(_("montant versé (€)"), null=True, blank=True, **MONEY)
    months_requested = models.PositiveSmallIntegerField(_("durée demandée (mois)"), null=True, blank=True)
    months_granted = models.PositiveSmallIntegerField(_("durée accordée (mois)"), null=True, blank=True)
    reason = models.TextField(_("motifs"), blank=True, validators=bounded(SHORT_TEXT))
    missing_papers = models.TextField(_("pièces manquantes"), blank=True, validators=bounded(SHORT_TEXT))
    note = models.CharField(_("précision"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-prepared_on", "-pk"]
        verbose_name = _("demande d'aide")
        verbose_name_plural = _("demandes d'aide")
        indexes = [models.Index(fields=["household", "status"]), models.Index(fields=["status", "commission_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def measure(self) -> str:
        return aid_rules.measure_of(self.kind)

    @property
    def has_amount(self) -> bool:
        return aid_rules.has_amount(self.kind)

    @property
    def has_months(self) -> bool:
        return aid_rules.has_months(self.kind)

    @property
    def nature_label(self) -> str:
        value = self.nature or aid_rules.spec(self.kind).nature
        return str(dict(Nature.choices).get(value, ""))

    def allowed_next(self) -> list[str]:
        return aid_rules.allowed_next(self.kind, self.status)

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED


class AidTransition(models.Model):
    """Each move along the status chain: who, when, from where to where (append-only)."""

    application = models.ForeignKey(AidApplication, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("de"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("vers"), max_length=16, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("le"), default=timezone.now)
    comment = models.CharField(_("commentaire"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("changement de statut d'une demande d'aide")

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


def _document_path(instance: Document, filename: str) -> str:
    # Never the uploaded name: a random name with the extension of the type found in the content.
    extension = DocumentContent.EXTENSIONS.get(instance.content_type, "bin")
    return f"vault/{instance.household_id}/{uuid.uuid4().hex}.{extension}"


class DocumentContent:
    EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


class Document(models.Model):
    """A paper of the household (identity, CAF statement, lease…), kept privately in the storage."""

    class Kind(models.TextChoices):
        IDENTITY = "identity", _("Pièce d'identité")
        CAF = "caf", _("Attestation CAF")
        TAX = "tax", _("Avis d'imposition")
        LEASE = "lease", _("Bail")
        RENT_RECEIPT = "receipt", _("Quittance")
        JUDGMENT = "judgment", _("Jugement")
        LETTER = "letter", _("Courrier")
        RESOURCES = "resources", _("Justificatif de ressources")
        FORM = "form", _("Formulaire")
        OTHER = "other", _("Autre")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="documents",
                                  verbose_name=_("ménage"))
    kind = models.CharField(_("type de document"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("intitulé"), max_length=150, blank=True)
    tags = models.JSONField(_("étiquettes"), default=list, blank=True)
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    confidential = models.BooleanField(_("confidentiel"), default=False,
                                       help_text=_("Réservé aux travailleurs sociaux et psychologues du ménage."))
    # Private file (default storage: disk outside the web root or a private S3 bucket).
    file = models.FileField(_("fichier"), upload_to=_document_path, max_length=200)
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(_("type de contenu"), max_length=40)
    size = models.PositiveIntegerField(_("taille (octets)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    related_name="+", verbose_name=_("déposé par"))
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    aid_applications = models.ManyToManyField(AidApplication, blank=True, related_name="documents",
                                              verbose_name=_("demandes d'aide"))
    procedures = models.ManyToManyField("litigation.Procedure", blank=True, related_name="vault_documents",
                                        verbose_name=_("procédures"))
    dsfs = models.ManyToManyField("litigation.Dsf", blank=True, related_name="vault_documents",
                                  verbose_name=_("DSF"))

    history = HistoricalRecords(excluded_fields=["file"])

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["household", "kind"])]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    def is_expired(self, today: date | None = None) -> bool:
        return self.valid_until is not None and self.valid_until < (today or timezone.localdate())

    @property
    def expired(self) -> bool:
        return self.is_expired()
