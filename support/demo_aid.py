"""Demo data of aid applications and the document vault (issue 14), after the COPIL builder.

The levers of admitted COPIL decisions become applications spread along the status chain; the demo
worker `travailleur` gets one application in every status (so the dashboard panel has something in
each column) and a few documents, one expired and one confidential.
"""

from __future__ import annotations

import struct
import zlib
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile

from households.models import Household

from . import aid_rules
from .aid_rules import AidKind, Status
from .models_aid import AidApplication, AidTransition, Document

S = Status
CHAIN = [S.TO_PREPARE, S.MISSING_PAPERS, S.LODGED, S.EXAMINING, S.GRANTED, S.PAID, S.CLOSED, S.REFUSED,
         S.ADJOURNED]
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


def png(width: int = 8, height: int = 8, rgb=(40, 90, 160)) -> bytes:
    """A tiny valid PNG (a photo stand-in) without an imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def shape_application(app: AidApplication, status: str, today, rng) -> AidApplication:
    """Fills the dates and figures an application in `status` would have."""
    app.status = status
    app.prepared_on = today - timedelta(days=rng.randint(50, 90))
    if status in (S.LODGED, S.EXAMINING, S.GRANTED, S.PAID, S.CLOSED, S.REFUSED, S.ADJOURNED):
        app.lodged_on = app.prepared_on + timedelta(days=10)
    if status == S.MISSING_PAPERS:
        app.missing_papers = "Avis d'imposition 2025, dernière quittance"
    if status in (S.LODGED, S.EXAMINING):
        app.commission_on = today + timedelta(days=rng.randint(2, 20))
    if status in (S.GRANTED, S.PAID, S.CLOSED, S.REFUSED, S.ADJOURNED):
        app.commission_on = app.lodged_on + timedelta(days=20)
        app.decided_on = app.commission_on + timedelta(days=2)
    if status in (S.GRANTED, S.PAID, S.CLOSED):
        if aid_rules.has_amount(app.kind) and app.amount_requested is not None:
            # The commission often grants less than asked.
            app.amount_granted = (app.amount_requested * Decimal(rng.choice(["1", "0.8", "0.5"]))).quantize(
                Decimal("0.01"))
        if aid_rules.has_months(app.kind):
            app.months_granted = app.months_requested or 6
    if status in (S.PAID, S.CLOSED) and aid_rules.is_paid_out(app.kind) and app.amount_granted is not None:
        app.paid_on = app.decided_on + timedelta(days=rng.randint(10, 25))
        app.amount_paid = app.amount_granted
    if status == S.REFUSED:
        app.reason = "Ressources au-dessus du barème"
    if status == S.ADJOURNED:
        app.reason = "Plan d'apurement à signer avant examen"
    return app


def seed(ctx) -> None:
    rng, today = ctx.rng, ctx.today
    applications: list[AidApplication] = []  # those of the COPIL levers: copil.demo_levers

    # The demo worker: one application in every status on their first households.
    worker = ctx.users["travailleur"]
    mine = list(Household.objects.filter(assigned_workers=worker).order_by("pk").values_list("pk", flat=True)[:6])
    own = []
    kinds = [AidKind.FSL_MAINTENANCE, AidKind.FSL_ENERGY, AidKind.CCAS, AidKind.FSL_ACCESS, AidKind.LOCA_PASS,
             AidKind.ACTION_LOGEMENT, AidKind.ASLL, AidKind.RENT_AID, AidKind.FSL_MAINTENANCE]
    for index, status in enumerate(CHAIN):
        if not mine:
            break
        kind = kinds[index]
        app = AidApplication(household_id=mine[index % len(mine)], kind=kind, created_by=worker,
                             examining_body=aid_rules.spec(kind).body,
                             amount_requested=Decimal(rng.randint(3, 15) * 100) if aid_rules.has_amount(kind) else None,
                             months_requested=6 if aid_rules.has_months(kind) else None)
        own.append(shape_application(app, status, today, rng))
    if own:
        # Granted six weeks ago and still not paid: the panel's third column.
        own[4].decided_on = today - timedelta(days=45)
        # A commission in four days: the second column.
        own[2].commission_on = today + timedelta(days=4)
    AidApplication.objects.bulk_create(own)
    everything = applications + own
    AidTransition.objects.bulk_create(
        [AidTransition(application=a, from_status="", to_status=S.TO_PREPARE, by=a.created_by) for a in everything]
        + [AidTransition(application=a, from_status=S.TO_PREPARE, to_status=a.status, by=a.created_by)
           for a in everything if a.status != S.TO_PREPARE])

    documents = 0
    for household_id in mine[:3]:
        papers = [
            (Document.Kind.CAF, "Attestation CAF", png(), "image/png", today - timedelta(days=20), False,
             ["ressources"]),
            (Document.Kind.LEASE, "Bail", PDF, "application/pdf", None, False, ["logement"]),
            (Document.Kind.IDENTITY, "Carte d'identité", png(rgb=(200, 190, 170)), "image/png",
             today + timedelta(days=900), True, []),
            (Document.Kind.FORM, "Formulaire FSL signé", PDF, "application/pdf", None, False, ["FSL"]),
        ]
        for kind, title, content, content_type, valid_until, confidential, tags in papers:
            document = Document(household_id=household_id, kind=kind, title=title, tags=tags,
                                valid_until=valid_until, confidential=confidential, uploaded_by=worker,
                                original_name=f"{title}.{'pdf' if content_type == 'application/pdf' else 'png'}",
                                content_type=content_type, size=len(content))
            document.file.save("demo", ContentFile(content), save=False)
            document.save()
            documents += 1
            form_for = next((a for a in own if a.household_id == household_id), None)
            if kind == Document.Kind.FORM and form_for is not None:
                document.aid_applications.add(form_for)
    if ctx.stdout:
        ctx.stdout.write(f"  Demandes d'aide : {len(everything)} (dont {len(own)} pour travailleur), "
                         f"documents : {documents}")
