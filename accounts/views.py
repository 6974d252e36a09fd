import logging

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import PasswordResetView
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from zel.audit import client_ip

from . import otp
from .forms import OTPConfirmForm, OTPTokenForm

logger = logging.getLogger("zel.security")


def otp_exempt(view):
    """Reachable by a user who still has to verify their second factor (zel.middleware)."""
    view.otp_exempt = True
    return view


@otp_exempt
def profile(request):
    user = request.user
    return render(request, "accounts/profile.html", {
        "otp_device": otp.totp_device(user),
        "otp_required": user.is_staff or user.has_role(*settings.ZEL_OTP_REQUIRED_ROLES),
        "otp_verified": otp.is_verified(user),
        "backup_codes_left": otp.backup_codes_left(user),
    })


# ---------------------------------------------------------------------------------------------
# Two-factor authentication
# ---------------------------------------------------------------------------------------------

def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return candidate
    return settings.LOGIN_REDIRECT_URL


@otp_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """Second step of the login: the code of the authenticator app, or one backup code."""
    if otp.is_verified(request.user):
        return redirect(_next_url(request))
    if not otp.has_device(request.user):
        return redirect(f"{reverse('accounts:otp_setup')}?{request.GET.urlencode()}")
    from . import demo

    code = demo.prefilled_code(request.user) if request.method == "GET" else None
    form = OTPTokenForm(request.POST or None, initial={"token": code} if code else None)
    if request.method == "POST" and form.is_valid():
        device = otp.verify(request.user, form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _("Code incorrect ou expiré. Après plusieurs erreurs, patientez quelques "
                                  "secondes avant de réessayer."))
    return render(request, "accounts/otp_verify.html", {
        "form": form, "next": _next_url(request), "required": otp.otp_required(request.user),
        "demo_code": bool(code)})


@otp_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Enrolment: scan the QR code (or type the key), confirm with one code, keep the backup codes."""
    if otp.totp_device(request.user) is not None and otp.otp_required(request.user) \
            and not otp.is_verified(request.user):
        # A user who already has a device proves it before replacing it.
        return redirect("accounts:otp_verify")
    device = otp.pending_device(request.user)
    form = OTPConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = otp.totp_confirm(user=request.user, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            device.refresh_from_db()
            django_otp.login(request, device)
            messages.success(request, _("La double authentification est activée."))
            return render(request, "accounts/otp_backup_codes.html", {"codes": codes, "next": _next_url(request)})
        form.add_error("token", _("Ce code ne correspond pas. Vérifiez l'heure de votre téléphone, patientez "
                                  "quelques secondes et saisissez le code affiché maintenant."))
    return render(request, "accounts/otp_setup.html", {
        "form": form, "qr": otp.qr_data_uri(device), "secret": otp.secret_base32(device),
        "next": _next_url(request), "required": otp.otp_required(request.user)})


@otp_exempt
@never_cache
@require_POST
def otp_disable(request):
    """Turning two factors off needs a current code: a stolen open session cannot do it."""
    form = OTPTokenForm(request.POST)
    if form.is_valid() and otp.verify(request.user, form.cleaned_data["token"]) is not None:
        otp.otp_disable(user=request.user)
        messages.success(request, _("La double authentification est désactivée."))
        if otp.otp_required(request.user):
            messages.warning(request, _("Votre rôle l'impose : enregistrez un nouvel appareil."))
            return redirect("accounts:otp_setup")
    else:
        messages.error(request, _("Code incorrect : la double authentification reste active."))
    return redirect("accounts:profile")


@never_cache
@require_POST
def otp_backup_codes(request):
    """New backup codes (the old ones stop working); needs a session verified with two factors."""
    if not otp.is_verified(request.user):
        raise PermissionDenied
    codes = otp.backup_codes_renew(user=request.user)
    return render(request, "accounts/otp_backup_codes.html", {"codes": codes, "next": reverse("accounts:profile")})


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------

def locked_out(request, original_response=None, credentials=None):
    """django-axes lockout page (HTTP 429), in French, naming neither the account nor its state."""
    cooloff = settings.AXES_COOLOFF_TIME
    return render(request, "registration/locked_out.html", {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(cooloff.total_seconds() // 60) if cooloff else None,
    }, status=429)


def csrf_failure(request, reason=""):
    """An expired or missing CSRF token: a French page that reveals nothing (Django's default page
    explains the mechanism in English and uses an inline style the CSP would block)."""
    return HttpResponseForbidden(render_to_string("errors/csrf.html", request=request))


# ---------------------------------------------------------------------------------------------
# Password reset, rate limited (issue 17)
# ---------------------------------------------------------------------------------------------

class RateLimitedPasswordResetView(PasswordResetView):
    """Django's password reset, limited per address (ZEL_PASSWORD_RESET_RATE_ADDRESS) and per client
    (ZEL_PASSWORD_RESET_RATE_CLIENT, the address from zel.audit.client_ip): nobody floods a colleague's
    mailbox or the outgoing mail server. The refusal says the same for any address, known or not."""

    def form_valid(self, form):
        from django_ratelimit.core import is_ratelimited

        email = form.cleaned_data["email"].strip().casefold()
        limits = [("zel-password-reset-address", lambda _group, _request: email,
                   settings.ZEL_PASSWORD_RESET_RATE_ADDRESS),
                  ("zel-password-reset-client", lambda _group, request: client_ip(request) or "unknown",
                   settings.ZEL_PASSWORD_RESET_RATE_CLIENT)]
        limited = [is_ratelimited(self.request, group=group, key=key, rate=rate,
                                  increment=True) for group, key, rate in limits]
        if any(limited):
            logger.warning("password reset refused: rate limit (%s)", "address" if limited[0] else "client")
            form.add_error(None, _("Trop de demandes de réinitialisation du mot de passe : aucun courriel n'a "
                                   "été envoyé. Réessayez dans une heure."))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)
