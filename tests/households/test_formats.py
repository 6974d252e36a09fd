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
