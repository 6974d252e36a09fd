"""RGPD for household files: retention job, subject-access export, erasure on request.

Retention: a household whose support ended (or whose referral was refused) and whose file has not
changed for more than ZEL_RETENTION_YEARS (default 2 years after the last contact, CNIL délibération
n° 2023-095 du 14 septembre 2023, see zel/settings.py) is anonymised, unless an app holds it through
`zel.retention.register_hold` (a procedure still open). Anonymised = names, phone, members' names,
addresses, free texts blanked in the live rows AND in their simple_history rows; what reports count is
kept (track, territory, status, birth years, amounts, dates, lease typology and commune).

The other apps plug their own rows in through zel.retention (anonymisers, holds, export sections).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Cast, Concat, Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AccessLog, User
from zel import retention
from zel.locks import single_run
from zel.pseudonym import lease_reference_digest

from .models import Contact, Household, HouseholdMember, Lease, Referral, Resource, sort_name_of

CLOSED_STATUSES = (Household.Status.ENDED, Household.Status.REFUSED)
ANONYMOUS_NAME = "Anonyme"
BATCH = 500
RETENTION_LOCK = "households.retention"


class ErasureRefused(Exception):
    """The law does not allow erasing this file now; `reasons` says why, in French."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass
class RetentionResult:
    cutoff: datetime
    anonymised: list[int] = field(default_factory=list)
    held: dict[int, str] = field(default_factory=dict)
    skipped: bool = False  # another run held the lock


def retention_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - relativedelta(years=settings.ZEL_RETENTION_YEARS)


def retention_candidates(now: datetime | None = None) -> QuerySet[Household]:
    """Closed files untouched since the cutoff. `updated_at` moves with every change to the file,
    including the closing status change, so it is the date of the last contact recorded here."""
    return Household.objects.filter(status__in=CLOSED_STATUSES, anonymised_at__isnull=True,
                                     updated_at__lt=retention_cutoff(now))


def apply_retention(*, now: datetime | None = None, dry_run: bool = False) -> RetentionResult:
    """The daily job: anonymises the files past their retention period, batch by batch (one
    transaction per batch, so a failure never leaves a household half-anonymised). One run at a
    time (zel.locks): a second one returns at once with `skipped`."""
    now = now or timezone.now()
    result = RetentionResult(cutoff=retention_cutoff(now))
    with single_run(RETENTION_LOCK) as acquired:
        if not acquired:
            result.skipped = True
            return result
        after = 0
        # Keyset batches: never the whole list of candidates in memory or in one statement.
        while chunk := list(retention_candidates(now).filter(pk__gt=after).order_by("pk")
                            .values_list("pk", flat=True)[:BATCH]):
            after = chunk[-1]
            kept = retention.held(chunk)
            result.held.update(kept)
            due = [pk for pk in chunk if pk not in kept]
            if due and not dry_run:
                households_anonymise(household_ids=due, at=now)
            result.anonymised.extend(due)
    return result


@transaction.atomic
def households_anonymise(*, household_ids: list[int], at: datetime | None = None) -> None:
    """Irreversibly blanks what identifies these households, here and in every registered app."""
    if not household_ids:
        return
    at = at or timezone.now()
    ids = list(household_ids)
    # Queryset updates: no new history row carrying the names again, no auto_now bump.
    Household.objects.filter(pk__in=ids).update(
        last_name=ANONYMOUS_NAME, first_name="", phone="", anonymised_at=at, version=F("version") + 1,
        search_text=Lower(Concat(F("reference"), Value(" " + ANONYMOUS_NAME.lower()), output_field=CharField())),
        sort_name=sort_name_of(ANONYMOUS_NAME, ""))
    Household.history.filter(id__in=ids).update(last_name=ANONYMOUS_NAME, first_name="", phone="")
    member_blank = {"first_name": "", "last_name": "", "occupation": ""}
    HouseholdMember.objects.filter(household_id__in=ids).update(**member_blank)
    HouseholdMember.history.filter(household_id__in=ids).update(**member_blank)
    # Phone numbers and e-mail addresses given for reminders (issue 15); consent dates stay.
    Contact.objects.filter(household_id__in=ids).update(phone="", email="")
    Contact.history.filter(household_id__in=ids).update(phone="", email="")
    # The lease reference is the tenant's account number at the landlord: replaced by a neutral one
    # (still unique per landlord); commune, postcode, typology, rent stay for the reports.
    # A keyed hash of the real reference stays, so that the landlord's next rent export, which still
    # lists the tenant, is recognised and its lines skipped instead of refused as unknown (issue 17).
    leases = [Lease(pk=pk, reference_digest=lease_reference_digest(landlord_id, reference))
              for pk, landlord_id, reference in Lease.objects.filter(household_id__in=ids)
              .exclude(reference__startswith="ANON-").values_list("pk", "landlord_id", "reference")]
    Lease.objects.bulk_update(leases, ["reference_digest"], batch_size=BATCH)
    anon_ref = Concat(Value("ANON-"), Cast("id", CharField()), output_field=CharField())
    Lease.objects.filter(household_id__in=ids).update(address="", reference=anon_ref)
    Lease.history.filter(household_id__in=ids).update(address="", reference=anon_ref)
    referral_blank = {"referrer_name": "", "reason": ""}
    Referral.objects.filter(household_id__in=ids).update(**referral_blank)
    Referral.history.filter(household_id__in=ids).update(**referral_blank)
    retention.run_anonymisers(ids)


# ---------------------------------------------------------------------------------------------
# Erasure on request (RGPD art. 17)
# ---------------------------------------------------------------------------------------------

def erasure_obstacles(household: Household) -> list[str]:
    """Why this file may not be erased now (empty list: it may). Art. 17(3) RGPD: a legal obligation,
    or the establishment or defence of legal claims (an open procedure), prevails over the request."""
    reasons = []
    if household.anonymised_at is not None:
        reasons.append(_("Ce dossier est déjà anonymisé."))
        return reasons
    if household.status not in CLOSED_STATUSES:
        reasons.append(_("L'accompagnement est en cours : il doit d'abord être clôturé (ou la demande "
                         "refusée par le COPIL) avant que le dossier soit effacé."))
    reasons.extend(_hold_reasons(household))
    return reasons


def _hold_reasons(household: Household) -> list[str]:
    kept = retention.held([household.pk])
    if household.pk not in kept:
        return []
    return [kept[household.pk] or _("Une procédure ou une obligation légale impose de conserver ce dossier.")]


@transaction.atomic
def household_erase(*, household: Household, by: User, request=None) -> Household:
    """Erases (anonymises) the household on the person's request, or raises ErasureRefused."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    obstacles = erasure_obstacles(household)
    if obstacles:
        raise ErasureRefused(obstacles)
    households_anonymise(household_ids=[household.pk])
    AccessLog.objects.create(
        user=by, action=AccessLog.Action.ERASE, object_type=Household._meta.label_lower,
        object_id=str(household.pk), household_id=household.pk,
        ip=(request.META.get("REMOTE_ADDR") if request else None) or None,
        path=request.get_full_path()[:300] if request else "")
    household.refresh_from_db()
    return household


# ---------------------------------------------------------------------------------------------
# Subject access (RGPD art. 15)
# ---------------------------------------------------------------------------------------------

def _household_section(household: Household) -> dict:
    def lease_data(lease: Lease) -> dict:
        return {"bailleur": lease.landlord.name, "référence": lease.reference, "adresse": lease.address,
                "code_postal": lease.postcode, "commune": lease.commune, "type": lease.typology,
                "financement": lease.financing, "loyer": lease.rent, "charges": lease.service_charges,
                "apl": lease.housing_benefit, "signé_le": lease.signed_on, "renouvelé_le": lease.renewed_on,
                "fin": lease.ended_on}

    statuses = (Household.history.filter(id=household.pk).order_by("history_date", "history_id")
                .values_list("history_date", "status"))
    status_changes, previous = [], None
    for when, status in statuses:
        if status != previous:
            status_changes.append({"date": when, "statut": str(Household.Status(status).label)})
            previous = status
    return {
        "identité": {
            "référence": household.reference, "nom": household.last_name, "prénom": household.first_name,
            "année_de_naissance": household.birth_year, "téléphone": household.phone,
            "volet": household.get_track_display(), "département": household.territory.code,
            "structure_référente": household.organisation.name, "statut": household.get_status_display(),
            "créé_le": household.created_at, "modifié_le": household.updated_at,
            "anonymisé_le": household.anonymised_at,
        },
        "membres": [{"lien": m.get_relation_display(), "prénom": m.first_name, "nom": m.last_name,
                     "année_de_naissance": m.birth_year, "activité": m.occupation}
                    for m in HouseholdMember.objects.filter(household=household)],
        "ressources": [{"nature": r.get_kind_display(), "montant_mensuel": r.monthly_amount}
                       for r in Resource.objects.filter(household=household)],
        "coordonnées": [{"personne": c.person_name, "téléphone": str(c.phone or ""), "e-mail": c.email,
                         "accord_sms_le": c.sms_consent_at, "accord_e-mail_le": c.email_consent_at,
                         "stop_sms_le": c.sms_stopped_at}
                        for c in Contact.objects.filter(household=household).select_related("member", "household")],
        "logements": [lease_data(lease) for lease in Lease.objects.filter(household=household)
                      .select_related("landlord")],
        "orientations": [{"partenaire": r.partner.name, "orienté_par": r.referrer_name, "date": r.referred_on,
                          "motif": r.reason, "volet": r.get_track_display()}
                         for r in Referral.objects.filter(household=household).select_related("partner")],
        "intervenants": [f"{w.get_full_name() or w.username} ({w.organisation or '—'})"
                         for w in household.assigned_workers.select_related("organisation")],
        "historique_des_statuts": status_changes,
    }


def _access_section(household: Household) -> list[dict]:
    """Who consulted the file: the recipients (RGPD art. 15.1.c), by organisation and date."""
    entries = (AccessLog.objects.filter(household_id=household.pk).select_related("user__organisation")
               .order_by("at"))
    return [{"date": e.at, "action": e.get_action_display(),
             "organisation": str(e.user.organisation or "—")} for e in entries]


def subject_access_export(household: Household) -> dict:
    """Everything ZEL holds on one household that its manager may read, section by section (households
    first, then each app), and the list of the sealed parts (health section, psychologist notes) that
    the people entitled to read them export and hand over themselves (zel.retention.register_sealed)."""
    data = {
        "généré_le": timezone.now(),
        "responsable_de_traitement": household.organisation.name,
        "durée_de_conservation": _("%(years)d ans après la fin de l'accompagnement (CNIL, délibération "
                                   "n° 2023-095)") % {"years": settings.ZEL_RETENTION_YEARS},
        "ménage": _household_section(household),
    }
    data.update(retention.export_sections(household))
    # Sealed parts are not in this file: it lists them, and who hands them to the person.
    data["parties_scellées"] = retention.sealed_parts(household)
    data["consultations"] = _access_section(household)
    return data
