import unicodedata


def normalize(text: str) -> str:
    """Lower-case, accent-free form used for search and duplicate detection ("Élodie" -> "elodie")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())
