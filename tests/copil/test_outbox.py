"""Reliable enqueueing (issue 17, item 3) in the COPIL: agenda publication, minutes signing and minutes
regeneration go through the outbox; with the broker down they answer normally and a later sweep does
the work (mails sent, PDF built)."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from copil import services
from copil.models import Session
from copil.services import LeverInput
from tests.infra.brokers import dead_broker, sweep_later  # noqa: F401 - fixture
from zel.outbox import services as outbox

from .factories import AgendaItemFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _post(client, url, capture):
    client.raise_request_exception = False
    with capture(execute=True):
        response = client.post(url)
    assert response.status_code == 302, response.status_code
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


@pytest.mark.usefixtures("dead_broker")
def test_agenda_publication_with_the_broker_down_mails_the_members_later(
        as_user, personas, chair, households, django_capture_on_commit_callbacks):
    draft = SessionFactory(chair=chair, members=[personas.copil_a], status="draft", held_on=date(2025, 9, 4))
    AgendaItemFactory(session=draft, household=households.mine)
    text = _post(as_user(personas.manager), reverse("copil:session_publish", args=[draft.pk]),
                 django_capture_on_commit_callbacks)
    assert "dès que possible" in text
    draft.refresh_from_db()
    assert draft.status == Session.Status.PUBLISHED and not mail.outbox and outbox.pending_count() == 1
    assert sweep_later() == 1
    assert {m.to[0] for m in mail.outbox} == {personas.copil_a.email, chair.email} and outbox.pending_count() == 0


@pytest.mark.usefixtures("dead_broker")
def test_minutes_signing_and_regeneration_with_the_broker_down_build_the_pdf_later(
        as_user, copil, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    services.decision_record(item=copil.item_a, by=copil.chair, outcome="admitted",
                             levers=[LeverInput("fsl_maintenance", Decimal("1840.00"))])
    Session.objects.filter(pk=copil.a.pk).update(status="held")
    client = as_user(copil.chair)
    text = _post(client, reverse("copil:session_sign", args=[copil.a.pk]), django_capture_on_commit_callbacks)
    assert "dès que possible" in text
    session = Session.objects.get(pk=copil.a.pk)
    assert session.status == Session.Status.SIGNED and not session.minutes and outbox.pending_count() == 1

    text = _post(client, reverse("copil:minutes_regenerate", args=[copil.a.pk]), django_capture_on_commit_callbacks)
    assert text == "Demande enregistrée, elle sera traitée dès que possible."
    assert outbox.pending_count() == 2

    assert sweep_later() == 2
    session.refresh_from_db()
    assert session.minutes and session.minutes.read().startswith(b"%PDF")
    assert outbox.pending_count() == 0
