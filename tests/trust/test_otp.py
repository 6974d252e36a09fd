"""Two-factor authentication: required for managers, COPIL members, funders and administrators,
optional for everybody else; enrolment, verification, backup codes, the admin site, the demo."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import otp

from .conftest import code, enrol, verify_session

pytestmark = pytest.mark.django_db

HOUSEHOLDS = "/menages/"


def test_manager_without_a_device_cannot_open_the_households(otp_on, as_user, personas, households):
    response = as_user(personas.manager).get(HOUSEHOLDS)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:otp_setup") + "?next=%2Fmenages%2F"


def test_manager_with_a_device_is_asked_for_the_code(otp_on, as_user, personas, households):
    enrol(personas.manager)
    client = as_user(personas.manager)
    for url in [HOUSEHOLDS, reverse("households:detail", args=[households.other.pk]), reverse("home"),
                reverse("households:export")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:otp_verify")), url
    assert b"MARTIN" not in client.get(reverse("households:detail", args=[households.other.pk])).content


@pytest.mark.parametrize("who", ["manager", "copil_a", "funder", "admin"])
def test_the_four_roles_must_use_two_factors(otp_on, as_user, personas, who):
    response = as_user(getattr(personas, who)).get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:otp_setup"))
    assert "Votre rôle impose la double authentification" in response.content.decode()


@pytest.mark.parametrize("who", ["worker", "psychologist", "litigation_x", "bailiff"])
def test_other_roles_may_work_without_a_second_factor(otp_on, as_user, personas, who):
    response = as_user(getattr(personas, who)).get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert not any("double-authentification" in url for url, _status in response.redirect_chain)


def test_requirement_roles_and_switch_come_from_settings(otp_on, as_user, personas, households):
    otp_on.ZEL_OTP_REQUIRED_ROLES = ["social_worker"]
    assert as_user(personas.worker).get(HOUSEHOLDS).status_code == 302
    assert as_user(personas.manager).get(HOUSEHOLDS).status_code == 200
    otp_on.ZEL_OTP_ENFORCED = False
    assert as_user(personas.worker).get(HOUSEHOLDS).status_code == 200


def test_right_code_verifies_the_session_and_returns_to_the_page(otp_on, as_user, personas, households):
    device = enrol(personas.manager)
    client = as_user(personas.manager)
    response = client.post(reverse("accounts:otp_verify"), {"token": code(device), "next": HOUSEHOLDS})
    assert response.status_code == 302 and response["Location"] == HOUSEHOLDS
    assert "LEFÈVRE Élodie" in client.get(HOUSEHOLDS).content.decode()


def test_wrong_code_is_refused_and_the_same_code_cannot_be_used_twice(otp_on, as_user, personas):
    device = enrol(personas.manager)
    client = as_user(personas.manager)
    response = client.post(reverse("accounts:otp_verify"), {"token": "000000"})
    assert response.status_code == 200
    assert "Code incorrect ou expiré" in response.content.decode()
    assert client.get(HOUSEHOLDS).status_code == 302
    # A replayed code (seen by a shoulder-surfer) is refused even after the throttling delay.
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    token = code(device)
    assert client.post(reverse("accounts:otp_verify"), {"token": token}).status_code == 302
    other = Client()
    other.force_login(personas.manager)
    assert other.post(reverse("accounts:otp_verify"), {"token": token}).status_code == 200


def test_external_next_is_ignored(otp_on, as_user, personas):
    device = enrol(personas.manager)
    response = as_user(personas.manager).post(reverse("accounts:otp_verify"),
                                              {"token": code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_enrolment_shows_an_inline_qr_code_then_backup_codes(otp_on, as_user, personas, households):
    client = as_user(personas.manager)
    page = client.get(reverse("accounts:otp_setup")).content.decode()
    assert re.search(r'<img class="otp-qr" src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', page)
    assert "http" not in re.search(r'<img class="otp-qr"[^>]*>', page).group(0).replace("data:", "")
    device = TOTPDevice.objects.get(user=personas.manager, confirmed=False)
    # Reloading the page keeps the same secret (the QR code already scanned stays valid).
    client.get(reverse("accounts:otp_setup"))
    assert TOTPDevice.objects.filter(user=personas.manager).count() == 1

    wrong = client.post(reverse("accounts:otp_setup"), {"token": "123456"})
    assert "Ce code ne correspond pas" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait (django-otp throttling)
    response = client.post(reverse("accounts:otp_setup"), {"token": code(device), "next": HOUSEHOLDS})
    page = response.content.decode()
    assert response.status_code == 200 and "Vos codes de secours" in page
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", page)
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(HOUSEHOLDS).status_code == 200  # the session is verified

    # A backup code works once, on a new session.
    other = Client()
    other.force_login(personas.manager)
    assert other.post(reverse("accounts:otp_verify"), {"token": codes[0]}).status_code == 302
    assert other.get(HOUSEHOLDS).status_code == 200
    third = Client()
    third.force_login(personas.manager)
    assert third.post(reverse("accounts:otp_verify"), {"token": codes[0]}).status_code == 200
    assert StaticToken.objects.filter(device__user=personas.manager).count() == 9


def test_a_user_with_a_device_cannot_replace_it_without_the_code(otp_on, as_user, personas):
    enrol(personas.manager)
    response = as_user(personas.manager).get(reverse("accounts:otp_setup"))
    assert response["Location"] == reverse("accounts:otp_verify")


def test_optional_enrolment_then_login_asks_for_the_code(otp_on, client, personas, households, password):
    device = enrol(personas.worker)
    response = client.post("/comptes/login/", {"username": "worker", "password": password, "next": HOUSEHOLDS})
    assert response.status_code == 302
    response = client.get(HOUSEHOLDS)
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    client.post(reverse("accounts:otp_verify"), {"token": code(device)})
    assert client.get(HOUSEHOLDS).status_code == 200


def test_disabling_needs_a_current_code(otp_on, as_user, personas):
    device = enrol(personas.worker)
    client = as_user(personas.worker)
    verify_session(client, device)
    client.post(reverse("accounts:otp_disable"), {"token": "999999"})
    assert TOTPDevice.objects.filter(user=personas.worker).exists()
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(reverse("accounts:otp_disable"), {"token": code(device)}, follow=True)
    assert not TOTPDevice.objects.filter(user=personas.worker).exists()
    assert "La double authentification est désactivée" in response.content.decode()


def test_profile_offers_two_factors_to_everybody(otp_on, as_user, personas):
    page = as_user(personas.worker).get(reverse("accounts:profile")).content.decode()
    assert "Activer la double authentification" in page


def test_logout_stays_reachable_before_verification(otp_on, as_user, personas):
    enrol(personas.manager)
    client = as_user(personas.manager)
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_admin_site_requires_a_verified_second_factor(otp_on, as_user, personas):
    device = enrol(personas.admin)
    client = as_user(personas.admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert reverse("accounts:otp_verify") in response["Location"] or "/admin/login/" in response["Location"]
    assert client.get("/admin/login/?next=/admin/")["Location"].startswith(reverse("accounts:otp_verify"))
    verify_session(client, device)
    assert client.get("/admin/").status_code == 200


def test_admin_site_checks_the_factor_itself(otp_on, as_user, personas, settings):
    # Even without the middleware, the admin site refuses an unverified staff session.
    from django.test import RequestFactory

    from accounts.admin_site import ZelAdminSite

    request = RequestFactory().get("/admin/")
    request.user = personas.admin
    request.user.is_verified = lambda: False
    assert not ZelAdminSite().has_permission(request)
    request.user.is_verified = lambda: True
    assert ZelAdminSite().has_permission(request)


def test_demo_devices_and_demo_totp_command(otp_on, client, personas, password):
    enrolled = otp.demo_devices([personas.manager, personas.worker, personas.funder])
    assert enrolled == ["manager", "funder"]
    out = StringIO()
    call_command("demo_totp", "manager", stdout=out)
    token = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", token)
    client.post("/comptes/login/", {"username": "manager", "password": password})
    response = client.post(reverse("accounts:otp_verify"), {"token": token, "next": HOUSEHOLDS})
    assert response["Location"] == HOUSEHOLDS


def test_demo_totp_refuses_a_real_secret(personas):
    from django.core.management.base import CommandError

    enrol(personas.manager)
    with pytest.raises(CommandError):
        call_command("demo_totp", "manager", stdout=StringIO())
