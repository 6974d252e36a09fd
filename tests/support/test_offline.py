"""Offline capture (issue 19), server side: the caseload a phone keeps, the endpoint that receives
queued visits (each made once, conflicts held for review and never dropped), the review, the
installable app's manifest and service worker. The browser side is tests/e2e/test_offline_visits.py."""

import json
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import Report
from support import retention as support_retention
from support.models import Intervention, OfflineVisit, PlanGoal
from tests.factories import HouseholdFactory, UserFactory, walk_to
from zel.models import SubmissionKey

pytestmark = pytest.mark.django_db
SYNC = reverse("support:offline_sync")


def visit_payload(household, **changes):
    payload = {"idempotency_key": str(uuid.uuid4()), "household": household.pk,
               "household_label": f"{household.reference} {household.display_name}",
               "occurred_on": timezone.localdate().isoformat(), "mode": "home_visit", "themes": ["budget"],
               "duration_minutes": "45", "summary": "Point sur le budget, dossier FSL à compléter.",
               "participants": "", "no_show": False, "planned": False, "action_title": "", "action_due": "",
               "action_theme": "", "captured_at": timezone.now().isoformat()}
    payload.update(changes)
    return payload


def send(client, payload):
    return client.post(SYNC, json.dumps(payload), content_type="application/json")


# --- What the phone keeps --------------------------------------------------------------------------

def test_the_caseload_holds_only_references_and_names_of_the_workers_open_households(
        as_user, personas, households, orgs):
    ended = HouseholdFactory(last_name="Zidane", organisation=orgs.amli, workers=[personas.worker])
    walk_to(ended, "ended")
    answer = as_user(personas.worker).get(reverse("support:offline_caseload"))
    assert answer.status_code == 200 and "no-store" in answer["Cache-Control"]
    data = answer.json()
    assert data["user"] == personas.worker.pk and data["csrf"]
    assert [h["id"] for h in data["households"]] == [households.mine.pk]
    assert set(data["households"][0]) == {"id", "reference", "name"}
    assert data["households"][0]["name"] == "LEFÈVRE Élodie"


@pytest.mark.parametrize("persona", ["manager", "litigation_x", "copil_a", "funder"])
def test_only_the_care_circle_gets_a_caseload_or_sends_visits(as_user, personas, households, persona):
    client = as_user(getattr(personas, persona))
    assert client.get(reverse("support:offline_caseload")).status_code == 403
    assert send(client, visit_payload(households.mine)).status_code == 403
    assert Intervention.objects.count() == 0


def test_the_offline_page_names_no_household(as_user, personas, households):
    page = as_user(personas.worker).get(reverse("support:offline"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Lefèvre".upper() not in html.upper() and households.mine.reference not in html
    assert "data-offline-form" in html and "Visites en attente" in html


# --- Each queued visit is made once -------------------------------------------------------------

def test_a_queued_visit_is_recorded_with_its_data_and_a_resend_makes_no_second(as_user, personas, households):
    client = as_user(personas.worker)
    payload = visit_payload(households.mine, action_title="Relancer la CAF",
                            action_due=(timezone.localdate() + timedelta(days=7)).isoformat())
    first = send(client, payload)
    assert first.status_code == 201 and first.json()["status"] == "saved"
    visit = Intervention.objects.get()
    assert (visit.household, visit.author, visit.summary, visit.duration_minutes, visit.themes) == (
        households.mine, personas.worker, payload["summary"], 45, ["budget"])
    assert PlanGoal.objects.get(source_intervention=visit).title == "Relancer la CAF"
    assert first.json()["url"] == reverse("support:visit", args=[visit.pk])
    again = send(client, payload)
    assert again.status_code == 200 and again.json()["status"] == "saved"
    assert Intervention.objects.count() == 1 and PlanGoal.objects.count() == 1


def test_the_online_form_and_the_queue_share_one_key(as_user, personas, households):
    """A page filled online, sent offline by the queue, then sent again by the browser: one visit."""
    client = as_user(personas.worker)
    payload = visit_payload(households.mine)
    assert send(client, payload).status_code == 201
    form = {"idempotency_key": payload["idempotency_key"], "household": households.mine.pk,
            "occurred_on": timezone.localdate().strftime("%d/%m/%Y"), "mode": "home_visit",
            "summary": payload["summary"]}
    assert client.post(reverse("support:visit_new"), form).status_code == 302
    assert Intervention.objects.count() == 1


def test_a_refused_visit_keeps_its_key_so_that_the_corrected_one_goes_through(as_user, personas, households):
    client = as_user(personas.worker)
    payload = visit_payload(households.mine, summary="")
    refused = send(client, payload)
    assert refused.status_code == 400
    assert refused.json()["errors"]["summary"][0]["message"] == \
        "Le compte rendu est obligatoire pour une visite réalisée."
    assert not SubmissionKey.objects.exists() and not Intervention.objects.exists()
    payload["summary"] = "Compte rendu complété."
    assert send(client, payload).status_code == 201


@pytest.mark.parametrize("body", [b"not json", b"[]", json.dumps({"household": 1}).encode()])
def test_an_unreadable_send_is_refused_in_french(as_user, personas, households, body):
    answer = as_user(personas.worker).post(SYNC, body, content_type="application/json")
    assert answer.status_code == 400
    assert "reste sur le téléphone" in answer.json()["errors"]["__all__"][0]


# --- Conflicts are held for review, with the reason -----------------------------------------------

def test_a_household_handed_over_while_offline_holds_the_visit_for_review(as_user, personas, households, orgs):
    colleague = UserFactory(username="collegue", organisation=orgs.amli, roles=["social_worker"],
                            territories=["57"])
    households.mine.assigned_workers.set([colleague])
    answer = send(as_user(personas.worker), visit_payload(households.mine))
    assert answer.status_code == 202
    data = answer.json()
    assert data["status"] == "to_check" and data["reason"] == "Ménage confié à un autre intervenant"
    assert "confié à un autre intervenant" in data["detail"]
    review = OfflineVisit.objects.get()
    assert (review.author, review.household, review.status, review.payload["summary"]) == (
        personas.worker, households.mine, "to_check", "Point sur le budget, dossier FSL à compléter.")
    assert not Intervention.objects.exists()
    assert review.history.count() == 1


def test_a_household_closed_while_offline_holds_the_visit(as_user, personas, households):
    walk_to(households.mine, "ended")
    data = send(as_user(personas.worker), visit_payload(households.mine)).json()
    assert data["status"] == "to_check" and data["reason"] == "Dossier clos"


def test_a_visit_in_a_quarter_already_reported_is_held(as_user, personas, households):
    today = timezone.localdate()
    quarter_start = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    in_previous_quarter = quarter_start - timedelta(days=10)  # its report, below, is built after it ended
    quarter = f"{in_previous_quarter.year}Q{(in_previous_quarter.month - 1) // 3 + 1}"
    Report.objects.create(quarter=quarter, territory=None, status=Report.Status.DONE,
                          finished_at=timezone.now() - timedelta(days=1))
    data = send(as_user(personas.worker), visit_payload(households.mine,
                                                        occurred_on=in_previous_quarter.isoformat())).json()
    assert data["status"] == "to_check" and data["reason"] == "Période déjà déclarée"
    assert quarter in data["detail"]


def test_a_report_asked_in_the_middle_of_the_quarter_locks_nothing(as_user, personas, households):
    today = timezone.localdate()
    Report.objects.create(quarter=f"{today.year}Q{(today.month - 1) // 3 + 1}", territory=None,
                          status=Report.Status.DONE, finished_at=timezone.now())
    assert send(as_user(personas.worker), visit_payload(households.mine)).status_code == 201


def test_a_household_never_had_reads_as_missing_whether_it_exists_or_not(as_user, personas, households):
    client = as_user(personas.worker)
    existing = send(client, visit_payload(households.other)).json()
    absent = send(client, {**visit_payload(households.other), "household": 999_999}).json()
    assert existing["reason"] == absent["reason"] == "Dossier introuvable"
    assert existing["detail"] == absent["detail"]
    assert OfflineVisit.objects.filter(household__isnull=True).count() == 2


def test_a_resent_held_visit_answers_the_same_review(as_user, personas, households):
    walk_to(households.mine, "ended")
    client = as_user(personas.worker)
    payload = visit_payload(households.mine)
    first, second = send(client, payload).json(), send(client, payload).json()
    assert first == second and OfflineVisit.objects.count() == 1


# --- The review ------------------------------------------------------------------------------------

@pytest.fixture
def held(as_user, personas, households, orgs):
    colleague = UserFactory(username="collegue", organisation=orgs.amli, roles=["social_worker"],
                            territories=["57"])
    households.mine.assigned_workers.set([colleague])
    send(as_user(personas.worker), visit_payload(households.mine))
    return OfflineVisit.objects.get()


def test_the_worker_sees_the_held_visit_and_why_on_the_dashboard(as_user, personas, held):
    page = as_user(personas.worker).get(reverse("support:dashboard")).content.decode()
    assert "Visites hors connexion à vérifier" in page
    assert reverse("support:offline_review", args=[held.pk]) in page
    detail = as_user(personas.worker).get(reverse("support:offline_review", args=[held.pk])).content.decode()
    assert "Ménage confié à un autre intervenant" in detail and "Point sur le budget" in detail
    assert "Enregistrer la visite au nom" not in detail  # the author withdraws, a manager decides


def test_a_manager_records_the_held_visit_in_the_workers_name(as_user, personas, held):
    url = reverse("support:offline_review", args=[held.pk])
    answer = as_user(personas.manager).post(url, {"action": "record", "note": "Visite faite avant la passation."})
    visit = Intervention.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("support:visit", args=[visit.pk])
    assert visit.author == personas.worker and visit.history.get().history_user == personas.manager
    held.refresh_from_db()
    assert (held.status, held.resolved_by, held.intervention) == ("recorded", personas.manager, visit)
    again = as_user(personas.manager).post(url, {"action": "record"})
    assert again.status_code == 403 and Intervention.objects.count() == 1


def test_setting_a_held_visit_aside_needs_a_reason(as_user, personas, held):
    url = reverse("support:offline_review", args=[held.pk])
    client = as_user(personas.worker)
    refused = client.post(url, {"action": "dismiss", "note": " "})
    assert refused.status_code == 400 and "Indiquez pourquoi cette visite est écartée." in refused.content.decode()
    assert client.post(url, {"action": "dismiss", "note": "Saisie en double"}).status_code == 302
    held.refresh_from_db()
    assert (held.status, held.resolution_note, held.history.count()) == ("dismissed", "Saisie en double", 2)


def test_the_worker_cannot_record_and_other_scopes_do_not_see(as_user, personas, held):
    url = reverse("support:offline_review", args=[held.pk])
    assert as_user(personas.worker).post(url, {"action": "record"}).status_code == 403
    for persona in ("worker_54", "manager_54", "litigation_x"):
        assert as_user(getattr(personas, persona)).get(url).status_code == 404
    assert not Intervention.objects.exists()


def test_retention_blanks_what_the_phone_sent(held, households):
    support_retention.anonymise([households.mine.pk])
    held.refresh_from_db()
    assert (held.payload, held.household_label) == ({}, "")
    assert all(row.payload == {} for row in held.history.all())


# --- The installable app -------------------------------------------------------------------------

def test_the_manifest_describes_an_installable_app(client):
    answer = client.get(reverse("web_manifest"))
    assert answer.status_code == 200 and answer["Content-Type"] == "application/manifest+json"
    data = json.loads(answer.content)
    assert data["display"] == "standalone" and data["lang"] == "fr" and data["start_url"] == "/"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_service_worker_is_served_from_the_root_with_a_versioned_cache(client):
    answer = client.get(reverse("service_worker"))
    body = answer.content.decode()
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/javascript")
    assert answer["Service-Worker-Allowed"] == "/" and answer["Cache-Control"] == "no-cache"
    config = json.loads(body.split("const CONFIG = ", 1)[1].split(";", 1)[0])
    assert config["shell"] == reverse("support:offline") and len(config["version"]) == 12
    assert "/static/js/offline.js" in config["assets"]
    assert 'const CACHE = "zel-offline-" + CONFIG.version;' in body


def test_every_page_links_the_manifest_and_a_worker_gets_the_offline_hooks(as_user, personas, households):
    worker_page = as_user(personas.worker).get(reverse("support:dashboard")).content.decode()
    assert 'rel="manifest"' in worker_page and f'data-offline-user="{personas.worker.pk}"' in worker_page
    manager_page = as_user(personas.manager).get(reverse("support:dashboard")).content.decode()
    assert 'rel="manifest"' in manager_page and "data-offline-user" not in manager_page


def test_a_decision_without_a_choice_is_refused_in_french(as_user, personas, held):
    answer = as_user(personas.manager).post(reverse("support:offline_review", args=[held.pk]), {})
    assert answer.status_code == 400
    assert "Choisissez d’enregistrer ou d’écarter la visite." in answer.content.decode()
    held.refresh_from_db()
    assert held.status == "to_check"
