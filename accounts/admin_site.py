"""The admin site, which requires a verified second factor from staff (like OTPAdminSite, but with
ZEL's own login and verification pages and the ZEL_OTP_ENFORCED switch)."""

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _

from . import otp


class ZelAdminSite(admin.AdminSite):
    site_header = _("Administration de ZEL")
    site_title = _("ZEL")
    index_title = _("Administration")

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return not otp.otp_required(request.user) or otp.is_verified(request.user)

    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        """One login page for the whole application, then the second factor."""
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        if request.user.is_authenticated and request.user.is_active and request.user.is_staff:
            target = "accounts:otp_verify" if otp.has_device(request.user) else "accounts:otp_setup"
            return HttpResponseRedirect(f"{reverse(target)}?{urlencode({'next': next_url})}")
        return redirect_to_login(next_url)
