"""What litigation contributes to other screens: the caseload dashboard panel, the household
timeline and the daily e-mail digest. Each issues a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zel.dashboard import Panel
from zel.lib.pagination import ListCount, first_rows
from zel.timeline import TimelineEntry

from . import access
from . import dsf as dsf_spec
from .models import Dsf, EventType, ProcedureDeadline, Stage

SOON_DAYS = 15
HEARING_HORIZON_DAYS = 60
DSF_ALERT_DAYS = 15
PANEL_SHOWN = 30
# "100+" is as much as a worker can act on; counting further took 60 ms a kind for a huge caseload.
COUNT_CAP = 100


@dataclass(frozen=True)
class UpcomingItem:
    date: date
    label: str
    household: str
    reference: str
    url: str = ""
    link_label: str = ""
    household_id: int | None = None


def upcoming_for_households(household_filter: dict, *, today: date, limit: int,
                             dsf_links: bool = True) -> tuple[list[UpcomingItem], ListCount]:
    """Hearings within 60 days, deadlines within 15 days and DSFs still to send, for the households
    selected by `household_filter` (Procedure lookups), soonest first, and how many there are in all.

    Each kind reads only its `limit` soonest rows, and counts up to COUNT_CAP in the same query: a
    caseload of 10⁵ households must not list thousands of hearings on a phone. Three queries."""
    from .models import Procedure

    items: list[UpcomingItem] = []
    counts: list[ListCount] = []
    procedures = (Procedure.objects.filter(**household_filter).exclude(stage=Stage.CLOSED)
                  .filter(hearing_on__gte=today, hearing_on__lte=today + timedelta(days=HEARING_HORIZON_DAYS))
                  .select_related("household", "lease").order_by("hearing_on", "pk"))
    rows, count = first_rows(procedures, limit, cap=COUNT_CAP)
    counts.append(count)
    for p in rows:
        items.append(UpcomingItem(p.hearing_on, _("Audience au tribunal"), p.household.display_name,
                                  p.lease.reference, household_id=p.household_id,
                                  url=reverse("litigation:procedure_detail", args=[p.pk]),
                                  link_label=_("procédure")))
    deadlines = (ProcedureDeadline.objects.filter(**{f"procedure__{k}": v for k, v in household_filter.items()})
                 .exclude(procedure__stage=Stage.CLOSED)
                 .filter(due_on__gte=today, due_on__lte=today + timedelta(days=SOON_DAYS))
                 .select_related("procedure__household", "procedure__lease").order_by("due_on", "pk"))
    rows, count = first_rows(deadlines, limit, cap=COUNT_CAP)
    counts.append(count)
    for d in rows:
        items.append(UpcomingItem(d.due_on, d.label, d.procedure.household.display_name,
                                  d.procedure.lease.reference, household_id=d.procedure.household_id,
                                  url=reverse("litigation:procedure_detail", args=[d.procedure_id]),
                                  link_label=_("procédure")))
    if dsf_links:
        # A DSF names its household: filtered on its own column, not through the procedure join.
        dsfs = (Dsf.objects.filter(**household_filter, sent_to_court_on__isnull=True, hearing_on__gte=today)
                .select_related("household", "procedure__lease", "procedure__territory").order_by("hearing_on", "pk"))
        rows, count = first_rows(dsfs, limit, cap=COUNT_CAP)
        counts.append(count)
        for dsf in rows:
            urgent = dsf.hearing_on <= today + timedelta(days=DSF_ALERT_DAYS)
            label = (_("DSF non transmis, audience dans moins de 15 jours") if urgent
                     else _("DSF à préparer avant l'audience"))
            # Dated by its legal deadline (5 working days before the hearing) when there is one.
            due = dsf_spec.deadline(dsf) or dsf.hearing_on
            items.append(UpcomingItem(due, label, dsf.household.display_name,
                                      dsf.procedure.lease.reference, household_id=dsf.household_id,
                                      url=reverse("litigation:dsf_detail", args=[dsf.pk]),
                                      link_label=_("diagnostic")))
    items.sort(key=lambda item: (item.date, item.label))
    total = ListCount(sum(c.n for c in counts), capped=any(c.capped for c in counts))
    return items[:limit], total


def dashboard_panel(user) -> Panel | None:
    """Hearings, deadlines and DSF tasks of the user's assigned households (care circle): the
    PANEL_SHOWN soonest, and how many there are."""
    if not access.sees_procedure_panel(user):
        return None
    today = timezone.localdate()
    items, total = upcoming_for_households(access.assigned_procedures_filter(user), today=today,
                                           dsf_links=access.dsf_links_shown(user), limit=PANEL_SHOWN)
    return Panel(title=_("Audiences et échéances de procédure"), template="litigation/_dashboard_panel.html",
                 context={"items": items, "total": total, "hidden": max(total.n - len(items), 0),
                          "more": total.capped}, count=total)


def timeline_entries(user, household):
    """Procedure events of the household, for those who may see its procedures (two queries)."""
    from .models import ProcedureEvent

    visible = access.visible_procedures(user).filter(household=household)
    events = (ProcedureEvent.objects.filter(procedure__in=visible)
              .select_related("procedure__lease").order_by("occurred_on"))
    for event in events:
        detail = event.procedure.lease.reference
        if event.type in (EventType.ASSIGNATION, EventType.AUDIENCE_RENVOYEE) and event.hearing_on:
            detail += " · " + _("audience le %(d)s") % {"d": event.hearing_on.strftime("%d/%m/%Y")}
        yield TimelineEntry(when=event.occurred_on, kind="procedure", icon="⚖",
                            title=str(EventType(event.type).label), detail=detail,
                            url=reverse("litigation:procedure_detail", args=[event.procedure_id]))
