from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, Territory
from zel.lib.limits import SHORT_TEXT, bounded
from zel.lib.text import normalize

from . import budget

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


def sort_name_of(last_name: str, first_name: str) -> str:
    return f"{normalize(last_name)} {normalize(first_name)}"[:161]


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
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True,
                                  help_text=_("Facultative : précise l'âge pour les unités de consommation."))
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
    # The list's alphabetical key, accents and case ignored ("Élodie" with the E's), which the
    # database's byte collation (C.UTF-8) would put after Z; kept beside the names it derives from.
    sort_name = models.CharField(max_length=161, editable=False, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True, editable=False)

    history = HistoricalRecords(m2m_fields=[assigned_workers], excluded_fields=["search_text", "sort_name"])

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("ménage")
        indexes = [
            models.Index(fields=["territory", "track", "status"]),
            # The list's order: page 1 stops after 25 index entries, deep pages skip without sorting.
            models.Index(fields=["last_name", "first_name", "id"], name="household_list_order"),
            # The household list's keyset (zel.lib.pagination): any page reads one index range.
            models.Index(fields=["sort_name", "id"], name="household_sort_name"),
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
        """The columns derived from the names: the search text and the list's sort key."""
        self.search_text = normalize(f"{self.reference or ''} {self.last_name} {self.first_name}")[:400]
        self.sort_name = sort_name_of(self.last_name, self.first_name)

    # The figures below read prefetched relations (see households.selectors) and cost no query.
    def resources_total(self) -> Decimal:
        return sum((r.monthly_amount for r in self.resources.all()), Decimal(0))

    def current_lease(self) -> "Lease | None":
        leases = [lease for lease in self.leases.all() if lease.ended_on is None]
        return max(leases, key=lambda lease: lease.signed_on, default=None)

    def people(self) -> list[budget.Person]:
        return [budget.Person(self.birth_year, self.birth_date)] + [
            budget.Person(m.birth_year, m.birth_date) for m in self.members.all()]

    def ages(self, on: date | None = None) -> list[int]:
        day = on or timezone.localdate()
        return [person.age_on(day) for person in self.people()]

    def consumption_units(self, on: date | None = None) -> Decimal:
        return budget.consumption_units(self.people(), on or timezone.localdate())

    def budget_input(self, *, fixed_charges: Decimal = Decimal(0), debt_repayments: Decimal = Decimal(0),
                     on: date | None = None) -> budget.BudgetInput:
        lease = self.current_lease()
        return budget.BudgetInput(resources=self.resources_total(),
                                  housing=lease.housing() if lease is not None else None,
                                  units=self.consumption_units(on), fixed_charges=fixed_charges,
                                  debt_repayments=debt_repayments)

    def effort_rate(self) -> Decimal | None:
        """The effort rate of docs/domain.md (households.budget), on the current lease."""
        lease = self.current_lease()
        if lease is None:
            return None
        return budget.effort_rate(rent=lease.rent, charges=lease.service_charges,
                                  housing_benefit=lease.housing_benefit, resources=self.resources_total())


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
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    occupation = models.CharField(_("activité"), max_length=80, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["birth_year", "pk"]
        verbose_name = _("membre du ménage")

    def __str__(self) -> str:
        return f"{self.first_name} ({self.birth_year})"


class Resource(models.Model):
    """A monthly resource. The housing benefit is not one: it belongs to the lease (docs/domain.md)."""

    class Kind(models.TextChoices):
        SALARY = "salary", _("Salaire")
        RSA = "rsa", _("RSA")
        AAH = "aah", _("AAH")
        ACTIVITY_BONUS = "prime_activite", _("Prime d'activité")
        FAMILY = "family", _("Allocations familiales")
        PENSION = "pension", _("Pension / retraite")
        UNEMPLOYMENT = "unemployment", _("Allocation chômage")
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
    # Set when retention anonymises the lease (reference -> ANON-<id>): keyed hash of the real reference,
    # so that the landlord's rent import recognises and skips it (zel.pseudonym).
    reference_digest = models.CharField(max_length=64, blank=True, default="", editable=False, db_index=True)
    address = models.CharField(_("adresse"), max_length=200)
    postcode = models.CharField(_("code postal"), max_length=5)
    commune = models.CharField(_("commune"), max_length=80)
    typology = models.CharField(_("type"), max_length=2, choices=Typology.choices)
    financing = models.CharField(_("financement"), max_length=4, choices=Financing.choices)
    rent = models.DecimalField(_("loyer (€)"), **MONEY)
    service_charges = models.DecimalField(_("charges (€)"), **MONEY)
    class BenefitRecipient(models.TextChoices):
        LANDLORD = "landlord", _("au bailleur (tiers payant)")
        TENANT = "tenant", _("au locataire")

    housing_benefit = models.DecimalField(_("aide au logement APL / AL (€)"), **MONEY)
    housing_benefit_recipient = models.CharField(_("aide versée"), max_length=10, choices=BenefitRecipient.choices,
                                                 default=BenefitRecipient.LANDLORD)
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

    def housing(self) -> budget.Housing:
        return budget.Housing(rent=self.rent, charges=self.service_charges, housing_benefit=self.housing_benefit,
                              benefit_paid_to_landlord=self.housing_benefit_recipient
                              == self.BenefitRecipient.LANDLORD)

    @property
    def monthly_due(self) -> Decimal:
        """Rent and charges net of the benefit paid to the landlord: what the tenant owes each month."""
        return self.housing().due_to_landlord

    @property
    def housing_cost(self) -> Decimal:
        """Rent and charges net of the benefit, whoever receives it: the effort rate's numerator."""
        return self.housing().cost

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
    reason = models.TextField(_("motif"), validators=bounded(SHORT_TEXT))
    track = models.CharField(_("volet"), max_length=10, choices=Track.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   related_name="+", verbose_name=_("saisie par"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-referred_on"]
        verbose_name = _("orientation")

    def __str__(self) -> str:
        return f"{self.partner} {self.referred_on:%d/%m/%Y}"


class FrozenFigures(models.Model):
    """Effort rate, reste à vivre and rent debt as they stood at entry (the COPIL admission) or at exit
    (support closed), with the rule version that computed them (docs/domain.md). Never recomputed:
    the report's "at entry" figures and the COPIL "avant / après" read these rows."""

    class Moment(models.TextChoices):
        ENTRY = "entry", _("Entrée (décision du COPIL)")
        EXIT = "exit", _("Sortie (fin de l'accompagnement)")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="frozen_figures")
    moment = models.CharField(_("moment"), max_length=5, choices=Moment.choices)
    taken_on = models.DateField(_("date"))
    source = models.CharField(_("origine"), max_length=40, blank=True, db_index=True)
    resources = models.DecimalField(_("ressources"), max_digits=10, decimal_places=2)
    housing_cost = models.DecimalField(_("coût du logement"), max_digits=10, decimal_places=2)
    fixed_charges = models.DecimalField(_("charges fixes"), max_digits=10, decimal_places=2)
    debt_repayments = models.DecimalField(_("remboursements de dettes"), max_digits=10, decimal_places=2)
    units = models.DecimalField(_("unités de consommation"), max_digits=4, decimal_places=1)
    effort_rate = models.DecimalField(_("taux d'effort"), max_digits=6, decimal_places=4, null=True)
    remaining_income = models.DecimalField(_("reste à vivre mensuel"), max_digits=10, decimal_places=2)
    remaining_per_unit = models.DecimalField(_("reste à vivre par UC"), max_digits=10, decimal_places=2, null=True)
    remaining_per_day_per_unit = models.DecimalField(_("reste à vivre par jour et par UC"), max_digits=10,
                                                     decimal_places=2, null=True)
    rent_debt = models.DecimalField(_("dette locative"), max_digits=12, decimal_places=2)
    rent_debt_on = models.DateField(_("dette locative au"), null=True)
    rule_version = models.CharField(_("version des règles"), max_length=20)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["taken_on", "pk"]
        verbose_name = _("chiffres figés")
        verbose_name_plural = _("chiffres figés")
        indexes = [models.Index(fields=["household", "moment", "taken_on"])]

    def __str__(self) -> str:
        return f"{self.get_moment_display()} {self.taken_on:%d/%m/%Y}"

    def as_budget(self) -> budget.BudgetFigures:
        """The frozen row in the shape the pages render (templates/households/_budget_figures.html)."""
        return budget.BudgetFigures(
            resources=self.resources, housing_cost=self.housing_cost, due_to_landlord=self.housing_cost,
            fixed_charges=self.fixed_charges, debt_repayments=self.debt_repayments, units=self.units,
            effort_rate=self.effort_rate, effort_band=budget.effort_band(self.effort_rate),
            remaining=budget.RemainingIncome(self.remaining_income, self.remaining_per_unit,
                                             self.remaining_per_day_per_unit),
            rule_version=self.rule_version)


class StatusChange(models.Model):
    """One step of the household's lifecycle (households.lifecycle): who moved it, when and why."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("ancien statut"), max_length=12, choices=Household.Status.choices)
    to_status = models.CharField(_("nouveau statut"), max_length=12, choices=Household.Status.choices)
    reason = models.CharField(_("motif"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+", verbose_name=_("par"))
    at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("changement de statut")
        indexes = [models.Index(fields=["household", "at"])]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
class Contact(models.Model):
    """A phone number and/or e-mail address of the reference tenant (member empty) or of a member,
    and the person's consent to appointment reminders, per channel, with its date and who recorded it.

    No consent, no message: the reminders (support.reminders) read `sms_consent_at` / `email_consent_at`
    at the moment they send. A withdrawal (by the worker, or a "STOP" reply) empties the consent; the
    change history (simple-history) keeps who gave and withdrew it, and when."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="contacts",
                                  verbose_name=_("ménage"))
    member = models.ForeignKey(HouseholdMember, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="contacts", verbose_name=_("personne"),
                               help_text=_("Vide : le ou la titulaire du bail."))
    phone = PhoneNumberField(_("téléphone"), blank=True, region="FR")
    email = models.EmailField(_("e-mail"), blank=True)
    sms_consent_at = models.DateTimeField(_("accord pour les SMS le"), null=True, blank=True)
    sms_consent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="+", verbose_name=_("accord SMS recueilli par"))
    email_consent_at = models.DateTimeField(_("accord pour les e-mails le"), null=True, blank=True)
    email_consent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="+",
                                         verbose_name=_("accord e-mail recueilli par"))
    sms_stopped_at = models.DateTimeField(_("STOP reçu le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["household", "member", "pk"]
        verbose_name = _("coordonnées")
        verbose_name_plural = _("coordonnées")
        indexes = [models.Index(fields=["phone"])]

    def __str__(self) -> str:
        return self.person_name

    @property
    def person_name(self) -> str:
        if self.member_id:
            return self.member.first_name
        return self.household.first_name

    @property
    def is_mobile(self) -> bool:
        return is_mobile_number(self.phone)

    def has_consent(self, channel: str) -> bool:
        if channel == "sms":
            return bool(self.sms_consent_at and self.phone and self.is_mobile)
        return bool(self.email_consent_at and self.email)


def is_mobile_number(number) -> bool:
    """A number that can receive an SMS (phonenumbers' type: mobile, or "fixed line or mobile"
    where the numbering plan cannot tell)."""
    import phonenumbers

    if not number or not getattr(number, "is_valid", lambda: False)():
        return False
    return phonenumbers.number_type(number) in (phonenumbers.PhoneNumberType.MOBILE,
                                                phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
