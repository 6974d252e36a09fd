import pytest

from accounts.models import AccessLog
from copil.models import Session

from .conftest import dossier_url, session_url

pytestmark = pytest.mark.django_db


def _set_status(session, status):
    Session.objects.filter(pk=session.pk).update(status=status)


def test_member_reads_dossier_of_own_session_while_open_and_read_is_logged(as_user, personas, copil):
    response = as_user(personas.copil_a).get(dossier_url(copil.item_a))
    assert response.status_code == 200
    assert copil.mine.reference in response.content.decode()
    log = AccessLog.objects.get(user=personas.copil_a)
    assert log.household_id == copil.mine.pk and log.object_type == "copil.agendaitem"


def test_member_of_session_a_cannot_open_session_b_dossier(as_user, personas, copil):
    client = as_user(personas.copil_a)
    assert client.get(dossier_url(copil.item_b)).status_code == 404
    assert client.get(session_url(copil.b)).status_code == 404
    # nor a dossier of B reached through A's address
    assert client.get(f"/copil/seances/{copil.a.pk}/dossiers/{copil.item_b.pk}/").status_code == 404
    assert not AccessLog.objects.filter(user=personas.copil_a).exists()


def test_member_of_session_b_cannot_open_session_a(as_user, personas, copil):
    client = as_user(personas.copil_b)
    assert client.get(dossier_url(copil.item_a)).status_code == 404
    assert client.get(session_url(copil.a)).status_code == 404


@pytest.mark.parametrize("status, expected", [
    ("draft", 404),       # before publication the session does not exist for members
    ("published", 403),   # agenda published, dossiers not open yet
    ("review", 200),
    ("held", 200),
    ("signed", 403),      # session closed
])
def test_member_reads_dossiers_only_while_session_open_or_held(as_user, personas, copil, status, expected):
    _set_status(copil.a, status)
    response = as_user(personas.copil_a).get(dossier_url(copil.item_a))
    assert response.status_code == expected
    if expected != 200:
        assert "Dette née" not in response.content.decode()


def test_published_agenda_lists_references_but_no_dossier_link(as_user, personas, copil):
    _set_status(copil.a, "published")
    html = as_user(personas.copil_a).get(session_url(copil.a)).content.decode()
    assert copil.mine.reference in html
    assert dossier_url(copil.item_a) not in html
    assert "Lefèvre" not in html.replace("LEFÈVRE", "")  # no household name for members


@pytest.mark.parametrize("persona", ["worker", "psychologist", "litigation_x", "bailiff", "funder"])
def test_roles_without_copil_are_refused(as_user, personas, copil, persona):
    client = as_user(getattr(personas, persona))
    assert client.get("/copil/").status_code == 403
    assert client.get(session_url(copil.a)).status_code == 404
    assert client.get(dossier_url(copil.item_a)).status_code == 404


def test_manager_of_territory_sees_drafts_and_dossiers_other_territory_does_not(as_user, personas, copil):
    _set_status(copil.a, "draft")
    assert as_user(personas.manager).get(dossier_url(copil.item_a)).status_code == 200
    assert as_user(personas.manager).get(session_url(copil.a)).status_code == 200
    assert as_user(personas.manager_54).get(session_url(copil.a)).status_code == 404


def test_session_list_shows_only_the_members_sessions(as_user, personas, copil):
    html = as_user(personas.copil_a).get("/copil/").content.decode()
    assert f"/copil/seances/{copil.a.pk}/" in html
    assert f"/copil/seances/{copil.b.pk}/" not in html


def test_member_who_is_not_chair_cannot_decide_nor_see_other_opinions(as_user, personas, copil):
    from copil.services import opinion_give

    opinion_give(item=copil.item_a, by=copil.chair, value="reserved", comment="Avis de la présidente")
    client = as_user(personas.copil_a)
    html = client.get(dossier_url(copil.item_a)).content.decode()
    assert "Avis de la présidente" not in html
    assert "Décision du comité" not in html
    response = client.post(dossier_url(copil.item_a) + "decision/", {"outcome": "admitted"})
    assert response.status_code == 403
    assert copil.item_a.decisions.count() == 0


def test_chair_sees_opinions_side_by_side(as_user, personas, copil):
    client = as_user(personas.copil_a)
    response = client.post(dossier_url(copil.item_a) + "avis/", {"value": "favourable", "comment": "Projet solide"})
    assert response.status_code == 302
    html = as_user(copil.chair).get(dossier_url(copil.item_a)).content.decode()
    assert "Projet solide" in html and "Favorable" in html


def test_only_managers_prepare_agendas(as_user, personas, copil):
    _set_status(copil.a, "draft")
    assert as_user(personas.copil_a).get("/copil/seances/nouvelle/").status_code == 403
    assert as_user(personas.manager).get("/copil/seances/nouvelle/").status_code == 200
    assert as_user(copil.chair).post(f"/copil/seances/{copil.a.pk}/publier/").status_code == 404  # draft unseen


def test_minutes_download_for_members_and_managers_only(as_user, personas, copil, django_capture_on_commit_callbacks):
    from copil import services

    services.decision_record(item=copil.item_a, by=copil.chair, outcome="refused", reason="Hors critères")
    _set_status(copil.a, "held")
    copil.a.refresh_from_db()
    url = f"/copil/seances/{copil.a.pk}/proces-verbal.pdf"
    assert as_user(personas.copil_a).get(url).status_code == 403  # not signed yet
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_sign(session=copil.a, by=copil.chair)
    for user, expected in [(personas.copil_a, 200), (copil.chair, 200), (personas.manager, 200),
                           (personas.copil_b, 404), (personas.manager_54, 404), (personas.worker, 404),
                           (personas.funder, 404)]:
        response = as_user(user).get(url)
        assert response.status_code == expected, user
        if expected == 200:
            assert response["Content-Type"] == "application/pdf"
    assert AccessLog.objects.filter(user=personas.copil_a, action="download").count() == 1


def test_written_consultation_opened_by_manager_from_the_form(as_user, personas, copil):
    from datetime import timedelta

    from django.utils import timezone

    closes = timezone.localdate() + timedelta(days=4)
    response = as_user(personas.manager).post("/copil/consultation-ecrite/", {
        "household": copil.mine.pk, "closes_on": closes.isoformat(), "chair": copil.chair.pk,
        "members": [personas.copil_a.pk], "levers-TOTAL_FORMS": "1", "levers-INITIAL_FORMS": "0",
        "levers-0-kind": "fsl_maintenance", "levers-0-amount": "900"})
    session = Session.objects.get(kind="written")
    assert response["Location"] == f"/copil/seances/{session.pk}/"
    assert session.status == "review" and session.review_closes_on == closes
    assert as_user(personas.copil_a).get(f"/copil/seances/{session.pk}/").status_code == 200
    assert as_user(personas.copil_a).get("/copil/consultation-ecrite/").status_code == 403
