from types import SimpleNamespace

import pytest

from .factories import ProcedureFactory


@pytest.fixture
def procedures(households, personas):
    """mine and other: landlord X (other instructed to the bailiff); y: landlord Y; far: none."""
    return SimpleNamespace(
        mine=ProcedureFactory(lease=households.mine.leases.get()),
        other=ProcedureFactory(lease=households.other.leases.get(), bailiff=personas.bailiff),
        y=ProcedureFactory(lease=households.tenant_y.leases.get()),
    )
