import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import AccessLog
from zel import idempotency, timeline
from zel.audit import log_access
from zel.lib.formats import format_percent
from zel.lib.pagination import ListCount, Ordering, base_query, count_rows, paginate
from zel.lib.text import spreadsheet_safe

from . import access, budget, selectors, services
from .figures import household_figures
from .filters import HouseholdFilter
from .forms import (
    AssignmentForm,
    HouseholdEditForm,
    HouseholdForm,
    LeaseForm,
    MemberFormSet,
    ReferralForm,
    ReferralIntakeForm,
    ResourceFormSet,
)
from .models import Household

EXPORT_COLUMNS = [
    (_("Référence"), lambda h: h.reference),
    (_("Nom"), lambda h: h.display_name),
    (_("Volet"), lambda h: h.get_track_display()),
    (_("Statut"), lambda h: h.get_status_display()),
    (_("Département"), lambda h: h.territory.code),
    (_("Intervenants"), lambda h: ", ".join(str(w) for w in h.assigned_workers.all())),
]


def _filtered(request):
    if not access.can_list_households(request.user):
        raise PermissionDenied
    return HouseholdFilter(request.GET or None, queryset=selectors.household_list(request.user),
                           user=request.user)


# Alphabetical, accents and case ignored; the pk makes the key unique (index household_sort_name).
HOUSEHOLD_ORDER = Ordering(("sort_name", "pk"))


def _territory_missing(request, filterset) -> bool:
    if not access.must_choose_territory(request.user):
        return False
    chosen = filterset.form.cleaned_data if filterset.is_valid() else {}
    return not (chosen.get("territory") or (chosen.get("q") or "").strip())


def household_list(request):
    filterset = _filtered(request)
    context = {
        "filter": filterset, "query": base_query(request.GET),
        "can_export": access.can_export_households(request.user),
        "can_create": access.can_create_household(request.user),
    }
    if _territory_missing(request, filterset):
        others = request.GET.copy()
        others.pop("territory", None)
        context.update(choose_territory=access.list_territories(request.user), query=base_query(others))
    else:
        count = count_rows(filterset.qs)
        context.update(page=paginate(request, filterset.qs, _order_for(filterset, count), per_page=25,
                                     salt="households", letter_key="sort_name"),
                       count=count)
    return render(request, "households/household_list.html", context)


def _order_for(filterset, count: ListCount) -> Ordering:
    """A search found few enough households to be counted exactly: sort those (a name fragment's
    matches sit in one stretch of the alphabet, which the index walk reaches only after reading
    every name before it). Beyond the cap the matches are dense and the walk meets a page soon."""
    searching = filterset.is_valid() and (filterset.form.cleaned_data.get("q") or "").strip()
    if searching and not (count.capped or count.estimated):
        return HOUSEHOLD_ORDER.without_index_walk()
    return HOUSEHOLD_ORDER


def household_export(request):
    if not access.can_export_households(request.user):
        raise PermissionDenied
    filterset = _filtered(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="menages-{stamp}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM.
    writer = csv.writer(response, delimiter=";")
    writer.writerow([str(label) for label, _getter in EXPORT_COLUMNS])
    count = 0
    for household in filterset.qs:
        writer.writerow([spreadsheet_safe(getter(household)) for _label, getter in EXPORT_COLUMNS])
        count += 1
    log_access(request, Household, action=AccessLog.Action.EXPORT, count=count)
    return response


def household_detail(request, pk: int):
    household = selectors.household_file(request.user, pk)
    log_access(request, household, household_id=household.pk)
    lease = household.current_lease()
    figures = household_figures(household)
    return render(request, "households/household_detail.html", {
        "household": household,
        "lease": lease,
        "fig": figures.budget,
        "debt": figures.debt,
        "frozen": list(household.frozen_figures.all()),
        "access_cap": format_percent(budget.ACCESS_CAP, 0),
        "relocation_threshold": format_percent(budget.RELOCATION_THRESHOLD, 0),
        "timeline": timeline.entries_for(request.user, household),
        "can_edit": access.can_edit_household(request.user, household),
        "can_assign": access.can_assign_workers(request.user, household),
        "can_history": access.can_view_change_history(request.user, household),
        "can_personal_data": access.can_manage_personal_data(request.user, household),
    })


def _household_forms(request, household=None):
    data = request.POST if request.method == "POST" else None
    instance = household or Household()
    lease = household.current_lease() if household else None
    return services.HouseholdForms(
        household=(HouseholdEditForm if household else HouseholdForm)(data, instance=instance, user=request.user,
                                                                     prefix="h"),
        members=MemberFormSet(data, instance=instance, prefix="m"),
        resources=ResourceFormSet(data, instance=instance, prefix="r"),
        lease=LeaseForm(data, instance=lease, prefix="l", use_required_attribute=False)
        if household is None or lease is not None else None,
    )


def _forms_valid(forms: services.HouseholdForms, *, lease_optional: bool) -> bool:
    valid = all([forms.household.is_valid(), forms.members.is_valid(), forms.resources.is_valid()])
    if forms.lease is not None and (forms.lease.has_changed() or not lease_optional):
        valid = forms.lease.is_valid() and valid
    return valid


@require_http_methods(["GET", "POST"])
def household_create(request):
    if not access.can_create_household(request.user):
        raise PermissionDenied
    if request.method == "POST" and (done := idempotency.previous_result(request, scope="households:create")):
        return idempotency.answer_repeat(request, done)
    forms = _household_forms(request)
    if request.method == "POST" and _forms_valid(forms, lease_optional=True):
        def create():
            created = services.household_create(by=request.user, forms=forms)
            return created, reverse("households:detail", args=[created.pk])

        household, url = idempotency.run_once(request, scope="households:create", create=create)
        if household is None:
            return idempotency.answer_repeat(request, url)
        messages.success(request, _("Le ménage %(ref)s a été créé.") % {"ref": household.reference})
        return redirect(url)
    return render(request, "households/household_form.html", {"forms": forms, "creating": True})


@require_http_methods(["GET", "POST"])
def household_edit(request, pk: int):
    household = selectors.household_file(request.user, pk, write=True)
    forms = _household_forms(request, household)
    conflict = None
    if request.method == "POST" and _forms_valid(forms, lease_optional=False):
        try:
            services.household_update(by=request.user, forms=forms,
                                      expected_version=forms.household.cleaned_data["version"])
        except services.StaleEdit as stale:
            conflict = stale.current
        else:
            messages.success(request, _("Les modifications ont été enregistrées."))
            return redirect("households:detail", pk=household.pk)
    return render(request, "households/household_form.html",
                  {"forms": forms, "household": household, "conflict": conflict, "creating": False})


@require_http_methods(["GET", "POST"])
def referral_intake(request):
    """A new referral: warns of a likely duplicate and offers to attach it to that household."""
    if not access.can_create_household(request.user):
        raise PermissionDenied
    if request.method == "POST" and (done := idempotency.previous_result(request, scope="households:referral_intake")):
        return idempotency.answer_repeat(request, done)
    form = ReferralIntakeForm(request.POST or None, user=request.user)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = list(selectors.likely_duplicates(
            request.user, last_name=data["last_name"], first_name=data["first_name"],
            birth_year=data["birth_year"]))
        if not duplicates or request.POST.get("confirm_new") == "1":
            def create():
                created = services.referral_intake_record(by=request.user, **data)
                return created, reverse("households:detail", args=[created.pk])

            household, url = idempotency.run_once(request, scope="households:referral_intake", create=create)
            if household is None:
                return idempotency.answer_repeat(request, url)
            messages.success(request, _("Orientation enregistrée : ménage %(ref)s.") % {"ref": household.reference})
            return redirect(url)
    return render(request, "households/referral_intake.html", {"form": form, "duplicates": duplicates})


@require_http_methods(["GET", "POST"])
def referral_add(request, pk: int):
    """Attach a new referral to an existing household (the answer to a duplicate warning)."""
    household = selectors.household_file(request.user, pk, write=True)
    if request.method == "POST" and (done := idempotency.previous_result(request, scope="households:referral_add")):
        return idempotency.answer_repeat(request, done)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        def create():
            referral = services.referral_record(by=request.user, household=household, track=household.track,
                                                **form.cleaned_data)
            return referral, reverse("households:detail", args=[household.pk])

        referral, url = idempotency.run_once(request, scope="households:referral_add", create=create)
        if referral is None:
            return idempotency.answer_repeat(request, url)
        messages.success(request, _("L'orientation a été rattachée au ménage."))
        return redirect(url)
    return render(request, "households/referral_form.html", {"form": form, "household": household})


@require_http_methods(["GET", "POST"])
def household_assign(request, pk: int):
    household = selectors.household_file(request.user, pk)
    if not access.can_assign_workers(request.user, household):
        raise PermissionDenied
    form = AssignmentForm(request.POST or None, user=request.user,
                          initial={"workers": list(household.assigned_workers.all())})
    if request.method == "POST" and form.is_valid():
        services.household_assign_workers(household=household, by=request.user,
                                          workers=form.cleaned_data["workers"])
        messages.success(request, _("Les intervenants ont été mis à jour."))
        return redirect("households:detail", pk=household.pk)
    return render(request, "households/assign_form.html", {"form": form, "household": household})


def household_history(request, pk: int):
    household = selectors.household_file(request.user, pk)
    if not access.can_view_change_history(request.user, household):
        raise PermissionDenied
    changes = selectors.change_history(household)
    return render(request, "households/household_history.html", {"household": household, "changes": changes})
