from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, Territory
from zel.lib.text import normalize

from . import calculations

MONEY = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


class Track(models.TextChoices):
    ACCESS = "acces", _("Accès")
    MAINTENANCE = "maintien", _("Maintien")


class TargetPublic(models.TextChoices):
    """The publics the FNAVDL exists for (CCH L.300-2): a household may belong to several."""

    DALO = "dalo", _("Prioritaire DALO")
    PDALHPD = "pdalhpd", _("Public du PDALHPD")
    SHELTER_EXIT = "sortie_hebergement", _("Sortie d'hébergement")
    DOMESTIC_VIOLENCE = "violences_conjugales", _("Victime de violences conjugales")
    ASE_EXIT = "sortie_ase", _("Sortie de l'aide sociale à l'enfance (ASE)")


class HousingSituation(models.TextChoices):
    """Where the household lives, at entry into the programme and at exit."""

    STREET = "rue", _("À la rue")
    SHELTER = "hebergement", _("Hébergement (CHRS, CHU, résidence sociale…)")
    HOTEL = "hotel", _("Hôtel")
    WITH_OTHERS = "tiers", _("Hébergé chez des tiers")
    TENANT = "locataire", _("Locataire")
    OTHER = "autre", _("Autre")


class Sex(models.TextChoices):
    FEMALE = "F", _("Femme")
    MALE = "M", _("Homme")


class Household(models.Model):
    class Status(models.TextChoices):
        REFERRED = "referred", _("Orienté")
        DIAGNOSED = "diagnosed", _("Diagnostiqué")
        PRESENTED = "presented", _("Présenté au COPIL")
        ADMITTED = "admitted", _("Admis")
        ADJOURNED = "adjourned", _("Ajourné")
        REFUSED = "refused", _("Refusé")
        SUPPORTED = "supported", _("Accompagné")
        ENDED = "ended", _("Accompagnement terminé")

    reference = models.CharField(_("référence"), max_length=20, unique=True, null=True, blank=True)
    track = models.CharField(_("volet"), max_length=10, choices=Track.choices)
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="households",
                                  verbose_name=_("département"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="households",
                                     verbose_name=_("structure référente"))
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.REFERRED,
                              db_index=True)
    last_name = models.CharField(_("nom"), max_length=80)
    first_name = models.CharField(_("prénom"), max_length=80)
    birth_year = models.PositiveSmallIntegerField(
        _("année de naissance"), validators=[MinValueValidator(1900), MaxValueValidator(2100)])
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    # Reference person (issue 16): the report publishes age bands and sex, never the date itself.
    sex = models.CharField(_("sexe de la personne de référence"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("date de naissance de la personne de référence"), null=True, blank=True)
    target_publics = models.JSONField(_("publics prioritaires"), default=list, blank=True)
    housing_at_entry = models.CharField(_("situation de logement à l'entrée"), max_length=12,
                                        choices=HousingSituation.choices, blank=True)
    assigned_workers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                              related_name="assigned_households",
                                              verbose_name=_("intervenants"))
    search_text = models.CharField(max_length=400, editable=False, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True, editable=False)

    history = HistoricalRecords(m2m_fields=[assigned_workers], excluded_fields=["search_text"])

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("ménage")
        indexes = [
            models.Index(fields=["territory", "track", "status"]),
            # The list's order: page 1 stops after 25 index entries, deep pages skip without sorting.
            models.Index(fields=["last_name", "first_name", "id"], name="household_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.reference or '—'} {self.display_name}"

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}"

    @property
    def target_public_labels(self) -> list[str]:
        labels = dict(TargetPublic.choices)
        return [str(labels[code]) for code in self.target_publics or [] if code in labels]

    def refresh_search_text(self) -> None:
        self.search_text = normalize(f"{self.reference or ''} {self.last_name} {self.first_name}")[:400]

    # The figures below read prefetched relations (see households.selectors) and cost no query.
    def resources_total(self) -> Decimal:
        return sum((r.monthly_amount for r in self.resources.all()), Decimal(0))

    def current_lease(self) -> "Lease | None":
        leases = [lease for lease in self.leases.all() if lease.ended_on is None]
        return max(leases, key=lambda lease: lease.signed_on, default=None)

    def effort_rate(self) -> Decimal | None:
        lease = self.current_lease()
        if lease is None:
            return None
        return calculations.effort_rate(rent=lease.rent, charges=lease.service_charges,
                                        housing_benefit=lease.housing_benefit,
                                        resources=self.resources_total())

    def ages(self, on: date | None = None) -> list[int]:
        year = (on or timezone.localdate()).year
        return [year - self.birth_year] + [year - m.birth_year for m in self.members.all()]

    def consumption_units(self) -> Decimal:
        return calculations.consumption_units(self.ages())


class HouseholdMember(models.Model):
    """A person living with the reference tenant (the tenant is the household itself)."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("Conjoint(e)")
        CHILD = "child", _("Enfant")
        PARENT = "parent", _("Ascendant")
        OTHER = "other", _("Autre")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    relation = models.CharField(_("lien"), max_length=10, choices=Relation.choices)
    first_name = models.CharField(_("prénom"), max_length=80)
    last_name = models.CharField(_("nom"), max_length=80, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("année de naissance"), validators=[MinValueValidator(1900), MaxValueValidator(2100)])
    occupation = models.CharField(_("activité"), max_length=80, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["birth_year", "pk"]
        verbose_name = _("membre du ménage")

    def __str__(self) -> str:
        return f"{self.first_name} ({self.birth_year})"


class Resource(models.Model):
    class Kind(models.TextChoices):
        SALARY = "salary", _("Salaire")
        RSA = "rsa", _("RSA")
        AAH = "aah", _("AAH")
        ACTIVITY_BONUS = "prime_activite", _("Prime d'activité")
        FAMILY = "family", _("Allocations familiales")
        PENSION = "pension", _("Pension / retraite")
        UNEMPLOYMENT = "unemployment", _("Allocation chômage")
        HOUSING = "housing", _("APL / AL")
        OTHER = "other", _("Autre")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("nature"), max_length=20, choices=Kind.choices)
    monthly_amount = models.DecimalField(_("montant mensuel (€)"), **MONEY)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]
        verbose_name = _("ressource")
        constraints = [models.UniqueConstraint(fields=["household", "kind"], name="resource_unique_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.monthly_amount}"


class Lease(models.Model):
    """The dwelling and its lease: one row per occupation, so a move keeps the former lease."""

    class Typology(models.TextChoices):
        T1 = "T1", "T1"
        T2 = "T2", "T2"
        T3 = "T3", "T3"
        T4 = "T4", "T4"
        T5 = "T5", "T5"
        T6 = "T6", "T6"

    class Financing(models.TextChoices):
        PLAI = "PLAI", "PLAI"
        PLUS = "PLUS", "PLUS"
        PLS = "PLS", "PLS"
        PLI = "PLI", "PLI"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="leases")
    landlord = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="leases",
                                 limit_choices_to={"kind": Organisation.Kind.LANDLORD},
                                 verbose_name=_("bailleur"))
    reference = models.CharField(_("référence du bail"), max_length=40)
    address = models.CharField(_("adresse"), max_length=200)
    postcode = models.CharField(_("code postal"), max_length=5)
    commune = models.CharField(_("commune"), max_length=80)
    typology = models.CharField(_("type"), max_length=2, choices=Typology.choices)
    financing = models.CharField(_("financement"), max_length=4, choices=Financing.choices)
    rent = models.DecimalField(_("loyer (€)"), **MONEY)
    service_charges = models.DecimalField(_("charges (€)"), **MONEY)
    housing_benefit = models.DecimalField(_("APL versée au bailleur (€)"), **MONEY)
    signed_on = models.DateField(_("bail signé le"))
    renewed_on = models.DateField(_("dernier renouvellement"), null=True, blank=True)
    ended_on = models.DateField(_("fin du bail"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_on"]
        verbose_name = _("logement et bail")
        verbose_name_plural = _("logements et baux")
        constraints = [models.UniqueConstraint(fields=["landlord", "reference"], name="lease_unique_ref")]

    def __str__(self) -> str:
        return f"{self.reference} – {self.commune}"

    @property
    def monthly_due(self) -> Decimal:
        """Rent and charges net of the benefit paid to the landlord: what the tenant owes each month."""
        return self.rent + self.service_charges - self.housing_benefit

    @property
    def reference_date(self) -> date:
        """Signing or last renewal date: decides the 6-week or 2-month commandement period."""
        return self.renewed_on or self.signed_on


class Referral(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="referrals")
    partner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referrals",
                                verbose_name=_("partenaire orienteur"))
    referrer_name = models.CharField(_("personne qui oriente"), max_length=120)
    referred_on = models.DateField(_("date d'orientation"))
    reason = models.TextField(_("motif"))
    track = models.CharField(_("volet"), max_length=10, choices=Track.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   related_name="+", verbose_name=_("saisie par"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-referred_on"]
        verbose_name = _("orientation")

    def __str__(self) -> str:
        return f"{self.partner} {self.referred_on:%d/%m/%Y}"
