"""Writes of the COPIL app: each is atomic, keyword-only, and queues its side effects on commit."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Territory, User
from households import lifecycle
from households.models import FrozenFigures, Household
from households.services import figures_freeze, household_transition
from support import aid_rules
from zel.access import require
from zel.outbox import services as outbox

from . import access, integrations
from .models import AgendaItem, Decision, DecisionLever, Lever, Opinion, RequestedLever, Session, SessionMember

S = Session.Status
H = Household.Status


@dataclass(frozen=True)
class LeverInput:
    kind: str
    amount: Decimal | None = None
    note: str = ""
    months: int | None = None


# ---------------------------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------------------------

def _set_members(session: Session, members: Iterable[User]) -> None:
    wanted = {u.pk for u in members} | {session.chair_id}
    SessionMember.objects.filter(session=session).exclude(user_id__in=wanted).delete()
    existing = set(SessionMember.objects.filter(session=session).values_list("user_id", flat=True))
    SessionMember.objects.bulk_create([SessionMember(session=session, user_id=pk) for pk in wanted - existing])


@transaction.atomic
def session_create(*, by: User, territory: Territory, held_on: date, chair: User, members: Iterable[User],
                   starts_at: time | None = None, place: str = "", video_link: str = "") -> Session:
    require(access.copil_territories(by).filter(pk=territory.pk).exists())
    session = Session.objects.create(territory=territory, held_on=held_on, starts_at=starts_at, place=place,
                                     video_link=video_link, chair=chair, created_by=by,
                                     organisation_id=by.organisation_id)
    _set_members(session, members)
    # Adjourned dossiers of this territory waiting for a later agenda come back on their own.
    for item in (AgendaItem.objects.filter(to_reschedule=True, session__territory=territory,
                                           session__held_on__lt=held_on)
                 .select_related("household").prefetch_related("requested_levers")):
        _carry_forward(item, session, by=by)
    return session


@transaction.atomic
def session_update(*, session: Session, by: User, held_on: date, chair: User, members: Iterable[User],
                   starts_at: time | None = None, place: str = "", video_link: str = "") -> Session:
    require(access.can_manage_copil_session(by, session))
    if session.status in (S.HELD, S.SIGNED):
        raise ValidationError(_("Une séance tenue ne se modifie plus."))
    session.held_on, session.starts_at, session.place, session.video_link, session.chair = (
        held_on, starts_at, place, video_link, chair)
    session._history_user = by
    session.save()
    _set_members(session, members)
    return session


@transaction.atomic
def agenda_publish(*, session: Session, by: User) -> Session:
    """Publishes the agenda and mails every member a link (after commit: no mail for a rollback)."""
    require(access.can_manage_copil_session(by, session))
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != S.DRAFT:
        raise ValidationError(_("L'ordre du jour est déjà publié."))
    items = list(session.items.select_related("household"))
    if not items:
        raise ValidationError(_("Inscrivez au moins un dossier avant de publier l'ordre du jour."))
    for item in items:
        if item.kind == AgendaItem.Kind.ADMISSION:
            _present(item.household, session=session, by=by)
    session.status = S.PUBLISHED
    session.published_at = timezone.now()
    session._history_user = by
    session.save(update_fields=["status", "published_at"])
    outbox.enqueue("copil.tasks.agenda_published_email_task", session.pk)
    return session


def agenda_published_notify(*, session: Session) -> int:
    """Mails every active member (and the chair) a link to the published session; returns the count."""
    url = settings.ZEL_SITE_URL.rstrip("/") + reverse("copil:session_detail", args=[session.pk])
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for member in session.members.filter(is_active=True).exclude(email=""):
            context = {"session": session, "member": member, "url": url}
            subject = render_to_string("copil/email/agenda_published_subject.txt", context).strip()
            body = render_to_string("copil/email/agenda_published.txt", context)
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [member.email]))
    return send_mass_mail(messages, fail_silently=False)


def _transition(session: Session, *, by: User, source: Sequence[str], target: str, message: str) -> Session:
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status not in source:
        raise ValidationError(message)
    session.status = target
    session._history_user = by
    session.save(update_fields=["status"])
    return session


@transaction.atomic
def session_open_review(*, session: Session, by: User) -> Session:
    require(access.can_manage_copil_session(by, session))
    return _transition(session, by=by, source=[S.PUBLISHED], target=S.REVIEW,
                       message=_("Seul un ordre du jour publié peut être ouvert à l'examen."))


@transaction.atomic
def session_mark_held(*, session: Session, by: User, present: Iterable[User]) -> Session:
    require(access.can_close_copil_session(by, session))
    session = _transition(session, by=by, source=[S.REVIEW], target=S.HELD,
                          message=_("La séance doit être ouverte à l'examen."))
    attendance_record(session=session, by=by, present=present)
    return session


@transaction.atomic
def attendance_record(*, session: Session, by: User, present: Iterable[User]) -> None:
    if session.status == S.SIGNED:
        raise ValidationError(_("Le procès-verbal est signé : la feuille de présence est close."))
    ids = {u.pk for u in present}
    SessionMember.objects.filter(session=session).update(present=False)
    SessionMember.objects.filter(session=session, user_id__in=ids).update(present=True)


@transaction.atomic
def minutes_sign(*, session: Session, by: User) -> Session:
    require(access.can_sign_copil_minutes(by, session))
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != S.HELD:
        raise ValidationError(_("Seule une séance tenue peut voir son procès-verbal signé."))
    undecided = session.items.exclude(decisions__isnull=False).count()
    if undecided:
        raise ValidationError(_("%(n)d dossier(s) sans décision : le procès-verbal ne peut pas être signé.")
                              % {"n": undecided})
    session.status = S.SIGNED
    session.signed_at = timezone.now()
    session.signed_by = by
    session._history_user = by
    session.save(update_fields=["status", "signed_at", "signed_by"])
    outbox.enqueue("copil.tasks.minutes_render_task", session.pk)
    return session


@transaction.atomic
def minutes_regenerate_request(*, session: Session, by: User) -> Session:
    """Asks for the signed minutes' PDF to be built again, in the background (through the outbox)."""
    require(access.can_regenerate_copil_minutes(by, session))
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != S.SIGNED:
        raise ValidationError(_("Le procès-verbal se génère une fois signé."))
    outbox.enqueue("copil.tasks.minutes_render_task", session.pk)
    return session


# ---------------------------------------------------------------------------------------------
# Agenda
# ---------------------------------------------------------------------------------------------

def _editable_agenda(session: Session, by: User) -> None:
    require(access.can_manage_copil_session(by, session))
    if session.status not in (S.DRAFT, S.PUBLISHED):
        raise ValidationError(_("L'ordre du jour ne se modifie plus une fois la séance ouverte à l'examen."))


def _next_position(session: Session) -> int:
    last = session.items.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


def _replace_levers(item: AgendaItem, levers: Iterable[LeverInput]) -> None:
    item.requested_levers.all().delete()
    levers = [lv for lv in levers if lv.kind]
    _validate_measures(levers, decided=False)
    RequestedLever.objects.bulk_create([RequestedLever(item=item, kind=lv.kind, amount=lv.amount, months=lv.months,
                                                       note=lv.note) for lv in levers])


@transaction.atomic
def agenda_item_add(*, session: Session, household: Household, by: User, kind: str = AgendaItem.Kind.ADMISSION,
                    expected_rent: Decimal | None = None, expected_charges: Decimal | None = None,
                    expected_housing_benefit: Decimal | None = None,
                    levers: Iterable[LeverInput] = ()) -> AgendaItem:
    _editable_agenda(session, by)
    require(access.agenda_candidates(by).filter(pk=household.pk).exists())
    if household.territory_id != session.territory_id:
        raise ValidationError(_("Ce ménage ne relève pas du département de la séance."))
    if session.items.filter(household=household).exists():
        raise ValidationError(_("Ce ménage est déjà inscrit à l'ordre du jour."))
    item = AgendaItem.objects.create(session=session, household=household, kind=kind, added_by=by,
                                     position=_next_position(session), expected_rent=expected_rent,
                                     expected_charges=expected_charges,
                                     expected_housing_benefit=expected_housing_benefit)
    _replace_levers(item, levers)
    AgendaItem.objects.filter(household=household, to_reschedule=True).update(to_reschedule=False)
    if session.status == S.PUBLISHED and kind == AgendaItem.Kind.ADMISSION:
        _present(household, session=session, by=by)
    return item


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, by: User, kind: str, expected_rent: Decimal | None,
                       expected_charges: Decimal | None, expected_housing_benefit: Decimal | None,
                       levers: Iterable[LeverInput]) -> AgendaItem:
    _editable_agenda(item.session, by)
    item.kind, item.expected_rent, item.expected_charges, item.expected_housing_benefit = (
        kind, expected_rent, expected_charges, expected_housing_benefit)
    item._history_user = by
    item.save()
    _replace_levers(item, levers)
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, by: User) -> None:
    _editable_agenda(item.session, by)
    if item.decisions.exists():
        raise ValidationError(_("Un dossier déjà décidé ne se retire pas."))
    if item.carried_from_id:
        AgendaItem.objects.filter(pk=item.carried_from_id).update(to_reschedule=True)
    item.delete()


def _carry_forward(item: AgendaItem, session: Session, *, by: User) -> AgendaItem | None:
    if session.items.filter(household_id=item.household_id).exists():
        AgendaItem.objects.filter(pk=item.pk).update(to_reschedule=False)
        return None
    new = AgendaItem.objects.create(session=session, household_id=item.household_id, kind=item.kind, added_by=by,
                                    position=_next_position(session), carried_from=item,
                                    expected_rent=item.expected_rent, expected_charges=item.expected_charges,
                                    expected_housing_benefit=item.expected_housing_benefit)
    _replace_levers(new, [LeverInput(lv.kind, lv.amount, lv.note, lv.months) for lv in item.requested_levers.all()])
    AgendaItem.objects.filter(pk=item.pk).update(to_reschedule=False)
    return new


def next_agenda_for(item: AgendaItem) -> Session | None:
    """The next meeting of the same territory whose agenda can still take a dossier."""
    return (Session.objects.filter(territory_id=item.session.territory_id, kind=Session.Kind.MEETING,
                                   status__in=[S.DRAFT, S.PUBLISHED], held_on__gt=item.session.held_on)
            .exclude(pk=item.session_id).order_by("held_on", "pk").first())


# ---------------------------------------------------------------------------------------------
# Opinions and decisions
# ---------------------------------------------------------------------------------------------

@transaction.atomic
def opinion_give(*, item: AgendaItem, by: User, value: str, comment: str = "") -> Opinion:
    from . import access

    if not access.can_give_copil_opinion(by, item.session):
        raise ValidationError(_("Les avis ne sont pas ouverts sur ce dossier."))
    if item.decisions.exists():
        raise ValidationError(_("La décision est prise : les avis sont clos."))
    opinion, _created = Opinion.objects.update_or_create(item=item, member=by,
                                                         defaults={"value": value, "comment": comment})
    return opinion


def current_decision(item: AgendaItem) -> Decision | None:
    return item.decisions.filter(corrected_by__isnull=True).order_by("-recorded_at", "-pk").first()


def _validate_outcome(*, outcome: str, missing: str, comes_back_on: date | None, reason: str,
                      levers: Sequence[LeverInput]) -> None:
    errors = {}
    if outcome == Decision.Outcome.ADJOURNED and not missing.strip():
        errors["missing"] = _("Indiquez ce qui manque pour décider.")
    if outcome == Decision.Outcome.REFUSED and not reason.strip():
        errors["reason"] = _("Indiquez le motif du refus.")
    if outcome != Decision.Outcome.ADMITTED and levers:
        errors["outcome"] = _("Seule une admission active des leviers financiers.")
    if errors:
        raise ValidationError(errors)
    _validate_measures(levers, decided=True)


def _validate_measures(levers: Sequence[LeverInput], *, decided: bool) -> None:
    """Each lever carries what its kind is measured in (support.aid_rules), and nothing else: no
    amount for maintaining the APL, months for the ASLL. A decided lever must carry it."""
    errors: dict[str, str] = {}
    kinds = [lv.kind for lv in levers]
    if decided and len(set(kinds)) != len(kinds):
        errors["levers"] = _("Chaque levier n'est activé qu'une fois par décision.")
    for lever in levers:
        label = str(Lever(lever.kind).label) if lever.kind in Lever.values else lever.kind
        if lever.kind not in Lever.values:
            errors["levers"] = _("Levier inconnu.")
            continue
        wrong = aid_rules.measure_errors(kind=lever.kind, amount=lever.amount, months=lever.months)
        if wrong:
            errors["levers"] = _("%(lever)s : %(why)s") % {"lever": label, "why": " ".join(wrong.values())}
        elif decided and aid_rules.has_amount(lever.kind) and lever.amount is None:
            errors["levers"] = _("%(lever)s : indiquez le montant.") % {"lever": label}
        elif decided and aid_rules.has_months(lever.kind) and lever.months is None:
            errors["levers"] = _("%(lever)s : indiquez la durée en mois.") % {"lever": label}
    if errors:
        raise ValidationError(errors)


def _decision_reason(item: AgendaItem, decision: Decision) -> str:
    return _("Décision du COPIL du %(date)s : %(outcome)s") % {
        "date": f"{item.session.held_on:%d/%m/%Y}", "outcome": decision.get_outcome_display()}


def _present(household: Household, *, session: Session, by: User) -> None:
    """The one place a dossier becomes "presented to the COPIL": on a published agenda or a written
    consultation, when the lifecycle allows it (an admitted or supported household stays as it is)."""
    if lifecycle.allowed(household.status, H.PRESENTED):
        household_transition(household=household, to=H.PRESENTED, by=by,
                             reason=_("Inscrit au COPIL du %(date)s") % {"date": f"{session.held_on:%d/%m/%Y}"})


def _apply_to_pipeline(*, item: AgendaItem, decision: Decision, by: User) -> None:
    """The household moves with the decision, in the decision's transaction."""
    household = Household.objects.select_for_update().get(pk=item.household_id)
    if item.kind != AgendaItem.Kind.ADMISSION:
        return  # renewals and ends of support: the support episode is the support team's business
    outcome = decision.outcome
    if outcome == Decision.Outcome.ADMITTED:
        if household.status != H.SUPPORTED:  # a correction that confirms an admission already under way
            household_transition(household=household, to=H.ADMITTED, by=by, reason=_decision_reason(item, decision))
        # Support starts on the session day, or today when the chair decides ahead of it.
        opened_on = min(item.session.held_on, timezone.localdate())
        # The entry figures, frozen with the decision: the report and the dossier's "avant" read them.
        figures_freeze(household=household, moment=FrozenFigures.Moment.ENTRY, by=by, taken_on=opened_on,
                       source=f"copil-item-{item.pk}")
        # A correction back to "admitted": the episode opened the first time is still there.
        with contextlib.suppress(integrations.EpisodeAlreadyOpen):
            integrations.open_support_episode(household=household, by=by, opened_on=opened_on)
    elif outcome == Decision.Outcome.ADJOURNED:
        household_transition(household=household, to=H.ADJOURNED, by=by, reason=_decision_reason(item, decision))
        target = next_agenda_for(item)
        if target is None:
            AgendaItem.objects.filter(pk=item.pk).update(to_reschedule=True)
        else:
            _carry_forward(item, target, by=by)
    else:
        household_transition(household=household, to=H.REFUSED, by=by, reason=_decision_reason(item, decision))


def _create_decision(*, item: AgendaItem, by: User, outcome: str, missing: str, comes_back_on: date | None,
                     reason: str, levers: Sequence[LeverInput], corrects: Decision | None,
                     correction_reason: str = "", after_signature: bool = False) -> Decision:
    _validate_outcome(outcome=outcome, missing=missing, comes_back_on=comes_back_on, reason=reason, levers=levers)
    if (corrects is not None and corrects.outcome == Decision.Outcome.ADMITTED and outcome != corrects.outcome
            and item.kind == AgendaItem.Kind.ADMISSION):
        # The admission opened a support episode; only the support team may end it (with an exit reason).
        raise ValidationError({"outcome": _("Le ménage est admis et son accompagnement est ouvert : seules les "
                                            "conditions de l'admission (leviers, montants) peuvent être rectifiées. "
                                            "La fin de l'accompagnement relève de l'équipe sociale.")})
    decision = Decision(item=item, outcome=outcome, missing=missing if outcome == Decision.Outcome.ADJOURNED else "",
                        comes_back_on=comes_back_on if outcome == Decision.Outcome.ADJOURNED else None,
                        reason=reason if outcome == Decision.Outcome.REFUSED else "", corrects=corrects,
                        correction_reason=correction_reason, recorded_by=by, after_signature=after_signature)
    decision._history_user = by
    decision.save()
    # The levers become (or update) the household's aid applications, followed after the COPIL.
    replaced = ([lv.application for lv in corrects.levers.select_related("application") if lv.application_id]
                if corrects is not None else [])
    applications = integrations.aid_applications_from_levers(
        household=item.household, by=by, levers=levers, copil_date=item.session.held_on, replaced=replaced)
    DecisionLever.objects.bulk_create([DecisionLever(decision=decision, kind=lv.kind, amount=lv.amount,
                                                     months=lv.months, note=lv.note, application=application)
                                       for lv, application in zip(levers, applications, strict=True)])
    _apply_to_pipeline(item=item, decision=decision, by=by)
    return decision


@transaction.atomic
def decision_record(*, item: AgendaItem, by: User, outcome: str, levers: Sequence[LeverInput] = (),
                    missing: str = "", comes_back_on: date | None = None, reason: str = "") -> Decision:
    """The chair's decision. Before signature, deciding again replaces the previous decision (linked)."""
    session = Session.objects.select_for_update().get(pk=item.session_id)
    item.session = session
    if not access.can_decide_copil(by, session):
        raise ValidationError(_("Seul(e) le/la président(e) décide, pendant l'examen ou la séance."))
    previous = current_decision(item)
    return _create_decision(item=item, by=by, outcome=outcome, missing=missing, comes_back_on=comes_back_on,
                            reason=reason, levers=list(levers), corrects=previous)


@transaction.atomic
def decision_correct(*, decision: Decision, by: User, outcome: str, correction_reason: str,
                     levers: Sequence[LeverInput] = (), missing: str = "", comes_back_on: date | None = None,
                     reason: str = "") -> Decision:
    """After signature the decision stands in the minutes; a correction is a new decision linked to it."""
    item = decision.item
    session = Session.objects.select_for_update().get(pk=item.session_id)
    item.session = session
    if not access.can_correct_copil_decision(by, session):
        raise ValidationError(_("Une rectification se fait après signature, par le/la président(e)."))
    if not correction_reason.strip():
        raise ValidationError({"correction_reason": _("Indiquez le motif de la rectification.")})
    if Decision.objects.filter(corrects=decision).exists():
        raise ValidationError(_("Cette décision a déjà été rectifiée : rectifiez la dernière."))
    return _create_decision(item=item, by=by, outcome=outcome, missing=missing, comes_back_on=comes_back_on,
                            reason=reason, levers=list(levers), corrects=decision,
                            correction_reason=correction_reason, after_signature=True)


# ---------------------------------------------------------------------------------------------
# Written consultation
# ---------------------------------------------------------------------------------------------

@transaction.atomic
def written_consultation_open(*, by: User, household: Household, closes_on: date, members: Iterable[User],
                              chair: User | None = None, levers: Iterable[LeverInput] = (),
                              expected_rent: Decimal | None = None, expected_charges: Decimal | None = None,
                              expected_housing_benefit: Decimal | None = None) -> Session:
    """Urgent cases between sessions: one dossier, opinions in writing until `closes_on`."""
    require(access.can_open_written_consultation(by)
            and access.copil_consultation_households(by).filter(pk=household.pk).exists())
    today = timezone.localdate()
    if closes_on < today:
        raise ValidationError({"closes_on": _("La date de clôture est passée.")})
    session = Session.objects.create(territory_id=household.territory_id, kind=Session.Kind.WRITTEN, held_on=today,
                                     chair=chair or by, created_by=by, review_closes_on=closes_on,
                                     organisation_id=by.organisation_id)
    _set_members(session, members)
    AgendaItem.objects.create(session=session, household=household, kind=AgendaItem.Kind.ADMISSION, added_by=by,
                              position=1, expected_rent=expected_rent, expected_charges=expected_charges,
                              expected_housing_benefit=expected_housing_benefit)
    _replace_levers(session.items.get(), levers)
    AgendaItem.objects.filter(household=household, to_reschedule=True).update(to_reschedule=False)
    _present(household, session=session, by=by)
    session.status = S.REVIEW
    session.published_at = timezone.now()
    session.save(update_fields=["status", "published_at"])
    outbox.enqueue("copil.tasks.agenda_published_email_task", session.pk)
    return session


# ---------------------------------------------------------------------------------------------
# Minutes
# ---------------------------------------------------------------------------------------------

def minutes_render(*, session: Session) -> Session:
    """(Re)builds the PDF of a signed session and stores it privately. Same data, same text."""
    from zel.lib.pdf import render_pdf

    from .selectors import minutes_context

    session = Session.objects.select_related("territory", "chair", "signed_by").get(pk=session.pk)
    if session.status != S.SIGNED:
        raise ValidationError(_("Le procès-verbal se génère une fois signé."))
    pdf = render_pdf("pdf/copil_minutes.html", minutes_context(session))
    digest = hashlib.sha256(pdf).hexdigest()[:12]
    old_name = session.minutes.name if session.minutes else ""
    session.minutes.save(f"pv-copil-{session.territory.code}-{session.held_on:%Y%m%d}-{session.pk}-{digest}.pdf",
                         ContentFile(pdf), save=False)
    Session.objects.filter(pk=session.pk).update(minutes=session.minutes.name)
    if old_name and old_name != session.minutes.name:
        session.minutes.storage.delete(old_name)
    return session
