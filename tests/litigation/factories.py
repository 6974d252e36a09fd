from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from litigation.models import Procedure, RentAccountLine


class ProcedureFactory(DjangoModelFactory):
    """Give `lease`; household, landlord and territory follow from it."""

    class Meta:
        model = Procedure

    opened_on = date(2025, 1, 10)
    household = factory.LazyAttribute(lambda p: p.lease.household)
    landlord = factory.LazyAttribute(lambda p: p.lease.landlord)
    territory = factory.LazyAttribute(lambda p: p.lease.household.territory)


class RentLineFactory(DjangoModelFactory):
    class Meta:
        model = RentAccountLine

    month = date(2025, 1, 1)
    amount_called = Decimal("530.00")
    housing_benefit = Decimal("150.00")
    amount_paid = Decimal("380.00")
