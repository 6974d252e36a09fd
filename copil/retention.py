"""RGPD hooks of the COPIL app (registered in CopilConfig.ready, see zel.retention).

- anonymiser: blanks the members' opinion comments, the decisions' free texts (what is missing, the
  refusal reason, the correction reason) and the notes of the requested and granted levers, in the live
  rows and their simple_history rows, one UPDATE per table. The outcome, the levers, their amounts, the
  dates and the opinion values stay: the reports (admissions, levers granted) count them.
  The signed minutes (PDF) are the committee's record of a whole session, about several households:
  they are not touched here.
- export: the household's passages before the committee (RGPD art. 15).
"""

from __future__ import annotations

from django.db.models import Prefetch

from households.models import Household

from .models import AgendaItem, Decision, DecisionLever, Opinion, RequestedLever

OPINION_BLANK = {"comment": ""}
DECISION_BLANK = {"missing": "", "reason": "", "correction_reason": ""}
LEVER_BLANK = {"note": ""}


def anonymise(household_ids: list[int]) -> None:
    ids = list(household_ids)
    if not ids:
        return
    # The agenda items' history also knows the items removed from an agenda since (their opinions
    # and levers' history rows remain).
    item_ids = AgendaItem.history.filter(household_id__in=ids).values("id")
    for model, blank in ((Opinion, OPINION_BLANK), (Decision, DECISION_BLANK), (RequestedLever, LEVER_BLANK)):
        # Queryset updates bypass Decision.save(), which refuses any rewrite of a recorded decision:
        # this is the one rewrite the law requires.
        model.objects.filter(item_id__in=item_ids).update(**blank)
        model.history.filter(item_id__in=item_ids).update(**blank)
    DecisionLever.objects.filter(decision__item_id__in=item_ids).update(**LEVER_BLANK)  # no history kept


def export_sections(household: Household) -> dict:
    """Each passage of the household's file before the COPIL: session, object, expected rent, levers
    requested, opinions, decisions (with the levers granted). Fixed number of queries.

    Opinions are given without the member's name: the comment is about the household and is theirs to
    read, but who voted what is the member's own personal data, and art. 15(4) RGPD says the copy must
    not adversely affect the rights of others (the same reason a committee's vote is reported, not its
    voters). The chair's decision is the committee's act, not a member's: it is given in full.
    """
    items = (AgendaItem.objects.filter(household_id=household.pk).select_related("session__territory")
             .prefetch_related("requested_levers",
                               Prefetch("opinions", queryset=Opinion.objects.order_by("updated_at", "pk")),
                               Prefetch("decisions", queryset=Decision.objects.order_by("recorded_at", "pk")
                                        .prefetch_related("levers")))
             .order_by("session__held_on", "pk"))
    passages = []
    for item in items:
        session = item.session
        passages.append({
            "séance": session.held_on, "département": session.territory.code, "forme": session.get_kind_display(),
            "objet": item.get_kind_display(), "loyer_prévu": item.expected_rent,
            "charges_prévues": item.expected_charges, "apl_prévue": item.expected_housing_benefit,
            "leviers_demandés": [{"levier": lv.get_kind_display(), "montant": lv.amount, "précision": lv.note}
                                 for lv in item.requested_levers.all()],
            "avis": [{"avis": o.get_value_display(), "commentaire": o.comment, "donné_le": o.updated_at}
                     for o in item.opinions.all()],
            "décisions": [{
                "décision": d.get_outcome_display(), "enregistrée_le": d.recorded_at,
                "éléments_manquants": d.missing, "représenté_le": d.comes_back_on, "motif": d.reason,
                "rectifie_une_décision_précédente": d.corrects_id is not None,
                "motif_de_la_rectification": d.correction_reason,
                "leviers_accordés": [{"levier": lv.get_kind_display(), "montant": lv.amount, "précision": lv.note}
                                     for lv in d.levers.all()],
            } for d in item.decisions.all()],
        })
    return {"copil": {"passages": passages}}
