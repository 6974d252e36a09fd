"""The household's lifecycle: the one table of allowed status changes (pure, no ORM).

referred → diagnosed → presented to the COPIL → admitted / adjourned / refused → supported → ended
(docs/domain.md). `households.services.household_transition` is the only writer of
`Household.status`: it asks `check` and records every change (who, when, why) for the timeline.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

REFERRED, DIAGNOSED, PRESENTED = "referred", "diagnosed", "presented"
ADMITTED, ADJOURNED, REFUSED = "admitted", "adjourned", "refused"
SUPPORTED, ENDED = "supported", "ended"

#: to-status -> the statuses it may be reached from.
TRANSITIONS: dict[str, frozenset[str]] = {
    # A diagnosis done on a referred household.
    DIAGNOSED: frozenset({REFERRED}),
    # On a COPIL agenda (published) or a written consultation; an adjourned dossier comes back.
    PRESENTED: frozenset({REFERRED, DIAGNOSED, ADJOURNED}),
    # The committee's decision, or its correction (a correction may turn one outcome into another,
    # but an admission that opened support is ended by the support team, not by a correction).
    ADMITTED: frozenset({PRESENTED, ADJOURNED, REFUSED}),
    ADJOURNED: frozenset({PRESENTED, REFUSED}),
    REFUSED: frozenset({PRESENTED, ADJOURNED}),
    # The first visit done within the support episode.
    SUPPORTED: frozenset({ADMITTED}),
    # The support episode closed (with an exit reason), whether or not a visit took place. A manager
    # may open an episode from the support screens before the committee sits (an urgent case): its
    # closing ends the file from wherever it stood in the pipeline, never from refused or ended.
    ENDED: frozenset({ADMITTED, SUPPORTED, REFERRED, DIAGNOSED, PRESENTED, ADJOURNED}),
    # A new referral of a household whose support ended or whose admission was refused.
    REFERRED: frozenset({ENDED, REFUSED}),
}


class TransitionRefused(ValueError):
    """A status change the lifecycle does not allow; its message is French, for the user."""


def allowed(current: str, target: str) -> bool:
    return current in TRANSITIONS.get(target, frozenset())


def check(current: str, target: str, labels: dict[str, str]) -> None:
    """Raises TransitionRefused (in French) unless `current` → `target` is in the table."""
    if target not in TRANSITIONS and target not in labels:
        raise TransitionRefused(_("Statut inconnu : « %(status)s ».") % {"status": target})
    if not allowed(current, target):
        raise TransitionRefused(
            _("Le dossier ne peut pas passer de « %(current)s » à « %(target)s ».")
            % {"current": labels.get(current, current), "target": labels.get(target, target)})
