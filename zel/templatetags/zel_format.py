from django import template

from zel.lib.formats import format_eur, format_number, format_percent

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
