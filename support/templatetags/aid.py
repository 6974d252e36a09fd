"""Display of what an aid or a COPIL lever is measured in: an amount, months, or nothing."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from support import aid_rules
from zel.lib.formats import format_eur

register = template.Library()


def measure_text(kind: str, amount, months) -> str:
    measure = aid_rules.measure_of(kind)
    if measure == aid_rules.Measure.AMOUNT:
        return format_eur(amount)
    if measure == aid_rules.Measure.MONTHS:
        if months is None:
            return "—"
        return ngettext("%(n)s mois", "%(n)s mois", months) % {"n": months}
    return _("sans montant")


@register.filter
def lever_value(lever) -> str:
    """A RequestedLever or DecisionLever: '1 234,56 €', '6 mois' or 'sans montant' (never 0,00 €)."""
    return measure_text(lever.kind, getattr(lever, "amount", None), getattr(lever, "months", None))


@register.filter
def requested_value(application) -> str:
    return measure_text(application.kind, application.amount_requested, application.months_requested)


@register.filter
def granted_value(application) -> str:
    return measure_text(application.kind, application.amount_granted, application.months_granted)


@register.filter
def paid_value(application) -> str:
    if not aid_rules.is_paid_out(application.kind):
        return _("sans versement")
    return format_eur(application.amount_paid)
