from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import AccessLog
from zel.audit import log_access
from zel.lib.forms import apply_validation_error, validation_error_text

from . import access, forms, selectors, services
from .models import AgendaItem, Decision, Session

# Background work goes through the outbox (zel/outbox): it is recorded with the request, and done as
# soon as the task queue answers; the user is told exactly that.
QUEUED_MESSAGE = gettext_lazy("Demande enregistrée, elle sera traitée dès que possible.")


def _session_url(session) -> str:
    return redirect("copil:session_detail", session.pk)


# ---------------------------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------------------------

def session_list(request):
    if not access.can_use_copil(request.user):
        raise PermissionDenied
    qs = selectors.session_list(request.user)
    status = request.GET.get("statut", "")
    if status in Session.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "copil/session_list.html", {
        "page": page, "query": query.urlencode(), "statuses": Session.Status.choices, "status": status,
        "can_create": access.can_create_copil_session(request.user),
        "can_consult": access.can_open_written_consultation(request.user),
    })


@require_http_methods(["GET", "POST"])
def session_create(request):
    if not access.can_create_copil_session(request.user):
        raise PermissionDenied
    form = forms.SessionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session = services.session_create(by=request.user, territory=data["territory"], held_on=data["held_on"],
                                          starts_at=data["starts_at"], place=data["place"],
                                          video_link=data["video_link"], chair=data["chair"], members=data["members"])
        messages.success(request, _("Séance créée. Inscrivez les dossiers à l'ordre du jour."))
        return _session_url(session)
    return render(request, "copil/session_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def session_edit(request, pk: int):
    session = access.copil_session_for(request.user, pk, manage=True)
    initial = {"held_on": session.held_on, "starts_at": session.starts_at, "place": session.place,
               "video_link": session.video_link, "chair": session.chair,
               "members": list(session.members.all())}
    form = forms.SessionForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.session_update(session=session, by=request.user, held_on=data["held_on"],
                                    starts_at=data["starts_at"], place=data["place"], video_link=data["video_link"],
                                    chair=data["chair"], members=data["members"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Séance modifiée."))
            return _session_url(session)
    return render(request, "copil/session_form.html", {"form": form, "session": session})


def session_detail(request, pk: int):
    session, items = selectors.session_page(request.user, pk)
    user = request.user
    can_manage = access.can_manage_copil_session(user, session)
    add_form = None
    if can_manage and session.status in (Session.Status.DRAFT, Session.Status.PUBLISHED):
        add_form = forms.AgendaItemForm(households=selectors.agenda_candidates(user, session))
    return render(request, "copil/session_detail.html", {
        "session": session, "items": items, "add_form": add_form, "can_manage": can_manage,
        "can_read": access.can_read_copil_dossier(user, session),
        "can_opine": access.can_give_copil_opinion(user, session),
        "can_decide": access.can_decide_copil(user, session),
        "can_close": access.can_close_copil_session(user, session),
        "can_sign": access.can_sign_copil_minutes(user, session),
        "can_download": access.can_download_copil_minutes(user, session),
        "is_chair": access.is_copil_chair(user, session),
        "can_regenerate": access.can_regenerate_copil_minutes(user, session),
        "undecided": sum(1 for i in items if i.current_decision is None),
    })


def _session_action(request, pk, action, success, *, manage=True):
    session = access.copil_session_for(request.user, pk, manage=manage)
    try:
        action(session=session, by=request.user)
    except ValidationError as exc:
        messages.error(request, validation_error_text(exc))
    else:
        messages.success(request, success)
    return _session_url(session)


@require_POST
def session_publish(request, pk: int):
    return _session_action(request, pk, services.agenda_publish,
                           _("Ordre du jour publié : les membres recevront un lien par courriel dès que possible."))


@require_POST
def session_open_review(request, pk: int):
    return _session_action(request, pk, services.session_open_review,
                           _("Séance ouverte à l'examen : les membres lisent les dossiers et donnent leur avis."))


@require_http_methods(["GET", "POST"])
def session_hold(request, pk: int):
    session = access.copil_session_for(request.user, pk)
    if not access.can_close_copil_session(request.user, session):
        raise PermissionDenied
    initial = {"present": [m.user_id for m in session.memberships.all()]}
    form = forms.AttendanceForm(request.POST or None, session=session, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_mark_held(session=session, by=request.user, present=form.cleaned_data["present"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Séance tenue : présences enregistrées."))
            return _session_url(session)
    return render(request, "copil/session_hold.html", {"session": session, "form": form})


@require_POST
def session_sign(request, pk: int):
    session = access.copil_session_for(request.user, pk)
    if not access.can_sign_copil_minutes(request.user, session):
        raise PermissionDenied
    return _session_action(request, pk, services.minutes_sign,
                           _("Procès-verbal signé : le PDF sera généré dès que possible."), manage=False)


# ---------------------------------------------------------------------------------------------
# Agenda
# ---------------------------------------------------------------------------------------------

@require_POST
def item_add(request, pk: int):
    session = access.copil_session_for(request.user, pk, manage=True)
    form = forms.AgendaItemForm(request.POST, households=selectors.agenda_candidates(request.user, session))
    if form.is_valid():
        data = form.cleaned_data
        try:
            item = services.agenda_item_add(
                session=session, household=data["household"], by=request.user, kind=data["kind"],
                expected_rent=data["expected_rent"], expected_charges=data["expected_charges"],
                expected_housing_benefit=data["expected_housing_benefit"])
        except ValidationError as exc:
            messages.error(request, validation_error_text(exc))
        else:
            messages.success(request, _("Dossier inscrit. Précisez les leviers demandés."))
            return redirect("copil:item_edit", session.pk, item.pk)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return _session_url(session)


def _manageable_item(request, pk, item_pk) -> AgendaItem:
    return access.agenda_item_for(request.user, pk, item_pk)


@require_http_methods(["GET", "POST"])
def item_edit(request, pk: int, item_pk: int):
    item = _manageable_item(request, pk, item_pk)
    initial = {"kind": item.kind, "expected_rent": item.expected_rent, "expected_charges": item.expected_charges,
               "expected_housing_benefit": item.expected_housing_benefit}
    lever_initial = [{"kind": lv.kind, "amount": lv.amount, "months": lv.months, "note": lv.note}
                     for lv in item.requested_levers.all()]
    form = forms.AgendaItemForm(request.POST or None, initial=initial)
    levers = forms.LeverFormSet(request.POST or None, initial=lever_initial, prefix="levers")
    if request.method == "POST" and form.is_valid() and levers.is_valid():
        data = form.cleaned_data
        try:
            services.agenda_item_update(item=item, by=request.user, kind=data["kind"],
                                        expected_rent=data["expected_rent"], expected_charges=data["expected_charges"],
                                        expected_housing_benefit=data["expected_housing_benefit"],
                                        levers=forms.lever_inputs(levers))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Dossier mis à jour."))
            return _session_url(item.session)
    return render(request, "copil/item_form.html", {"item": item, "session": item.session, "form": form,
                                                    "levers": levers})


@require_POST
def item_remove(request, pk: int, item_pk: int):
    item = _manageable_item(request, pk, item_pk)
    try:
        services.agenda_item_remove(item=item, by=request.user)
    except ValidationError as exc:
        messages.error(request, validation_error_text(exc))
    else:
        messages.success(request, _("Dossier retiré de l'ordre du jour."))
    return _session_url(item.session)


# ---------------------------------------------------------------------------------------------
# Dossier: summary, opinions, decision
# ---------------------------------------------------------------------------------------------

def _dossier_context(request, item, summary, *, opinion_form=None, decision_form=None, lever_formset=None):
    session = item.session
    user = request.user
    can_opine = access.can_give_copil_opinion(user, session) and item.current_decision is None
    can_decide = access.can_decide_copil(user, session)
    if can_opine and opinion_form is None:
        mine = item.my_opinion
        opinion_form = forms.OpinionForm(initial={"value": mine.value, "comment": mine.comment} if mine else None)
    if can_decide and decision_form is None:
        decision_form = forms.DecisionForm()
        lever_formset = forms.DecisionLeverFormSet(
            prefix="levers", initial=[{"kind": lv.kind, "amount": lv.amount, "months": lv.months, "note": lv.note}
                                      for lv in summary.requested_levers])
    return {
        "session": session, "item": item, "summary": summary,
        "opinion_form": opinion_form if can_opine else None,
        "decision_form": decision_form if can_decide else None, "lever_formset": lever_formset,
        "can_see_opinions": access.can_see_copil_opinions(user, session),
        "can_correct": access.can_correct_copil_decision(user, session),
    }


def dossier(request, pk: int, item_pk: int):
    item, summary = selectors.dossier_page(request.user, pk, item_pk)
    log_access(request, item, household_id=item.household_id)
    return render(request, "copil/dossier.html", _dossier_context(request, item, summary))


@require_POST
def dossier_opinion(request, pk: int, item_pk: int):
    item, summary = selectors.dossier_page(request.user, pk, item_pk)
    if not access.can_give_copil_opinion(request.user, item.session):
        raise PermissionDenied
    form = forms.OpinionForm(request.POST)
    if form.is_valid():
        try:
            services.opinion_give(item=item, by=request.user, value=form.cleaned_data["value"],
                                  comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Votre avis est enregistré."))
            return redirect("copil:dossier", pk, item_pk)
    log_access(request, item, household_id=item.household_id)
    return render(request, "copil/dossier.html", _dossier_context(request, item, summary, opinion_form=form),
                  status=400)


@require_POST
def dossier_decide(request, pk: int, item_pk: int):
    item, summary = selectors.dossier_page(request.user, pk, item_pk)
    if not access.can_decide_copil(request.user, item.session):
        raise PermissionDenied
    form = forms.DecisionForm(request.POST)
    levers = forms.DecisionLeverFormSet(request.POST, prefix="levers")
    if form.is_valid() and levers.is_valid():
        data = form.cleaned_data
        try:
            services.decision_record(item=item, by=request.user, outcome=data["outcome"],
                                     levers=forms.lever_inputs(levers), missing=data["missing"],
                                     comes_back_on=data["comes_back_on"], reason=data["reason"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Décision enregistrée."))
            return _session_url(item.session)
    log_access(request, item, household_id=item.household_id)
    return render(request, "copil/dossier.html",
                  _dossier_context(request, item, summary, decision_form=form, lever_formset=levers), status=400)


@require_http_methods(["GET", "POST"])
def decision_correct(request, pk: int, item_pk: int, decision_pk: int):
    item, summary = selectors.dossier_page(request.user, pk, item_pk)
    if not access.can_correct_copil_decision(request.user, item.session):
        raise PermissionDenied
    decision = get_object_or_404(Decision, item=item, pk=decision_pk)
    form = forms.CorrectionForm(request.POST or None, initial={"outcome": decision.outcome})
    levers = forms.DecisionLeverFormSet(request.POST or None, prefix="levers", initial=[
        {"kind": lv.kind, "amount": lv.amount, "months": lv.months, "note": lv.note} for lv in decision.levers.all()])
    if request.method == "POST" and form.is_valid() and levers.is_valid():
        data = form.cleaned_data
        try:
            services.decision_correct(decision=decision, by=request.user, outcome=data["outcome"],
                                      correction_reason=data["correction_reason"], levers=forms.lever_inputs(levers),
                                      missing=data["missing"], comes_back_on=data["comes_back_on"],
                                      reason=data["reason"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Rectification enregistrée, liée à la décision d'origine."))
            return redirect("copil:dossier", pk, item_pk)
    return render(request, "copil/decision_correct.html", {"session": item.session, "item": item,
                                                           "summary": summary, "decision": decision,
                                                           "form": form, "levers": levers})


# ---------------------------------------------------------------------------------------------
# Minutes
# ---------------------------------------------------------------------------------------------

def minutes_download(request, pk: int):
    session = access.copil_session_for(request.user, pk)
    if not access.can_download_copil_minutes(request.user, session):
        raise PermissionDenied
    if not session.minutes:
        # Demo sessions and failed background runs: build it now rather than answer "not ready".
        session = services.minutes_render(session=session)
    try:
        handle = session.minutes.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    log_access(request, session, action=AccessLog.Action.DOWNLOAD)
    name = f"pv-copil-{session.territory.code}-{session.held_on:%Y-%m-%d}.pdf"
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")


@require_POST
def minutes_regenerate(request, pk: int):
    session = access.copil_session_for(request.user, pk)
    if not access.can_regenerate_copil_minutes(request.user, session):
        raise PermissionDenied
    try:
        services.minutes_regenerate_request(session=session, by=request.user)
    except ValidationError as exc:
        messages.error(request, validation_error_text(exc))
    else:
        messages.success(request, QUEUED_MESSAGE)
    return _session_url(session)


# ---------------------------------------------------------------------------------------------
# Written consultation
# ---------------------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def written_create(request):
    if not access.can_open_written_consultation(request.user):
        raise PermissionDenied
    form = forms.WrittenConsultationForm(request.POST or None, user=request.user)
    levers = forms.LeverFormSet(request.POST or None, prefix="levers")
    if request.method == "POST" and form.is_valid() and levers.is_valid():
        data = form.cleaned_data
        try:
            session = services.written_consultation_open(
                by=request.user, household=data["household"], closes_on=data["closes_on"],
                members=data["members"], chair=data.get("chair"), levers=forms.lever_inputs(levers),
                expected_rent=data["expected_rent"], expected_charges=data["expected_charges"],
                expected_housing_benefit=data["expected_housing_benefit"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Consultation écrite ouverte : les membres recevront un courriel "
                                        "dès que possible."))
            return _session_url(session)
    return render(request, "copil/written_form.html", {"form": form, "levers": levers})
