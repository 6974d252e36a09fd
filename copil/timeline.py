from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from zel.lib.compiled import CompiledQuery
from zel.lib.formats import format_date, format_eur
from zel.timeline import TimelineEntry

from . import access
from .models import Decision, DecisionLever, Session, SessionMember

_COLUMNS = ("pk", "item_id", "outcome", "missing", "reason", "corrects_id", "after_signature", "recorded_at",
            "item__session_id", "item__session__held_on", "item__session__territory__code",
            "item__session__territory_id", "item__session__organisation_id", "item__session__status",
            "item__session__chair_id", "sits", "levers__kind", "levers__amount")


def _decisions(household_pk: int, user_pk: int):
    """One row per decision and lever (a decision without levers once), with what the dossier link's
    access rule reads: the household file's query count must not grow with its decisions."""
    sits = SessionMember.objects.filter(session_id=OuterRef("item__session_id"), user_id=user_pk)
    return (Decision.objects.filter(item__household_id=household_pk).annotate(sits=Exists(sits))
            .order_by("recorded_at", "pk", "levers__pk").values_list(*_COLUMNS))


_DECISIONS = CompiledQuery(_decisions)  # compiled once: read on every view of the file


def _rows(user, household):
    return _DECISIONS.rows(household.pk, user.pk, using=household._state.db or "default")


def copil_entries(user, household):
    """COPIL decisions on the household timeline, for those who may see the household (one query)."""
    if not access.can_see_copil_timeline(user, household):
        return []
    decisions: dict[int, dict] = {}
    for row in _rows(user, household):
        values = dict(zip(_COLUMNS, row, strict=True))
        decision = decisions.setdefault(values["pk"], {**values, "levers": []})
        if values["levers__kind"]:
            decision["levers"].append((values["levers__kind"], values["levers__amount"]))
    kinds = dict(DecisionLever._meta.get_field("kind").flatchoices)
    return [_entry(user, d, kinds) for d in decisions.values()]


def _entry(user, d: dict, kinds: dict) -> TimelineEntry:
    session = Session(pk=d["item__session_id"], territory_id=d["item__session__territory_id"],
                      organisation_id=d["item__session__organisation_id"], status=d["item__session__status"],
                      chair_id=d["item__session__chair_id"], held_on=d["item__session__held_on"])
    session.member_ids = {user.pk} if d["sits"] else set()  # what access.sits_on_copil_session reads
    detail = ", ".join(f"{kinds.get(kind, kind)} {format_eur(amount)}" for kind, amount in d["levers"])
    if d["outcome"] == Decision.Outcome.ADJOURNED:
        detail = d["missing"]
    elif d["outcome"] == Decision.Outcome.REFUSED:
        detail = d["reason"]
    title = _("COPIL %(dep)s du %(date)s : %(outcome)s") % {
        "dep": d["item__session__territory__code"], "date": format_date(session.held_on),
        "outcome": str(Decision.Outcome(d["outcome"]).label).lower()}
    if d["corrects_id"] and d["after_signature"]:
        title += " " + _("(rectification)")
    url = ""
    if access.can_read_copil_dossier(user, session):
        url = reverse("copil:dossier", args=[session.pk, d["item_id"]])
    return TimelineEntry(when=d["recorded_at"], kind="copil", title=title, detail=detail, url=url, icon="⚖")
