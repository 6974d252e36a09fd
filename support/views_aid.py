"""Pages of aid applications and the document vault (issue 14). Every object is fetched through
support.access (unseen: 404, seen but not allowed: 403); writes go through services_aid."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import AccessLog
from households import access as household_access
from zel.audit import log_access
from zel.lib.forms import apply_validation_error

from . import access, selectors_aid, services_aid
from .forms_aid import AidApplicationEditForm, AidApplicationForm, AidTransitionForm, DocumentForm
from .models_aid import Document


def _household(user, pk: int):
    household = household_access.household_for(user, pk)
    if not access.can_use_aid(user):
        raise PermissionDenied
    return household


def _writable(user, household) -> None:
    if not access.can_write_aid(user, household):
        raise PermissionDenied


# --- Aid applications ----------------------------------------------------------------------------

def aid_list(request, pk: int):
    household = _household(request.user, pk)
    return render(request, "support/aid_list.html", {
        "household": household, "applications": selectors_aid.household_applications(request.user, household),
        "can_write": access.can_write_aid(request.user, household),
    })


@require_http_methods(["GET", "POST"])
def aid_new(request, pk: int):
    household = _household(request.user, pk)
    _writable(request.user, household)
    form = AidApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services_aid.aid_application_create(
                household=household, by=request.user, kind=data["kind"],
                examining_body=data["examining_body"] or None, nature=data["nature"],
                amount_requested=data["amount_requested"], months_requested=data["months_requested"],
                commission_on=data["commission_on"], note=data["note"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Demande d'aide créée : à constituer."))
            return redirect("support:aid_detail", application.pk)
    return render(request, "support/aid_form.html", {"household": household, "form": form,
                                                     "kinds": aid_kind_table()})


def aid_kind_table() -> list[tuple[str, str, str]]:
    """Each kind with what it is measured in and its form (grant, loan), shown beside the form."""
    from . import aid_rules

    measures, natures = dict(aid_rules.Measure.choices), dict(aid_rules.Nature.choices)
    return [(label, measures[aid_rules.spec(kind).measure], natures[aid_rules.spec(kind).nature])
            for kind, label in aid_rules.AidKind.choices]


def aid_detail(request, pk: int, *, transition_form=None):
    application = access.aid_application_for(request.user, pk)
    selectors_aid.application_page(request.user, application)
    can_write = access.can_write_aid(request.user, application.household)
    if can_write and transition_form is None and application.allowed_next():
        transition_form = AidTransitionForm(application=application)
    return render(request, "support/aid_detail.html", {
        "application": application, "household": application.household, "can_write": can_write,
        "transition_form": transition_form if can_write else None,
    }, status=400 if transition_form is not None and transition_form.errors else 200)


@require_http_methods(["GET", "POST"])
def aid_edit(request, pk: int):
    application = access.aid_application_for(request.user, pk, write=True)
    initial = {f: getattr(application, f) for f in ("examining_body", "nature", "amount_requested",
                                                     "months_requested", "commission_on", "lodged_on",
                                                     "missing_papers", "note")}
    form = AidApplicationEditForm(request.POST or None, application=application, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_aid.aid_application_update(
                application=application, by=request.user, examining_body=data["examining_body"],
                nature=data.get("nature", ""), amount_requested=data.get("amount_requested"),
                months_requested=data.get("months_requested"), commission_on=data["commission_on"],
                lodged_on=data["lodged_on"], missing_papers=data["missing_papers"], note=data["note"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Demande d'aide modifiée."))
            return redirect("support:aid_detail", application.pk)
    return render(request, "support/aid_form.html", {"household": application.household, "form": form,
                                                     "application": application})


@require_POST
def aid_transition(request, pk: int):
    application = access.aid_application_for(request.user, pk, write=True)
    form = AidTransitionForm(request.POST, application=application)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services_aid.aid_application_transition(
                application=application, by=request.user, status=data["status"], on=data["on"],
                amount_granted=data.get("amount_granted"), months_granted=data.get("months_granted"),
                amount_paid=data.get("amount_paid"), reason=data["reason"], missing_papers=data["missing_papers"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Statut de la demande mis à jour."))
            return redirect("support:aid_detail", application.pk)
    return aid_detail(request, pk, transition_form=form)


# --- Document vault ------------------------------------------------------------------------------

def document_list(request, pk: int):
    household = _household(request.user, pk)
    query, kind = request.GET.get("q", ""), request.GET.get("type", "")
    return render(request, "support/document_list.html", {
        "household": household, "query": query, "kind": kind, "kinds": Document.Kind.choices,
        "documents": selectors_aid.household_documents(request.user, household, query=query, kind=kind),
        "can_add": access.can_add_document(request.user, household),
    })


@require_http_methods(["GET", "POST"])
def document_new(request, pk: int):
    household = _household(request.user, pk)
    if not access.can_add_document(request.user, household):
        raise PermissionDenied
    initial = {}
    if request.GET.get("demande", "").isdigit():
        initial["aid_applications"] = [int(request.GET["demande"])]
    form = DocumentForm(request.POST or None, request.FILES or None, user=request.user, household=household,
                        initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_aid.document_add(
                household=household, by=request.user, upload=data["file"], kind=data["kind"], title=data["title"],
                tags=data["tags"], valid_until=data["valid_until"], confidential=data.get("confidential", False),
                aid_applications=data["aid_applications"], procedures=data["procedures"], dsfs=data["dsfs"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Document enregistré."))
            return redirect("support:document_list", household.pk)
    return render(request, "support/document_form.html", {"household": household, "form": form},
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def document_edit(request, pk: int):
    document = access.document_for(request.user, pk, write=True)
    household = document.household
    initial = {"kind": document.kind, "title": document.title, "tags": document.tags,
               "valid_until": document.valid_until, "confidential": document.confidential,
               "aid_applications": list(document.aid_applications.all()),
               "procedures": list(document.procedures.all()), "dsfs": list(document.dsfs.all())}
    form = DocumentForm(request.POST or None, user=request.user, household=household, editing=True,
                        initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_aid.document_update(
                document=document, by=request.user, kind=data["kind"], title=data["title"], tags=data["tags"],
                valid_until=data["valid_until"], confidential=data.get("confidential", document.confidential),
                aid_applications=data["aid_applications"], procedures=data["procedures"], dsfs=data["dsfs"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Document modifié."))
            return redirect("support:document_list", household.pk)
    return render(request, "support/document_form.html", {"household": household, "form": form,
                                                          "document": document})


def document_download(request, pk: int):
    """The file, as an attachment that the browser never renders nor caches; each read logged."""
    document = access.document_for(request.user, pk)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    log_access(request, document, action=AccessLog.Action.DOWNLOAD, household_id=document.household_id)
    extension = document.file.name.rsplit(".", 1)[-1]
    stem = document.original_name.rsplit(".", 1)[0] or "document"
    response = FileResponse(handle, as_attachment=True, filename=f"{stem}.{extension}",
                            content_type=document.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response
