"""The formatting filters of every template (builtins: no {% load %} needed).

Human text: `|eur` '1 234,56 €', `|num:2` '1 234,56', `|pct` '34,6 %', `|date_fr` '31/12/2025',
`|month_fr` '03/2025'. Machine formats (SVG attributes, data- attributes, inline JSON): `|machine`
'20.5', never localized — like Django's `|unlocalize`, but also for Decimal and None.
"""

from django import template

from zel.lib.formats import format_date, format_eur, format_month, format_number, format_percent, machine_number

register = template.Library()


@register.filter
def eur(value):
    return format_eur(value)


@register.filter
def pct(value, decimals=1):
    return format_percent(value, int(decimals))


@register.filter
def num(value, decimals=0):
    return format_number(value, int(decimals))


@register.filter
def date_fr(value):
    return format_date(value)


@register.filter
def month_fr(value):
    return format_month(value)


@register.filter
def machine(value):
    return machine_number(value)
