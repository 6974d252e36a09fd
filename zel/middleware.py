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
from django.http import FileResponse, HttpResponse, HttpResponseRedirect, QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

logger = logging.getLogger("zel.security")

LAST_SEEN = "zel_last_seen"
STARTED = "zel_session_started"


def stamp_activity(request) -> None:
    """Marks the session as active now."""
    session = getattr(request, "session", None)
    if session is not None:
        session[LAST_SEEN] = int(time.time())


def stamp_login(request) -> None:
    """At login: the session starts now (absolute lifetime) and is active (so that a fresh session
    needs no write on its first page)."""
    session = getattr(request, "session", None)
    if session is not None:
        now = int(time.time())
        session[LAST_SEEN] = now
        session[STARTED] = now


class IdleSessionMiddleware:
    """Logs out a session left idle longer than ZEL_SESSION_IDLE_SECONDS, and any session older than
    ZEL_SESSION_ABSOLUTE_SECONDS since its login, however active (a stolen or forgotten session cookie
    does not live for ever: the cookie's own expiry moves on with every session write).

    The activity stamp is rewritten at most every ZEL_SESSION_TOUCH_SECONDS, so most page views
    cost no session write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.get(STARTED)
            if started is None:
                request.session[STARTED] = now  # a session from before this rule: its clock starts now
            elif now - started > settings.ZEL_SESSION_ABSOLUTE_SECONDS:
                logout(request)
                hours = settings.ZEL_SESSION_ABSOLUTE_SECONDS // 3600
                messages.info(request, _("Votre session a atteint sa durée maximale de %(hours)d heures : "
                                         "reconnectez-vous.") % {"hours": hours})
                return redirect_to_login(request.get_full_path())
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


DATABASE_ERRORS = (OperationalError, InterfaceError)


def is_database_outage(exception: BaseException | None) -> bool:
    """True for a database that does not answer, also when another exception wraps it."""
    seen = 0
    while exception is not None and seen < 10:
        if isinstance(exception, DATABASE_ERRORS):
            return True
        exception = exception.__cause__ or exception.__context__
        seen += 1
    return False


def outage_response(request) -> HttpResponse:
    """The friendly 503 page. Rendered without the request: no context processor may touch the
    database again."""
    method = getattr(request, "method", "GET")
    logger.error("database unavailable during %s %s", method, getattr(request, "path", "?"))
    response = HttpResponse(render_to_string("errors/503.html", {"was_post": method == "POST"}), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    """A database that stops answering during a request gives a friendly 503 page (never a blank page,
    never a traceback): the user is told the input was not saved and that the back button keeps it.

    This hook sees the exceptions of views. A failure in a middleware (the session and the user are
    loaded there, on any request with a session cookie) or in an error page reaches the 500 handler
    instead, which answers the same 503 (zel.views.error_500). Services are atomic, so nothing of the
    request was half-written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        return outage_response(request)


# Control characters have no meaning in a search or a filter; NUL makes PostgreSQL refuse the query
# ("text fields cannot contain NUL"), which would answer a 500. Tab, CR and LF become spaces.
_CONTROL = {code: None for code in (*range(0x00, 0x20), 0x7F)} | {0x09: " ", 0x0A: " ", 0x0D: " "}


def clean_query_value(value: str) -> str:
    """The value without control characters (NUL and the like); tab and line breaks become spaces."""
    return value.translate(_CONTROL)


class QueryStringCleaningMiddleware:
    """Strips control characters from every GET parameter (names and values) before any view, filter
    or form reads them: one rule for every list, search and export, instead of one per field."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET
        if any(clean_query_value(key) != key or any(clean_query_value(v) != v for v in query.getlist(key))
               for key in query):
            cleaned = QueryDict(mutable=True)
            for key in query:
                cleaned.setlist(clean_query_value(key), [clean_query_value(v) for v in query.getlist(key)])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


class DownloadNoStoreMiddleware:
    """Every download (a file response, or any response sent as an attachment: act PDFs, reports,
    minutes, exports, documents) carries `Cache-Control: no-store, private`: no browser, proxy or
    shared computer keeps a copy of a household's papers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, FileResponse) or "attachment" in response.get("Content-Disposition", ""):
            response["Cache-Control"] = "no-store, private"
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
