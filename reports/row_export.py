"""Row-level export for funders (issue 16): one row per household supported during a quarter, in the
funder's territories. No name, no free text, no date of birth, no commune: a stable pseudonym per
funder (HMAC-SHA256, keyed by settings.ZEL_PSEUDONYM_KEY, of the household id and the funder
organisation id: the same household has the same pseudonym in every quarter for one funder and
unrelated pseudonyms for two funders), the age band and the département.

One query for the whole file (every flag is a subquery of the report's definitions).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext as _

from households.models import Household, HousingSituation, Sex, TargetPublic, Track
from support.models import SupportEpisode

from . import definitions as d
from . import quarters

PSEUDONYM_LENGTH = 20


def pseudonym(household_id: int, funder_id: int) -> str:
    message = f"household:{household_id}|funder:{funder_id}".encode()
    return hmac.new(settings.ZEL_PSEUDONYM_KEY.encode(), message, hashlib.sha256).hexdigest()[:PSEUDONYM_LENGTH]


def funder_asked(organisation) -> bool:
    chosen = [code.strip() for code in settings.ZEL_ROW_EXPORT_FUNDERS if code.strip()]
    return "*" in chosen or (organisation is not None and organisation.code in chosen)


HEADERS = ["pseudonyme", "trimestre", "departement", "volet", "tranche_age", "sexe", "publics_prioritaires",
           "situation_logement_entree", "entre_dans_le_trimestre", "sorti_dans_le_trimestre", "motif_sortie",
           "situation_logement_sortie", "stade_procedure_entree", "a_jour_du_loyer", "expulsion_evitee",
           "expulsion_realisee"]


def rows(*, funder_id: int, quarter: str, territory_codes: list[str]) -> Iterator[list[str]]:
    start, end = quarters.bounds(quarter)
    latest_entry = SupportEpisode.objects.filter(household=OuterRef("pk"), opened_on__lte=end).order_by("-opened_on")
    exit_ = SupportEpisode.objects.filter(household=OuterRef("pk"), closed_on__gte=start,
                                          closed_on__lte=end).order_by("-closed_on")
    qs = (Household.objects.filter(territory__code__in=territory_codes)
          .filter(d.supported_during_q(start, end))
          .annotate(_entry_on=Subquery(latest_entry.values("opened_on")[:1]),
                    _exit_reason=Subquery(exit_.values("exit_reason")[:1]),
                    _exit_housing=Subquery(exit_.values("housing_at_exit")[:1]),
                    _exited=Exists(exit_),
                    _band=d.age_band(end),
                    _avoided=Exists(Household.objects.filter(pk=OuterRef("pk")).filter(
                        d.eviction_avoided_q(start, end))),
                    _evicted=Exists(Household.objects.filter(pk=OuterRef("pk")).filter(d.evicted_q(start, end))),
                    _known=Exists(Household.objects.filter(pk=OuterRef("pk")).filter(d.rent_known_q(start, end))),
                    _up=Exists(Household.objects.filter(pk=OuterRef("pk")).filter(d.up_to_date_q(start, end))),
                    _entered=Exists(Household.objects.filter(pk=OuterRef("pk")).filter(d.entered_q(start, end))))
          .annotate(_stage=d.stage_at_entry(entry_ref="_entry_on", household_ref="pk"))
          .order_by("pk")
          .values_list("pk", "territory__code", "track", "_band", "sex", "target_publics", "housing_at_entry",
                       "_entered", "_exited", "_exit_reason", "_exit_housing", "_stage", "_known", "_up", "_avoided",
                       "_evicted"))
    tracks, sexes = dict(Track.choices), dict(Sex.choices)
    housing, publics = dict(HousingSituation.choices), dict(TargetPublic.choices)
    reasons = dict(SupportEpisode.ExitReason.choices)
    bands = {code: label for code, label, _lo, _hi in d.AGE_BANDS}
    from litigation.models import Stage

    stages = {d.NO_PROCEDURE: _("Aucune procédure"), **dict(Stage.choices)}
    yes, no, unknown = _("oui"), _("non"), _("inconnu")
    for (pk, dep, track, band, sex, targets, entry_housing, entered, exited, reason, exit_housing, stage, known, up,
         avoided, evicted) in qs.iterator(chunk_size=2000):
        yield [pseudonym(pk, funder_id), quarter, dep, str(tracks.get(track, track)), str(bands.get(band, band)),
               str(sexes.get(sex, unknown)) if sex else unknown,
               ", ".join(str(publics[c]) for c in (targets or []) if c in publics),
               str(housing[entry_housing]) if entry_housing else unknown,
               yes if entered else no, yes if exited else no,
               str(reasons.get(reason, "")) if exited and reason else "",
               (str(housing[exit_housing]) if exit_housing else unknown) if exited else "",
               str(stages.get(stage, stage)),
               (yes if up else no) if known else unknown,
               yes if avoided else no, yes if evicted else no]
