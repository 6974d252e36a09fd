"""Property-based tests (hypothesis) on the rent-account import: random bytes, and well-formed files
with random cells, never crash the importer; a file with any error imports nothing; an accepted file
imports exactly its lines."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litigation.models import RentAccountLine
from litigation.rent_import import import_rent_accounts
from tests.factories import LeaseFactory

pytestmark = pytest.mark.django_db

PROFILE = settings(max_examples=80, deadline=None, database=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

HEADER = "Référence bail;Période;Quittancé (loyer+charges);APL versée au bailleur;Encaissé\r\n"
cells = st.one_of(
    st.text(max_size=20).map(lambda t: t.replace(";", "").replace("\n", "").replace("\r", "").replace('"', "")),
    st.sampled_from(["563,88 €", "1 045,20", "12.5", "-3", "", "01/13/2025", "2025-02", "31/02/2025",
                     "99999999999", "1,234,56", "NaN", "€", "0,001"]),
)


@pytest.fixture
def lease(orgs):
    return LeaseFactory(landlord=orgs.landlord_x, reference="BAT-57-001001")


@PROFILE
@given(raw=st.binary(max_size=2000))
def test_random_bytes_never_crash_and_import_nothing_when_refused(orgs, lease, raw):
    before = RentAccountLine.objects.count()
    report = import_rent_accounts(landlord=orgs.landlord_x, raw=raw)
    if not report.ok:
        assert RentAccountLine.objects.count() == before
        assert all(str(error) for error in report.errors)


@PROFILE
@given(rows=st.lists(st.tuples(st.sampled_from(["BAT-57-001001", "BAT-57-999999"]), cells, cells, cells, cells),
                     min_size=1, max_size=8))
def test_random_cells_are_refused_whole_or_imported_whole(orgs, lease, rows):
    RentAccountLine.objects.all().delete()
    text = HEADER + "".join(";".join(row) + "\r\n" for row in rows)
    report = import_rent_accounts(landlord=orgs.landlord_x, raw=text.encode("cp1252", errors="replace"))
    if report.ok:
        months = {row[1] for row in rows}
        assert RentAccountLine.objects.count() == report.created + report.updated + report.unchanged
        assert RentAccountLine.objects.count() <= len(months)
    else:
        assert RentAccountLine.objects.count() == 0
        assert all(error.line >= 1 or error.line == 0 for error in report.errors)
