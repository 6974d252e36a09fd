"""Every demo account at 375 × 812, signed in with the demo login: the pages it reaches from its home
have no horizontal scroll, no axe-core serious/critical violation, no 5xx; the demo social worker's
dashboard fits in two screens; the admin add pages raise no CSP violation.

The demo is seeded once for the module (seed_demo, as `make run` does) into the test database, and
served by a module-scoped live server, so that the nine walks share one seeding."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from .walk import PHONE_HEIGHT, demo_sign_in, walk

pytestmark = [pytest.mark.e2e]

ACCOUNTS = ["travailleur", "psychologue", "responsable", "copil", "copil-presidente", "contentieux", "huissier",
            "financeur", "admin"]


@pytest.fixture(scope="module")
def demo_server(django_db_setup, django_db_blocker):
    from django.db import connection
    from pytest_django.live_server_helper import LiveServer

    from accounts.reference import ensure_reference_data

    name = str(connection.settings_dict["NAME"])
    assert "memory" in name or "test" in name, f"not a test database: {name}"
    with django_db_blocker.unblock(), override_settings(
            ZEL_DEMO_MODE=True, ZEL_OTP_ENFORCED=True, ZEL_DEMO_ACCOUNTS=ACCOUNTS,
            # The hasher of the tests (tests/conftest.py), so that the demo passwords check during the walks.
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        ensure_reference_data()
        call_command("seed_demo", households=120, verbosity=0, stdout=StringIO())
        server = LiveServer("localhost")
        try:
            yield server.url
        finally:
            server.stop()
            call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db  # also makes pytest-django set the test database up for this module
def test_demo_accounts_are_the_readme_ones():
    assert settings.ZEL_DEMO_ACCOUNTS == ACCOUNTS


@pytest.mark.parametrize("username", ACCOUNTS)
def test_demo_account_on_a_phone(phone_page, demo_server, username, settings):
    settings.ZEL_DEMO_MODE = True
    settings.ZEL_OTP_ENFORCED = True
    result = walk(phone_page, demo_server, username, audited=phone_page._zel_audit)
    assert len(result.pages) >= 1
    assert not result.problems(), "\n".join(result.problems())
    if username == "travailleur":
        assert "/accompagnement/" in result.home.url
        assert result.home.height <= 2 * PHONE_HEIGHT, f"dashboard {result.home.height} px"


def test_admin_add_pages_have_no_csp_violation(page, demo_server, settings):
    settings.ZEL_DEMO_MODE = True
    from django.contrib import admin
    from django.urls import NoReverseMatch, reverse

    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    demo_sign_in(page, demo_server, "admin")
    urls = []
    for model in admin.site._registry:
        try:
            urls.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"))
        except NoReverseMatch:
            continue
    for url in urls:
        response = page.goto(demo_server + url)
        assert response.status < 500, url
    # The admin is Django's own interface, audited by Django; this test checks the CSP only.
    page._zel_audit.unaudited.clear()
    assert not violations, violations[:3]


OVERLAP = """() => { const e = document.activeElement;
  const bar = document.querySelector('.sticky-submit, .sticky-actions');
  if (!bar || bar.contains(e)) return false;
  const a = e.getBoundingClientRect(), s = bar.getBoundingClientRect();
  return a.bottom > s.top && a.top < s.bottom; }"""


def test_sticky_submit_bar_never_covers_the_focused_field(phone_page, demo_server, settings):
    settings.ZEL_DEMO_MODE = True
    page = phone_page
    demo_sign_in(page, demo_server, "travailleur")
    page.goto(f"{demo_server}/accompagnement/visite/nouvelle/")
    page._zel_audit.audit()
    page.emulate_media(reduced_motion="reduce")  # no smooth scrolling while measuring
    covered = []
    for _step in range(30):
        page.keyboard.press("Tab")
        if page.evaluate(OVERLAP):
            covered.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
    assert not covered, covered
