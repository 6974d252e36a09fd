"""Pure rules of the appointment reminders: when a message may go, and what it says. No ORM.

- A message goes between 9:00 and 19:00 Europe/Paris (ZEL_REMINDER_WINDOW), never on a Sunday or a
  public holiday of the household's département (Alsace-Moselle's own holidays included: the same
  calendar as the deadline engine, zel.lib.public_holidays).
- The text gives the date, the time, the place and the worker's first name — and nothing else: no
  reason, no debt, no procedure, no health. `assert_clean` refuses a text that would carry any of
  them (a money amount, a word of the blocklist), as a last guard in case a free text (the office
  address) held one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from zel.lib.public_holidays import is_public_holiday

PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def can_send_on(day: date, departement: str, quiet_days: bool = True) -> bool:
    return not quiet_days or (day.weekday() != 6 and not is_public_holiday(day, departement))


def sending_slot(when: datetime, departement: str, window: tuple[int, int] = (9, 19),
                 quiet_days: bool = True) -> datetime:
    """The first moment at or after `when` inside the sending window, as an aware datetime.
    `window` is (first hour, hour the window closes; 24 = midnight); `quiet_days`: never on a Sunday
    or a public holiday."""
    local = when.astimezone(PARIS)
    start = time(window[0])
    end = time(window[1]) if window[1] < 24 else None
    day = local.date()
    if end is not None and local.time() >= end:
        day, local = day + timedelta(days=1), None
    elif local.time() < start:
        local = None
    for _ in range(10):  # at most a Sunday next to a couple of holidays
        if can_send_on(day, departement, quiet_days):
            if local is not None and local.date() == day:
                return local
            return datetime.combine(day, start, tzinfo=PARIS)
        day, local = day + timedelta(days=1), None
    return datetime.combine(day, start, tzinfo=PARIS)


def in_window(when: datetime, departement: str, window: tuple[int, int] = (9, 19), quiet_days: bool = True) -> bool:
    return sending_slot(when, departement, window, quiet_days) == when.astimezone(PARIS)


@dataclass(frozen=True)
class MessageFacts:
    """Everything a message may say. Built from the appointment by the service: nothing else reaches
    the text."""

    kind: str  # confirmation, change, cancellation, before
    starts_at: datetime
    place: str  # home, office, phone, video
    office_address: str
    worker_first_name: str
    sender: str = "AMLI"


def place_phrase(place: str, office_address: str) -> str:
    return {
        "home": "à votre domicile",
        "office": f"au bureau, {office_address}" if office_address else "au bureau",
        "phone": "par téléphone (nous vous appelons)",
        "video": "en visio (le lien vous sera envoyé)",
    }.get(place, "")


def reminder_text(facts: MessageFacts) -> str:
    local = facts.starts_at.astimezone(PARIS)
    when = f"le {WEEKDAYS[local.weekday()]} {local:%d/%m/%Y} à {local:%Hh%M}"
    where = place_phrase(facts.place, facts.office_address)
    who = f"avec {facts.worker_first_name}" if facts.worker_first_name else ""
    details = " ".join(part for part in (when, where, who) if part)
    lead = {
        "confirmation": "Rendez-vous confirmé",
        "change": "Rendez-vous modifié, nouveau rendez-vous",
        "cancellation": "Rendez-vous annulé",
        "before": "Rappel : rendez-vous",
    }[facts.kind]
    text = f"{lead} {details}. {facts.sender}."
    if facts.kind == "cancellation":
        text = f"{lead} : celui du {local:%d/%m/%Y} à {local:%Hh%M} n'a pas lieu. {facts.sender}."
    return text


SMS_FOOTER = " STOP pour ne plus recevoir de rappels."
EMAIL_SUBJECTS = {"confirmation": "Votre rendez-vous", "change": "Votre rendez-vous a changé",
                  "cancellation": "Votre rendez-vous est annulé", "before": "Rappel de votre rendez-vous"}

# Words that never go into a message to a household (they would tell a neighbour reading the phone
# why a social worker is coming). Lower-case, accents kept and stripped.
FORBIDDEN_WORDS = (
    "dette", "impayé", "impaye", "loyer", "expulsion", "huissier", "commandement", "assignation",
    "tribunal", "audience", "procédure", "procedure", "contentieux", "santé", "sante", "médical",
    "medical", "psychologue", "psychiatr", "addiction", "alcool", "dépression", "depression",
    "cardio", "traitement", "maladie", "hôpital", "hopital", "surendettement", "motif",
)
AMOUNT = re.compile(r"\d[\d\s.,]*\s?(€|eur\b|euros?\b)", re.IGNORECASE)


class UnsafeContent(ValueError):
    """A message would carry an amount or a sensitive word: it is not sent."""


def assert_clean(text: str) -> str:
    lowered = text.lower()
    if AMOUNT.search(text) or "€" in text:
        raise UnsafeContent("montant")
    for word in FORBIDDEN_WORDS:
        if word in lowered:
            raise UnsafeContent("mot interdit")
    return text


def retry_delay(attempts: int, delays: list[int]) -> int | None:
    """Seconds before the next try after `attempts` failed ones, or None: give up (failed)."""
    if attempts > len(delays):
        return None
    return delays[attempts - 1]
