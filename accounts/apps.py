from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Comptes et organisations")
    default = True

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_on_login, dispatch_uid="zel_on_login")


def _on_login(sender, request, user, **kwargs):
    """A fresh session starts active, and remembers whether its user enrolled a second factor."""
    from zel.middleware import stamp_login

    from . import otp

    if request is None or getattr(request, "session", None) is None:
        return
    stamp_login(request)
    otp.remember_enrolment(request, user)


class ZelAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with ZEL's admin site (second factor required for staff)."""

    default = False
    default_site = "accounts.admin_site.ZelAdminSite"
