"""Reads of aid applications and documents: scoped by support.access, fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet

from zel.lib.text import normalize

from . import access, aid_rules
from .aid_rules import Status
from .models_aid import AidApplication, AidTransition, Document

COMMISSION_SOON_DAYS = 7
UNPAID_AFTER_DAYS = 30


def household_applications(user, household) -> list[AidApplication]:
    """1 applications + document counts."""
    return list(access.visible_aid_applications(user).filter(household=household)
                .annotate(document_count=Count("documents", filter=_document_filter(user, "documents__"),
                                               distinct=True)))


def _document_filter(user, prefix: str) -> Q:
    if access.can_read_confidential_documents(user):
        return Q()
    return Q(**{f"{prefix}confidential": False})


def application_page(user, application: AidApplication) -> AidApplication:
    """The transitions with their authors and the documents the viewer may see (2 queries)."""
    application.transition_list = list(AidTransition.objects.filter(application=application).select_related("by"))
    application.document_list = list(access.visible_documents(user).filter(aid_applications=application))
    return application


def household_documents(user, household, *, query: str = "", kind: str = "") -> QuerySet[Document]:
    qs = (access.visible_documents(user).filter(household=household).select_related("uploaded_by")
          .prefetch_related(Prefetch("aid_applications", queryset=AidApplication.objects.only("id", "kind",
                                                                                              "status")),
                            "procedures__lease", "dsfs"))
    if kind in Document.Kind.values:
        qs = qs.filter(kind=kind)
    if query.strip():
        words = normalize(query).split()
        docs = list(qs)
        return [d for d in docs if all(w in _haystack(d) for w in words)]
    return qs


def _haystack(document: Document) -> str:
    return normalize(" ".join([document.title, document.original_name, str(document.get_kind_display()),
                               *document.tags]))


@dataclass
class AidPanel:
    missing_papers: list[AidApplication] = field(default_factory=list)
    commission_soon: list[AidApplication] = field(default_factory=list)
    unpaid: list[AidApplication] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.missing_papers) + len(self.commission_soon) + len(self.unpaid)


def waiting_applications(user, *, today: date) -> AidPanel:
    """The worker's applications waiting on something (one query): papers missing, a commission
    within 7 days, granted more than 30 days ago and not yet paid (kinds that are paid out)."""
    soon = today + timedelta(days=COMMISSION_SOON_DAYS)
    paid_kinds = [k for k in aid_rules.KINDS if aid_rules.is_paid_out(k)]
    rows = (access.visible_aid_applications(user)
            .filter(Q(status=Status.MISSING_PAPERS)
                    | Q(status__in=[Status.TO_PREPARE, Status.LODGED, Status.EXAMINING, Status.ADJOURNED],
                        commission_on__gte=today, commission_on__lte=soon)
                    | Q(status=Status.GRANTED, kind__in=paid_kinds,
                        decided_on__lte=today - timedelta(days=UNPAID_AFTER_DAYS)))
            .select_related("household").order_by("commission_on", "decided_on", "pk")[:100])
    panel = AidPanel()
    for row in rows:
        if row.status == Status.MISSING_PAPERS:
            panel.missing_papers.append(row)
        elif row.status == Status.GRANTED:
            row.days_waiting = (today - row.decided_on).days
            panel.unpaid.append(row)
        else:
            panel.commission_soon.append(row)
    return panel
