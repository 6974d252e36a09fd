from django.urls import reverse
from django.utils.translation import gettext as _

from zel.timeline import TimelineEntry


def household_entries(user, household):
    """Referrals and the opening of the file (the referrals are prefetched by the file selector)."""
    yield TimelineEntry(when=household.created_at, kind="household", icon="📁",
                        title=_("Dossier ouvert"), detail=household.get_track_display())
    for referral in household.referrals.all():
        yield TimelineEntry(when=referral.referred_on, kind="referral", icon="➜",
                            title=_("Orientation par %(partner)s") % {"partner": referral.partner},
                            detail=referral.reason,
                            url=reverse("households:detail", args=[household.pk]) + "#orientations")
    # Every step of the lifecycle (households.lifecycle): who moved the file, when and why.
    labels = dict(household.Status.choices)
    for change in household.status_changes.all():
        who = change.by.get_full_name() or change.by.username if change.by else _("système")
        yield TimelineEntry(when=change.at, kind="status", icon="⇢",
                            title=_("Statut : %(old)s → %(new)s") % {"old": labels.get(change.from_status),
                                                                     "new": labels.get(change.to_status)},
                            detail=_("%(reason)s (par %(who)s)") % {"reason": change.reason, "who": who})
