"""Two-factor authentication (TOTP with backup codes, django-otp): who needs it, enrolment, demo devices.

A verified session is one where `django_otp.login()` recorded the device that checked the code; the
OTPMiddleware makes `request.user.is_verified()` answer that. zel.middleware.OTPRequiredMiddleware
sends the users of the roles in `ZEL_OTP_REQUIRED_ROLES` (and staff) to the verification page, or to
enrolment when they have no device yet.
"""

from __future__ import annotations

import base64
import time
from base64 import b32encode

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

BACKUP_CODES = 10
DEVICE_NAME = "Application d'authentification"
BACKUP_NAME = "Codes de secours"
# RFC 6238's test key ("12345678901234567890"): the demo accounts share it so that `make run` can be
# tried with any authenticator app or with `manage.py demo_totp <username>`. Demo data only.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"


# Set at login: whether the user had a device then, so that pages need no device query to know.
ENROLLED_SESSION_KEY = "zel_otp_enrolled"


def role_requires_otp(user) -> bool:
    return bool(user and user.is_authenticated) and (
        user.is_staff or user.has_role(*settings.ZEL_OTP_REQUIRED_ROLES))


def otp_required(user) -> bool:
    """Must this user have a device (setting-driven): the roles of ZEL_OTP_REQUIRED_ROLES and staff."""
    return settings.ZEL_OTP_ENFORCED and role_requires_otp(user)


def verification_needed(request) -> bool:
    """Must this session verify a second factor before using ZEL? Required roles always; any other
    user who enrolled by choice too (otherwise the device would protect nothing)."""
    user = request.user
    if not settings.ZEL_OTP_ENFORCED or not user.is_authenticated or is_verified(user):
        return False
    return otp_required(user) or bool(request.session.get(ENROLLED_SESSION_KEY))


def remember_enrolment(request, user) -> None:
    request.session[ENROLLED_SESSION_KEY] = has_device(user)


def is_verified(user) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def has_device(user) -> bool:
    return django_otp.user_has_device(user, confirmed=True)


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device of an enrolment in progress (kept across page reloads, so that the
    QR code the user already scanned stays valid until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_base32(device: TOTPDevice) -> str:
    """The key as authenticator apps want it typed, in groups of four."""
    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG QR code in a data: URI: rendered here, nothing sent elsewhere."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def _new_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


@transaction.atomic
def totp_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirms the enrolment if the code is right: returns the new backup codes (shown once), or None."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not device.verify_token(token.strip().replace(" ", "")):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return _new_backup_codes(user)


@transaction.atomic
def backup_codes_renew(*, user: User) -> list[str]:
    return _new_backup_codes(user)


def verify(user: User, token: str):
    """The device (TOTP or backup code) that accepts this code, or None. Each device throttles its
    own failures (django-otp doubles the waiting time after each wrong code)."""
    token = (token or "").strip().replace(" ", "")
    if not token:
        return None
    return django_otp.match_token(user, token)


@transaction.atomic
def otp_disable(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# ---------------------------------------------------------------------------------------------
# Demo
# ---------------------------------------------------------------------------------------------

def demo_devices(users) -> list[str]:
    """Confirmed TOTP devices with the demo key for the demo users who must use two factors.

    Called at the end of households.demo.seed(); returns the usernames that got a device."""
    required = set(settings.ZEL_OTP_REQUIRED_ROLES)
    enrolled = []
    for user in users:
        if user.is_staff or user.role_codes & required:
            TOTPDevice.objects.filter(user=user).delete()
            TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=DEMO_TOTP_KEY, confirmed=True)
            enrolled.append(user.username)
    return enrolled


def demo_devices_for_the_rest() -> list[str]:
    """After every app seeded its demo users: give the demo key to those of the required roles who
    have no device yet (e.g. a COPIL chair created by the COPIL demo). Demo data only."""
    users = (User.objects.filter(is_active=True, totpdevice__isnull=True)
             .filter(Q(is_staff=True) | Q(roles__code__in=settings.ZEL_OTP_REQUIRED_ROLES))
             .distinct().prefetch_related("roles"))
    return demo_devices(list(users))


def current_code(device: TOTPDevice, *, at: float | None = None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def required_message() -> str:
    return _("Votre rôle impose la double authentification : saisissez le code de votre application.")
