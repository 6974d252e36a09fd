"""The support app's dashboard panels: today's appointments, first (issue 15), and the offline visits
to check; one query each."""

from django.utils.translation import gettext as _

from zel.dashboard import Panel

from . import access
from . import selectors_appointments as selectors
from .models import OfflineVisit


def today_appointments(user) -> Panel | None:
    if not access.can_use_calendar(user):
        return None
    items = selectors.today_for(user)
    return Panel(title=_("Mes rendez-vous du jour"), template="support/panel_today.html",
                 context={"items": items}, count=len(items), first=True)


def offline_reviews(user) -> Panel | None:
    """Visits sent from a phone and held for review (issue 19): shown only while some wait. One query."""
    waiting = access.visible_offline_visits(user).filter(status=OfflineVisit.Status.TO_CHECK)
    items = list(waiting.select_related("author")[:20])
    if not items:
        return None
    return Panel(title=_("Visites hors connexion à vérifier"), template="support/panel_offline.html",
                 context={"items": items}, count=len(items))
