"""Offline capture of visits (issue 19): the installable app, the offline page, the caseload a phone
keeps, the endpoint that receives queued visits, and the review of the visits held back.

What a phone keeps is the least possible: the offline page itself (no household in it), and the
references and names of the worker's own open households (`offline_caseload`), never health,
psychologist, debt or procedure data. static/js/offline.js keeps the queue and sends it.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from households import access as household_access
from zel import idempotency
from zel.lib.forms import apply_validation_error

from . import access, services_offline
from .forms import OfflineVisitForm, OfflineVisitResolveForm
from .models import Intervention, OfflineVisit

SCOPE = "support:visit_new"  # the online form's scope: a form sent offline, then online, makes one visit
# What the service worker keeps so that the offline page opens without a connection.
SHELL_ASSETS = ("vendor/bootstrap/bootstrap.min.css", "css/zel.css", "css/support.css", "favicon.svg",
                "vendor/bootstrap/bootstrap.bundle.min.js", "js/zel.js", "js/offline.js")
NO_STORE = "no-store, private"


def _json(payload: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = NO_STORE
    return response


@require_GET
def offline_page(request):
    """The page the service worker keeps: the visit form and the caseload, both filled on the phone."""
    if not access.can_log_visits(request.user):
        raise PermissionDenied
    response = render(request, "support/offline.html", {"form": OfflineVisitForm(households=[])})
    response["Cache-Control"] = "no-cache, private"
    return response


@require_GET
def offline_caseload(request):
    """The phone's copy of the caseload: reference and name of the worker's open households."""
    if not access.can_log_visits(request.user):
        return _json({"error": _("Seuls les intervenants saisissent des visites.")}, status=403)
    rows = (access.offline_caseload(request.user).order_by("last_name", "first_name", "pk")
            .only("pk", "reference", "last_name", "first_name"))
    return _json({
        "user": request.user.pk, "csrf": get_token(request),
        "households": [{"id": h.pk, "reference": h.reference or "", "name": h.display_name} for h in rows],
    })


def _form_data(body: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in body.items():
        if isinstance(value, list):
            data.setlist(name, [str(item) for item in value])
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    return data


def _parse(request) -> tuple[dict, uuid.UUID] | None:
    try:
        body = json.loads(request.body or b"{}")
        return body, uuid.UUID(str(body.get(idempotency.FIELD, "")))
    except (ValueError, AttributeError, TypeError):
        return None


def _answer(obj, url: str) -> JsonResponse:
    if isinstance(obj, OfflineVisit):
        return _json({"status": "to_check", "url": url, "reason": obj.get_reason_display(),
                      "detail": obj.reason_detail}, status=202)
    return _json({"status": "saved", "url": url}, status=201)


def _repeat(request, key: uuid.UUID) -> JsonResponse:
    """A resend (the first answer was lost): what the first one made, said the same way."""
    claim = idempotency.previous_claim(request, scope=SCOPE, key=key)
    assert claim is not None
    if claim.object_type == OfflineVisit._meta.label_lower:
        review = access.visible_offline_visits(request.user).filter(pk=claim.object_id).first()
        if review is not None:
            return _answer(review, claim.result_url)
    return _json({"status": "saved", "url": claim.result_url, "repeat": True})


@require_POST
def offline_sync(request):
    """One queued visit, sent by static/js/offline.js with the key drawn when it was captured."""
    if not access.can_log_visits(request.user):
        return _json({"error": _("Seuls les intervenants saisissent des visites.")}, status=403)
    parsed = _parse(request)
    if parsed is None:
        return _json({"status": "invalid", "errors": {"__all__": [_("Envoi illisible : la visite reste sur le "
                                                                    "téléphone.")]}}, status=400)
    body, key = parsed
    if idempotency.previous_result(request, scope=SCOPE, key=key):
        return _repeat(request, key)
    household_id = str(body.get("household", ""))
    household = (household_access.once_assigned_household(request.user, int(household_id))
                 if household_id.isdigit() else None)
    label = str(body.get("household_label", ""))[:200]
    form = OfflineVisitForm(_form_data(body))
    # The household is checked by the service (closed, handed over, erased), not refused as a choice.
    form.fields["household"].choices = [("", "—"), (household_id, label)] if household_id.isdigit() else []
    if not form.is_valid():
        return _json({"status": "invalid", "errors": form.errors.get_json_data()}, status=400)

    def create():
        obj = services_offline.offline_visit_receive(by=request.user, household=household, household_label=label,
                                                     data=form.cleaned_data,
                                                     captured_at=parse_datetime(str(body.get("captured_at", ""))))
        name = "support:visit" if isinstance(obj, Intervention) else "support:offline_review"
        return obj, reverse(name, args=[obj.pk])

    try:
        obj, url = idempotency.run_once(request, scope=SCOPE, create=create, key=key)
    except ValidationError as error:
        apply_validation_error(form, error)
        return _json({"status": "invalid", "errors": form.errors.get_json_data()}, status=400)
    return _repeat(request, key) if obj is None else _answer(obj, url)


# --- Review of the visits held back -----------------------------------------------------------------

@require_GET
def offline_review_list(request):
    reviews = access.visible_offline_visits(request.user)
    if not (access.can_log_visits(request.user) or household_access.can_list_households(request.user)):
        raise PermissionDenied
    open_only = request.GET.get("toutes") != "1"
    if open_only:
        reviews = reviews.filter(status=OfflineVisit.Status.TO_CHECK)
    page = Paginator(reviews.select_related("author", "household"), 25).get_page(request.GET.get("page"))
    return render(request, "support/offline_review_list.html", {"page": page, "open_only": open_only})


@require_http_methods(["GET", "POST"])
def offline_review(request, pk: int):
    review = access.offline_visit_for(request.user, pk)
    can_record = access.can_decide_offline_visit(request.user, review)
    can_dismiss = access.can_dismiss_offline_visit(request.user, review)
    form = OfflineVisitResolveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("record", "dismiss") and (can_record or can_dismiss):
            form.add_error(None, _("Choisissez d’enregistrer ou d’écarter la visite."))
        elif not ((action == "record" and can_record) or (action == "dismiss" and can_dismiss)):
            raise PermissionDenied
        if form.is_valid():
            try:
                if action == "record":
                    visit = services_offline.offline_visit_record(review=review, by=request.user,
                                                                  note=form.cleaned_data["note"])
                    messages.success(request, _("Visite enregistrée au nom de %(name)s.")
                                     % {"name": review.author.get_full_name() or review.author.username})
                    return redirect("support:visit", visit.pk)
                services_offline.offline_visit_dismiss(review=review, by=request.user, note=form.cleaned_data["note"])
                messages.success(request, _("Visite écartée : elle reste consultable dans cette liste."))
                return redirect("support:offline_review", review.pk)
            except ValidationError as error:
                apply_validation_error(form, error)
    return render(request, "support/offline_review.html", {
        "review": review, "form": form, "can_record": can_record, "can_dismiss": can_dismiss,
        "payload": _payload_rows(review.payload),
    }, status=400 if form.errors else 200)


def _payload_rows(payload: dict) -> list[tuple[str, str]]:
    """The visit as the worker typed it, labelled with the form's own labels."""
    form = OfflineVisitForm()
    rows = []
    for name in services_offline.PAYLOAD_FIELDS:
        value = payload.get(name)
        if value in (None, "", [], False):
            continue
        field = form.fields[name]
        choices = dict(getattr(field, "choices", ()) or ())
        if isinstance(value, list):
            shown = ", ".join(str(choices.get(item, item)) for item in value)
        elif isinstance(value, bool):
            shown = _("oui")
        elif name in ("occurred_on", "action_due"):
            shown = "/".join(reversed(str(value).split("-")))
        else:
            shown = str(choices.get(value, value))
        rows.append((str(field.label), shown))
    return rows


# --- The installable app: manifest and service worker ----------------------------------------------

@lru_cache(maxsize=1)
def _version() -> str:
    """Changes whenever the offline page's template or a file it needs changes: a new cache then."""
    digest = hashlib.sha256()
    templates = Path(settings.BASE_DIR) / "templates"
    for path in [templates / "support" / "offline.html", templates / "support" / "_visit_core_fields.html",
                 templates / "support" / "sw.js",
                 templates / "base.html"]:
        digest.update(path.read_bytes())
    for asset in SHELL_ASSETS:
        found = finders.find(asset)
        if found:
            digest.update(Path(found).read_bytes())
    return digest.hexdigest()[:12]


@login_not_required
@require_GET
def service_worker(request):
    """Served from the site's root so that it may answer for every page (its scope is "/")."""
    config = {"version": _version(), "shell": reverse("support:offline"),
              "assets": [static(asset) for asset in SHELL_ASSETS]}
    response = render(request, "support/sw.js", {
        "config": json.dumps(config).replace("<", "\\u003c"),
    }, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@login_not_required
@require_GET
def manifest(request):
    payload = {
        "name": _("ZEL – Zéro Expulsion Locative"), "short_name": "ZEL", "lang": "fr", "dir": "ltr",
        "start_url": reverse("home"), "scope": "/", "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#1f4e79",
        "description": _("Suivi des ménages du programme Zéro Expulsion Locative."),
        "icons": [
            {"src": static("icons/zel-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/zel-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("icons/zel-maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
    }
    response = HttpResponse(json.dumps(payload, ensure_ascii=False), content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response
