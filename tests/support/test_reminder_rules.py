"""Pure rules of the reminders: sending window, Sundays and holidays, the text, the content guard."""

from datetime import datetime

import pytest

from support import reminders
from support.reminders import PARIS, MessageFacts


def at(y, m, d, h=10, mi=0):
    return datetime(y, m, d, h, mi, tzinfo=PARIS)


@pytest.mark.parametrize(("when", "dep", "expected"), [
    (at(2026, 12, 1, 10, 30), "57", at(2026, 12, 1, 10, 30)),  # a Tuesday morning: now
    (at(2026, 12, 1, 7, 0), "57", at(2026, 12, 1, 9, 0)),  # too early: 9:00
    (at(2026, 12, 1, 19, 0), "57", at(2026, 12, 2, 9, 0)),  # 19:00 is closed: next morning
    (at(2026, 12, 5, 20, 0), "57", at(2026, 12, 7, 9, 0)),  # Saturday evening: not Sunday, Monday
    (at(2026, 12, 6, 11, 0), "54", at(2026, 12, 7, 9, 0)),  # Sunday: Monday
    (at(2026, 12, 24, 20, 0), "57", at(2026, 12, 28, 9, 0)),  # 25 and 26/12 (Moselle), 27 Sunday
    (at(2026, 12, 24, 20, 0), "54", at(2026, 12, 26, 9, 0)),  # 26/12 is a working day in 54
    (at(2026, 4, 3, 10, 0), "67", at(2026, 4, 4, 9, 0)),  # Good Friday in Alsace
    (at(2026, 4, 3, 10, 0), "54", at(2026, 4, 3, 10, 0)),  # …but not in Meurthe-et-Moselle
    (at(2026, 7, 14, 12, 0), "54", at(2026, 7, 15, 9, 0)),  # national holiday
])
def test_a_message_waits_for_the_sending_window(when, dep, expected):
    assert reminders.sending_slot(when, dep) == expected
    assert reminders.in_window(expected, dep)


def test_text_gives_date_time_place_and_first_name_only():
    facts = MessageFacts(kind="before", starts_at=at(2026, 12, 3, 14, 30), place="office",
                         office_address="AMLI, 3 rue Serpenoise, Metz", worker_first_name="Julie")
    text = reminders.reminder_text(facts)
    assert text == "Rappel : rendez-vous le jeudi 03/12/2026 à 14h30 au bureau, AMLI, 3 rue Serpenoise, Metz " \
                   "avec Julie. AMLI."
    assert reminders.assert_clean(text) == text


@pytest.mark.parametrize("kind", ["confirmation", "change", "cancellation", "before"])
def test_every_kind_of_message_passes_the_guard(kind):
    facts = MessageFacts(kind=kind, starts_at=at(2026, 12, 3, 9, 0), place="home", office_address="",
                         worker_first_name="Karim")
    assert "03/12/2026" in reminders.assert_clean(reminders.reminder_text(facts))


@pytest.mark.parametrize("text", ["RDV au bureau, dette 1 840,00 €", "Bureau du tribunal", "Centre de santé",
                                  "avec Julie, cardiologue", "reste 300 euros"])
def test_guard_refuses_amounts_and_sensitive_words(text):
    with pytest.raises(reminders.UnsafeContent):
        reminders.assert_clean(text)


def test_retries_back_off_then_give_up():
    delays = [60, 300, 1800]
    assert [reminders.retry_delay(n, delays) for n in (1, 2, 3, 4)] == [60, 300, 1800, None]
