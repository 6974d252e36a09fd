"""The quarters already declared to the funders, for zel.periods (registered in ReportsConfig.ready).

A quarter is declared for a territory once a report covering it (that territory's or the whole
programme's) was built after the quarter ended: a report asked for in the middle of a quarter is a
progress check and locks nothing.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import quarters
from .models import Report


def declared_quarter(territory_id: int, day: date) -> str | None:
    quarter = quarters.of(day)
    _start, end = quarters.bounds(quarter)
    report = (Report.objects.filter(quarter=quarter, status=Report.Status.DONE, finished_at__date__gt=end)
              .filter(Q(territory_id=territory_id) | Q(territory__isnull=True))
              .order_by("finished_at").only("finished_at").first())
    if report is None:
        return None
    return _("Le rapport aux financeurs du trimestre %(quarter)s a été établi le %(date)s : une visite "
             "ajoutée à ce trimestre changerait des chiffres déjà transmis.") % {
        "quarter": quarter, "date": f"{timezone.localtime(report.finished_at):%d/%m/%Y}"}
