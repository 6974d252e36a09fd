from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Territory(models.Model):
    """A département (54, 57, 67, 68…); extensible by adding rows."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=80)

    class Meta:
        ordering = ["code"]
        verbose_name = _("territoire")

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def alsace_moselle(self) -> bool:
        return self.code in {"57", "67", "68"}


class Organisation(models.Model):
    class Kind(models.TextChoices):
        LANDLORD = "landlord", _("Bailleur social")
        ASSOCIATION = "association", _("Association (AMLI)")
        SIAO = "siao", _("SIAO")
        DDETS = "ddets", _("DDETS")
        CAF = "caf", _("CAF")
        DEPARTEMENT = "departement", _("Conseil départemental")
        PREFECTURE = "prefecture", _("Préfecture")
        ADIL = "adil", _("ADIL")
        ACTION_LOGEMENT = "action_logement", _("Action Logement")
        METROPOLE = "metropole", _("Métropole")
        FUNDER = "funder", _("FNAVDL / financeur")
        BAILIFF_OFFICE = "bailiff_office", _("Office de commissaires de justice")

    name = models.CharField(_("nom"), max_length=160)
    code = models.SlugField(_("code"), max_length=20, unique=True,
                            help_text=_("Code court, par exemple BAT pour l'import des comptes locataires."))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    territories = models.ManyToManyField(Territory, blank=True, related_name="organisations",
                                         verbose_name=_("territoires"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    class Code(models.TextChoices):
        SOCIAL_WORKER = "social_worker", _("Travailleur social")
        PSYCHOLOGIST = "psychologist", _("Psychologue")
        MANAGER = "manager", _("Responsable de programme")
        COPIL_MEMBER = "copil_member", _("Membre du COPIL")
        LITIGATION_OFFICER = "litigation_officer", _("Chargé de contentieux")
        BAILIFF = "bailiff", _("Commissaire de justice")
        FUNDER = "funder", _("Financeur")
        ADMINISTRATOR = "administrator", _("Administrateur")

    code = models.CharField(_("code"), max_length=30, unique=True, choices=Code.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("rôle")

    def __str__(self) -> str:
        return self.get_code_display()


class User(AbstractUser):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="users", verbose_name=_("organisation"))
    roles = models.ManyToManyField(Role, blank=True, related_name="users", verbose_name=_("rôles"))
    territories = models.ManyToManyField(Territory, blank=True, related_name="users",
                                         verbose_name=_("territoires"))

    class Meta:
        verbose_name = _("utilisateur")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        # Roles are prefetched by the authentication backend, so this costs no query per check.
        return frozenset(role.code for role in self.roles.all())

    @cached_property
    def territory_codes(self) -> frozenset[str]:
        return frozenset(t.code for t in self.territories.all())

    @cached_property
    def territory_ids(self) -> frozenset[int]:
        return frozenset(t.pk for t in self.territories.all())

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes.intersection(codes))


class AccessLog(models.Model):
    """Append-only record of who read what, from where (RGPD accountability)."""

    class Action(models.TextChoices):
        VIEW = "view", _("Consultation")
        DOWNLOAD = "download", _("Téléchargement")
        EXPORT = "export", _("Export")
        ERASE = "erase", _("Effacement")

    at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("utilisateur"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("type d'objet"), max_length=60)
    object_id = models.CharField(_("identifiant"), max_length=40)
    household_id = models.BigIntegerField(_("ménage"), null=True, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    path = models.CharField(_("adresse"), max_length=300)
    # Lists and exports: what was listed (the filters applied and how many rows), no object id.
    details = models.JSONField(_("détail"), default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("accès")
        # The access log screen's keyset (zel.lib.pagination), read backwards: newest first.
        indexes = [models.Index(fields=["at", "id"], name="access_log_keyset")]
        verbose_name_plural = _("journal des accès")
