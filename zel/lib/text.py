import unicodedata
from decimal import Decimal

# NFKD does not split these ligatures, common in French names (Lœuillet, Cœur, Æbischer).
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


def normalize(text: str) -> str:
    """Lower-case, accent-free form used for search and duplicate detection ("Élodie" -> "elodie")."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold().translate(LIGATURES))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())


def spreadsheet_safe(value) -> str:
    """A CSV cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def spreadsheet_cell(value):
    """A cell of any CSV or XLSX export: numbers stay numbers (a number is never a formula, and a
    negative one must not gain a quote), everything else goes through spreadsheet_safe."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    return spreadsheet_safe(value)
