"""HTTP hardening: CSP without inline script, headers, error pages that say nothing, CSRF, DB outage."""

import re

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

from households.models import Household

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def _pages(households):
    pk = households.mine.pk
    return [
        reverse("households:list"), reverse("households:detail", args=[pk]),
        reverse("households:edit", args=[pk]), reverse("households:create"),
        reverse("households:referral_intake"), reverse("households:history", args=[pk]),
        reverse("households:assign", args=[pk]), reverse("households:personal_data", args=[pk]),
        reverse("accounts:profile"), reverse("audit:access_log"), reverse("accounts:otp_setup"),
        reverse("password_change"),
    ]


def assert_csp_clean(html: str, where: str) -> None:
    assert not INLINE_SCRIPT.search(html), f"inline <script> on {where}"
    assert not EVENT_HANDLER.search(html), f"inline event handler on {where}"
    assert not INLINE_STYLE.search(html), f"inline style= on {where}"
    assert not JS_URL.search(html), f"javascript: URL on {where}"


def test_csp_header_forbids_inline_scripts_and_framing(client):
    response = client.get("/comptes/login/")
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_main_pages_have_no_inline_script_or_style(as_user, personas, households, client):
    assert_csp_clean(Client().get("/comptes/login/").content.decode(), "login")
    client = as_user(personas.manager)
    for url in _pages(households):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Content-Security-Policy" in response, url
        assert_csp_clean(response.content.decode(), url)


def test_the_detector_catches_inline_code():
    # The regexes above must be able to fail.
    for bad in ['<script>alert(1)</script>', '<button onclick="x()">', '<div style="color:red">',
                '<a href="javascript:alert(1)">']:
        with pytest.raises(AssertionError):
            assert_csp_clean(bad, "sample")
    assert_csp_clean('<script src="/static/js/zel.js"></script><script type="application/json">{}</script>', "ok")


def test_not_found_and_forbidden_pages_say_nothing_about_the_data(as_user, personas, households):
    client = as_user(personas.worker)
    response = client.get(reverse("households:detail", args=[households.other.pk]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page introuvable" in page
    assert "Martin" not in page and "MARTIN" not in page and households.other.reference not in page
    response = client.get(reverse("households:edit", args=[households.mine.pk]) + "x")
    assert response.status_code == 404
    response = as_user(personas.psychologist).get(reverse("households:edit", args=[households.mine.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Accès refusé" in page and "Lefèvre" not in page and "LEFÈVRE" not in page


def test_server_error_page_renders_without_the_database():
    # No django_db mark on this test's database use: any query here would raise.
    from zel.views import error_500

    response = error_500(RequestFactory().get("/menages/"))
    assert response.status_code == 500
    assert "Votre saisie n" in response.content.decode()


def test_outage_page_renders_without_the_database():
    from django.template.loader import render_to_string

    html = render_to_string("errors/503.html", {"was_post": True})
    assert "Votre saisie n&#x27;a pas été enregistrée" in html or "Votre saisie n'a pas été enregistrée" in html
    assert "retour" in html


def test_database_outage_on_a_page_gives_a_friendly_503(as_user, personas, households, monkeypatch):
    from households import selectors

    def down(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(selectors, "household_list", down)
    response = as_user(personas.worker).get(reverse("households:list"))
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "momentanément indisponible" in page
    assert "Connection refused" not in page and "Lefèvre" not in page and "LEFÈVRE" not in page


def test_database_outage_on_a_form_tells_the_input_was_not_saved(as_user, personas, monkeypatch):
    from households import services

    def down(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "household_create", down)
    data = {"h-last_name": "Durand", "h-first_name": "Zoé", "h-birth_year": "1990", "h-track": "acces",
            "h-territory": personas.worker.territories.get().pk, "m-TOTAL_FORMS": "0", "m-INITIAL_FORMS": "0",
            "r-TOTAL_FORMS": "0", "r-INITIAL_FORMS": "0", "l-landlord": "", "l-reference": ""}
    response = as_user(personas.worker).post(reverse("households:create"), data)
    page = response.content.decode()
    assert response.status_code == 503
    assert "Votre saisie n&#x27;a pas été enregistrée" in page or "Votre saisie n'a pas été enregistrée" in page
    assert "bouton « retour »" in page
    assert not Household.objects.filter(last_name="Durand").exists()


def test_other_errors_are_not_disguised_as_an_outage(as_user, personas, monkeypatch):
    from households import selectors

    def broken(*args, **kwargs):
        raise ValueError("bug")

    monkeypatch.setattr(selectors, "household_list", broken)
    client = as_user(personas.worker)
    client.raise_request_exception = False
    assert client.get(reverse("households:list")).status_code == 500


@pytest.fixture
def csrf_client(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.worker)
    return client


def _intake(households, orgs):
    return {"last_name": "Durand", "first_name": "Zoé", "birth_year": "1990", "track": "maintien",
            "territory": households.mine.territory_id, "partner": orgs.ddets.pk, "referrer_name": "M. X",
            "referred_on": "2025-02-01", "reason": "Dette"}


@pytest.mark.parametrize("url_name", ["households:create", "households:referral_intake", "households:edit",
                                      "households:referral_add", "accounts:otp_setup", "accounts:otp_disable",
                                      "logout", "password_change"])
def test_post_without_csrf_token_is_refused(csrf_client, households, url_name):
    args = [households.mine.pk] if url_name in {"households:edit", "households:referral_add"} else []
    response = csrf_client.post(reverse(url_name, args=args), {"x": "1"})
    assert response.status_code == 403
    assert "Formulaire expiré" in response.content.decode()


def test_post_with_the_page_token_is_accepted(csrf_client, households, orgs):
    csrf_client.get(reverse("households:referral_intake"))
    token = csrf_client.cookies["csrftoken"].value
    data = {**_intake(households, orgs), "csrfmiddlewaretoken": token}
    assert csrf_client.post(reverse("households:referral_intake"), data).status_code == 302
    assert Household.objects.filter(last_name="Durand").exists()


def test_forged_post_creates_nothing(csrf_client, households, orgs):
    csrf_client.post(reverse("households:referral_intake"), _intake(households, orgs))
    assert not Household.objects.filter(last_name="Durand").exists()
