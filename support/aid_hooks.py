"""What aid applications and documents plug into the shared registries (SupportConfig.ready):
the household timeline, the worker's dashboard panel, RGPD retention and the subject-access export."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zel.dashboard import Panel
from zel.lib.compiled import CompiledQuery
from zel.timeline import TimelineEntry

from . import access, selectors_aid
from .models_aid import AidApplication, AidTransition, Document


def _union(household_pk: int, confidential: bool):
    """Each status change of the household's applications and each document added, in ONE query
    (a UNION of the two tables) whatever the number of rows; compiled once (zel.lib.compiled): the
    rows are the household's, whom timeline_entries has checked the user sees."""
    from django.db.models import CharField, F, Value
    from django.db.models.functions import Concat

    text = CharField()
    transitions = (AidTransition.objects.filter(application__household_id=household_pk)
                   .order_by().annotate(k=Value("t", output_field=text), w=F("at"), t1=F("from_status"),
                                        t2=F("to_status"), t3=F("application__kind"),
                                        t4=Concat("by__first_name", Value(" "), "by__last_name", output_field=text),
                                        ref=F("application_id"))
                   .values_list("k", "pk", "w", "t1", "t2", "t3", "t4", "ref"))
    documents = (access.documents_shown(Document.objects.filter(household_id=household_pk), confidential=confidential)
                 .order_by()
                 .annotate(k=Value("d", output_field=text), w=F("uploaded_at"), t1=F("kind"),
                           t2=Value("", output_field=text), t3=Value("", output_field=text),
                           t4=Value("", output_field=text), ref=F("household_id"))
                 .values_list("k", "pk", "w", "t1", "t2", "t3", "t4", "ref"))
    return transitions.union(documents, all=True)


_UNION = CompiledQuery(_union)


def timeline_entries(user, household):
    if not access.sees_household_support(user, household):
        return []
    rows = _UNION.rows(household.pk, key=(access.can_read_confidential_documents(user),),
                       using=household._state.db or "default")
    kinds, statuses = dict(AidApplication.Kind.choices), dict(AidApplication.Status.choices)
    document_kinds = dict(Document.Kind.choices)
    entries = []
    for k, _pk, when, t1, t2, t3, t4, ref in rows:
        if k == "t":
            kind = str(kinds.get(t3, t3))
            title = (_("Demande d'aide créée : %(k)s") % {"k": kind} if not t1
                     else _("%(k)s : %(s)s") % {"k": kind, "s": statuses.get(t2, t2)})
            entries.append(TimelineEntry(when=when, kind="aid", icon="€", title=title, detail=(t4 or "").strip(),
                                         url=reverse("support:aid_detail", args=[ref])))
        else:
            entries.append(TimelineEntry(when=when, kind="document", icon="📄",
                                         title=_("Document ajouté : %(t)s") % {"t": document_kinds.get(t1, t1)},
                                         url=reverse("support:document_list", args=[household.pk])))
    return entries


def dashboard_panel(user) -> Panel | None:
    if not access.sees_aid_panel(user):
        return None
    panel = selectors_aid.waiting_applications(user, today=timezone.localdate())
    return Panel(title=_("Demandes d'aide en attente"), template="support/_aid_panel.html",
                 context={"panel": panel}, count=panel.count)


# --- RGPD ----------------------------------------------------------------------------------------

def anonymise(household_ids: list[int]) -> None:
    """The documents go, files included (from the storage once the transaction commits); the
    applications keep kind, status, dates and amounts for the reports, and lose their free texts."""
    from .services_aid import documents_delete_for_households

    ids = list(household_ids)
    if not ids:
        return
    documents_delete_for_households(ids)
    application_ids = list(AidApplication.history.filter(household_id__in=ids).order_by()
                           .values_list("id", flat=True).distinct())
    if not application_ids:
        return
    blank = {"reason": "", "missing_papers": "", "note": ""}
    AidApplication.objects.filter(pk__in=application_ids).update(**blank)
    AidApplication.history.filter(id__in=application_ids).update(**blank)
    AidTransition.objects.filter(application_id__in=application_ids).update(comment="")


def export_sections(household) -> dict:
    applications = (AidApplication.objects.filter(household_id=household.pk)
                    .prefetch_related("transitions").order_by("prepared_on", "pk"))
    documents = Document.objects.filter(household_id=household.pk).order_by("uploaded_at", "pk")

    def day(value):
        return value.isoformat() if value else None

    def money(value):
        return str(value) if value is not None else None

    return {
        _("Demandes d'aide"): [{
            "aide": a.get_kind_display(), "statut": a.get_status_display(), "organisme": a.examining_body,
            "constituee_le": day(a.prepared_on), "deposee_le": day(a.lodged_on),
            "commission_le": day(a.commission_on), "decision_le": day(a.decided_on), "versee_le": day(a.paid_on),
            "montant_demande": money(a.amount_requested), "montant_accorde": money(a.amount_granted),
            "montant_verse": money(a.amount_paid), "mois_demandes": a.months_requested,
            "mois_accordes": a.months_granted, "motifs": a.reason, "pieces_manquantes": a.missing_papers,
            "statuts": [{"vers": t.to_status, "le": t.at.isoformat()} for t in a.transitions.all()],
        } for a in applications],
        _("Documents"): [{
            "type": d.get_kind_display(), "intitule": d.title, "nom_du_fichier": d.original_name,
            "etiquettes": d.tags, "valable_jusqu_au": day(d.valid_until), "confidentiel": d.confidential,
            "depose_le": d.uploaded_at.isoformat(),
        } for d in documents],
    }
