"""Issue 17, item 6: every form under optimistic locking refuses a POST that lacks its version.

A missing version used to skip the check (procedure steps and DSF: `expected_version=None`) or to
answer a misleading "modified by someone else" (household, diagnosis). Now each form says, in French,
that it is incomplete, and nothing is saved."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from litigation.models import Dsf
from support.models import Diagnosis
from support.services import episode_open
from tests.households.test_views import _edit_payload
from tests.litigation.factories import ProcedureFactory
from tests.support.factories import DiagnosisFactory
from tests.support.test_screens import _diagnosis_post

pytestmark = pytest.mark.django_db

MISSING = "Ce formulaire est incomplet (version du dossier manquante)"


def _page(response) -> str:
    assert response.status_code == 200
    return response.content.decode().replace("&#x27;", "'")


def test_household_edit_without_version_is_refused(as_user, personas, households):
    household = households.mine
    payload = _edit_payload(household, **{"h-first_name": "Sans version"})
    del payload["h-version"]
    page = _page(as_user(personas.worker).post(reverse("households:edit", args=[household.pk]), payload))
    assert MISSING in page
    assert "modifié par quelqu'un d'autre" not in page
    household.refresh_from_db()
    assert household.first_name == "Élodie"


def test_diagnosis_edit_without_version_is_refused(as_user, personas, households):
    diagnosis = DiagnosisFactory(household=households.mine, family_situation="Avant")
    page = _page(as_user(personas.worker).post(reverse("support:diagnosis_edit", args=[diagnosis.pk]),
                                               _diagnosis_post(family_situation="Sans version")))
    assert MISSING in page
    assert Diagnosis.objects.get(pk=diagnosis.pk).family_situation == "Avant"


def test_procedure_step_without_version_is_refused(as_user, personas, households):
    procedure = ProcedureFactory(lease=households.mine.leases.get())
    client = as_user(personas.litigation_x)
    url = reverse("litigation:event_create", args=[procedure.pk])
    assert f'name="version" value="{procedure.version}"' in client.get(url).content.decode()
    response = client.post(url, {"type": "impaye_constitue", "occurred_on": "2025-01-05"})
    assert MISSING in _page(response)
    assert MISSING in response.context["form"].non_field_errors()[0]
    assert procedure.events.count() == 0
    # The version the form carries is checked: with it, the step is recorded.
    response = client.post(url, {"type": "impaye_constitue", "occurred_on": "2025-01-05",
                                 "version": procedure.version})
    assert response.status_code == 302 and procedure.events.count() == 1


def test_dsf_save_without_version_is_refused(as_user, personas, households):
    from litigation import services as litigation_services

    procedure = ProcedureFactory(lease=households.mine.leases.get())
    episode_open(household=households.mine, by=personas.worker, opened_on=timezone.localdate() - timedelta(days=9))
    litigation_services.event_record(procedure=procedure, by=personas.litigation_x, type="assignation",
                                     occurred_on=timezone.localdate(),
                                     hearing_on=timezone.localdate() + timedelta(days=30))
    dsf = Dsf.objects.get()
    client = as_user(personas.worker)
    url = reverse("litigation:dsf_detail", args=[dsf.pk])
    assert f'name="version" value="{dsf.version}"' in client.get(url).content.decode()
    page = _page(client.post(url, {"wishes": "Sans version", "validate": "1"}))
    assert MISSING in page
    dsf.refresh_from_db()
    assert dsf.status == Dsf.Status.TODO and "wishes" not in dsf.data
