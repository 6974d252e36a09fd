"""French display of money and rates, shared by pages, PDFs and e-mails."""

from decimal import ROUND_HALF_UP, Decimal

NBSP = "\xa0"


def format_number(value: Decimal | int | float | None, decimals: int = 2) -> str:
    if value is None:
        return "—"
    quantum = Decimal(1).scaleb(-decimals)
    amount = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    integer, _, fraction = f"{abs(amount):f}".partition(".")
    groups = []
    while integer:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    text = NBSP.join(groups) or "0"
    return f"{sign}{text},{fraction}" if decimals else f"{sign}{text}"


def format_eur(value: Decimal | int | float | None) -> str:
    """1234.56 -> '1 234,56 €' (non-breaking spaces so the amount never wraps)."""
    if value is None:
        return "—"
    return f"{format_number(value, 2)}{NBSP}€"


def format_percent(ratio: Decimal | float | None, decimals: int = 1) -> str:
    """0.3456 -> '34,6 %'."""
    if ratio is None:
        return "—"
    return f"{format_number(Decimal(str(ratio)) * 100, decimals)}{NBSP}%"
