"""Quarterly funders' reports: the request, its frozen figures and the PDF; the yearly budget."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Territory

from .quarters import QUARTER_RE

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


def validate_quarter(value: str) -> None:
    if not QUARTER_RE.match(value or ""):
        raise ValidationError(_("Trimestre attendu sous la forme 2025Q4."), code="invalid_quarter")


def report_file_path(instance: Report, filename: str) -> str:
    # A random name: nothing about the scope or a person leaks through a file name.
    return f"reports/{instance.quarter}/{uuid.uuid4().hex}.pdf"


class Report(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Échec")

    quarter = models.CharField(_("trimestre"), max_length=6, validators=[validate_quarter], db_index=True)
    # No territory: the whole programme (every département).
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="reports", verbose_name=_("département"))
    funder = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="reports", verbose_name=_("financeur destinataire"),
                               limit_choices_to={"kind": Organisation.Kind.FUNDER})
    status = models.CharField(_("statut"), max_length=8, choices=Status.choices, default=Status.QUEUED,
                              db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("demandé par"))
    requested_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    # Private: MEDIA_ROOT is not served; only reports.views.report_download hands the file out.
    file = models.FileField(_("fichier PDF"), upload_to=report_file_path, blank=True)
    checksum = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    # Aggregates only (counts, sums, ratios), never a person's data: re-rendering the same report
    # gives the same PDF text, and the next quarter compares against what was published.
    figures = models.JSONField(_("chiffres figés"), default=dict, blank=True)

    class Meta:
        ordering = ["-quarter", "territory__code", "-requested_at", "-pk"]
        verbose_name = _("rapport trimestriel")
        verbose_name_plural = _("rapports trimestriels")
        indexes = [models.Index(fields=["quarter", "territory", "status"])]

    def __str__(self) -> str:
        return f"{self.quarter} – {self.scope_label}"

    @property
    def scope_label(self) -> str:
        return str(self.territory) if self.territory_id else str(_("Ensemble du programme"))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def territory_codes(self) -> list[str] | None:
        return [self.territory.code] if self.territory_id else None

    def download_name(self, extension: str = "pdf") -> str:
        scope = f"dep{self.territory.code}" if self.territory_id else "programme"
        return f"zel-rapport-{self.quarter}-{scope}.{extension}"


class Budget(models.Model):
    """The programme's yearly budget and how it is co-funded (programme sheet: 2020)."""

    year = models.PositiveSmallIntegerField(_("année"), unique=True)
    fnavdl_amount = models.DecimalField(_("FNAVDL (€)"), **MONEY)
    own_funds_amount = models.DecimalField(_("fonds propres des bailleurs (€)"), **MONEY)
    other_amount = models.DecimalField(_("autres financements (€)"), default=Decimal(0), **MONEY)
    other_label = models.CharField(_("autres financeurs"), max_length=200, blank=True)
    staff = models.CharField(_("moyens humains"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("budget annuel")
        verbose_name_plural = _("budgets annuels")

    def __str__(self) -> str:
        return str(self.year)

    @property
    def total(self) -> Decimal:
        return self.fnavdl_amount + self.own_funds_amount + self.other_amount



class DashboardSnapshot(models.Model):
    """The live dashboard's figures for one manager and one scope (period, territories), computed in
    the background: on the whole programme the computation takes tens of seconds at 10⁵ households,
    too long for a request. Only aggregates are stored, never a household's data."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    start = models.DateField()
    end = models.DateField()
    territory_codes = models.JSONField(default=list)
    figures = models.JSONField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    # Set when a computation is queued, cleared when it ends: one at a time per manager and scope.
    queued_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "start", "end", "territory_codes"],
                                               name="dashboard_snapshot_one_per_scope")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.start}–{self.end} {','.join(self.territory_codes)}"
