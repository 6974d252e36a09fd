"""Pure rules of the COPIL dossier (no ORM): what the committee may read about a household."""

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

ADULT_AGE = 18


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " " + _("et") + " " + words[-1]


def composition_label(ages: Iterable[int]) -> str:
    """'2 adultes, 2 enfants (6 et 11 ans)': counts and children's ages, never a name.

    `ages` holds every person of the household, the tenant included."""
    ages = list(ages)
    adults = sum(1 for age in ages if age >= ADULT_AGE)
    children = sorted(max(age, 0) for age in ages if age < ADULT_AGE)
    parts = [ngettext("%(n)d adulte", "%(n)d adultes", adults) % {"n": adults}]
    if children:
        # French: "0 an", "1 an", "2 ans" (the catalogue may be absent, so not ngettext's rule).
        years = _("an") if children[-1] < 2 else _("ans")
        ages_text = _join([str(a) for a in children])
        parts.append(ngettext("%(n)d enfant (%(ages)s %(years)s)", "%(n)d enfants (%(ages)s %(years)s)",
                              len(children)) % {"n": len(children), "ages": ages_text, "years": years})
    return ", ".join(parts)
