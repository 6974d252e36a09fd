"""Database outage (issue 17, item 4): every request gets the friendly 503 with Retry-After, also when
the failure happens in a middleware (session and user are loaded there for any session cookie)."""

from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

pytestmark = pytest.mark.django_db


@contextmanager
def database_down():
    def refuse(execute, sql, params, many, context):
        raise OperationalError("could not connect to server: Connection refused")

    with connection.execute_wrapper(refuse):
        yield


def _client(client):
    client.raise_request_exception = False
    return client


def _assert_friendly_503(response):
    page = response.content.decode()
    assert response.status_code == 503, response.status_code
    assert response["Retry-After"] == "30"
    assert "momentanément indisponible" in page
    assert "Connection refused" not in page and "Traceback" not in page


@pytest.mark.parametrize("url", ["/", "/menages/", "/accompagnement/visites/", "/copil/", "/rapports/",
                                 "/comptes/journal-des-acces/", "/menages/999999/", "/nulle-part/"])
def test_logged_in_request_with_the_database_down_gets_the_503(client, personas, url):
    client.force_login(personas.worker)  # a session cookie: session and user load in middleware
    with database_down():
        _assert_friendly_503(_client(client).get(url))


def test_post_with_a_session_cookie_says_the_input_was_not_saved(client, personas):
    client.force_login(personas.worker)
    with database_down():
        response = _client(client).post(reverse("households:create"), {"h-last_name": "Durand"})
    _assert_friendly_503(response)
    assert "Votre saisie n" in response.content.decode()


def test_anonymous_login_post_gets_the_503(client, personas, password):
    with database_down():
        # The login page itself needs no database; signing in does.
        assert _client(client).get(reverse("login")).status_code == 200
        _assert_friendly_503(_client(client).post(reverse("login"), {"username": "worker", "password": password}))


def test_other_errors_in_middleware_are_still_a_500(client, personas, monkeypatch):
    from zel import middleware

    def broken(self, request):
        raise ValueError("bug")

    monkeypatch.setattr(middleware.IdleSessionMiddleware, "__call__", broken)
    client.force_login(personas.worker)
    assert _client(client).get("/menages/").status_code == 500
