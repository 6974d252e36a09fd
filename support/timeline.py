"""Support entries of the household timeline: diagnoses, episodes, visits, plan changes, hand-overs.

Six queries whatever the number of rows. Psychologist notes appear to everyone else as a bare
"Entretien avec la psychologue", never with their content.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from zel import permissions
from zel.timeline import TimelineEntry

from .models import Handover, PlanGoal, PsychologistNote


def support_entries(user, household):
    if not permissions.can_use_caseload(user):
        return []
    entries = []
    for d in permissions.visible_diagnoses(user).filter(household=household).only("pk", "kind", "done_on"):
        entries.append(TimelineEntry(when=d.done_on, kind="diagnosis", icon="📝", title=d.get_kind_display(),
                                     url=reverse("support:diagnosis", args=[d.pk])))
    for e in permissions.visible_episodes(user).filter(household=household):
        entries.append(TimelineEntry(when=e.opened_on, kind="episode", icon="▶",
                                     title=_("Accompagnement ouvert"), detail=e.get_intensity_display(),
                                     url=reverse("support:household", args=[household.pk])))
        if e.closed_on:
            entries.append(TimelineEntry(when=e.closed_on, kind="episode", icon="■",
                                         title=_("Accompagnement clos"), detail=e.get_exit_reason_display(),
                                         url=reverse("support:household", args=[household.pk])))
    visits = (permissions.visible_interventions(user).filter(household=household).select_related("author")
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
    goals = PlanGoal.history.filter(household_id=household.pk).only(
        "id", "history_date", "history_type", "title", "status")
    status_labels = dict(PlanGoal.Status.choices)
    for g in goals:
        verb = _("Objectif ajouté") if g.history_type == "+" else _("Objectif mis à jour")
        entries.append(TimelineEntry(when=g.history_date, kind="plan", icon="🎯", title=f"{verb} : {g.title}",
                                     detail=str(status_labels.get(g.status, g.status)),
                                     url=reverse("support:household", args=[household.pk]) + "#plan"))
    reads_notes = permissions.can_read_psychologist_notes(user)
    notes = (permissions.visible_psychologist_notes(user) if reads_notes else PsychologistNote.objects)
    for n in notes.filter(household=household).only("pk", "occurred_on"):
        # The fact that an interview took place is shared with the care file; its content is not.
        entries.append(TimelineEntry(when=n.occurred_on, kind="psychologist", icon="💬",
                                     title=_("Entretien avec la psychologue"),
                                     url=reverse("support:psy_note", args=[n.pk]) if reads_notes else ""))
    for h in Handover.objects.filter(households=household).select_related("from_worker", "to_worker"):
        entries.append(TimelineEntry(when=h.at, kind="handover", icon="⇄",
                                     title=_("Passation de %(a)s à %(b)s") % {"a": h.from_worker, "b": h.to_worker}))
    return entries
