"""Contacts and consent to reminders of a household (issue 15)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zel.lib.forms import apply_validation_error

from . import access, services
from .forms import ContactForm
from .models import Contact


@require_http_methods(["GET", "POST"])
def contacts(request, pk: int, contact_pk: int | None = None):
    """The household's phone numbers and e-mail addresses, with consent per channel; the form adds
    one, or edits `contact_pk`."""
    household = access.household_for(request.user, pk)
    can_edit = access.can_edit_household(request.user, household)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    instance = Contact(household=household)
    if contact_pk is not None:
        instance = get_object_or_404(Contact.objects.filter(household=household), pk=contact_pk)
    form = ContactForm(request.POST or None, instance=instance, household=household) if can_edit else None
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_save(contact=form.save(commit=False), by=request.user,
                                  sms_consent=form.cleaned_data["sms_consent"],
                                  email_consent=form.cleaned_data["email_consent"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Les coordonnées ont été enregistrées."))
            return redirect("households:contacts", pk=household.pk)
    rows = list(Contact.objects.filter(household=household).select_related("member", "sms_consent_by",
                                                                            "email_consent_by"))
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, "households/contacts.html", {
        "household": household, "contacts": rows, "form": form, "editing": contact_pk is not None,
        "can_edit": can_edit}, status=status)
