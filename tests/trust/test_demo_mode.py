"""Demo mode (make run): one-click demo logins and the demo TOTP code filled; never in production."""

import pytest
from django.core.checks import run_checks
from django.urls import reverse

from accounts import otp
from households.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_manager(personas):
    personas.manager.set_password(DEMO_PASSWORD)
    personas.manager.save()
    otp.demo_devices([personas.manager])
    return personas.manager


def test_login_page_lists_demo_accounts_only_in_demo_mode(settings, client, demo_manager):
    settings.ZEL_DEMO_ACCOUNTS = ["manager", "nobody"]
    settings.ZEL_DEMO_MODE = False
    assert b"data-demo-login" not in client.get(reverse("login")).content
    settings.ZEL_DEMO_MODE = True
    page = client.get(reverse("login")).content.decode()
    assert 'data-demo-login="manager"' in page
    assert "nobody" not in page
    settings.PRODUCTION = True  # belt and braces: even if the check were silenced
    assert "data-demo-login" not in client.get(reverse("login")).content.decode()


def test_one_click_demo_login_then_filled_code(otp_on, settings, client, demo_manager):
    settings.ZEL_DEMO_MODE = True
    settings.ZEL_DEMO_ACCOUNTS = ["manager"]
    response = client.post(reverse("login"), {"username": "manager", "password": DEMO_PASSWORD, "next": ""})
    assert response.status_code == 302
    verify = client.get(reverse("accounts:otp_verify"))
    code = otp.current_code(otp.totp_device(demo_manager))
    assert f'value="{code}"' in verify.content.decode()
    response = client.post(reverse("accounts:otp_verify"), {"token": code, "next": "/menages/"})
    assert response["Location"] == "/menages/"


def test_code_not_filled_outside_demo_mode_or_for_a_real_device(otp_on, settings, client, demo_manager):
    client.post(reverse("login"), {"username": "manager", "password": DEMO_PASSWORD})
    settings.ZEL_DEMO_MODE = False
    code = otp.current_code(otp.totp_device(demo_manager))
    assert f'value="{code}"' not in client.get(reverse("accounts:otp_verify")).content.decode()
    settings.ZEL_DEMO_MODE = True
    device = otp.totp_device(demo_manager)
    device.key = "00" * 20
    device.save()
    assert 'name="token" value=' not in client.get(reverse("accounts:otp_verify")).content.decode()


def test_system_check_refuses_demo_mode_in_production(settings):
    settings.ZEL_DEMO_MODE = True
    settings.PRODUCTION = True
    assert "zel.E001" in [message.id for message in run_checks()]
    settings.PRODUCTION = False
    assert "zel.E001" not in [message.id for message in run_checks()]
