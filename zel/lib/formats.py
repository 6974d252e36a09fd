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


def format_date(value) -> str:
    """date(2025, 12, 31) -> '31/12/2025' (a datetime is first put in the local time zone)."""
    if value is None:
        return "—"
    from datetime import datetime

    if isinstance(value, datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def format_month(value) -> str:
    """date(2025, 3, 1) -> '03/2025'."""
    return "—" if value is None else value.strftime("%m/%Y")


def format_spreadsheet_number(value: Decimal | int | float | None) -> str:
    """A number for a CSV opened by a French spreadsheet: decimal comma, no thousands separator, no
    unit, so that it is read as a number ('1234,56'; '' for none)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value  # already a text cell (e.g. "not published")
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    text = f"{Decimal(str(value)):f}"
    return text.replace(".", ",")


def machine_number(value: Decimal | int | float | None) -> str:
    """A number for a machine format (SVG attribute, data- attribute, JSON text): dot decimal,
    never localized ('20.5')."""
    if value is None:
        return ""
    text = f"{Decimal(str(value)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
