"""The support app's dashboard panel: today's appointments, first (issue 15). Two queries."""

from django.utils.translation import gettext as _

from zel.dashboard import Panel

from . import access
from . import selectors_appointments as selectors


def today_appointments(user) -> Panel | None:
    if not access.can_use_calendar(user):
        return None
    items = selectors.today_for(user)
    return Panel(title=_("Mes rendez-vous du jour"), template="support/panel_today.html",
                 context={"items": items}, count=len(items), first=True)
