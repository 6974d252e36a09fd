"""System checks of the project's own settings."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=False)
def demo_mode_not_in_production(app_configs, **kwargs):
    """Demo mode shows the demo accounts on the login page and fills their second factor: a
    production server must never run it."""
    if getattr(settings, "ZEL_DEMO_MODE", False) and getattr(settings, "PRODUCTION", False):
        return [Error("ZEL_DEMO_MODE is on with ZEL_ENV=production.",
                      hint="Demo mode lists the demo accounts and fills their TOTP code: unset ZEL_DEMO_MODE.",
                      id="zel.E001")]
    return []
