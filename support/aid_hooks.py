"""What aid applications and documents plug into the shared registries (SupportConfig.ready):
the household timeline, the worker's dashboard panel, RGPD retention and the subject-access export."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zel.dashboard import Panel
from zel.timeline import TimelineEntry

from . import access, selectors_aid
from .models_aid import AidApplication, AidTransition, Document


def timeline_entries(user, household):
    """Each status change of the household's applications, and each document added (2 queries)."""
    if not access.can_use_aid(user):
        return []
    entries = []
    transitions = (AidTransition.objects.filter(application__in=access.visible_aid_applications(user)
                                                .filter(household=household))
                   .select_related("application", "by").order_by("at"))
    for t in transitions:
        kind = t.application.get_kind_display()
        title = (_("Demande d'aide créée : %(k)s") % {"k": kind} if not t.from_status
                 else _("%(k)s : %(s)s") % {"k": kind, "s": t.get_to_status_display()})
        entries.append(TimelineEntry(when=t.at, kind="aid", icon="€", title=title,
                                     detail=str(t.by) if t.by else "",
                                     url=reverse("support:aid_detail", args=[t.application_id])))
    documents = (access.visible_documents(user).filter(household=household)
                 .only("pk", "kind", "title", "uploaded_at", "household_id"))
    for d in documents:
        entries.append(TimelineEntry(when=d.uploaded_at, kind="document", icon="📄",
                                     title=_("Document ajouté : %(t)s") % {"t": d.get_kind_display()},
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
    blank = {"reason": "", "missing_papers": "", "note": ""}
    AidApplication.objects.filter(household_id__in=ids).update(**blank)
    AidApplication.history.filter(household_id__in=ids).update(**blank)
    AidTransition.objects.filter(application__household_id__in=ids).update(comment="")


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
