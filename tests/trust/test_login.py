"""Login hardening: lockout after repeated failures, password rules, idle sessions."""

import time

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from zel.middleware import LAST_SEEN

pytestmark = pytest.mark.django_db

LOGIN = "/comptes/login/"


def _attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_five_failures_lock_the_account_even_with_the_right_password(client, personas, password, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _i in range(5):
        response = _attempt(client, "worker", "mauvais-mot-de-passe-1")
        assert response.status_code in (200, 429)
    response = _attempt(client, "worker", password)
    page = response.content.decode()
    assert response.status_code == 429
    assert "Compte temporairement bloqué" in page
    assert "Réessayez dans 15 minutes" in page
    assert "_auth_user_id" not in client.session
    # The lock is on the account: another person behind the same address still logs in.
    assert _attempt(Client(), "psy", password).status_code == 302


def test_four_failures_then_success_resets_the_counter(client, personas, password):
    for _i in range(4):
        assert _attempt(client, "worker", "mauvais-mot-de-passe-1").status_code == 200
    assert _attempt(client, "worker", password).status_code == 302
    client.logout()
    for _i in range(4):
        _attempt(client, "worker", "mauvais-mot-de-passe-1")
    assert _attempt(client, "worker", password).status_code == 302


def test_wrong_password_message_is_in_french_and_names_no_account_state(client, personas):
    page = _attempt(client, "worker", "mauvais-mot-de-passe-1").content.decode()
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in page or "valides" in page
    assert "bloqué" not in page


def test_programmatic_authentication_without_request_still_works(personas, password):
    # Client.login() and management commands call authenticate() without a request.
    assert authenticate(username="worker", password=password) == personas.worker
    assert Client().login(username="worker", password=password)


@pytest.mark.parametrize(("candidate", "message"), [
    ("court-1", "trop court"),
    ("abcdefghijklmnop", "au moins une lettre et au moins un chiffre"),
    ("123456789012345", "entièrement numérique"),
    ("1q2w3e4r5t6y", "trop courant"),
])
def test_weak_passwords_are_refused_in_french(candidate, message):
    with pytest.raises(ValidationError) as refused:
        validate_password(candidate)
    assert any(message in m for m in refused.value.messages), refused.value.messages


def test_a_long_mixed_password_is_accepted():
    validate_password("Loyer-payé-en-2026!")


def test_password_change_form_shows_the_rule(as_user, personas, password):
    client = as_user(personas.worker)
    response = client.post(reverse("password_change"), {
        "old_password": password, "new_password1": "abcdefghijklmnop", "new_password2": "abcdefghijklmnop"})
    assert response.status_code == 200
    assert "au moins une lettre et au moins un chiffre ou un symbole" in response.content.decode()


def _age_session(client, seconds):
    session = client.session
    session[LAST_SEEN] = int(time.time()) - seconds
    session.save()


def test_session_idle_for_31_minutes_is_logged_out(as_user, personas, households, settings):
    assert settings.ZEL_SESSION_IDLE_SECONDS == 30 * 60
    client = as_user(personas.worker)
    _age_session(client, 31 * 60)
    response = client.get(reverse("households:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "expiré après 30 minutes d&#x27;inactivité" in page or "expiré après 30 minutes" in page


def test_session_idle_for_29_minutes_is_kept_and_renewed(as_user, personas, households):
    client = as_user(personas.worker)
    _age_session(client, 29 * 60)
    assert client.get(reverse("households:list")).status_code == 200
    assert time.time() - client.session[LAST_SEEN] < 5  # the clock restarts from this page


def test_a_fresh_login_costs_no_session_write_on_its_first_pages(as_user, personas, households,
                                                                 django_assert_max_num_queries):
    client = as_user(personas.worker)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("households:list"))
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
