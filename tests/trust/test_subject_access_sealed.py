"""Issue 17, item 1: sealed data never leaves through the subject-access export.

The manager's export used to contain the psychologist's notes and the health section of the
diagnosis. Now each sealed part is exported by the people entitled to read it (the psychologist of
the household for the notes, its care circle for health), and the manager's export lists the parts
and who produces them. Markers are planted in every sealed field (and in their history); every
persona downloads every export: only the entitled ever get a marker."""

import json

import pytest
from django.urls import reverse

from accounts.models import AccessLog
from support.models import Diagnosis
from tests.factories import HouseholdFactory, LeaseFactory, UserFactory
from tests.support.factories import DiagnosisFactory, PsychologistNoteFactory
from tests.trust.test_permission_matrix import all_url_names

pytestmark = pytest.mark.django_db

NOTE_MARKERS = ("NOTEPSY-MARQUEUR-1", "NOTEPSY-MARQUEUR-2")
HEALTH_MARKERS = ("SANTE-MARQUEUR", "SANTEMENTALE-MARQUEUR", "ADDICTION-MARQUEUR", "SANTE-BROUILLON-MARQUEUR")

NOTES_URL, HEALTH_URL = "support:sealed_notes_export", "support:sealed_health_export"
# Every download that may carry household data, with its kwargs ("pk": the household).
DOWNLOADS = {
    "households:personal_data_export": True, NOTES_URL: True, HEALTH_URL: True,
    "households:export": False, "support:visit_export": False,
}


@pytest.fixture
def sealed(personas, orgs):
    household = HouseholdFactory(organisation=orgs.amli, workers=[personas.worker, personas.psychologist])
    LeaseFactory(household=household, landlord=orgs.landlord_x)
    diagnosis = DiagnosisFactory(household=household, health=HEALTH_MARKERS[3])
    diagnosis.health, diagnosis.mental_health, diagnosis.addictions = HEALTH_MARKERS[:3]
    diagnosis.save()  # the draft stays in the history rows
    for marker in NOTE_MARKERS:
        PsychologistNoteFactory(household=household, author=personas.psychologist, content=marker)
    return household


def _everyone(personas, orgs):
    people = {name: user for name, user in vars(personas).items()}
    people["psychologist_other"] = UserFactory(username="psy2_local", organisation=orgs.amli, roles=["psychologist"],
                                               territories=["57"])
    people["worker_other"] = UserFactory(username="worker2_local", organisation=orgs.amli, roles=["social_worker"],
                                         territories=["57"])
    people["anonymous"] = None
    return people


def _get(client, user, name, household):
    client.logout()
    if user is not None:
        client.force_login(user)
    kwargs = {"pk": household.pk} if DOWNLOADS[name] else {}
    return client.get(reverse(name, kwargs=kwargs))


def test_every_download_url_is_checked():
    # The funders' row-level export holds no free text by construction (tests/reports/test_dashboard.py).
    assert {n for n in all_url_names() if "export" in n} - {"reports:row_export"} <= set(DOWNLOADS)


def test_no_export_downloadable_by_a_non_entitled_role_holds_a_sealed_marker(client, sealed, personas, orgs):
    may_read_notes = {"psychologist"}
    may_read_health = {"psychologist", "worker"}
    downloaded = {}
    for who, user in _everyone(personas, orgs).items():
        for name in DOWNLOADS:
            response = _get(client, user, name, sealed)
            if response.status_code != 200:
                continue
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode("utf-8-sig")
            downloaded[(who, name)] = text
            if who not in may_read_notes:
                assert not [m for m in NOTE_MARKERS if m in text], (who, name)
            if who not in may_read_health:
                assert not [m for m in HEALTH_MARKERS if m in text], (who, name)
            # Even an entitled person gets a sealed part only from its own export, never from another.
            if name != NOTES_URL:
                assert not [m for m in NOTE_MARKERS if m in text], (who, name)
            if name != HEALTH_URL:
                assert not [m for m in HEALTH_MARKERS if m in text], (who, name)
    # Who downloads what: the manager gets the file without sealed parts, each sealed part its producers.
    assert {(who, n) for who, n in downloaded if n in (NOTES_URL, HEALTH_URL)} == {
        ("psychologist", NOTES_URL), ("psychologist", HEALTH_URL), ("worker", HEALTH_URL)}
    assert ("manager", "households:personal_data_export") in downloaded
    notes = json.loads(downloaded[("psychologist", NOTES_URL)])
    assert [n["note"] for n in notes["notes"]] == list(NOTE_MARKERS)
    health = json.loads(downloaded[("worker", HEALTH_URL)])
    assert [(d["santé"], d["santé_mentale"], d["addictions"]) for d in health["diagnostics"]] == [HEALTH_MARKERS[:3]]


def test_manager_export_lists_the_sealed_parts_and_who_produces_them(as_user, sealed, personas):
    client = as_user(personas.manager)
    data = json.loads(client.get(reverse("households:personal_data_export", args=[sealed.pk])).content)
    parts = {p["partie"]: p for p in data["parties_scellées"]}
    notes = parts["Notes de la psychologue"]
    assert notes["nombre"] == 2
    assert notes["produite_par"] == f"la psychologue du ménage : {personas.psychologist.get_full_name()}"
    health = parts["Section santé des diagnostics (santé, santé mentale, addictions)"]
    assert health["nombre"] == 1
    assert personas.worker.get_full_name() in health["produite_par"]
    page = client.get(reverse("households:personal_data", args=[sealed.pk])).content.decode()
    assert "Notes de la psychologue" in page and personas.psychologist.get_full_name() in page


def test_sealed_exports_answer_404_403_and_are_audited_and_never_cached(client, as_user, sealed, personas):
    for name, expected in ((NOTES_URL, {"psychologist": 200, "worker": 403, "manager": 403, "manager_54": 404,
                                        "copil_a": 404, "litigation_x": 404, "funder": 404, "admin": 404}),
                           (HEALTH_URL, {"psychologist": 200, "worker": 200, "manager": 403, "manager_54": 404,
                                         "copil_a": 404, "litigation_x": 404, "funder": 404, "admin": 404})):
        for who, status in expected.items():
            assert _get(client, getattr(personas, who), name, sealed).status_code == status, (name, who)
        assert _get(client, None, name, sealed).status_code == 302
    response = as_user(personas.psychologist).get(reverse(NOTES_URL, args=[sealed.pk]))
    assert response["Cache-Control"] == "no-store, private"
    assert response["Content-Disposition"].startswith('attachment; filename="donnees-')
    assert AccessLog.objects.filter(user=personas.psychologist, action=AccessLog.Action.EXPORT,
                                    household_id=sealed.pk, path__contains="notes-psychologue").exists()
    assert AccessLog.objects.filter(user=personas.worker, action=AccessLog.Action.EXPORT,
                                    household_id=sealed.pk, path__contains="sante").exists()
    # The entitled see where to download their part; the manager does not get the buttons.
    page = as_user(personas.psychologist).get(reverse("support:household", args=[sealed.pk])).content.decode()
    assert reverse(NOTES_URL, args=[sealed.pk]) in page and reverse(HEALTH_URL, args=[sealed.pk]) in page
    page = as_user(personas.manager).get(reverse("support:household", args=[sealed.pk])).content.decode()
    assert reverse(NOTES_URL, args=[sealed.pk]) not in page
    assert Diagnosis.objects.filter(household=sealed).count() == 1
