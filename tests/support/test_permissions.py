"""Who may open which support screen; the psychologist-note rule from every angle."""

import pytest
from django.urls import reverse

from accounts.models import AccessLog

from .conftest import SECRET_NOTE

pytestmark = pytest.mark.django_db

OUTSIDERS = ["copil_a", "litigation_x", "bailiff", "funder", "admin"]


def _urls(case):
    h = case.household.pk
    return {
        "household": reverse("support:household", args=[h]),
        "diagnosis": reverse("support:diagnosis", args=[case.diagnosis.pk]),
        "visit": reverse("support:visit", args=[case.visit.pk]),
        "budget": reverse("support:budget", args=[h]),
    }


@pytest.mark.parametrize("role", ["worker", "psychologist", "manager"])
def test_care_circle_and_manager_read_the_support_screens(case, personas, as_user, role):
    client = as_user(getattr(personas, role))
    for name, url in _urls(case).items():
        assert client.get(url).status_code == 200, name
    assert client.get(reverse("support:dashboard")).status_code == 200


@pytest.mark.parametrize("role", ["worker_54", "manager_54"])
def test_other_territory_gets_404_on_every_screen(case, personas, as_user, role):
    client = as_user(getattr(personas, role))
    for name, url in _urls(case).items():
        assert client.get(url).status_code == 404, name
    assert client.get(reverse("support:psy_note", args=[case.note.pk])).status_code == 404


@pytest.mark.parametrize("role", OUTSIDERS)
def test_roles_outside_the_care_circle_are_refused(case, personas, as_user, role):
    client = as_user(getattr(personas, role))
    assert client.get(reverse("support:dashboard")).status_code == 403
    assert client.get(reverse("support:visit_new")).status_code == 403
    for name, url in _urls(case).items():
        assert client.get(url).status_code in (403, 404), name


def test_anonymous_is_sent_to_login(case, client):
    response = client.get(reverse("support:dashboard"))
    assert response.status_code == 302 and "/comptes/" in response["Location"]


def test_manager_reads_but_does_not_write_visits_or_diagnoses(case, personas, as_user):
    client = as_user(personas.manager)
    assert client.get(reverse("support:diagnosis_new", args=[case.household.pk])).status_code == 403
    assert client.get(reverse("support:visit_new")).status_code == 403
    assert client.get(reverse("support:diagnosis_edit", args=[case.diagnosis.pk])).status_code == 403


def test_psychologist_may_not_open_or_close_episodes(case, personas, as_user):
    client = as_user(personas.psychologist)
    assert client.get(reverse("support:episode_open", args=[case.household.pk])).status_code == 403
    assert client.get(reverse("support:episode_close", args=[case.episode.pk])).status_code == 403


def test_sensitive_section_only_for_care_circle(case, personas, as_user):
    url = reverse("support:diagnosis", args=[case.diagnosis.pk])
    for role in ("worker", "psychologist"):
        assert "cardiologique" in as_user(getattr(personas, role)).get(url).content.decode()
    page = as_user(personas.manager).get(url).content.decode()
    assert "cardiologique" not in page and "dépressif" not in page
    assert "réservée au travailleur social" in page


def test_reading_a_diagnosis_is_logged(case, personas, as_user):
    as_user(personas.manager).get(reverse("support:diagnosis", args=[case.diagnosis.pk]))
    entry = AccessLog.objects.get(user=personas.manager, object_type="support.diagnosis")
    assert entry.household_id == case.household.pk and entry.object_id == str(case.diagnosis.pk)


# --- The psychologist-note rule from every angle ---------------------------------------------------

def test_only_the_psychologist_reads_the_note_page(case, personas, as_user):
    url = reverse("support:psy_note", args=[case.note.pk])
    response = as_user(personas.psychologist).get(url)
    assert response.status_code == 200 and SECRET_NOTE in response.content.decode()
    assert AccessLog.objects.filter(user=personas.psychologist, object_type="support.psychologistnote").exists()
    for role in ("worker", "manager", "admin", "copil_a", "litigation_x"):
        assert as_user(getattr(personas, role)).get(url).status_code == 404, role


def test_note_content_never_on_the_support_file_of_others(case, personas, as_user):
    url = reverse("support:household", args=[case.household.pk])
    assert reverse("support:psy_note", args=[case.note.pk]) in as_user(personas.psychologist).get(url).content.decode()
    for role in ("worker", "manager"):
        page = as_user(getattr(personas, role)).get(url).content.decode()
        assert SECRET_NOTE not in page
        assert "Entretien avec la psychologue le" in page  # the fact, not the content


def test_timeline_shows_the_interview_without_content_to_non_psychologists(case, personas, as_user):
    url = reverse("households:detail", args=[case.household.pk])
    worker_page = as_user(personas.worker).get(url).content.decode()
    assert "Entretien avec la psychologue" in worker_page
    assert SECRET_NOTE not in worker_page
    assert reverse("support:psy_note", args=[case.note.pk]) not in worker_page
    psy_page = as_user(personas.psychologist).get(url).content.decode()
    assert reverse("support:psy_note", args=[case.note.pk]) in psy_page


def test_search_finds_note_for_psychologist_only(case, personas, as_user):
    url = reverse("support:visit_list") + "?q=angoisse"
    assert reverse("support:psy_note", args=[case.note.pk]) in as_user(personas.psychologist).get(url).content.decode()
    for role in ("worker", "manager"):
        page = as_user(getattr(personas, role)).get(url).content.decode()
        assert "liée à la procédure" not in page
        assert reverse("support:psy_note", args=[case.note.pk]) not in page


def test_export_never_contains_psychologist_notes(case, personas, as_user):
    response = as_user(personas.manager).get(reverse("support:visit_export"))
    body = response.content.decode()
    assert response.status_code == 200 and case.household.reference in body
    assert "angoisse" not in body and "psychologue" not in body.lower()
    assert as_user(personas.worker).get(reverse("support:visit_export")).status_code == 403


def test_admin_lists_no_psychologist_note_even_for_a_superuser(case, personas, as_user):
    client = as_user(personas.admin)
    assert client.get("/admin/support/psychologistnote/").status_code == 403
    assert client.get(f"/admin/support/psychologistnote/{case.note.pk}/change/").status_code in (302, 403, 404)
    index = client.get("/admin/").content.decode()
    assert "psychologistnote" not in index.lower()


def test_admin_diagnosis_hides_the_sensitive_section_from_the_operator(case, personas, as_user):
    page = as_user(personas.admin).get(f"/admin/support/diagnosis/{case.diagnosis.pk}/change/").content.decode()
    assert "cardiologique" not in page and 'name="health"' not in page


def test_public_reads_for_other_apps_carry_no_note(case):
    from support import selectors

    assert SECRET_NOTE not in repr(selectors.committee_summary(case.household))
    assert SECRET_NOTE not in repr(selectors.dsf_prefill(case.household))
