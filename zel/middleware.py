"""Cross-cutting request guards: idle sessions, required second factor, database outages."""

from __future__ import annotations

import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

logger = logging.getLogger("zel.security")

LAST_SEEN = "zel_last_seen"


def stamp_activity(request) -> None:
    """Marks the session as active now (also called at login, so that a fresh session needs no write
    on its first page)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[LAST_SEEN] = int(time.time())


class IdleSessionMiddleware:
    """Logs out a session left idle longer than ZEL_SESSION_IDLE_SECONDS.

    The activity stamp is rewritten at most every ZEL_SESSION_TOUCH_SECONDS, so most page views
    cost no session write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            if last is not None and now - last > settings.ZEL_SESSION_IDLE_SECONDS:
                logout(request)
                messages.info(request, _("Votre session a expiré après %(minutes)d minutes d'inactivité : "
                                         "reconnectez-vous.") % {"minutes": settings.ZEL_SESSION_IDLE_SECONDS // 60})
                return redirect_to_login(request.get_full_path())
            if last is None or now - last >= settings.ZEL_SESSION_TOUCH_SECONDS:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


# Pages an unverified user of a role that requires two factors may still open.
OTP_OPEN_URL_NAMES = {"logout", "set_language", "javascript-catalog"}


class OTPRequiredMiddleware:
    """Managers, COPIL members, funders, administrators (ZEL_OTP_REQUIRED_ROLES) and staff must have
    verified a second factor in this session, and so must anybody who enrolled by choice: otherwise
    every page sends them to the verification page, or to enrolment if they have no device yet.
    Pages open without login stay open."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from accounts import otp

        if getattr(view_func, "otp_exempt", False) or getattr(view_func, "login_required", True) is False:
            return None
        match = request.resolver_match
        if match is not None and match.url_name in OTP_OPEN_URL_NAMES:
            return None
        if not otp.verification_needed(request):
            return None
        target = "accounts:otp_verify" if otp.has_device(request.user) else "accounts:otp_setup"
        next_url = request.get_full_path() if request.method == "GET" else reverse("home")
        return HttpResponseRedirect(f"{reverse(target)}?{urlencode({'next': next_url})}")


class DatabaseOutageMiddleware:
    """A database that stops answering during a request gives a friendly 503 page (never a blank page,
    never a traceback): the user is told the input was not saved and that the back button keeps it.

    Services are atomic, so nothing of the request was half-written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.exception("database unavailable during %s %s", request.method, request.path)
        # Rendered without the request: no context processor may touch the database again.
        response = HttpResponse(render_to_string("errors/503.html", {"was_post": request.method == "POST"}),
                                status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response


class AdminCSPMiddleware:
    """The admin site under the Content-Security-Policy: on /admin/ only, inline styles are allowed
    ('unsafe-inline' in style-src: CSS cannot run code, and third-party admin widgets set style
    attributes), and inline scripts only by the pinned hashes of ZEL_ADMIN_SCRIPT_HASHES (the known
    inline script of django-celery-beat's periodic-task form), never 'unsafe-inline' for scripts: an
    injected script block stays blocked on the most privileged pages. The rest of the site keeps the
    strict policy. Placed after csp.middleware.CSPMiddleware so that its response pass runs first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            update = dict(getattr(response, "_csp_update", None) or {})
            update["style-src"] = [*update.get("style-src", []), "'unsafe-inline'"]
            hashes = [f"'{h}'" for h in settings.ZEL_ADMIN_SCRIPT_HASHES]
            if hashes:
                update["script-src"] = [*update.get("script-src", []), *hashes]
            response._csp_update = update
        return response
