"""On a phone (375×812) without signal (issue 19): visits logged offline survive a reload, are sent
once each when the connection returns, a conflict is shown with its reason, and logging out leaves
no caseload on the phone."""

import pytest

from support.models import Intervention, OfflineVisit
from tests.factories import PASSWORD, UserFactory

from .conftest import audit, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHELL = "/accompagnement/hors-ligne/"
SHELL_KEPT = f"""async () => {{
  for (const name of await caches.keys()) {{
    if (await (await caches.open(name)).match('{SHELL}')) return true;
  }}
  return false;
}}"""
QUEUE_EMPTY = "() => Object.keys(localStorage).every(k => !k.startsWith('zel-offline-queue-'))"


def open_offline_page(page, live_server, household):
    """Online once: the service worker keeps the page, offline.js keeps the caseload."""
    page.goto(f"{live_server.url}{SHELL}")
    audit(page)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function(SHELL_KEPT)
    page.wait_for_function("() => localStorage.getItem('zel-offline-caseload') !== null")
    page.locator(f"select[name=household] option[value='{household.pk}']").wait_for(state="attached")


def log_visit(page, household, summary, minutes):
    page.get_by_role("combobox", name="Ménage").select_option(str(household.pk))
    page.get_by_label("Durée (minutes)").fill(str(minutes))
    page.locator("label[for=id_themes_0]").click()
    page.get_by_label("Compte rendu").fill(summary)
    page.get_by_role("button", name="Enregistrer la visite").click()
    page.get_by_text("Visite gardée sur le téléphone").wait_for()


def test_two_visits_logged_offline_survive_a_reload_and_are_sent_once_each(
        phone_page, live_server, personas, households):
    page = phone_page
    log_in(page, live_server, "worker", PASSWORD)
    audit(page)
    open_offline_page(page, live_server, households.mine)

    page.context.set_offline(True)
    log_visit(page, households.mine, "Première visite sans réseau, dans la cave.", 30)
    log_visit(page, households.mine, "Seconde visite sans réseau, budget revu.", 45)
    assert page.locator("[data-offline-count]").inner_text() == "2"

    page.reload()
    page.wait_for_load_state("load")
    audit(page)
    counter = page.locator("[data-offline-counter]")
    assert counter.is_visible() and "2 visites en attente d’envoi" in counter.inner_text()
    assert page.locator("[data-offline-pending] li").count() == 2
    assert "Hors connexion" in page.locator("[data-offline-network]").inner_text()
    assert Intervention.objects.count() == 0

    page.context.set_offline(False)
    page.wait_for_function(QUEUE_EMPTY)
    page.wait_for_function("() => document.querySelector('[data-offline-counter]').hidden")
    visits = list(Intervention.objects.order_by("duration_minutes"))
    assert [(v.summary, v.duration_minutes, v.author, v.household) for v in visits] == [
        ("Première visite sans réseau, dans la cave.", 30, personas.worker, households.mine),
        ("Seconde visite sans réseau, budget revu.", 45, personas.worker, households.mine)]
    assert all(v.themes == ["budget"] for v in visits)
    audit(page)


def test_a_household_handed_over_while_offline_is_held_and_the_worker_told_why(
        phone_page, live_server, personas, households, orgs):
    page = phone_page
    log_in(page, live_server, "worker", PASSWORD)
    audit(page)
    open_offline_page(page, live_server, households.mine)

    page.context.set_offline(True)
    log_visit(page, households.mine, "Visite faite avant la passation.", 40)
    colleague = UserFactory(username="collegue", organisation=orgs.amli, roles=["social_worker"],
                            territories=["57"])
    households.mine.assigned_workers.set([colleague])  # the manager hands the household over meanwhile

    page.context.set_offline(False)
    page.wait_for_function(QUEUE_EMPTY)
    flash = page.locator("[data-offline-flash]")
    flash.get_by_text("à vérifier").wait_for()
    assert "Ménage confié à un autre intervenant" in flash.inner_text()
    assert not Intervention.objects.exists()
    review = OfflineVisit.objects.get()
    assert (review.status, review.reason, review.payload["summary"]) == (
        "to_check", "transferred", "Visite faite avant la passation.")
    audit(page)

    flash.get_by_role("link", name="Voir").click()
    page.wait_for_load_state("load")
    audit(page)
    assert "pendant que la visite attendait d’être envoyée".replace("’", "'") in page.content().replace("’", "'")


def test_logging_out_clears_the_caseload_kept_on_the_phone(phone_page, live_server, personas, households):
    page = phone_page
    log_in(page, live_server, "worker", PASSWORD)
    audit(page)
    open_offline_page(page, live_server, households.mine)
    assert households.mine.last_name.upper() in page.evaluate("localStorage.getItem('zel-offline-caseload')")

    page.get_by_role("button", name="Ouvrir le menu").click()
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/comptes/login/**", timeout=30_000)  # the queue is flushed first
    page.wait_for_load_state("load")
    audit(page)
    assert page.evaluate("localStorage.getItem('zel-offline-caseload')") is None
    # The page kept for offline use (it names the worker) is gone; only static files may be cached again.
    assert page.evaluate(SHELL_KEPT) is False


def test_the_caseload_is_forgotten_after_seven_days_without_a_connection(
        phone_page, live_server, personas, households):
    page = phone_page
    log_in(page, live_server, "worker", PASSWORD)
    audit(page)
    open_offline_page(page, live_server, households.mine)

    page.context.set_offline(True)
    page.evaluate("""() => {
      const kept = JSON.parse(localStorage.getItem('zel-offline-caseload'));
      kept.savedAt = Date.now() - 8 * 24 * 3600 * 1000;
      localStorage.setItem('zel-offline-caseload', JSON.stringify(kept));
    }""")
    page.reload()
    page.wait_for_load_state("load")
    audit(page)
    assert page.evaluate("localStorage.getItem('zel-offline-caseload')") is None
    assert "après 7 jours sans connexion" in page.locator("[data-offline-caseload-note]").inner_text()
    assert page.locator("select[name=household] option").count() == 1  # "—" only
    page.context.set_offline(False)
