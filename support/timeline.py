"""Support entries of the household timeline: diagnoses, episodes, visits, plan changes, hand-overs.

One query whatever the number of rows. Psychologist notes appear to everyone else as a bare
"Entretien avec la psychologue", never with their content.
"""

import json

from django.urls import reverse
from django.utils.translation import gettext as _

from zel.lib.compiled import CompiledQuery
from zel.timeline import TimelineEntry

from . import access
from .models import Diagnosis, Handover, Intervention, PlanGoal, PsychologistNote, SupportEpisode, Theme

_COLUMNS = ("k", "pk", "d1", "d2", "t1", "t2", "t3", "t4", "w")


def _union(household_pk: int, with_notes: bool):
    """Diagnoses, episodes, psychologist-note dates, hand-overs, visits and plan changes in one UNION
    query: the household file's query count must not grow with what the household has. Compiled once
    (zel.lib.compiled): the rows are the household's, whom support_entries has checked the user sees."""
    from django.db.models import Case, CharField, DateField, DateTimeField, F, TextField, Value, When
    from django.db.models.functions import Cast, Concat, TruncDate

    text, day, moment = CharField(), DateField(), DateTimeField()
    # Typed NULLs: a bare NULL parameter is text to PostgreSQL, which a UNION will not match with a date.
    none_text, none_day = Value("", output_field=text), Cast(Value(None), output_field=day)
    none_moment = Cast(Value(None), output_field=moment)

    def shape(model, kind, d1, d2=none_day, t1=none_text, t2=none_text, t3=none_text, t4=none_text, w=none_moment):
        kind = Value(kind, output_field=text) if isinstance(kind, str) else kind
        return (model.filter(household_id=household_pk).order_by()
                .annotate(k=kind, d1=d1, d2=d2, t1=t1, t2=t2, t3=t3, t4=t4, w=w).values_list(*_COLUMNS))

    def name(prefix):
        return Concat(f"{prefix}first_name", Value(" "), f"{prefix}last_name", output_field=text)

    diagnoses = shape(Diagnosis.objects, "diagnosis", F("done_on"), t1=F("kind"))
    episodes = shape(SupportEpisode.objects, "episode", F("opened_on"), F("closed_on"), F("intensity"),
                     F("exit_reason"))
    notes = [shape(PsychologistNote.objects, "psy_note", F("occurred_on"))] if with_notes else []
    handovers = (Handover.objects.filter(households=household_pk).order_by()
                 .annotate(k=Value("handover", output_field=text), d1=TruncDate("at"), d2=none_day,
                           t1=name("from_worker__"), t2=name("to_worker__"), t3=none_text, t4=none_text, w=none_moment)
                 .values_list(*_COLUMNS))
    visit_kind = Case(When(planned=True, then=Value("visit_planned")), When(no_show=True, then=Value("visit_absent")),
                      default=Value("visit"), output_field=text)
    visits = shape(Intervention.objects, visit_kind, F("occurred_on"), t1=F("mode"), t2=name("author__"),
                   t3=F("author__username"), t4=Cast("themes", output_field=TextField()))
    goal_kind = Case(When(history_type="+", then=Value("goal_added")), default=Value("goal_changed"),
                     output_field=text)
    goals = shape(PlanGoal.history, goal_kind, none_day, t1=F("title"), t2=F("status"), w=F("history_date"))
    return diagnoses.union(episodes, *notes, handovers, visits, goals, all=True)


_UNION = CompiledQuery(_union)


def _rows(user, household, reads_notes: bool) -> list[tuple]:
    # Everyone else sees that an interview took place; a psychologist sees the notes of the
    # households they are assigned (visible_psychologist_notes), and no entry for another's.
    with_notes = not reads_notes or access.sees_household_psychologist_notes(user, household)
    return _UNION.rows(household.pk, key=(with_notes,), using=household._state.db or "default")


def support_entries(user, household):
    if not access.sees_household_support(user, household):
        return []
    entries = []
    household_url = reverse("support:household", args=[household.pk])
    reads_notes = access.can_read_psychologist_notes(user)
    labels = {"kinds": dict(Diagnosis.Kind.choices), "intensities": dict(SupportEpisode.Intensity.choices),
              "reasons": dict(SupportEpisode.ExitReason.choices), "modes": dict(Intervention.Mode.choices),
              "themes": dict(Theme.choices), "statuses": dict(PlanGoal.Status.choices)}
    for row in _rows(user, household, reads_notes):
        entries.extend(_entries(row, labels, household_url, reads_notes))
    return entries


def _entries(row, labels, household_url, reads_notes):
    kind, pk, d1, d2, t1, t2, t3, t4, w = row
    if kind == "diagnosis":
        yield TimelineEntry(when=d1, kind="diagnosis", icon="📝", title=str(labels["kinds"].get(t1, t1)),
                            url=reverse("support:diagnosis", args=[pk]))
    elif kind == "episode":
        yield TimelineEntry(when=d1, kind="episode", icon="▶", title=_("Accompagnement ouvert"),
                            detail=str(labels["intensities"].get(t1, t1)), url=household_url)
        if d2:
            yield TimelineEntry(when=d2, kind="episode", icon="■", title=_("Accompagnement clos"),
                                detail=str(labels["reasons"].get(t2, t2)), url=household_url)
    elif kind == "psy_note":
        # The fact that an interview took place is shared with the care file; its content is not.
        yield TimelineEntry(when=d1, kind="psy_note", icon="💬", title=_("Entretien avec la psychologue"),
                            url=reverse("support:psy_note", args=[pk]) if reads_notes else "")
    elif kind == "handover":
        yield TimelineEntry(when=d1, kind="handover", icon="⇄",
                            title=_("Passation de %(a)s à %(b)s") % {"a": t1.strip(), "b": t2.strip()})
    elif kind.startswith("visit"):
        mode = labels["modes"].get(t1, t1)
        if kind == "visit_planned":
            title = _("Visite prévue : %(mode)s") % {"mode": mode}
        elif kind == "visit_absent":
            title = _("%(mode)s — ménage absent") % {"mode": mode}
        else:
            title = str(mode)
        themes = [str(labels["themes"].get(code, code)) for code in json.loads(t4 or "[]")]
        yield TimelineEntry(when=d1, kind="visit", icon="🏠", title=title,
                            detail=", ".join([t2.strip() or t3, *themes]), url=reverse("support:visit", args=[pk]))
    else:
        verb = _("Objectif ajouté") if kind == "goal_added" else _("Objectif mis à jour")
        yield TimelineEntry(when=w, kind="plan", icon="🎯", title=f"{verb} : {t1}",
                            detail=str(labels["statuses"].get(t2, t2)), url=household_url + "#plan")
