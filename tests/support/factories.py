"""Factories of the support app."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from households.models import Contact
from support.models import (
    Appointment,
    BudgetCharge,
    BudgetDebt,
    Diagnosis,
    Intervention,
    PlanGoal,
    PsychologistNote,
    SupportEpisode,
)
from tests.factories import HouseholdFactory, UserFactory


class DiagnosisFactory(DjangoModelFactory):
    class Meta:
        model = Diagnosis

    household = factory.SubFactory(HouseholdFactory)
    done_on = date(2025, 3, 10)
    family_situation = "Mère isolée, deux enfants scolarisés."
    rent_debt = Decimal("1840.00")
    energy_debt = Decimal("320.50")
    other_debts = Decimal("150.00")
    committee_summary = "Dette locative née d'une perte d'emploi ; reprise du loyer courant depuis mars."
    health = "Suivi cardiologique"
    mental_health = "Épisode dépressif en 2024"
    addictions = "Aucune"


class EpisodeFactory(DjangoModelFactory):
    class Meta:
        model = SupportEpisode

    household = factory.SubFactory(HouseholdFactory)
    opened_on = date(2025, 1, 6)


class PlanGoalFactory(DjangoModelFactory):
    class Meta:
        model = PlanGoal

    household = factory.SubFactory(HouseholdFactory)
    theme = "budget"
    title = factory.Sequence(lambda n: f"Objectif {n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))


class InterventionFactory(DjangoModelFactory):
    class Meta:
        model = Intervention

    household = factory.SubFactory(HouseholdFactory)
    author = factory.SubFactory(UserFactory)
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
    duration_minutes = 45
    themes = factory.LazyFunction(lambda: ["budget", "rights"])
    summary = "Point sur le budget et dossier CAF."


class PsychologistNoteFactory(DjangoModelFactory):
    class Meta:
        model = PsychologistNote

    household = factory.SubFactory(HouseholdFactory)
    author = factory.SubFactory(UserFactory)
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=2))
    content = "CONFIDENTIEL-PSY angoisse liée à la procédure"


class ChargeFactory(DjangoModelFactory):
    class Meta:
        model = BudgetCharge

    household = factory.SubFactory(HouseholdFactory)
    kind = "energy"
    monthly_amount = Decimal("90.00")


class DebtFactory(DjangoModelFactory):
    class Meta:
        model = BudgetDebt

    household = factory.SubFactory(HouseholdFactory)
    kind = "energy"
    creditor = "EDF"
    amount = Decimal("600.00")
    monthly_repayment = Decimal("50.00")


class AppointmentFactory(DjangoModelFactory):
    """An appointment in three days at 14:00–15:00 (local time), at home, without reminders."""

    class Meta:
        model = Appointment
        skip_postgeneration_save = True

    household = factory.SubFactory(HouseholdFactory)
    starts_at = factory.LazyFunction(lambda: timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=3), time(14, 0))))
    ends_at = factory.LazyAttribute(lambda a: a.starts_at + timedelta(hours=1))
    reminders_enabled = False

    @factory.post_generation
    def workers(self, create, extracted, **kwargs):
        if create and extracted:
            self.workers.set(extracted)


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    household = factory.SubFactory(HouseholdFactory)
    phone = "+33612345678"
    email = "menage@example.invalid"
