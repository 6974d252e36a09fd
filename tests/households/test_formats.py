from decimal import Decimal

from zel.lib.formats import format_eur, format_percent
from zel.lib.text import normalize


def test_french_amounts_and_rates():
    assert format_eur(Decimal("1234.56")) == "1\xa0234,56\xa0€"
    assert format_eur(Decimal("-1045.2")) == "-1\xa0045,20\xa0€"
    assert format_eur(0) == "0,00\xa0€"
    assert format_percent(Decimal("0.2533")) == "25,3\xa0%"
    assert format_eur(None) == "—"


def test_normalize_ignores_accents_and_case():
    assert normalize("  LEFÈVRE   Élodie ") == "lefevre elodie"
    assert normalize("Œuvre") == "oeuvre"


def test_spreadsheet_and_machine_numbers():
    from zel.lib.formats import format_date, format_spreadsheet_number, machine_number

    assert format_spreadsheet_number(Decimal("1234.56")) == "1234,56"
    assert format_spreadsheet_number(12) == "12"
    assert format_spreadsheet_number("< 5") == "< 5"
    assert format_spreadsheet_number(None) == ""
    assert machine_number(20.0) == "20" and machine_number(Decimal("80.50")) == "80.5"
    from datetime import date

    assert format_date(date(2025, 12, 31)) == "31/12/2025"
