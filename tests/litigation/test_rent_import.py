"""Rent-account import: messy real-looking files, all errors at once, atomicity, idempotence."""

import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from households.models import Lease
from litigation.models import RentAccountLine, RentImportMapping
from litigation.rent_import import import_rent_accounts, parse_amount, parse_month
from tests.factories import HouseholdFactory, LeaseFactory
from tests.litigation.factories import ProcedureFactory

pytestmark = pytest.mark.django_db
SAMPLES = Path("/work/shared/samples")
D = date.fromisoformat


@pytest.fixture
def sample_leases(orgs, households):
    """The 15 Batigère and 5 Présence Habitat leases of the sample exports."""
    for n in range(1001, 1016):
        LeaseFactory(household=HouseholdFactory(organisation=orgs.amli), landlord=orgs.landlord_x,
                     reference=f"BAT-57-00{n}")
    for n in range(1001, 1006):
        LeaseFactory(household=HouseholdFactory(organisation=orgs.amli), landlord=orgs.landlord_y,
                     reference=f"PHA-57-00{n}")


def lines_of(reference):
    return list(RentAccountLine.objects.filter(lease__reference=reference).order_by("month")
                .values_list("month", "amount_called", "housing_benefit", "amount_paid"))


@pytest.mark.parametrize(("raw", "expected"), [
    ("1 045,20 €", "1045.20"), ("1\u00a0045,20\u00a0€", "1045.20"), ("1\u202f045,20 €", "1045.20"),
    ("1.045,20", "1045.20"), ("1,045.20", "1045.20"), ("563.88", "563.88"), ("563,88", "563.88"),
    ("0", "0"), ("12 500", "12500"), ("1.045", "1045"), ("-12,50 €", "-12.50"), ("(12,50)", "-12.50"),
    ("1.234.567,89", "1234567.89"),
])
def test_amounts_as_accounting_software_writes_them(raw, expected):
    assert parse_amount(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", ["abc", "12,345,67", "1,2345", "12.5.3", "", "12,555 €x"])
def test_unreadable_amounts_are_refused(raw):
    with pytest.raises(ValueError):
        parse_amount(raw)


@pytest.mark.parametrize(("raw", "expected"), [
    ("01/02/2025", "2025-02-01"), ("15/02/2025", "2025-02-01"), ("2025-02", "2025-02-01"),
    ("2025-02-01", "2025-02-01"), ("02/2025", "2025-02-01"), ("1.2.2025", "2025-02-01"),
])
def test_months(raw, expected):
    assert parse_month(raw) == D(expected)


@pytest.mark.parametrize("raw", ["31/02/2025", "2025-13", "février 2025", "01/01/25"])
def test_bad_months_are_refused(raw):
    with pytest.raises(ValueError):
        parse_month(raw)


def test_both_sample_files_import_and_reimport_changes_nothing(sample_leases, orgs):
    bat = import_rent_accounts(landlord=orgs.landlord_x, raw=(SAMPLES / "loyers-batigere-2025.csv").read_bytes())
    assert bat.ok, bat.errors
    assert (bat.created, bat.leases) == (180, 15)
    pha = import_rent_accounts(landlord=orgs.landlord_y,
                               raw=(SAMPLES / "rent-accounts-other-landlord-2025.csv").read_bytes())
    assert pha.ok, pha.errors
    assert (pha.created, pha.leases) == (60, 5)
    assert lines_of("BAT-57-001001")[3] == (D("2025-04-01"), Decimal("563.88"), Decimal("0.00"), Decimal("281.94"))
    assert lines_of("PHA-57-001001")[0] == (D("2025-01-01"), Decimal("563.88"), Decimal("0.00"), Decimal("563.88"))
    stamp = list(RentAccountLine.objects.order_by("pk").values_list("pk", "imported_at"))
    again = import_rent_accounts(landlord=orgs.landlord_x, raw=(SAMPLES / "loyers-batigere-2025.csv").read_bytes())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 180)
    assert list(RentAccountLine.objects.order_by("pk").values_list("pk", "imported_at")) == stamp


def test_messy_windows_1252_file_with_comma_separator_and_quotes(households, orgs):
    lease = households.mine.leases.get()
    text = ("Bail,Mois,Loyer + charges,APL,Réglé\r\n"
            f'{lease.reference},2025-01,"1 045,20 €","150,00","895,20 €"\r\n'
            f'{lease.reference.lower()},02/2025,"1.045,20","150,00","0"\r\n'
            "\r\n,,,,\r\n\r\n")
    report = import_rent_accounts(landlord=orgs.landlord_x, raw=text.encode("cp1252"))
    assert report.ok, report.errors
    assert lines_of(lease.reference) == [
        (D("2025-01-01"), Decimal("1045.20"), Decimal("150.00"), Decimal("895.20")),
        (D("2025-02-01"), Decimal("1045.20"), Decimal("150.00"), Decimal("0.00"))]


def test_utf8_without_bom_semicolons_and_tabs(households, orgs):
    lease = households.mine.leases.get()
    text = f"référence du bail\tpériode\tquittancé\tapl\tencaissé\n{lease.reference}\t01/03/2025\t530\t150\t380\n"
    assert import_rent_accounts(landlord=orgs.landlord_x, raw=text.encode()).ok
    assert lines_of(lease.reference)[0][0] == D("2025-03-01")


def test_all_errors_reported_at_once_and_nothing_imported(households, orgs):
    lease = households.mine.leases.get()
    text = ("Référence bail;Période;Quittancé (loyer+charges);APL versée au bailleur;Encaissé\n"
            f"{lease.reference};01/01/2025;530,00 €;150,00 €;380,00 €\n"
            f"{lease.reference};31/02/2025;530,00 €;150,00 €;380,00 €\n"
            f"{lease.reference};01/03/2025;cinq cents;150,00 €;380,00 €\n"
            "BAT-INCONNU;01/03/2025;530,00;0;0\n"
            f"{households.tenant_y.leases.get().reference};01/03/2025;530,00;0;0\n"
            f"{lease.reference};01/01/2025;530,00 €;150,00 €;380,00 €\n"
            f"{lease.reference};01/04/2025;530,00 €\n")
    report = import_rent_accounts(landlord=orgs.landlord_x, raw=text.encode())
    messages = [str(e) for e in report.errors]
    assert not report.ok
    assert messages == [
        "ligne 3, colonne « Période » : date impossible « 31/02/2025 ».",
        "ligne 4, colonne « Quittancé (loyer+charges) » : montant illisible « cinq cents ».",
        "ligne 5, colonne « référence du bail » : bail « BAT-INCONNU » inconnu chez Batigère (il n'est pas créé).",
        f"ligne 6, colonne « référence du bail » : bail « {households.tenant_y.leases.get().reference} » inconnu "
        "chez Batigère (il n'est pas créé).",
        "ligne 7, colonne « Période » : même bail et même mois qu'à la ligne 2.",
        "ligne 8 : 3 colonnes au lieu de 5.",
    ]
    assert RentAccountLine.objects.count() == 0
    assert Lease.objects.filter(reference="BAT-INCONNU").count() == 0


def test_missing_column_named(households, orgs):
    report = import_rent_accounts(landlord=orgs.landlord_x, raw=b"Bail;Mois;Quittance;APL\nX;2025-01;1;0\n")
    assert [e.column for e in report.errors] == ["encaissé"]
    assert "colonne introuvable" in report.errors[0].message


def test_configured_column_mapping(households, orgs):
    lease = households.mine.leases.get()
    RentImportMapping.objects.create(landlord=orgs.landlord_x, lease_reference="N° contrat", month="Terme",
                                     amount_called="Total terme", housing_benefit="Aides", amount_paid="Versements")
    text = f"N° contrat;Terme;Total terme;Aides;Versements\n{lease.reference};01/2025;530;150;100\n"
    assert import_rent_accounts(landlord=orgs.landlord_x, raw=text.encode()).ok
    assert lines_of(lease.reference)[0][3] == Decimal("100.00")


def test_reimport_with_a_corrected_amount_updates_only_that_line(households, orgs, procedures):
    lease = households.mine.leases.get()
    head = "bail;mois;quittancé;apl;encaissé\n"
    rows = [f"{lease.reference};2025-0{m};530;150;380\n" for m in (1, 2, 3)]
    import_rent_accounts(landlord=orgs.landlord_x, raw=(head + "".join(rows)).encode())
    rows[2] = f"{lease.reference};2025-03;530;150;0\n"
    report = import_rent_accounts(landlord=orgs.landlord_x, raw=(head + "".join(rows)).encode())
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    procedures.mine.refresh_from_db()
    assert procedures.mine.current_debt == Decimal("380.00")  # the arrears now follow the account


def test_ten_thousand_lines_import_fast(orgs):
    leases = [LeaseFactory(household=HouseholdFactory(organisation=orgs.amli), landlord=orgs.landlord_x,
                           reference=f"BAT-57-{n:06d}") for n in range(1, 835)]
    rows = ["Référence bail;Période;Quittancé (loyer+charges);APL versée au bailleur;Encaissé"]
    for lease in leases:
        for month in range(1, 13):
            rows.append(f"{lease.reference};01/{month:02d}/2025;1 045,20 €;150,00 €;895,20 €")
    raw = "\r\n".join(rows[:10001]).encode("cp1252")
    started = time.monotonic()
    report = import_rent_accounts(landlord=orgs.landlord_x, raw=raw)
    elapsed = time.monotonic() - started
    assert report.ok and report.created == 10000
    assert elapsed < 10, elapsed
    started = time.monotonic()
    assert import_rent_accounts(landlord=orgs.landlord_x, raw=raw).unchanged == 10000
    assert time.monotonic() - started < 10


def test_command_imports_and_fails_with_errors(sample_leases, capsys):
    call_command("import_rent_accounts", str(SAMPLES / "loyers-batigere-2025.csv"), "--landlord", "bat")
    assert "180 lignes créées" in capsys.readouterr().out
    with pytest.raises(CommandError, match="rien n'a été importé"):
        call_command("import_rent_accounts", str(SAMPLES / "loyers-batigere-2025.csv"), "--landlord", "pha")
    with pytest.raises(CommandError, match="Bailleur inconnu"):
        call_command("import_rent_accounts", str(SAMPLES / "loyers-batigere-2025.csv"), "--landlord", "zzz")


def test_upload_page_reports_errors_and_refuses_binary(as_user, personas, households):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client = as_user(personas.litigation_x)
    url = reverse("litigation:rent_import")
    bad = SimpleUploadedFile("export.csv", b"bail;mois;quittance;apl;encaisse\nBAT-X;2025-01;1;0;1\n")
    response = client.post(url, {"file": bad})
    assert "bail « BAT-X » inconnu" in response.content.decode()
    binary = SimpleUploadedFile("export.csv", b"PK\x03\x04\x00\x00binary")
    response = client.post(url, {"file": binary})
    assert "fichier texte" in response.content.decode()
    assert as_user(personas.bailiff).get(url).status_code == 403
    assert as_user(personas.worker).get(url).status_code == 403


def test_import_refreshes_open_procedures_debts_only(households, orgs, procedures):
    """Overpaid account: debt 0, not negative; a closed procedure and another lease's keep their debt;
    the refresh is not an edit of the procedure (no history row, same version)."""
    from litigation.models import Procedure, Stage

    lease = households.mine.leases.get()
    closed = ProcedureFactory(lease=lease, stage=Stage.CLOSED, current_debt=Decimal("999.00"))
    Procedure.objects.filter(pk=procedures.other.pk).update(current_debt=Decimal("123.45"))
    history_before = Procedure.history.count()
    version_before = Procedure.objects.get(pk=procedures.mine.pk).version
    head = "bail;mois;quittancé;apl;encaissé\n"
    owing = head + f"{lease.reference};2025-01;530;150;0\n{lease.reference};2025-02;530;150;100\n"
    assert import_rent_accounts(landlord=orgs.landlord_x, raw=owing.encode()).ok
    assert Procedure.objects.get(pk=procedures.mine.pk).current_debt == Decimal("660.00")
    overpaid = head + f"{lease.reference};2025-01;530;150;380\n{lease.reference};2025-02;530;150;1000\n"
    report = import_rent_accounts(landlord=orgs.landlord_x, raw=overpaid.encode())
    assert (report.created, report.updated, report.unchanged) == (0, 2, 0)
    mine = Procedure.objects.get(pk=procedures.mine.pk)
    assert mine.current_debt == Decimal("0.00")
    assert mine.version == version_before
    assert Procedure.objects.get(pk=closed.pk).current_debt == Decimal("999.00")
    assert Procedure.objects.get(pk=procedures.other.pk).current_debt == Decimal("123.45")
    assert Procedure.history.count() == history_before
    assert lines_of(lease.reference)[1] == (D("2025-02-01"), Decimal("530.00"), Decimal("150.00"),
                                            Decimal("1000.00"))


# --- Amounts (issue 12): decimals, negatives, empty files -------------------------------------------

HEADER = "Référence bail;Période;Quittancé;APL;Encaissé\n"


@pytest.mark.parametrize("amount", ["500,123", "1045,200", "12,500"])
def test_more_than_two_decimals_is_refused_naming_line_and_column_and_nothing_is_imported(households, orgs,
                                                                                           amount):
    lease = households.mine.leases.get()
    text = HEADER + f"{lease.reference};01/2025;530,00;0;0\n{lease.reference};02/2025;{amount};0;0\n"
    report = import_rent_accounts(landlord=orgs.landlord_x, raw=text.encode())
    assert [str(e) for e in report.errors] == [
        f"ligne 3, colonne « Quittancé » : plus de deux décimales dans « {amount} » (centimes attendus, "
        "par exemple 500,12)."]
    assert RentAccountLine.objects.count() == 0


@pytest.mark.parametrize("amount", ["-12,50 €", "(12,50)", "983,23-"])
def test_negative_amount_called_is_refused(households, orgs, amount):
    lease = households.mine.leases.get()
    report = import_rent_accounts(landlord=orgs.landlord_x,
                                  raw=(HEADER + f"{lease.reference};01/2025;{amount};0;0\n").encode())
    assert not report.ok
    assert "ligne 2, colonne « Quittancé » : montant négatif" in str(report.errors[0])
    assert RentAccountLine.objects.count() == 0


def test_negative_payment_is_a_reversal_imported_and_listed_as_a_warning(as_user, personas, households, orgs):
    lease = households.mine.leases.get()
    text = HEADER + f"{lease.reference};01/2025;530,00;150,00;380,00\n{lease.reference};02/2025;530,00;150,00;-380,00\n"
    response = as_user(personas.litigation_x).post(
        reverse("litigation:rent_import"),
        {"file": SimpleUploadedFile("compte.csv", text.encode(), content_type="text/csv")})
    page = response.content.decode()
    assert 'id="import-warnings"' in page and "ligne 3, colonne « Encaissé » : encaissement négatif" in page
    assert lines_of(lease.reference)[1][3] == Decimal("-380.00")


def test_header_only_file_says_it_has_no_data_line(households, orgs):
    report = import_rent_accounts(landlord=orgs.landlord_x, raw=HEADER.encode())
    assert not report.ok
    assert "aucune ligne de données" in str(report.errors[0])


def test_big_amounts_keep_their_thousands(households, orgs):
    lease = households.mine.leases.get()
    text = HEADER + f"{lease.reference};01/2025;1.045,20;1 000,00;1.045.200\n"
    assert import_rent_accounts(landlord=orgs.landlord_x, raw=text.encode()).ok
    assert lines_of(lease.reference)[0][1:] == (Decimal("1045.20"), Decimal("1000.00"), Decimal("1045200.00"))
