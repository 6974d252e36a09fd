"""Absolute session lifetime (issue 17, item 12): 12 hours after the login the session ends, however
active it was."""

import time

import pytest
from django.urls import reverse

from zel.middleware import LAST_SEEN, STARTED

pytestmark = pytest.mark.django_db


def _started(client, seconds_ago):
    session = client.session
    session[STARTED] = int(time.time()) - seconds_ago
    session[LAST_SEEN] = int(time.time()) - 10  # active a moment ago
    session.save()


def test_an_active_session_ends_12_hours_after_the_login(as_user, personas, households, settings):
    assert settings.ZEL_SESSION_ABSOLUTE_SECONDS == 12 * 3600
    client = as_user(personas.worker)
    _started(client, 12 * 3600 + 60)
    response = client.get(reverse("households:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "durée maximale de 12 heures" in page


def test_an_active_session_younger_than_the_cap_is_kept(as_user, personas, households):
    client = as_user(personas.worker)
    _started(client, 11 * 3600)
    assert client.get(reverse("households:list")).status_code == 200
    assert "_auth_user_id" in client.session


def test_a_new_login_starts_the_clock_again(client, personas, households, password):
    client.post(reverse("login"), {"username": personas.worker.username, "password": password})
    assert time.time() - client.session[STARTED] < 5
    assert client.get(reverse("households:list")).status_code == 200
