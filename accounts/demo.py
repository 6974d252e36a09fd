"""Demo mode (settings.ZEL_DEMO_MODE, `make run`): one-click sign-in with the demo accounts.

Never active in production (settings.PRODUCTION, and the system check zel.E001 refuses the setting).
The login page posts the demo password of the account chosen to the ordinary login view (CSRF, axes
lockout and OTP middleware all apply); the second-factor page is filled with the current code of the
account's demo device — only a device holding the public demo key (accounts.otp.DEMO_TOTP_KEY).
"""

from django.conf import settings

from . import otp
from .models import User

# The password of every demo account (printed by seed_demo, offered on the login page in demo mode).
DEMO_PASSWORD = "zel-demo-2026"


def active() -> bool:
    return bool(getattr(settings, "ZEL_DEMO_MODE", False)) and not getattr(settings, "PRODUCTION", False)


def accounts() -> list[dict]:
    """The demo accounts to offer on the login page, in the order of settings.ZEL_DEMO_ACCOUNTS."""
    if not active():
        return []
    order = {name: index for index, name in enumerate(settings.ZEL_DEMO_ACCOUNTS)}
    users = (User.objects.filter(username__in=order, is_active=True)
             .select_related("organisation").prefetch_related("roles"))
    rows = [{"username": u.username, "name": u.get_full_name() or u.username,
             "roles": ", ".join(str(r) for r in u.roles.all()),
             "organisation": str(u.organisation) if u.organisation_id else "",
             "password": DEMO_PASSWORD} for u in users]
    return sorted(rows, key=lambda row: order[row["username"]])


def prefilled_code(user) -> str | None:
    """The current code of the user's demo device, in demo mode only; None otherwise."""
    if not active():
        return None
    device = otp.totp_device(user)
    if device is None or device.key != otp.DEMO_TOTP_KEY:
        return None
    return otp.current_code(device)
