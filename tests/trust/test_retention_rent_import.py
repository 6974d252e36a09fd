"""Issue 17, item 2: retention no longer breaks the landlord's monthly rent import.

An anonymised lease is renamed ANON-<id>, but the household usually still rents the dwelling, so the
next export lists the real reference: the line used to be "unknown" and the all-or-nothing import
refused the whole file every month. A keyed hash of the reference, kept at anonymisation, lets the
import recognise those lines, skip them and say how many."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from households import retention
from households.models import Household, Lease
from litigation.models import RentAccountLine
from litigation.rent_import import import_rent_accounts
from tests.factories import HouseholdFactory, LeaseFactory
from zel import pseudonym

pytestmark = pytest.mark.django_db

HEAD = "Référence bail;Mois;Quittancé;APL;Encaissé\n"


@pytest.fixture
def leases(orgs):
    ended = HouseholdFactory(organisation=orgs.amli, status=Household.Status.ENDED)
    gone = LeaseFactory(household=ended, landlord=orgs.landlord_x, reference="BAT-57-0042")
    Household.objects.filter(pk=ended.pk).update(updated_at=timezone.now() - timedelta(days=3 * 366))
    active = LeaseFactory(household=HouseholdFactory(organisation=orgs.amli), landlord=orgs.landlord_x,
                          reference="BAT-57-0043")
    result = retention.apply_retention()
    assert result.anonymised == [ended.pk]
    gone.refresh_from_db()
    return gone, active


def test_anonymised_lease_keeps_only_a_keyed_hash_of_its_reference(leases, orgs, settings):
    gone, _active = leases
    assert gone.reference == f"ANON-{gone.pk}"
    assert gone.reference_digest == pseudonym.lease_reference_digest(orgs.landlord_x.pk, "BAT-57-0042")
    assert len(gone.reference_digest) == 64 and "0042" not in gone.reference_digest
    assert not Lease.history.filter(reference="BAT-57-0042").exists()
    # Keyed: another key (ZEL_PSEUDONYM_KEY) gives another digest; another landlord too.
    settings.ZEL_PSEUDONYM_KEY = "another-key"
    assert pseudonym.lease_reference_digest(orgs.landlord_x.pk, "BAT-57-0042") != gone.reference_digest
    settings.ZEL_PSEUDONYM_KEY = ""
    assert pseudonym.lease_reference_digest(orgs.landlord_y.pk, "BAT-57-0042") != gone.reference_digest


def test_import_skips_and_counts_the_lines_of_anonymised_leases(leases, orgs):
    gone, active = leases
    raw = (HEAD + "bat-57-0042;2026-01;530,00;150,00;380,00\n"
                  "BAT-57-0042;2026-02;530,00;150,00;380,00\n"
                  "BAT-57-0043;2026-01;480,00;0;480,00\n").encode()

    report = import_rent_accounts(landlord=orgs.landlord_x, raw=raw)

    assert report.ok, report.errors
    assert (report.anonymised_skipped, report.created, report.leases) == (2, 1, 1)
    assert list(RentAccountLine.objects.values_list("lease_id", flat=True)) == [active.pk]
    assert not RentAccountLine.objects.filter(lease=gone).exists()


def test_a_really_unknown_lease_still_refuses_the_file(leases, orgs):
    raw = (HEAD + "BAT-57-0042;2026-01;530,00;150,00;380,00\n"
                  "BAT-57-9999;2026-01;480,00;0;480,00\n").encode()
    report = import_rent_accounts(landlord=orgs.landlord_x, raw=raw)
    assert not report.ok
    assert [str(e) for e in report.errors] == [
        "ligne 3, colonne « référence du bail » : bail « BAT-57-9999 » inconnu chez Batigère (il n'est pas créé)."]
    # Another landlord's file with the same reference is not recognised: the hash is per landlord.
    other = import_rent_accounts(landlord=orgs.landlord_y, raw=(HEAD + "BAT-57-0042;2026-01;1;0;1\n").encode())
    assert not other.ok and other.anonymised_skipped == 0


def test_result_page_says_how_many_lines_were_skipped(leases, orgs, personas, as_user):
    raw = (HEAD + "BAT-57-0042;2026-01;530,00;150,00;380,00\nBAT-57-0042;2026-02;530,00;150,00;380,00\n"
                  "BAT-57-0043;2026-01;480,00;0;480,00\n").encode()
    response = as_user(personas.litigation_x).post(reverse("litigation:rent_import"), {
        "landlord": orgs.landlord_x.pk, "file": SimpleUploadedFile("loyers.csv", raw, content_type="text/csv")})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 lignes créées" in page
    assert "2 lignes de baux clos et anonymisés ignorées." in page
    assert "rien n&#x27;a été importé" not in page
