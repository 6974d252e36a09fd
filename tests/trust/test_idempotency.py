"""Issue 17, item 5: a create form submitted twice (or twenty times at once) creates one object.

Each create form a phone may resubmit carries a hidden key drawn at render; a repeated key is
answered with the first result. The concurrency test needs PostgreSQL (row locks on the unique
index); on SQLite, writes are serialised anyway and it is skipped."""

import re
import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from households.models import Household, Referral
from support.models import Diagnosis, Intervention, PlanGoal, PsychologistNote
from tests.support.test_visits import _post
from zel.models import SubmissionKey

KEY = "6f1c2c3e-9a55-4f0e-9d0b-3e2f1c0a7b11"


def _key_in(page: str) -> str:
    return re.search(r'name="idempotency_key" value="([0-9a-f-]{36})"', page)[1]


@pytest.mark.django_db
def test_visit_form_carries_a_fresh_key_and_keeps_it_when_it_comes_back_with_errors(households, personas, as_user):
    client = as_user(personas.worker)
    first, second = (_key_in(client.get(reverse("support:visit_new")).content.decode()) for _i in range(2))
    assert first != second
    response = _post(client, households.mine, summary="", idempotency_key=first)
    assert response.status_code == 400 and _key_in(response.content.decode()) == first
    # Nothing was created with it: the corrected form goes through with the same key.
    assert _post(client, households.mine, idempotency_key=first).status_code == 302
    assert Intervention.objects.count() == 1


@pytest.mark.django_db
def test_a_repeated_visit_submission_returns_the_first_visit(households, personas, as_user):
    client = as_user(personas.worker)
    first = _post(client, households.mine, idempotency_key=KEY)
    again = _post(client, households.mine, idempotency_key=KEY)
    visit = Intervention.objects.get()
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"] == reverse("support:visit", args=[visit.pk])
    assert PlanGoal.objects.count() == 1  # its next action was not duplicated either
    page = client.get(again["Location"]).content.decode().replace("&#x27;", "'")
    assert "Ce formulaire avait déjà été envoyé" in page
    assert SubmissionKey.objects.get().user == personas.worker


def _twice(client, url, data):
    key = str(uuid.uuid4())  # a key is drawn per rendered form
    responses = [client.post(url, {**data, "idempotency_key": key}) for _i in range(2)]
    assert [r.status_code for r in responses] == [302, 302], [r.content[:300] for r in responses]
    assert responses[0]["Location"] == responses[1]["Location"]


@pytest.mark.django_db
def test_every_create_form_a_phone_may_resubmit_is_idempotent(households, personas, orgs, as_user):
    worker = as_user(personas.worker)
    today = timezone.localdate()
    territory = personas.worker.territories.get().pk
    _twice(worker, reverse("households:create"), {
        "h-last_name": "Durand", "h-first_name": "Zoé", "h-birth_year": "1990", "h-track": "acces",
        "h-territory": territory, "m-TOTAL_FORMS": "0", "m-INITIAL_FORMS": "0", "r-TOTAL_FORMS": "0",
        "r-INITIAL_FORMS": "0"})
    assert Household.objects.filter(last_name="Durand").count() == 1
    _twice(worker, reverse("households:referral_intake"), {
        "last_name": "Keller", "first_name": "Anna", "birth_year": "1985", "track": "maintien",
        "territory": territory, "partner": orgs.caf.pk, "referrer_name": "Mme Roux",
        "referred_on": today.isoformat(), "reason": "Impayés"})
    assert Household.objects.filter(last_name="Keller").count() == 1
    _twice(worker, reverse("households:referral_add", args=[households.mine.pk]), {
        "partner": orgs.caf.pk, "referrer_name": "Mme Roux", "referred_on": today.isoformat(), "reason": "Dette"})
    assert Referral.objects.filter(household=households.mine).count() == 1
    _twice(worker, reverse("support:goal_new", args=[households.mine.pk]), {
        "theme": "budget", "title": "Ouvrir un compte", "owner": personas.worker.pk,
        "due_on": (today + timedelta(days=10)).isoformat(), "status": "todo"})
    assert PlanGoal.objects.filter(title="Ouvrir un compte").count() == 1
    _twice(worker, reverse("support:diagnosis_new", args=[households.mine.pk]), {
        "kind": "standard", "done_on": today.isoformat(), "rent_debt": "0", "energy_debt": "0", "other_debts": "0"})
    assert Diagnosis.objects.filter(household=households.mine).count() == 1
    psychologist = as_user(personas.psychologist)
    _twice(psychologist, reverse("support:psy_note_new", args=[households.mine.pk]),
           {"occurred_on": today.isoformat(), "content": "Entretien"})
    assert PsychologistNote.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_identical_visit_submissions_create_one_visit(households, personas):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…): SQLite serialises every write")
    today = timezone.localdate()
    data = {"household": households.mine.pk, "occurred_on": today.isoformat(), "mode": "home_visit",
            "duration_minutes": "45", "themes": ["budget"], "summary": "Point budget sur le pas de la porte.",
            "action_title": "Envoyer le dossier FSL", "action_due": (today + timedelta(days=7)).isoformat(),
            "action_theme": "rights", "idempotency_key": KEY}
    clients = []
    for _i in range(20):
        client = Client()
        client.force_login(personas.worker)
        clients.append(client)
    start = threading.Barrier(20)
    results: list = [None] * 20

    def submit(i):
        try:
            start.wait()
            response = clients[i].post(reverse("support:visit_new"), data)
            results[i] = (response.status_code, response.get("Location"))
        except Exception as exc:  # noqa: BLE001 - reported below, a thread must not die silently
            results[i] = ("error", repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    visit = Intervention.objects.get()  # exactly one
    assert results == [(302, reverse("support:visit", args=[visit.pk]))] * 20
    assert PlanGoal.objects.count() == 1
    assert SubmissionKey.objects.count() == 1
