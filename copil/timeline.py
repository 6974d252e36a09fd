from django.urls import reverse
from django.utils.translation import gettext as _

from zel.lib.formats import format_date, format_eur
from zel.timeline import TimelineEntry

from . import access
from .models import Decision


def copil_entries(user, household):
    """COPIL decisions on the household timeline, for those who may see the household (two queries)."""
    if not access.can_see_copil_timeline(user, household):
        return []
    decisions = (Decision.objects.filter(item__household_id=household.pk)
                 .select_related("item__session__territory").prefetch_related("levers").order_by("recorded_at"))
    entries = []
    for decision in decisions:
        session = decision.item.session
        detail = ", ".join(f"{lv.get_kind_display()} {format_eur(lv.amount)}" for lv in decision.levers.all())
        if decision.outcome == Decision.Outcome.ADJOURNED:
            detail = decision.missing
        elif decision.outcome == Decision.Outcome.REFUSED:
            detail = decision.reason
        title = _("COPIL %(dep)s du %(date)s : %(outcome)s") % {
            "dep": session.territory.code, "date": format_date(session.held_on),
            "outcome": decision.get_outcome_display().lower()}
        if decision.corrects_id and decision.after_signature:
            title += " " + _("(rectification)")
        url = ""
        if access.can_read_copil_dossier(user, session):
            url = reverse("copil:dossier", args=[session.pk, decision.item_id])
        entries.append(TimelineEntry(when=decision.recorded_at, kind="copil", title=title, detail=detail,
                                     url=url, icon="⚖"))
    return entries
