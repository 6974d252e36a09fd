"""Factories of the COPIL app."""

from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from accounts.models import Organisation
from copil.models import AgendaItem, RequestedLever, Session, SessionMember
from tests.factories import HouseholdFactory, UserFactory, territory


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    territory = factory.LazyFunction(lambda: territory("57"))
    # Organised by AMLI (the personas' manager's organisation) unless a test says otherwise.
    organisation = factory.LazyFunction(lambda: Organisation.objects.filter(code="amli").first())
    held_on = date(2025, 6, 12)
    place = "Préfecture de Metz, salle 2"
    chair = factory.SubFactory(UserFactory, roles=["copil_member"], territories=["57"])
    status = Session.Status.REVIEW

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if not create:
            return
        users = list(extracted or []) + [self.chair]
        SessionMember.objects.bulk_create([SessionMember(session=self, user=u) for u in dict.fromkeys(users)])


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = AgendaItem

    session = factory.SubFactory(SessionFactory)
    household = factory.SubFactory(HouseholdFactory, status="presented")
    kind = AgendaItem.Kind.ADMISSION
    position = factory.Sequence(lambda n: n + 1)


class RequestedLeverFactory(DjangoModelFactory):
    class Meta:
        model = RequestedLever

    item = factory.SubFactory(AgendaItemFactory)
    kind = "fsl_maintenance"
    amount = Decimal("1200.00")
