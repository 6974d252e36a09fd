"""Writes on households: each is atomic and records who did it (django-simple-history)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from zel.access import require

from . import access, lifecycle
from .figures import household_figures
from .models import FrozenFigures, Household, Referral, StatusChange


class StaleEdit(Exception):
    """Someone saved the household after this form was opened (optimistic locking)."""

    def __init__(self, current: Household):
        super().__init__(_("Ce dossier a été modifié par quelqu'un d'autre entre-temps."))
        self.current = current


@dataclass
class HouseholdForms:
    """The bound, valid forms of the household screen; saved together or not at all."""

    household: object
    members: object
    resources: object
    lease: object | None = None


def _set_reference(household: Household) -> None:
    # The reference is built from the primary key, known only after the insert.
    household.reference = f"ZEL-{household.territory.code}-{household.pk:06d}"
    household.refresh_search_text()
    Household.objects.filter(pk=household.pk).update(reference=household.reference,
                                                     search_text=household.search_text)


def _save_related(forms: HouseholdForms, household: Household) -> None:
    for formset in (forms.members, forms.resources):
        formset.instance = household
        formset.save()
    if forms.lease is not None and forms.lease.has_changed():
        lease = forms.lease.save(commit=False)
        lease.household = household
        lease.save()


@transaction.atomic
def household_create(*, by: User, forms: HouseholdForms) -> Household:
    require(access.can_create_household(by))
    household = forms.household.save(commit=False)
    household.organisation = by.organisation
    household.save()
    _set_reference(household)
    if access.joins_caseload_on_creation(by):
        household.assigned_workers.add(by)
    _save_related(forms, household)
    return household


@transaction.atomic
def household_update(*, by: User, forms: HouseholdForms, expected_version: int) -> Household:
    require(access.can_edit_household(by, forms.household.instance))
    household = forms.household.instance
    current = Household.objects.select_for_update().get(pk=household.pk)
    if current.version != expected_version:
        raise StaleEdit(current)
    household = forms.household.save(commit=False)
    household.version = current.version + 1  # the row is locked: no concurrent increment
    household.save()
    _save_related(forms, household)
    return household


@transaction.atomic
def household_assign_workers(*, household: Household, by: User, workers: Iterable[User]) -> None:
    require(access.can_assign_workers(by, household))
    household.assigned_workers.set(list(workers))


@transaction.atomic
def referral_record(*, by: User, household: Household, partner, referrer_name: str, referred_on,
                    reason: str, track: str) -> Referral:
    return Referral.objects.create(household=household, partner=partner, referrer_name=referrer_name,
                                   referred_on=referred_on, reason=reason, track=track, created_by=by)


@transaction.atomic
def referral_intake_record(*, by: User, last_name: str, first_name: str, birth_year: int, track: str,
                           territory, partner, referrer_name: str, referred_on, reason: str,
                           **_ignored) -> Household:
    """A referral for a household ZEL does not know yet: creates both, or neither."""
    require(access.can_create_household(by))
    household = Household.objects.create(last_name=last_name, first_name=first_name,
                                         birth_year=birth_year, track=track, territory=territory,
                                         organisation=by.organisation)
    _set_reference(household)
    if access.joins_caseload_on_creation(by):
        household.assigned_workers.add(by)
    referral_record(by=by, household=household, partner=partner, referrer_name=referrer_name,
                    referred_on=referred_on, reason=reason, track=track)
    return household


@transaction.atomic
def household_transition(*, household: Household, to: str, by: User | None, reason: str = "") -> Household:
    """Moves the household along its lifecycle (households.lifecycle) and records the step (who, when,
    why: the household timeline shows it). A change the table does not allow raises a French
    ValidationError. Runs inside the caller's transaction, so a decision and its status land together."""
    locked = Household.objects.select_for_update().get(pk=household.pk)
    if locked.status == to:
        return household  # already there (a corrected decision that confirms the outcome): no step
    try:
        lifecycle.check(locked.status, to, dict(Household.Status.choices))
    except lifecycle.TransitionRefused as refused:
        raise ValidationError(str(refused), code="transition_refused") from None
    StatusChange.objects.create(household_id=household.pk, from_status=locked.status, to_status=to,
                                reason=str(reason)[:300], by=by)
    household.status = to
    household.version = locked.version + 1
    household._history_user = by
    household.save(update_fields=["status", "version", "updated_at"])
    return household


@transaction.atomic
def figures_freeze(*, household: Household, moment: str, by: User | None, taken_on: date,
                   source: str = "") -> FrozenFigures:
    """Stores the household's figures as they stand (households.figures), with the rule version: the
    entry figures at the COPIL admission, the exit figures when support ends. One row per source: a
    corrected decision that admits again keeps the first figures."""
    existing = FrozenFigures.objects.filter(household_id=household.pk, moment=moment, source=source).first() \
        if source else None
    if existing is not None:
        return existing
    fresh = Household.objects.prefetch_related("members", "resources", "leases").get(pk=household.pk)
    figures = household_figures(fresh, on=taken_on)
    fig = figures.budget
    return FrozenFigures.objects.create(
        household_id=household.pk, moment=moment, taken_on=taken_on, source=source, resources=fig.resources,
        housing_cost=fig.housing_cost, fixed_charges=fig.fixed_charges, debt_repayments=fig.debt_repayments,
        units=fig.units, effort_rate=fig.effort_rate, remaining_income=fig.remaining.monthly,
        remaining_per_unit=fig.remaining.per_unit, remaining_per_day_per_unit=fig.remaining.per_day_per_unit,
        rent_debt=figures.debt.amount, rent_debt_on=figures.debt.as_of, rule_version=fig.rule_version,
        created_by=by)
# --- Contacts and consent to reminders (issue 15) ---------------------------------------------

@transaction.atomic
def contact_save(*, contact, by: User, sms_consent: bool, email_consent: bool):
    """Creates or updates a contact; consent per channel is dated and signed by `by` when given,
    emptied when withdrawn (the change history keeps both)."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    require(access.can_edit_household(by, contact.household))
    errors = {}
    if sms_consent and not contact.phone:
        errors["sms_consent"] = _("Indiquez un numéro de mobile pour envoyer des SMS.")
    elif sms_consent and not contact.is_mobile:
        errors["sms_consent"] = _("Ce numéro n'est pas un mobile : il ne peut pas recevoir de SMS.")
    if email_consent and not contact.email:
        errors["email_consent"] = _("Indiquez une adresse e-mail pour envoyer des e-mails.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    if sms_consent and not contact.sms_consent_at:
        contact.sms_consent_at, contact.sms_consent_by, contact.sms_stopped_at = now, by, None
    elif not sms_consent:
        contact.sms_consent_at = contact.sms_consent_by = None
    if email_consent and not contact.email_consent_at:
        contact.email_consent_at, contact.email_consent_by = now, by
    elif not email_consent:
        contact.email_consent_at = contact.email_consent_by = None
    contact._history_user = by
    contact.save()
    return contact


@transaction.atomic
def contact_sms_stop(*, phone: str) -> list[int]:
    """A "STOP" reply from `phone`: SMS consent withdrawn on every contact with that number.
    Returns the households concerned (their pending SMS reminders are cancelled by the caller)."""
    import phonenumbers
    from django.utils import timezone

    from .models import Contact

    try:
        number = phonenumbers.parse(phone if phone.startswith("+") else f"+{phone}", None)
    except phonenumbers.NumberParseException:
        return []
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    households = []
    for contact in Contact.objects.select_for_update(of=("self",)).filter(phone=e164):
        contact.sms_consent_at = contact.sms_consent_by = None
        contact.sms_stopped_at = timezone.now()
        contact._history_user = None
        contact.save()
        households.append(contact.household_id)
    return households
