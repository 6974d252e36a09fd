"""The DSF the judge receives: every section of décret 2021-8 art. 2 in the model form's order,
its debt from the landlord's rent account, its values frozen at validation, never any health or
psychologist data."""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from litigation import dsf as dsf_spec
from litigation import services
from litigation.models import Dsf, RentAccountLine
from support.services import episode_open
from tests.support.factories import DiagnosisFactory, PsychologistNoteFactory

pytestmark = pytest.mark.django_db

HEALTH = "MARQUEUR-SANTE-7731"
PSY = "MARQUEUR-PSY-4419"


def _month(offset: int) -> date:
    first = timezone.localdate().replace(day=1)
    year, month = divmod(first.month - 1 - offset, 12)
    return first.replace(year=first.year + year, month=month + 1)


@pytest.fixture
def dsf(personas, households, procedures):
    household = households.mine
    DiagnosisFactory(household=household, health=HEALTH, mental_health=HEALTH, addictions=HEALTH)
    PsychologistNoteFactory(household=household, author=personas.psychologist, content=PSY)
    lease = household.leases.get()
    # Three months called 500 €, 100 € paid in total: 1 400 € owed on the landlord's account.
    for offset, paid in ((3, "100"), (2, "0"), (1, "0")):
        RentAccountLine.objects.create(lease=lease, month=_month(offset), amount_called=Decimal("500"),
                                       amount_paid=Decimal(paid))
    episode_open(household=household, by=personas.manager, opened_on=date(2025, 1, 2))
    services.event_record(procedure=procedures.mine, by=personas.litigation_x, type="assignation",
                          occurred_on=timezone.localdate() - timedelta(days=5),
                          hearing_on=timezone.localdate() + timedelta(days=40), debt_amount=Decimal("1200"))
    return Dsf.objects.get(procedure=procedures.mine)


def _pdf_text(client, dsf) -> str:
    response = client.get(reverse("litigation:dsf_pdf", args=[dsf.pk]))
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())  # wraps and NBSPs


def test_pdf_has_every_section_in_order_with_the_rent_account_debt_and_no_sealed_data(as_user, personas, dsf):
    client = as_user(personas.worker)
    url = reverse("litigation:dsf_detail", args=[dsf.pk])
    response = client.post(url, {"tenant_present": "oui", "interview_on": "2026-11-20",
                                 "landlord_observations": "Le bailleur accepte un plan.",
                                 "repayment_capacity": "120,00", "validate": "1", "version": dsf.version})
    assert response.status_code == 302, response.context["form"].errors
    text = _pdf_text(client, dsf)
    positions = [text.find(str(section.title)) for section in dsf_spec.SECTIONS]
    assert -1 not in positions, [str(s.title) for s, p in zip(dsf_spec.SECTIONS, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    assert "1 400,00 €" in text  # the landlord's account, not the worker's budget entries
    assert "1 200,00 €" in text and "Dette au jour de l'assignation" in text
    assert "compte locataire du bailleur" in text
    assert "Le bailleur accepte un plan." in text and "120,00 €" in text
    assert HEALTH not in text and PSY not in text
    page = client.get(url).content.decode()
    assert HEALTH not in page and PSY not in page


def test_validation_freezes_the_prefilled_values(as_user, personas, dsf):
    client = as_user(personas.worker)
    url = reverse("litigation:dsf_detail", args=[dsf.pk])
    client.post(url, {"validate": "1", "version": dsf.version})
    lease = dsf.procedure.lease
    RentAccountLine.objects.create(lease=lease, month=_month(0), amount_called=Decimal("500"),
                                   amount_paid=Decimal("0"))
    assert "1 400,00 €" in _pdf_text(client, dsf) and "1 900,00 €" not in _pdf_text(client, dsf)
    dsf.refresh_from_db()
    assert client.post(url, {"wishes": "changer", "version": dsf.version}).status_code == 200
    dsf.refresh_from_db()
    assert dsf.data.get("wishes", "") != "changer"


def test_sending_to_the_four_parties_is_recorded(as_user, personas, dsf):
    client = as_user(personas.worker)
    client.post(reverse("litigation:dsf_detail", args=[dsf.pk]), {"validate": "1", "version": dsf.version})
    today = timezone.localdate()
    client.post(reverse("litigation:dsf_sending", args=[dsf.pk]), {
        "sent_to_court_on": today, "sent_to_ccapex_on": today, "sent_to_tenant_on": today,
        "sent_to_landlord_on": today - timedelta(days=1)})
    dsf.refresh_from_db()
    assert (dsf.sent_to_court_on, dsf.sent_to_tenant_on, dsf.sent_to_landlord_on) == (
        today, today, today - timedelta(days=1))


def test_dsf_deadline_is_five_working_days_before_the_hearing(as_user, personas, dsf):
    # Hearing on Thursday 2026-12-10 in Moselle: 5 working days back is Thursday 2026-12-03.
    dsf.hearing_on = date(2026, 12, 10)
    dsf.save()
    assert dsf_spec.deadline(dsf) == date(2026, 12, 3)
    page = as_user(personas.worker).get(reverse("litigation:dsf_detail", args=[dsf.pk])).content.decode()
    assert "au plus tard le 03/12/2026" in page


def test_a_dsf_frozen_before_the_sections_still_shows_its_figures(as_user, personas, dsf):
    Dsf.objects.filter(pk=dsf.pk).update(status=Dsf.Status.VALIDATED, validated_at=timezone.now(), data={
        "situation": "Reprise du travail en mars.",
        "prefill": {"household": {"name": "LEFÈVRE Élodie", "reference": "ZEL-1"}, "resources_total": "1190.00",
                    "effort_rate": "0.266", "remaining_income": "612.40", "charges_total": "95.00"}})
    text = " ".join(as_user(personas.worker).get(reverse("litigation:dsf_detail", args=[dsf.pk]))
                    .content.decode().replace("\xa0", " ").split())
    for shown in ("1 190,00 €", "26,6 %", "612,40 €", "95,00 €", "Reprise du travail en mars."):
        assert shown in text, shown
