"""Visits logged without a connection that the server could not record as they were (issue 19).

A phone sends its queued visits when the connection returns. When the household was closed, handed
to another worker, erased, or the visit falls in a quarter already reported to the funders, the visit
is not dropped and not recorded in silence: it is kept here, "à vérifier", with the reason, until its
author or a manager records it or sets it aside with a reason. The payload is what the phone sent,
already validated by the visit form's rules.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from households.models import Household
from zel.lib.limits import bounded


class OfflineVisit(models.Model):
    class Reason(models.TextChoices):
        CLOSED = "closed", _("Dossier clos")
        TRANSFERRED = "transferred", _("Ménage confié à un autre intervenant")
        LOCKED = "locked", _("Période déjà déclarée")
        MISSING = "missing", _("Dossier introuvable")

    class Status(models.TextChoices):
        TO_CHECK = "to_check", _("À vérifier")
        RECORDED = "recorded", _("Enregistrée")
        DISMISSED = "dismissed", _("Écartée")

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("intervenant"))
    # SET_NULL: an erased household leaves the review (and its reason) to its author.
    household = models.ForeignKey(Household, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="offline_visits", verbose_name=_("ménage"))
    # What the phone showed the worker (reference and name), for a household that no longer exists.
    household_label = models.CharField(_("ménage saisi"), max_length=200, blank=True)
    occurred_on = models.DateField(_("date de la visite"))
    payload = models.JSONField(_("saisie"), default=dict)
    reason = models.CharField(_("motif"), max_length=12, choices=Reason.choices)
    reason_detail = models.CharField(_("précision"), max_length=300, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.TO_CHECK)
    captured_at = models.DateTimeField(_("saisie sur le téléphone le"), null=True, blank=True)
    received_at = models.DateTimeField(_("reçue le"), default=timezone.now)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("traitée par"))
    resolved_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    resolution_note = models.TextField(_("motif de la décision"), blank=True, validators=bounded())
    intervention = models.OneToOneField("support.Intervention", on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="offline_review", verbose_name=_("visite enregistrée"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("visite hors ligne à vérifier")
        verbose_name_plural = _("visites hors ligne à vérifier")
        indexes = [models.Index(fields=["author", "status"]), models.Index(fields=["household", "status"])]

    def __str__(self) -> str:
        return f"{self.household_label} {self.occurred_on:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.TO_CHECK
