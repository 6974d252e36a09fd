"""A second assignation (or judgment) on the same procedure asks for confirmation and says what exists."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from litigation import services

pytestmark = pytest.mark.django_db


def test_second_assignation_asks_for_confirmation_then_is_recorded(as_user, personas, procedures):
    p, officer = procedures.mine, personas.litigation_x
    today = timezone.localdate()
    hearing = today + timedelta(days=70)
    services.event_record(procedure=p, by=officer, type="assignation", occurred_on=today - timedelta(days=3),
                          hearing_on=hearing)
    p.refresh_from_db()
    client = as_user(officer)
    url = reverse("litigation:event_create", args=[p.pk])
    later = (hearing + timedelta(days=7)).isoformat()
    data = {"type": "assignation", "occurred_on": today.isoformat(), "hearing_on": later,
            "version": p.version}
    response = client.post(url, data)
    assert response.status_code == 200
    error = response.context["form"].errors["confirm_duplicate"][0]
    first = (today - timedelta(days=3)).strftime("%d/%m/%Y")
    assert f"déjà cette étape (assignation) : enregistrée le {first} (audience le {hearing:%d/%m/%Y})" in error
    page = response.content.decode()
    assert 'role="alert"' in page and 'href="#id_confirm_duplicate"' in page
    assert 'value="assignation" selected' in page  # input kept
    assert p.events.filter(type="assignation").count() == 1
    response = client.post(url, {**data, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert p.events.filter(type="assignation").count() == 2


def test_first_step_of_a_kind_needs_no_confirmation(as_user, personas, procedures):
    p = procedures.mine
    response = as_user(personas.litigation_x).post(
        reverse("litigation:event_create", args=[p.pk]),
        {"type": "commandement_de_payer", "occurred_on": date(2025, 3, 14).isoformat(), "version": p.version})
    assert response.status_code == 302
    assert "confirm_duplicate" not in response.wsgi_request.POST
