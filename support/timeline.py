"""Support entries of the household timeline: diagnoses, episodes, visits, plan changes, hand-overs.

Three queries whatever the number of rows. Psychologist notes appear to everyone else as a bare
"Entretien avec la psychologue", never with their content.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from zel.timeline import TimelineEntry

from . import access
from .models import Diagnosis, Handover, PlanGoal, PsychologistNote, SupportEpisode

_SMALL_COLUMNS = ("k", "pk", "d1", "d2", "t1", "t2")


def _small_rows(user, household, reads_notes: bool):
    """Diagnoses, episodes, psychologist-note dates and hand-overs in one UNION query: these rows are
    few per household, and one query instead of four keeps the household page cheap."""
    from django.db.models import CharField, DateField, F, Value
    from django.db.models.functions import Concat, TruncDate

    text, day = CharField(), DateField()

    def shape(qs, kind, d1, d2, t1, t2):
        return (qs.order_by().annotate(k=Value(kind, output_field=text), d1=d1, d2=d2, t1=t1, t2=t2)
                .values_list(*_SMALL_COLUMNS))

    diagnoses = shape(access.visible_diagnoses(user).filter(household=household), "diagnosis",
                      F("done_on"), Value(None, output_field=day), F("kind"), Value("", output_field=text))
    episodes = shape(access.visible_episodes(user).filter(household=household), "episode",
                     F("opened_on"), F("closed_on"), F("intensity"), F("exit_reason"))
    notes = (access.visible_psychologist_notes(user) if reads_notes else PsychologistNote.objects)
    notes = shape(notes.filter(household=household), "psy_note", F("occurred_on"),
                  Value(None, output_field=day), Value("", output_field=text), Value("", output_field=text))
    handovers = shape(Handover.objects.filter(households=household), "handover", TruncDate("at"),
                      Value(None, output_field=day),
                      Concat("from_worker__first_name", Value(" "), "from_worker__last_name", output_field=text),
                      Concat("to_worker__first_name", Value(" "), "to_worker__last_name", output_field=text))
    return diagnoses.union(episodes, notes, handovers, all=True)


def support_entries(user, household):
    if not access.can_use_caseload(user):
        return []
    entries = []
    household_url = reverse("support:household", args=[household.pk])
    reads_notes = access.can_read_psychologist_notes(user)
    kinds = dict(Diagnosis.Kind.choices)
    intensities = dict(SupportEpisode.Intensity.choices)
    reasons = dict(SupportEpisode.ExitReason.choices)
    for kind, pk, d1, d2, t1, t2 in _small_rows(user, household, reads_notes):
        if kind == "diagnosis":
            entries.append(TimelineEntry(when=d1, kind="diagnosis", icon="📝", title=str(kinds.get(t1, t1)),
                                         url=reverse("support:diagnosis", args=[pk])))
        elif kind == "episode":
            entries.append(TimelineEntry(when=d1, kind="episode", icon="▶", title=_("Accompagnement ouvert"),
                                         detail=str(intensities.get(t1, t1)), url=household_url))
            if d2:
                entries.append(TimelineEntry(when=d2, kind="episode", icon="■", title=_("Accompagnement clos"),
                                             detail=str(reasons.get(t2, t2)), url=household_url))
        elif kind == "psy_note":
            # The fact that an interview took place is shared with the care file; its content is not.
            entries.append(TimelineEntry(when=d1, kind="psy_note", icon="💬",
                                         title=_("Entretien avec la psychologue"),
                                         url=reverse("support:psy_note", args=[pk]) if reads_notes else ""))
        else:
            entries.append(TimelineEntry(when=d1, kind="handover", icon="⇄",
                                         title=_("Passation de %(a)s à %(b)s") % {"a": t1.strip(), "b": t2.strip()}))
    visits = (access.visible_interventions(user).filter(household=household).select_related("author")
              .only("pk", "occurred_on", "mode", "themes", "no_show", "planned", "author__first_name",
                    "author__last_name", "author__username"))
    for v in visits:
        if v.planned:
            title = _("Visite prévue : %(mode)s") % {"mode": v.get_mode_display()}
        elif v.no_show:
            title = _("%(mode)s — ménage absent") % {"mode": v.get_mode_display()}
        else:
            title = v.get_mode_display()
        entries.append(TimelineEntry(when=v.occurred_on, kind="visit", icon="🏠", title=title,
                                     detail=", ".join([str(v.author), *v.theme_labels()]),
                                     url=reverse("support:visit", args=[v.pk])))
    status_labels = dict(PlanGoal.Status.choices)
    for g in PlanGoal.history.filter(household_id=household.pk).only("id", "history_date", "history_type",
                                                                      "title", "status"):
        verb = _("Objectif ajouté") if g.history_type == "+" else _("Objectif mis à jour")
        entries.append(TimelineEntry(when=g.history_date, kind="plan", icon="🎯", title=f"{verb} : {g.title}",
                                     detail=str(status_labels.get(g.status, g.status)), url=household_url + "#plan"))
    return entries
