"""On a phone (375×812): the visit's next action books an appointment, seen in the week view; when it
has taken place, one tap marks it honoured and opens the visit form pre-filled."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from support.models import Appointment
from tests.factories import PASSWORD

from .conftest import audit, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_next_action_books_an_appointment_then_honoured_opens_the_visit_form(phone_page, live_server, personas,
                                                                            households):
    page = phone_page
    day = timezone.localdate() + timedelta(days=3)
    log_in(page, live_server, "worker", PASSWORD)
    audit(page)
    page.goto(f"{live_server.url}/accompagnement/visite/nouvelle/?menage={households.mine.pk}")
    audit(page)
    page.get_by_label("Compte rendu").fill("Point sur les démarches.")
    page.get_by_label("Prochaine action", exact=True).fill("Revoir le dossier FSL")
    page.get_by_label("Pour le").fill(day.isoformat())
    page.get_by_label("Rendez-vous le").fill(day.isoformat())
    page.get_by_label("à", exact=True).fill("10:30")
    page.get_by_label("Lieu du rendez-vous").select_option("office")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Enregistrer la visite").click()
    page.wait_for_load_state("load")
    audit(page)
    # The office needs an address: the error is next to the field, the typed values are kept.
    assert "adresse du bureau" in page.content()
    assert page.get_by_label("Prochaine action", exact=True).input_value() == "Revoir le dossier FSL"
    page.get_by_label("Adresse du bureau").fill("AMLI, 3 rue Serpenoise, Metz")
    page.get_by_role("button", name="Enregistrer la visite").click()
    page.wait_for_load_state("load")
    audit(page)
    assert "Visite enregistrée" in page.content()
    appointment = Appointment.objects.get(household=households.mine)
    assert timezone.localtime(appointment.starts_at).date() == day
    assert appointment.office_address == "AMLI, 3 rue Serpenoise, Metz"

    # The week view on the phone: the appointment is there, nothing scrolls sideways.
    page.goto(f"{live_server.url}/accompagnement/agenda/?semaine={day.isoformat()}")
    audit(page)
    assert "AMLI, 3 rue Serpenoise" in page.content()
    page.get_by_role("button", name="Créer un lien d'abonnement").click()
    page.wait_for_load_state("load")
    audit(page)
    assert page.get_by_label("Lien d'abonnement").input_value().endswith(".ics")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # The day comes: the appointment started a few minutes ago, but today (just after midnight in
    # Paris, five minutes ago was yesterday, and yesterday's appointments are not on today's panel).
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    start = max(timezone.now() - timedelta(minutes=5), midnight)
    Appointment.objects.filter(pk=appointment.pk).update(starts_at=start, ends_at=start + timedelta(minutes=45))
    page.goto(f"{live_server.url}/accompagnement/")
    audit(page)
    today = page.get_by_test_id("today-appointments")
    assert households.mine.display_name in today.inner_text()
    today.get_by_role("link").first.click()
    page.wait_for_load_state("load")
    audit(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Honoré").click()
    page.wait_for_load_state("load")
    audit(page)
    assert "Rendez-vous honoré" in page.content()
    assert page.get_by_role("combobox", name="Ménage").input_value() == str(households.mine.pk)
    assert page.get_by_label("Rendez-vous au bureau").is_checked()
    assert page.get_by_label("Durée (minutes)").input_value() == "45"
    page.get_by_label("Compte rendu").fill("Rendez-vous tenu, dossier FSL revu.")
    page.get_by_role("button", name="Enregistrer la visite").click()
    page.wait_for_load_state("load")
    audit(page)
    assert "Visite enregistrée" in page.content()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.HONOURED and appointment.intervention_id is not None
