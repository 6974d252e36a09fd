"""Login lockout and password reset limits (issue 17, item 9)."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/comptes/login/"
RESET = "/comptes/password_reset/"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def _client(ip):
    return Client(REMOTE_ADDR=ip)


def _attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_five_failures_lock_the_name_from_that_client_only(personas, password):
    attacker = _client("203.0.113.66")
    for _i in range(5):
        _attempt(attacker, "worker", "mauvais-mot-de-passe-1")
    assert _attempt(attacker, "worker", password).status_code == 429
    # The real worker, from the office, is not locked out by someone else's failures.
    assert _attempt(_client("198.51.100.10"), "worker", password).status_code == 302


def test_a_ceiling_per_name_stops_guesses_spread_over_many_clients(personas, password, settings):
    assert settings.ZEL_LOGIN_USERNAME_CEILING == 30
    for n in range(10):  # 3 failures from each of 10 addresses: never 5 from one
        client = _client(f"203.0.113.{n + 1}")
        for _i in range(3):
            assert _attempt(client, "worker", "mauvais-mot-de-passe-1").status_code == 200
    response = _attempt(_client("198.51.100.10"), "worker", password)
    assert response.status_code == 429 and "Compte temporairement bloqué" in response.content.decode()
    assert _attempt(_client("198.51.100.10"), "psy", password).status_code == 302


def test_password_reset_is_limited_per_address(personas):
    client = _client("198.51.100.10")
    for _i in range(3):
        assert client.post(RESET, {"email": personas.worker.email}).status_code == 302
    response = client.post(RESET, {"email": personas.worker.email.upper()})
    assert response.status_code == 429
    assert "Trop de demandes de réinitialisation" in response.content.decode()
    assert len(mail.outbox) == 3
    # Another client asking for the same address is refused too: the limit is on the mailbox.
    assert _client("198.51.100.11").post(RESET, {"email": personas.worker.email}).status_code == 429
    assert len(mail.outbox) == 3


def test_password_reset_is_limited_per_client(personas, settings):
    settings.ZEL_PASSWORD_RESET_RATE_CLIENT = "5/h"
    client = _client("203.0.113.9")
    answers = [client.post(RESET, {"email": f"personne{n}@example.org"}).status_code for n in range(6)]
    assert answers == [302] * 5 + [429]
    assert _client("198.51.100.10").post(RESET, {"email": personas.worker.email}).status_code == 302
    assert len(mail.outbox) == 1
