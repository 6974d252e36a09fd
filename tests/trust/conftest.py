"""Trust tests switch the second-factor requirement back on (tests/conftest.py turns it off for the
apps' tests) and give helpers to enrol a device and verify a session."""

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import otp


@pytest.fixture
def otp_on(settings):
    settings.ZEL_OTP_ENFORCED = True
    return settings


def enrol(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def code(device: TOTPDevice, offset_steps: int = 0) -> str:
    import time

    return otp.current_code(device, at=time.time() + offset_steps * device.step)


def verify_session(client, device) -> None:
    """What django_otp.login() leaves in the session after a right code."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
