"""Issue 11, "Why": a programme manager employed by a landlord (Présence Habitat, 57) reaches
nothing of another landlord's tenants (Batigère) — not through COPIL, early warnings or litigation.

Each read and write the outside testers found answers 404 and changes nothing. Each test runs the
same request as a user entitled to it first or after (the AMLI manager who holds the file and
organises the session), so that a request that does nothing for anybody cannot pass for a refusal.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from copil.models import AgendaItem, Session
from households.models import Referral
from litigation.models import EarlyWarning
from tests.copil.factories import AgendaItemFactory, RequestedLeverFactory, SessionFactory
from tests.litigation.factories import ProcedureFactory
from tests.trust.dbstate import changed_tables, snapshot

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
S = Session.Status


@pytest.fixture
def scene(personas, orgs, households, settings, tmp_path):
    """A Batigère tenant (households.mine, file held by AMLI in 57) on AMLI's COPIL sessions, in
    the early-warning worklist and in a procedure; a Présence Habitat tenant in the worklist too."""
    settings.MEDIA_ROOT = tmp_path
    batigere = households.mine
    lease = batigere.current_lease()
    today = timezone.localdate()
    sc = type("Scene", (), {})()
    sc.household = batigere
    sc.review = SessionFactory(organisation=orgs.amli, chair=personas.copil_a, members=[personas.copil_a],
                               status=S.REVIEW)
    sc.item = AgendaItemFactory(session=sc.review, household=batigere)
    RequestedLeverFactory(item=sc.item)
    sc.draft = SessionFactory(organisation=orgs.amli, chair=personas.copil_a, status=S.DRAFT)
    sc.draft_item = AgendaItemFactory(session=sc.draft, household=households.other)
    sc.signed = SessionFactory(organisation=orgs.amli, chair=personas.copil_a, status=S.SIGNED,
                               signed_at=timezone.now(), signed_by=personas.copil_a)
    AgendaItemFactory(session=sc.signed, household=batigere)
    sc.signed.minutes.save("pv.pdf", ContentFile(PDF), save=True)
    sc.warning = EarlyWarning.objects.create(lease=lease, household=batigere, kind="threshold",
                                             debt=Decimal("1873.42"), period_key="w-bat", detected_on=today)
    sc.own_warning = EarlyWarning.objects.create(
        lease=households.tenant_y.current_lease(), household=households.tenant_y, kind="threshold",
        debt=Decimal("640.00"), period_key="w-pha", detected_on=today - timedelta(days=1))
    sc.procedure = ProcedureFactory(lease=lease)
    return sc


@pytest.fixture
def landlord_manager(personas, as_user):
    return as_user(personas.manager_y)


def test_the_landlord_manager_does_not_see_the_batigere_file(scene, personas, as_user):
    """The premise: the household file itself answers 404 to them, 200 to the AMLI manager."""
    url = reverse("households:detail", args=[scene.household.pk])
    assert as_user(personas.manager_y).get(url).status_code == 404
    assert as_user(personas.manager).get(url).status_code == 200


# --- Reads ---------------------------------------------------------------------------------------

def test_copil_dossier_of_a_batigere_household_is_404(scene, personas, as_user):
    url = reverse("copil:dossier", args=[scene.review.pk, scene.item.pk])
    assert as_user(personas.manager_y).get(url).status_code == 404
    assert as_user(personas.manager).get(url).status_code == 200


def test_minutes_pdf_of_that_session_is_404(scene, personas, as_user):
    url = reverse("copil:minutes_download", args=[scene.signed.pk])
    assert as_user(personas.manager_y).get(url).status_code == 404
    response = as_user(personas.manager).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_early_warning_list_shows_no_batigere_tenant(scene, personas, households, as_user):
    response = as_user(personas.manager_y).get(reverse("litigation:early_warning_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert households.tenant_y.display_name in page  # their own landlord's tenant is listed
    assert households.mine.display_name not in page
    assert "1 873,42" not in page and "Batigère" not in page
    assert households.mine.display_name in as_user(personas.manager).get(
        reverse("litigation:early_warning_list")).content.decode()


def test_batigere_procedure_is_404(scene, personas, as_user):
    url = reverse("litigation:procedure_detail", args=[scene.procedure.pk])
    assert as_user(personas.manager_y).get(url).status_code == 404
    assert as_user(personas.manager).get(url).status_code == 200


# --- Writes: 404 and nothing changed, where the organiser's same request changes the database -----

def _session_edit(sc, personas):
    return reverse("copil:session_edit", args=[sc.review.pk]), {
        "held_on": "2025-07-03", "starts_at": "14:00", "place": "Salle changée", "video_link": "",
        "chair": personas.copil_a.pk, "members": [personas.copil_a.pk]}


def _session_publish(sc, personas):
    return reverse("copil:session_publish", args=[sc.draft.pk]), {}


def _session_hold(sc, personas):
    return reverse("copil:session_hold", args=[sc.review.pk]), {"present": [personas.copil_a.pk]}


def _item_edit(sc, personas):
    return reverse("copil:item_edit", args=[sc.draft.pk, sc.draft_item.pk]), {
        "kind": AgendaItem.Kind.RENEWAL, "expected_rent": "", "expected_charges": "",
        "expected_housing_benefit": "", "levers-TOTAL_FORMS": "1", "levers-INITIAL_FORMS": "0",
        "levers-MIN_NUM_FORMS": "0", "levers-MAX_NUM_FORMS": "10", "levers-0-kind": "fsl_maintenance",
        "levers-0-amount": "900", "levers-0-note": ""}


def _item_remove(sc, personas):
    return reverse("copil:item_remove", args=[sc.draft.pk, sc.draft_item.pk]), {}


def _minutes_regenerate(sc, personas):
    return reverse("copil:minutes_regenerate", args=[sc.signed.pk]), {}


def _warning_refer(sc, personas):
    return reverse("litigation:early_warning_refer", args=[sc.warning.pk]), {}


def _warning_dismiss(sc, personas):
    return reverse("litigation:early_warning_dismiss", args=[sc.warning.pk]), {}


WRITES = {
    "edit a session": _session_edit,
    "publish a session": _session_publish,
    "hold a session": _session_hold,
    "edit an agenda item": _item_edit,
    "remove an agenda item": _item_remove,
    "regenerate the minutes": _minutes_regenerate,
    "refer another landlord's early warning": _warning_refer,
    "dismiss another landlord's early warning": _warning_dismiss,
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_write_answers_404_and_changes_nothing(write, scene, personas, as_user,
                                               django_capture_on_commit_callbacks):
    url, data = write(scene, personas)
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True) as scheduled:
        response = as_user(personas.manager_y).post(url, data)
    assert response.status_code == 404
    assert scheduled == []  # no e-mail, no PDF build queued
    assert changed_tables(before, snapshot()) == set()

    # The same request by the session's organiser / the file's manager does change the database.
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(personas.manager).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert changed_tables(before, snapshot()) != set()


def test_refusing_the_referral_creates_none_on_the_hidden_household(scene, personas, as_user):
    referrals = Referral.objects.filter(household=scene.household).count()
    response = as_user(personas.manager_y).post(reverse("litigation:early_warning_refer", args=[scene.warning.pk]))
    assert response.status_code == 404
    assert Referral.objects.filter(household=scene.household).count() == referrals
    scene.warning.refresh_from_db()
    assert scene.warning.is_open


def test_the_landlord_manager_handles_their_own_tenants_warning(scene, personas, households, as_user):
    """Control: the same manager refers the warning of their own landlord's tenant."""
    before = Referral.objects.filter(household=households.tenant_y).count()
    response = as_user(personas.manager_y).post(
        reverse("litigation:early_warning_refer", args=[scene.own_warning.pk]))
    assert response.status_code == 302
    assert Referral.objects.filter(household=households.tenant_y).count() == before + 1
