from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One task to hand to Celery: its dotted name and its arguments (ids only, never personal data)."""

    task = models.CharField(_("tâche"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    # The sweep takes a message once this is past: right after the commit's own try has had its chance,
    # then later and later after each failure.
    available_at = models.DateTimeField(_("à traiter à partir du"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("transmis le"), null=True, blank=True)
    failed_at = models.DateTimeField(_("abandonné le"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    last_error = models.CharField(_("dernière erreur"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("traitement en attente")
        verbose_name_plural = _("traitements en attente")
        indexes = [models.Index(fields=["available_at"], name="outbox_pending",
                                condition=models.Q(dispatched_at__isnull=True, failed_at__isnull=True))]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"
