"""Writes of aid applications and the document vault (issue 14): atomic, keyword-only, audited.

Every status change goes through `aid_application_transition`, which asks the one transition table
(support.aid_rules) and records who and when (AidTransition, shown on the household timeline).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from households.models import Household
from zel.access import require
from zel.lib.uploads import validate_document

from . import access, aid_rules
from .aid_rules import Status
from .models_aid import AidApplication, AidTransition, Document

S = Status


def _check_measure(kind: str, *, amount_requested=None, months_requested=None) -> None:
    errors = aid_rules.measure_errors(kind=kind, amount=amount_requested, months=months_requested)
    if errors:
        raise ValidationError(errors)


def _record(application: AidApplication, *, by: User | None, from_status: str, to_status: str,
            comment: str = "") -> None:
    AidTransition.objects.create(application=application, from_status=from_status, to_status=to_status, by=by,
                                 comment=comment[:300])


@transaction.atomic
def aid_application_create(*, household: Household, by: User | None, kind: str, examining_body: str | None = None,
                           amount_requested: Decimal | None = None, months_requested: int | None = None,
                           nature: str = "", commission_on: date | None = None, note: str = "",
                           prepared_on: date | None = None, check_access: bool = True) -> AidApplication:
    """A new application "à constituer". `check_access=False` only for callers that checked their own
    rule (a COPIL decision by its chair)."""
    if check_access:
        require(access.can_write_aid(by, household))
    if kind not in aid_rules.KINDS:
        raise ValidationError({"kind": _("Choisissez une aide.")})
    _check_measure(kind, amount_requested=amount_requested, months_requested=months_requested)
    application = AidApplication(
        household=household, kind=kind, nature=nature, created_by=by, note=note,
        examining_body=aid_rules.spec(kind).body if examining_body is None else examining_body,
        amount_requested=amount_requested, months_requested=months_requested, commission_on=commission_on,
        prepared_on=prepared_on or timezone.localdate())
    application._history_user = by
    application.full_clean()
    application.save()
    _record(application, by=by, from_status="", to_status=S.TO_PREPARE)
    return application


@transaction.atomic
def aid_application_update(*, application: AidApplication, by: User, examining_body: str, nature: str = "",
                           amount_requested: Decimal | None = None, months_requested: int | None = None,
                           commission_on: date | None = None, lodged_on: date | None = None,
                           missing_papers: str = "", note: str = "") -> AidApplication:
    """The facts of the application (not its status, not the body's decision)."""
    require(access.can_write_aid(by, application.household))
    application = AidApplication.objects.select_for_update().get(pk=application.pk)
    if application.status == S.CLOSED:
        raise ValidationError(_("Une demande close ne se modifie plus."))
    _check_measure(application.kind, amount_requested=amount_requested, months_requested=months_requested)
    (application.examining_body, application.nature, application.amount_requested, application.months_requested,
     application.commission_on, application.lodged_on, application.missing_papers, application.note) = (
        examining_body, nature, amount_requested, months_requested, commission_on, lodged_on, missing_papers, note)
    application._history_user = by
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def aid_application_transition(*, application: AidApplication, by: User | None, status: str,
                               on: date | None = None, amount_granted: Decimal | None = None,
                               months_granted: int | None = None, amount_paid: Decimal | None = None,
                               reason: str = "", missing_papers: str = "", comment: str = "",
                               check_access: bool = True) -> AidApplication:
    """Moves the application along the chain, if the transition table allows it, with the facts
    the target status needs (amount granted, payment, motive). Refusals are French messages keyed
    by field."""
    if check_access:
        require(access.can_write_aid(by, application.household))
    application = AidApplication.objects.select_for_update().get(pk=application.pk)
    current = application.status
    errors = aid_rules.transition_errors(kind=application.kind, current=current, target=status,
                                         amount_granted=amount_granted, amount_paid=amount_paid,
                                         months_granted=months_granted, reason=reason)
    on = on or timezone.localdate()
    if not errors and on > timezone.localdate():
        errors["on"] = _("La date ne peut pas être dans le futur.")
    if not errors and status == S.MISSING_PAPERS and not (missing_papers.strip() or application.missing_papers):
        errors["missing_papers"] = _("Indiquez les pièces qui manquent.")
    if errors:
        raise ValidationError(errors)
    if status == S.MISSING_PAPERS:
        application.missing_papers = missing_papers.strip() or application.missing_papers
    elif status == S.LODGED:
        application.lodged_on = on
    elif status == S.GRANTED:
        application.decided_on = on
        application.amount_granted, application.months_granted = amount_granted, months_granted
    elif status in (S.REFUSED, S.ADJOURNED):
        application.decided_on = on
        application.reason = reason.strip()
    elif status == S.PAID:
        if application.decided_on and on < application.decided_on:
            raise ValidationError({"on": _("Le versement précède la décision (%(d)s).")
                                   % {"d": f"{application.decided_on:%d/%m/%Y}"}})
        application.paid_on, application.amount_paid = on, amount_paid
    elif status == S.CLOSED and reason.strip():
        application.reason = reason.strip()
    application.status = status
    application._history_user = by
    application.save()
    _record(application, by=by, from_status=current, to_status=status, comment=comment or reason)
    return application


def open_application_of_kind(household_id: int, kind: str) -> AidApplication | None:
    """The household's application of this kind still waiting for the examining body, if any."""
    return (AidApplication.objects.filter(household_id=household_id, kind=kind, status__in=aid_rules.UNDECIDED)
            .order_by("-prepared_on", "-pk").first())


@transaction.atomic
def aid_applications_from_levers(*, household: Household, by: User, levers: Iterable, copil_date: date,
                                 replaced: Iterable[AidApplication] = ()) -> list[AidApplication]:
    """The COPIL decided these levers (kind, amount, months, note): each creates the household's
    application of that kind, or updates the one still waiting for its examining body. Applications
    of an earlier decision that the new one no longer activates are closed if nothing happened yet.
    Returns the applications in the levers' order. The caller (the chair's decision) checked access."""
    result = []
    for lever in levers:
        existing = open_application_of_kind(household.pk, lever.kind)
        if existing is None:
            result.append(aid_application_create(
                household=household, by=by, kind=lever.kind, amount_requested=lever.amount,
                months_requested=lever.months, note=lever.note or _("Levier activé par le COPIL du %(d)s")
                % {"d": f"{copil_date:%d/%m/%Y}"}, check_access=False))
            continue
        _check_measure(existing.kind, amount_requested=lever.amount, months_requested=lever.months)
        existing.amount_requested, existing.months_requested = lever.amount, lever.months
        if lever.note:
            existing.note = lever.note
        existing._history_user = by
        existing.save(update_fields=["amount_requested", "months_requested", "note"])
        result.append(existing)
    kept = {a.pk for a in result}
    for old in replaced:
        if old.pk not in kept and old.status == S.TO_PREPARE:
            aid_application_transition(application=old, by=by, status=S.CLOSED, check_access=False,
                                       reason=_("Levier retiré par une nouvelle décision du COPIL."))
    return result


# --- Document vault ------------------------------------------------------------------------------

def _clean_tags(tags: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for tag in tags:
        tag = " ".join(str(tag).split())[:40]
        if tag and tag.lower() not in (t.lower() for t in seen):
            seen.append(tag)
    return seen[:20]


@transaction.atomic
def document_add(*, household: Household, by: User, upload, kind: str, title: str = "",
                 tags: Iterable[str] = (), valid_until: date | None = None, confidential: bool = False,
                 aid_applications: Iterable[AidApplication] = (), procedures: Iterable = (),
                 dsfs: Iterable = ()) -> Document:
    """Stores a paper of the household. The file is checked by content first: on a refusal nothing is
    written to the storage."""
    require(access.can_add_document(by, household))
    try:
        content_type = validate_document(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    if kind not in Document.Kind.values:
        raise ValidationError({"kind": _("Choisissez le type de document.")})
    if confidential and not access.can_mark_confidential(by):
        raise ValidationError({"confidential": _("Seuls les travailleurs sociaux et psychologues du ménage "
                                                 "marquent un document confidentiel.")})
    links = {"aid_applications": list(aid_applications), "procedures": list(procedures), "dsfs": list(dsfs)}
    if any(obj.household_id != household.pk for objs in links.values() for obj in objs):
        raise ValidationError(_("Un document ne se rattache qu'aux dossiers de son ménage."))
    document = Document(household=household, kind=kind, title=title.strip()[:150], tags=_clean_tags(tags),
                        valid_until=valid_until, confidential=confidential, uploaded_by=by,
                        original_name=upload.name[:200], content_type=content_type, size=upload.size)
    document._history_user = by
    document.file.save("upload", upload, save=False)
    name = document.file.name
    try:  # a failed save must not leave the file behind in the storage
        document.save()
        for field, objs in links.items():
            if objs:
                getattr(document, field).set(objs)
    except Exception:
        document.file.storage.delete(name)
        raise
    return document


@transaction.atomic
def document_update(*, document: Document, by: User, kind: str, title: str = "", tags: Iterable[str] = (),
                    valid_until: date | None = None, confidential: bool = False,
                    aid_applications: Iterable[AidApplication] = (), procedures: Iterable = (),
                    dsfs: Iterable = ()) -> Document:
    require(access.can_add_document(by, document.household))
    if confidential != document.confidential and not access.can_mark_confidential(by):
        raise ValidationError({"confidential": _("Seuls les travailleurs sociaux et psychologues du ménage "
                                                 "changent la confidentialité d'un document.")})
    links = {"aid_applications": list(aid_applications), "procedures": list(procedures), "dsfs": list(dsfs)}
    if any(obj.household_id != document.household_id for objs in links.values() for obj in objs):
        raise ValidationError(_("Un document ne se rattache qu'aux dossiers de son ménage."))
    document.kind, document.title, document.tags, document.valid_until, document.confidential = (
        kind, title.strip()[:150], _clean_tags(tags), valid_until, confidential)
    document._history_user = by
    document.save()
    for field, objs in links.items():
        getattr(document, field).set(objs)
    return document


def documents_delete_for_households(household_ids: list[int]) -> None:
    """Retention and erasure: the rows go in the caller's transaction, the files from the storage
    once it commits (default_storage API only, so S3 works too). A constant number of queries: the
    links and the history rows (which hold the original names) are deleted in bulk, and the rows
    without the per-row "deleted" history entry a model delete would write."""
    rows = list(Document.objects.filter(household_id__in=household_ids).values_list("pk", "file"))
    if not rows:
        return
    pks = [pk for pk, _name in rows]
    for relation in (Document.aid_applications, Document.procedures, Document.dsfs):
        relation.through.objects.filter(document_id__in=pks).delete()
    Document.history.filter(household_id__in=household_ids).delete()
    documents = Document.objects.filter(pk__in=pks)
    documents._raw_delete(documents.db)
    storage = Document._meta.get_field("file").storage

    def _delete_files():
        for _pk, name in rows:
            if name:
                storage.delete(name)

    transaction.on_commit(_delete_files)
