"""Who sees which procedure, rent account and DSF; the social file stays closed to litigation."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AccessLog
from litigation import access as litigation_access
from litigation import services
from litigation.models import EventType

pytestmark = pytest.mark.django_db


def visible(user):
    return set(litigation_access.visible_procedures(user).values_list("pk", flat=True))


def test_scopes_of_each_role(personas, procedures):
    p = procedures
    assert visible(personas.litigation_x) == {p.mine.pk, p.other.pk}
    assert visible(personas.litigation_y) == {p.y.pk}
    assert visible(personas.bailiff) == {p.other.pk}
    assert visible(personas.worker) == {p.mine.pk}
    assert visible(personas.manager) == {p.mine.pk, p.other.pk, p.y.pk}
    assert visible(personas.manager_54) == set()
    for stranger in (personas.funder, personas.copil_a, personas.worker_54, personas.admin):
        assert visible(stranger) == set()


@pytest.mark.parametrize("persona", ["litigation_y", "bailiff", "funder", "worker_54", "copil_a"])
def test_strangers_get_404_on_landlord_x_procedure(as_user, personas, procedures, persona):
    client = as_user(getattr(personas, persona))
    assert client.get(reverse("litigation:procedure_detail", args=[procedures.mine.pk])).status_code == 404


def test_litigation_officer_of_x_never_sees_y(as_user, personas, procedures):
    client = as_user(personas.litigation_x)
    page = client.get(reverse("litigation:procedure_list")).content.decode()
    assert procedures.mine.lease.reference in page and procedures.y.lease.reference not in page
    assert client.get(reverse("litigation:procedure_detail", args=[procedures.y.pk])).status_code == 404
    assert client.get(reverse("litigation:rent_account", args=[procedures.y.lease_id])).status_code == 404


def test_social_file_closed_to_litigation_officer_and_bailiff(as_user, personas, households, procedures):
    for persona in (personas.litigation_x, personas.bailiff):
        client = as_user(persona)
        assert client.get(reverse("households:detail", args=[households.mine.pk])).status_code == 404
        assert client.get(reverse("households:detail", args=[households.other.pk])).status_code == 404


def test_procedure_page_shows_support_flag_not_social_data(as_user, personas, households, procedures):
    from support.services import episode_open

    episode_open(household=households.mine, by=personas.worker, opened_on=date(2025, 1, 2))
    page = as_user(personas.litigation_x).get(
        reverse("litigation:procedure_detail", args=[procedures.mine.pk])).content.decode()
    assert "Accompagnement ZEL" in page and "actif" in page
    assert "Diagnostic social et financier" not in page


def test_bailiff_records_only_served_acts_on_instructed_procedures(personas, procedures):
    assert set(litigation_access.recordable_event_types(personas.bailiff, procedures.other)) == {
        EventType.COMMANDEMENT_DE_PAYER, EventType.ASSIGNATION, EventType.SIGNIFICATION_JUGEMENT,
        EventType.COMMANDEMENT_DE_QUITTER}
    assert litigation_access.recordable_event_types(personas.bailiff, procedures.mine) == []
    assert not litigation_access.can_record_event(personas.bailiff, procedures.other, EventType.JUGEMENT)
    assert litigation_access.recordable_event_types(personas.manager, procedures.mine) == []
    assert litigation_access.recordable_event_types(personas.worker, procedures.mine) == []
    assert EventType.JUGEMENT in litigation_access.recordable_event_types(personas.litigation_x, procedures.mine)
    assert litigation_access.recordable_event_types(personas.litigation_y, procedures.mine) == []


def test_bailiff_posting_a_judgment_is_refused(as_user, personas, procedures):
    client = as_user(personas.bailiff)
    url = reverse("litigation:event_create", args=[procedures.other.pk])
    response = client.post(url, {"type": "jugement", "occurred_on": "2025-03-01"})
    assert response.status_code == 200 and "jugement" not in [c for c, _l in response.context["form"].fields[
        "type"].choices]
    assert procedures.other.events.count() == 0
    response = client.post(url, {"type": "commandement_de_payer", "occurred_on": "2025-03-01",
                                 "version": procedures.other.version})
    assert response.status_code == 302
    assert procedures.other.events.get().recorded_by == personas.bailiff
    assert client.get(reverse("litigation:event_create", args=[procedures.mine.pk])).status_code == 404


def test_manager_reads_but_cannot_record(as_user, personas, procedures):
    client = as_user(personas.manager)
    assert client.get(reverse("litigation:procedure_detail", args=[procedures.mine.pk])).status_code == 200
    assert client.get(reverse("litigation:event_create", args=[procedures.mine.pk])).status_code == 403


def test_document_download_checked_and_logged(as_user, personas, procedures, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    pdf = SimpleUploadedFile("Commandement DUPONT.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    event = services.event_record(procedure=procedures.mine, by=personas.litigation_x, type="commandement_de_payer",
                                  occurred_on=date(2025, 3, 1), document=pdf)
    assert "DUPONT" not in event.document.name
    url = reverse("litigation:event_document", args=[event.pk])
    response = as_user(personas.litigation_x).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert AccessLog.objects.filter(user=personas.litigation_x, action=AccessLog.Action.DOWNLOAD).exists()
    for stranger in (personas.litigation_y, personas.bailiff, personas.funder):
        assert as_user(stranger).get(url).status_code == 404


def test_non_pdf_document_refused_next_to_the_field(as_user, personas, procedures):
    fake = SimpleUploadedFile("acte.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = as_user(personas.litigation_x).post(
        reverse("litigation:event_create", args=[procedures.mine.pk]),
        {"type": "commandement_de_payer", "occurred_on": "2025-03-01", "document": fake})
    assert response.context["form"].errors["document"] == ["Le fichier n'est pas un PDF."]
    assert procedures.mine.events.count() == 0


def test_procedure_read_is_logged(as_user, personas, procedures):
    as_user(personas.litigation_x).get(reverse("litigation:procedure_detail", args=[procedures.mine.pk]))
    log = AccessLog.objects.get(user=personas.litigation_x)
    assert log.object_type == "litigation.procedure" and log.household_id == procedures.mine.household_id


def test_rent_account_scopes(as_user, personas, procedures):
    url = reverse("litigation:rent_account", args=[procedures.mine.lease_id])
    assert as_user(personas.litigation_x).get(url).status_code == 200
    assert as_user(personas.worker).get(url).status_code == 200
    for stranger in (personas.bailiff, personas.litigation_y, personas.funder, personas.worker_54):
        assert as_user(stranger).get(url).status_code == 404


def test_timeline_shows_events_only_to_those_who_may_see(personas, households, procedures):
    from zel import timeline

    services.event_record(procedure=procedures.mine, by=personas.litigation_x, type="assignation",
                          occurred_on=date(2025, 4, 20), hearing_on=date(2025, 6, 26))
    worker_entries = [e for e in timeline.entries_for(personas.worker, households.mine) if e.kind == "procedure"]
    assert [e.title for e in worker_entries] == ["Assignation"]
    assert "26/06/2025" in worker_entries[0].detail
    assert [e for e in timeline.entries_for(personas.litigation_y, households.mine) if e.kind == "procedure"] == []


@pytest.mark.parametrize(("persona", "expected"), [
    ("litigation_x", ["Batigère"]),
    ("litigation_y", ["Présence Habitat"]),
    ("bailiff", ["Batigère"]),  # instructed on a Batigère procedure only
    ("manager", ["Batigère", "Présence Habitat"]),  # the AMLI files' landlords, like everyone: no empty choice
])
def test_landlord_filter_offers_the_landlords_of_visible_procedures(as_user, personas, procedures, persona,
                                                                    expected):
    from accounts.models import Organisation

    Organisation.objects.create(code="vide", name="Bailleur sans procédure", kind=Organisation.Kind.LANDLORD)
    response = as_user(getattr(personas, persona)).get(reverse("litigation:procedure_list"))
    choices = [label for value, label in response.context["form"].fields["landlord"].choices if value]
    assert choices == sorted(expected)
    assert {p.pk for p in response.context["page"]} == visible(getattr(personas, persona))
    assert response.context["count"].n == len(visible(getattr(personas, persona)))


def test_worker_sees_each_procedure_of_an_assigned_household_once(personas, procedures, households):
    """Two workers assigned, two procedures on the lease: no repeated row without DISTINCT."""
    from .factories import ProcedureFactory

    second = ProcedureFactory(lease=households.mine.leases.get())
    pks = list(litigation_access.visible_procedures(personas.worker).values_list("pk", flat=True))
    assert sorted(pks) == sorted([procedures.mine.pk, second.pk])
    assert litigation_access.visible_procedures(personas.psychologist).count() == 2
