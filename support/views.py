import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import AccessLog
from households import access as household_access
from households.models import Household
from households.selectors import household_file
from zel import dashboard as zel_dashboard
from zel import idempotency
from zel.audit import log_access
from zel.lib.forms import apply_validation_error
from zel.lib.pagination import Ordering, paginate
from zel.lib.text import normalize, spreadsheet_cell

from . import access, selectors, selectors_appointments, services
from . import visit_appointments as appointment_views
from .forms import (
    AddendumForm,
    ChargeFormSet,
    DebtFormSet,
    DiagnosisEditForm,
    DiagnosisForm,
    EpisodeCloseForm,
    EpisodeOpenForm,
    HandoverForm,
    PlanGoalForm,
    PsychologistNoteForm,
    VisitEditForm,
    VisitForm,
)
from .models import Intervention, PsychologistNote


def _require_caseload(user) -> None:
    if not access.can_use_caseload(user):
        raise PermissionDenied


def _writable(user, household) -> None:
    if not access.can_write_support(user, household):
        raise PermissionDenied


# --- Dashboard ------------------------------------------------------------------------------------

def dashboard(request):
    _require_caseload(request.user)
    today = timezone.localdate()
    load = selectors.caseload(request.user, request, today=today)
    return render(request, "support/dashboard.html", {
        "load": load, "page": load.page, "today": today, "query": "",
        "next_actions": selectors.upcoming_goals(request.user, today=today),
        "panels": zel_dashboard.panels_for(request.user),
        "can_log_visit": access.can_log_visits(request.user),
        "can_hand_over": access.can_hand_over(request.user),
    })


# --- The support file of a household -------------------------------------------------------------

def household_support(request, pk: int):
    _require_caseload(request.user)
    household = household_file(request.user, pk)
    user = request.user
    episodes = list(access.visible_episodes(user).filter(household=household)
                    .select_related("opened_by", "closed_by"))
    goals = selectors.plan_of(household)
    today = timezone.localdate()
    for goal in goals:
        goal.overdue = goal.is_overdue(today)
    visits = Paginator(selectors.visits_of(user, household), 20).get_page(request.GET.get("page"))
    notes = list(selectors.psychologist_notes_of(user, household)[:50])
    if notes:
        log_access(request, PsychologistNote, household_id=household.pk, count=len(notes))
    return render(request, "support/household.html", {
        "household": household, "episodes": episodes,
        "open_episode": next((e for e in episodes if e.is_open), None),
        "diagnoses": list(access.visible_diagnoses(user).filter(household=household)
                          .only("pk", "kind", "done_on", "household_id")),
        "goals": goals, "visits": visits, "page": visits, "query": "", "notes": notes,
        "appointments": selectors_appointments.appointments_of(user, household),
        "can_write": access.can_write_support(user, household),
        "can_manage_episodes": access.can_manage_episodes(user, household),
        "can_write_note": access.can_write_psychologist_note(user, household),
        "is_psychologist": access.can_read_psychologist_notes(user),
        "can_export_notes": access.can_export_psychologist_notes(user, household),
        "can_export_health": access.can_export_health(user, household),
        "psy_dates": (list(PsychologistNote.objects.filter(household=household).values_list("occurred_on", flat=True)
                           [:20]) if not access.can_read_psychologist_notes(user) else []),
    })


# --- Diagnosis ------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def diagnosis_new(request, pk: int):
    household = household_access.household_for(request.user, pk)
    _writable(request.user, household)
    latest = selectors.diagnoses_of(request.user, household)[:1]
    # A new diagnosis starts from the previous one, which stays as it was.
    initial = {}
    if latest:
        previous = latest[0]
        initial = {f: getattr(previous, f) for f in DiagnosisForm.Meta.fields if f != "done_on"}
    if request.method == "POST" and (done := idempotency.previous_result(request, scope="support:diagnosis_new")):
        return idempotency.answer_repeat(request, done)
    form = DiagnosisForm(request.POST or None, household=household, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        def create():
            created = services.diagnosis_create(household=household, by=request.user, data=form.domain_data(),
                                                authors=form.cleaned_data["authors"])
            return created, reverse("support:diagnosis", args=[created.pk])

        try:
            diagnosis, url = idempotency.run_once(request, scope="support:diagnosis_new", create=create)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if diagnosis is None:
                return idempotency.answer_repeat(request, url)
            messages.success(request, _("Le diagnostic a été enregistré."))
            return redirect(url)
    return render(request, "support/diagnosis_form.html", {"form": form, "household": household})


def diagnosis_detail(request, pk: int):
    diagnosis = access.diagnosis_for(request.user, pk)
    household = diagnosis.household
    log_access(request, diagnosis, household_id=household.pk)
    history = list(access.visible_diagnoses(request.user).filter(household=household)
                   .only("pk", "kind", "done_on", "household_id"))
    return render(request, "support/diagnosis_detail.html", {
        "diagnosis": diagnosis, "household": household, "history": history,
        "authors": list(diagnosis.authors.all()),
        "show_sensitive": access.can_read_sensitive(request.user),
        "can_write": access.can_write_support(request.user, household),
    })


@require_http_methods(["GET", "POST"])
def diagnosis_edit(request, pk: int):
    diagnosis = access.diagnosis_for(request.user, pk, write=True)
    form = DiagnosisEditForm(request.POST or None, instance=diagnosis, household=diagnosis.household,
                             user=request.user)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.diagnosis_update(diagnosis=diagnosis, by=request.user, data=form.domain_data(),
                                      authors=form.cleaned_data["authors"],
                                      expected_version=form.cleaned_data["version"])
        except services.StaleEdit as stale:
            conflict = stale.current
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Le diagnostic a été mis à jour."))
            return redirect("support:diagnosis", pk=diagnosis.pk)
    return render(request, "support/diagnosis_form.html",
                  {"form": form, "household": diagnosis.household, "diagnosis": diagnosis, "conflict": conflict})


# --- Episodes -------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def episode_open(request, pk: int):
    household = household_access.household_for(request.user, pk)
    if not access.can_manage_episodes(request.user, household):
        raise PermissionDenied
    form = EpisodeOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_open(household=household, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("L'accompagnement a été ouvert."))
            return redirect("support:household", pk=household.pk)
    return render(request, "support/episode_form.html", {"form": form, "household": household, "opening": True})


@require_http_methods(["GET", "POST"])
def episode_close(request, pk: int):
    episode = access.episode_for(request.user, pk, write=True)
    form = EpisodeCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_close(episode=episode, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("L'accompagnement a été clos."))
            return redirect("support:household", pk=episode.household_id)
    return render(request, "support/episode_form.html",
                  {"form": form, "household": episode.household, "episode": episode, "opening": False})


# --- Plan -----------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def goal_new(request, pk: int):
    household = household_access.household_for(request.user, pk)
    _writable(request.user, household)
    if request.method == "POST" and (done := idempotency.previous_result(request, scope="support:goal_new")):
        return idempotency.answer_repeat(request, done)
    form = PlanGoalForm(request.POST or None, household=household, initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        goal = form.save(commit=False)
        goal.household = household

        def create():
            return (services.plan_goal_save(goal=goal, by=request.user),
                    reverse("support:household", args=[household.pk]) + "#plan")

        saved, url = idempotency.run_once(request, scope="support:goal_new", create=create)
        if saved is None:
            return idempotency.answer_repeat(request, url)
        messages.success(request, _("L'objectif a été ajouté au plan."))
        return redirect(url)
    return render(request, "support/goal_form.html", {"form": form, "household": household})


@require_http_methods(["GET", "POST"])
def goal_edit(request, pk: int):
    goal = access.plan_goal_for(request.user, pk, write=True)
    form = PlanGoalForm(request.POST or None, instance=goal, household=goal.household)
    if request.method == "POST" and form.is_valid():
        services.plan_goal_save(goal=form.save(commit=False), by=request.user)
        messages.success(request, _("L'objectif a été mis à jour."))
        return redirect(reverse("support:household", args=[goal.household_id]) + "#plan")
    return render(request, "support/goal_form.html", {"form": form, "household": goal.household, "goal": goal})


# --- Visits ---------------------------------------------------------------------------------------

def _my_households(user):
    return list(Household.objects.filter(assigned_workers=user).order_by("last_name", "first_name")
                .only("pk", "reference", "last_name", "first_name"))


@require_http_methods(["GET", "POST"])
def visit_new(request):
    """One screen, one tap: the visit, its themes and its next action."""
    if not access.can_log_visits(request.user):
        raise PermissionDenied
    if request.method == "POST" and (done := idempotency.previous_result(request, scope="support:visit_new")):
        return idempotency.answer_repeat(request, done)
    households = _my_households(request.user)
    initial = {"occurred_on": timezone.localdate()}
    if request.GET.get("menage", "").isdigit():
        initial["household"] = int(request.GET["menage"])
    if request.GET.get("rendez_vous", "").isdigit():
        # A honoured appointment: its date, mode and duration pre-fill the visit (issue 15).
        initial.update(appointment_views.visit_initial(request.user, int(request.GET["rendez_vous"])))
    form = VisitForm(request.POST or None, households=households, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = form.selected_household
        actions = []
        if data["action_title"]:
            actions.append(services.NextAction(title=data["action_title"], due_on=data["action_due"],
                                               theme=data["action_theme"] or (data["themes"] or ["administrative"])[0]))
        def create():
            created = services.intervention_record(
                household=household, by=request.user, occurred_on=data["occurred_on"], mode=data["mode"],
                themes=data["themes"], summary=data["summary"], duration_minutes=data["duration_minutes"],
                participants=data["participants"], no_show=data["no_show"], planned=data["planned"],
                next_actions=actions)
            appointment_views.after_visit(request.user, visit=created, data=data)  # its next action's booking
            return created, reverse("support:visit", args=[created.pk])

        try:
            # A phone resubmitting the same form (same key) gets the first visit back, not a second one.
            visit, url = idempotency.run_once(request, scope="support:visit_new", create=create)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if visit is None:
                return idempotency.answer_repeat(request, url)
            messages.success(request, _("Visite enregistrée pour %(name)s.") % {"name": household.display_name})
            return redirect(url)
    # On any error the same screen comes back with every typed value (never a blank page).
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "support/visit_form.html", {"form": form}, status=status)


def visit_detail(request, pk: int):
    visit = access.intervention_for(request.user, pk)
    return render(request, "support/visit_detail.html", {
        "visit": visit, "household": visit.household,
        "addenda": list(visit.addenda.select_related("author")),
        "actions": list(visit.next_actions.all()),
        "booked": list(access.visible_appointments(request.user).filter(source_intervention=visit)),
        "can_edit": services.can_still_edit(visit, request.user),
        "can_add": access.can_write_support(request.user, visit.household),
        "addendum_form": AddendumForm(),
    })


@require_http_methods(["GET", "POST"])
def visit_edit(request, pk: int):
    visit = access.intervention_for(request.user, pk, write=True)
    if not services.can_still_edit(visit, request.user):
        messages.warning(request, _("Le délai de modification de 7 jours est passé : ajoutez un complément."))
        return redirect("support:visit", pk=visit.pk)
    form = VisitEditForm(request.POST or None, instance=visit)
    if request.method == "POST" and form.is_valid():
        try:
            services.intervention_update(visit=Intervention.objects.get(pk=visit.pk), by=request.user,
                                         data=form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("La visite a été corrigée."))
            return redirect("support:visit", pk=visit.pk)
    return render(request, "support/visit_edit.html", {"form": form, "visit": visit})


@require_POST
def visit_addendum(request, pk: int):
    visit = access.intervention_for(request.user, pk, write=True)
    form = AddendumForm(request.POST)
    if form.is_valid():
        services.intervention_add_addendum(visit=visit, by=request.user, content=form.cleaned_data["content"])
        messages.success(request, _("Le complément a été ajouté."))
    else:
        messages.error(request, _("Le complément est vide."))
    return redirect("support:visit", pk=visit.pk)


def _search_visits(user, text: str):
    qs = access.visible_interventions(user).select_related("household", "author")
    for word in text.split():
        qs = qs.filter(Q(summary__icontains=word) | Q(household__search_text__contains=normalize(word)))
    return qs


# Newest first (index intervention_keyset, read backwards).
VISIT_ORDER = Ordering(("occurred_on", "pk"), descending=True)


def visit_list(request):
    """Search in visits (and, for psychologists only, in their notes)."""
    _require_caseload(request.user)
    text = request.GET.get("q", "").strip()
    visits = _search_visits(request.user, text)
    notes = []
    if text and access.can_read_psychologist_notes(request.user):
        notes = list(access.visible_psychologist_notes(request.user)
                     .filter(content__icontains=text).select_related("household")[:20])
    page = paginate(request, visits, VISIT_ORDER, per_page=25, salt="visits")
    return render(request, "support/visit_list.html", {
        "page": page, "q": text, "notes": notes,
        "can_export": access.can_export_visits(request.user)})


def visit_export(request):
    """CSV of the visits of the manager's scope: no psychologist note, whoever asks."""
    if not access.can_export_visits(request.user):
        raise PermissionDenied
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="visites-{timezone.localdate():%Y%m%d}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Date"), _("Ménage"), _("Intervenant"), _("Mode"), _("Durée (min)"), _("Thèmes"),
                     _("Absent"), _("Prévue")])
    count = 0
    for v in (access.visible_interventions(request.user).select_related("household", "author")
              .order_by("-occurred_on").iterator(chunk_size=2000)):
        writer.writerow([spreadsheet_cell(cell) for cell in (
            f"{v.occurred_on:%d/%m/%Y}", v.household.reference, str(v.author), v.get_mode_display(),
            v.duration_minutes or "", ", ".join(v.theme_labels()),
            _("oui") if v.no_show else "", _("oui") if v.planned else "")])
        count += 1
    log_access(request, Intervention, action=AccessLog.Action.EXPORT, count=count)
    return response


# --- Psychologist notes ---------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def psy_note_new(request, pk: int):
    household = household_access.household_for(request.user, pk)
    if not access.can_write_psychologist_note(request.user, household):
        raise PermissionDenied
    if request.method == "POST" and (done := idempotency.previous_result(request, scope="support:psy_note_new")):
        return idempotency.answer_repeat(request, done)
    form = PsychologistNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        def create():
            created = services.psychologist_note_record(household=household, by=request.user, **form.cleaned_data)
            return created, reverse("support:psy_note", args=[created.pk])

        try:
            note, url = idempotency.run_once(request, scope="support:psy_note_new", create=create)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if note is None:
                return idempotency.answer_repeat(request, url)
            messages.success(request, _("La note a été enregistrée."))
            return redirect(url)
    return render(request, "support/psy_note_form.html", {"form": form, "household": household})


def psy_note_detail(request, pk: int):
    note = access.psychologist_note_for(request.user, pk)
    log_access(request, note, household_id=note.household_id)
    return render(request, "support/psy_note_detail.html", {"note": note, "household": note.household})


# --- Budget ---------------------------------------------------------------------------------------

def _budget_household(user, pk: int):
    household = household_file(user, pk)
    household = (Household.objects.prefetch_related("members", "resources", "leases", "budget_charges",
                                                    "budget_debts").get(pk=household.pk))
    return household


def budget(request, pk: int):
    _require_caseload(request.user)
    household = _budget_household(request.user, pk)
    sheet = selectors.budget_sheet(household)
    return render(request, "support/budget.html", {
        "household": household, "sheet": sheet, "fig": sheet.figures,
        "can_write": access.can_write_support(request.user, household)})


@require_http_methods(["GET", "POST"])
def budget_edit(request, pk: int):
    household = household_access.household_for(request.user, pk)
    _writable(request.user, household)
    data = request.POST if request.method == "POST" else None
    charges = ChargeFormSet(data, instance=household, prefix="c")
    debts = DebtFormSet(data, instance=household, prefix="d")
    if request.method == "POST" and charges.is_valid() and debts.is_valid():
        services.budget_save(household=household, by=request.user, formsets=[charges, debts])
        messages.success(request, _("Le budget a été enregistré."))
        return redirect("support:budget", pk=household.pk)
    return render(request, "support/budget_form.html", {"household": household, "charges": charges, "debts": debts})


# --- Hand-over ------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def handover(request):
    if not access.can_hand_over(request.user):
        raise PermissionDenied
    form = HandoverForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = services.caseload_handover(by=request.user, from_worker=data["from_worker"],
                                              to_worker=data["to_worker"], households=list(data["households"]))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _(
                "%(n)s ménage(s), %(g)s objectif(s) et %(v)s visite(s) prévue(s) transférés à %(to)s.") % {
                "n": len(data["households"]), "g": done.goals_moved, "v": done.visits_moved,
                "to": data["to_worker"]})
            return redirect("support:dashboard")
    return render(request, "support/handover_form.html", {"form": form})
