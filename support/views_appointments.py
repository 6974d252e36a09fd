"""Appointments, the week view, the ICS feed, the figures and the SMS provider's webhook (issue 15)."""

import json
import secrets
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from households import access as household_access
from zel.lib.forms import apply_validation_error

from . import access, calendar_feed
from . import selectors_appointments as selectors
from . import services_appointments as services
from .forms_appointments import AppointmentForm, PeriodForm
from .models import Appointment


@require_http_methods(["GET", "POST"])
def appointment_new(request, pk: int):
    household = household_access.household_for(request.user, pk)
    if not access.can_plan_appointments(request.user, household):
        raise PermissionDenied
    form = AppointmentForm(request.POST or None, household=household,
                           initial={"workers": [request.user.pk], "place": Appointment.Place.HOME,
                                    "reminders_enabled": bool(services.consenting_channels(household))})
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.appointment_create(household=household, by=request.user,
                                                      workers=list(form.cleaned_data["workers"]),
                                                      **form.domain_data())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Le rendez-vous a été enregistré."))
            return redirect("support:appointment", pk=appointment.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "support/appointment_form.html", {"form": form, "household": household}, status=status)


def appointment_detail(request, pk: int):
    appointment = access.appointment_for(request.user, pk)
    can_write = access.can_plan_appointments(request.user, appointment.household)
    return render(request, "support/appointment_detail.html", {
        "appointment": appointment, "household": appointment.household,
        "workers": list(appointment.workers.all()),
        "reminders": list(appointment.reminders.order_by("due_at", "pk")),
        "can_write": can_write,
        "next_statuses": [(code, label) for code, label in Appointment.Status.choices
                          if appointment.can_become(code)] if can_write else [],
        "started": appointment.starts_at <= timezone.now(),
    })


@require_http_methods(["GET", "POST"])
def appointment_edit(request, pk: int):
    appointment = access.appointment_for(request.user, pk, write=True)
    household = appointment.household
    form = AppointmentForm(request.POST or None, household=household, initial=AppointmentForm.initial_for(appointment))
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_update(appointment=appointment, by=request.user, data=form.domain_data(),
                                        workers=list(form.cleaned_data["workers"]))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Le rendez-vous a été modifié."))
            return redirect("support:appointment", pk=appointment.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "support/appointment_form.html",
                  {"form": form, "household": household, "appointment": appointment}, status=status)


@require_POST
def appointment_status(request, pk: int):
    """One tap: confirmed, honoured (then the visit form, pre-filled), excused, no-show, cancelled."""
    appointment = access.appointment_for(request.user, pk, write=True)
    status = request.POST.get("status", "")
    try:
        services.appointment_set_status(appointment=appointment, by=request.user, status=status)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("support:appointment", pk=appointment.pk)
    if status == Appointment.Status.HONOURED:
        messages.success(request, _("Rendez-vous honoré : complétez le compte rendu de la visite."))
        query = urlencode({"menage": appointment.household_id, "rendez_vous": appointment.pk})
        return redirect(f"{reverse('support:visit_new')}?{query}")
    messages.success(request, _("Statut du rendez-vous : %(s)s.") % {"s": dict(Appointment.Status.choices)[status]})
    return redirect("support:appointment", pk=appointment.pk)


def _monday(value: str | None):
    try:
        day = parse_date(value or "") if value else None
    except ValueError:  # a well-formed but impossible date (31/02): the current week
        day = None
    day = day or timezone.localdate()
    return day - timedelta(days=day.weekday())


def agenda(request):
    """The week view: one list per day, readable on a 375 px phone."""
    if not access.can_use_calendar(request.user):
        raise PermissionDenied
    monday = _monday(request.GET.get("semaine"))
    token = calendar_feed.active_token(request.user)
    feed_url = request.build_absolute_uri(reverse("support:calendar_feed", args=[token.token])) if token else ""
    return render(request, "support/agenda.html", {
        "days": selectors.week_of(request.user, monday), "monday": monday, "today": timezone.localdate(),
        "previous": monday - timedelta(days=7), "next": monday + timedelta(days=7),
        "feed_url": feed_url, "failed": selectors.failed_reminders_for(request.user),
    })


@require_POST
def calendar_token(request):
    if not access.can_use_calendar(request.user):
        raise PermissionDenied
    if request.POST.get("action") == "revoke":
        calendar_feed.token_revoke(user=request.user)
        messages.success(request, _("Le lien d'abonnement est révoqué : il ne fonctionne plus."))
    else:
        calendar_feed.token_renew(user=request.user)
        messages.success(request, _("Nouveau lien d'abonnement créé ; l'ancien ne fonctionne plus."))
    return redirect("support:agenda")


@login_not_required
def calendar_feed_view(request, token: str):
    """The secret ICS feed, for calendar applications (no session: the token is the credential).
    An unknown or revoked token answers 404."""
    user = calendar_feed.user_of_token(token)
    if user is None or not access.can_use_calendar(user):
        raise Http404
    body = calendar_feed.build_ics(selectors.feed_appointments(user))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


def appointment_figures(request):
    if not access.can_view_appointment_figures(request.user):
        raise PermissionDenied
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    rows = selectors.rates_per_worker(request.user, start=start, end=end)
    return render(request, "support/appointment_figures.html",
                  {"rows": rows, "start": start, "end": end, "form": form})


@csrf_exempt
@login_not_required
@require_POST
def sms_webhook(request):
    """Delivery reports and replies from the SMS provider; the shared secret is in `?cle=`."""
    secret = settings.ZEL_SMS_WEBHOOK_SECRET
    if not secret or not secrets.compare_digest(request.GET.get("cle", ""), secret):
        return HttpResponseForbidden()
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"ok": False}, status=400)
    events = payload if isinstance(payload, list) else [payload]
    results = [services.sms_webhook(payload=event) for event in events if isinstance(event, dict)]
    return JsonResponse({"ok": True, "results": results})
