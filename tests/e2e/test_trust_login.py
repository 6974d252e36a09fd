"""Browser: a manager logs in with the second factor; the lockout page; both pass axe-core."""

import time

import pytest
from django.conf import settings as django_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import otp
from tests.factories import PASSWORD

from .conftest import audit, log_in


def log_in_to(page, live_server, username, password, next_url="/menages/"):
    # Straight to the households page (the dashboard belongs to another app's tests).
    page.goto(f"{live_server.url}/comptes/login/?next={next_url}")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state("load")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_manager_enrols_then_logs_in_with_a_code(page, phone_page, live_server, personas, households, settings):
    settings.ZEL_OTP_ENFORCED = True
    log_in_to(page, live_server, "manager", PASSWORD)
    assert "/double-authentification/activer/" in page.url
    audit(page)
    assert page.get_by_role("img", name="QR code de configuration de la double authentification").is_visible()
    device = TOTPDevice.objects.get(user=personas.manager, confirmed=False)
    page.get_by_label("Code affiché par l'application").fill(otp.current_code(device))
    page.get_by_role("button", name="Activer").click()
    page.wait_for_load_state("load")
    audit(page)
    assert page.locator(".otp-codes li").count() == 10
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    page.wait_for_load_state("load")
    audit(page)

    # Next login, on a phone: password, then the code.
    log_in_to(phone_page, live_server, "manager", PASSWORD)
    assert "/double-authentification/" in phone_page.url
    audit(phone_page)
    device.refresh_from_db()
    phone_page.get_by_label("Code à 6 chiffres (ou code de secours)").fill(
        otp.current_code(device, at=time.time() + device.step))  # the next code: the last one was used
    phone_page.get_by_role("button", name="Vérifier").click()
    phone_page.wait_for_load_state("load")
    audit(phone_page)
    assert phone_page.url.endswith("/menages/")
    assert phone_page.get_by_text("LEFÈVRE Élodie").first.is_visible()


def test_lockout_page_is_french_and_accessible(page, live_server, personas):
    for _i in range(django_settings.AXES_FAILURE_LIMIT):
        log_in(page, live_server, "worker", "mauvais-mot-de-passe-1")
        audit(page)
    log_in(page, live_server, "worker", PASSWORD)
    audit(page)
    assert page.get_by_role("heading", name="Compte temporairement bloqué").is_visible()
