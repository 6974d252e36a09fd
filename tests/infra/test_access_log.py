"""Access log of lists and exports (issue 17, item 8): the model and what was listed, never
"<property object at 0x…>"; X-Forwarded-For believed only from ZEL_TRUSTED_PROXIES."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import AccessLog
from tests.support.factories import InterventionFactory, PsychologistNoteFactory
from zel.audit import client_ip

pytestmark = pytest.mark.django_db


def test_household_export_logs_the_model_the_filters_and_the_count(as_user, personas, households):
    client = as_user(personas.manager)
    response = client.get(reverse("households:export"), {"q": "Lefèvre", "page": "3"})
    assert response.status_code == 200
    rows = response.content.decode("utf-8-sig").strip().splitlines()
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert "property object" not in entry.object_id
    assert entry.object_type == "households.household" and entry.object_id == ""
    assert entry.details == {"liste": True, "filtres": {"q": "Lefèvre"}, "nombre": len(rows) - 1}
    assert entry.details["nombre"] == 1
    page = client.get(reverse("audit:access_log")).content.decode()
    assert "liste de 1 ligne" in page and "property object" not in page


def test_visit_export_and_psychologist_notes_are_logged_as_lists(as_user, personas, households):
    InterventionFactory(household=households.mine, author=personas.worker)
    InterventionFactory(household=households.mine, author=personas.worker)
    assert as_user(personas.manager).get(reverse("support:visit_export")).status_code == 200
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert (entry.object_type, entry.object_id, entry.details["nombre"]) == ("support.intervention", "", 2)

    PsychologistNoteFactory(household=households.mine, author=personas.psychologist)
    as_user(personas.psychologist).get(reverse("support:household", args=[households.mine.pk]))
    entry = AccessLog.objects.get(object_type="support.psychologistnote")
    assert entry.object_id == "" and entry.details["nombre"] == 1 and entry.household_id == households.mine.pk
    assert not AccessLog.objects.filter(object_id__contains="property").exists()


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_forwarded_for_is_ignored_without_trusted_proxies(settings):
    settings.ZEL_TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_forwarded_for_is_read_only_from_a_trusted_proxy(settings):
    settings.ZEL_TRUSTED_PROXIES = ["10.0.0.5", "172.18.0.0/16"]
    assert client_ip(_request("10.0.0.5", "198.51.100.1")) == "198.51.100.1"
    # Two proxies: the client is the first address, from the right, that is not a trusted proxy.
    assert client_ip(_request("10.0.0.5", "1.2.3.4, 198.51.100.1, 172.18.0.3")) == "198.51.100.1"
    # A client talking to the application directly cannot choose its address.
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
    # A garbled header: the proxy's address, not a made-up one.
    assert client_ip(_request("10.0.0.5", "not-an-address")) == "10.0.0.5"
    assert client_ip(_request("10.0.0.5")) == "10.0.0.5"


def test_access_log_rows_record_the_client_behind_the_proxy(client, personas, households, settings):
    settings.ZEL_TRUSTED_PROXIES = ["10.0.0.5"]
    client.force_login(personas.worker)
    client.get(reverse("households:detail", args=[households.mine.pk]), REMOTE_ADDR="10.0.0.5",
               HTTP_X_FORWARDED_FOR="198.51.100.7")
    client.get(reverse("households:detail", args=[households.mine.pk]), REMOTE_ADDR="203.0.113.9",
               HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert list(AccessLog.objects.order_by("pk").values_list("ip", flat=True)) == ["198.51.100.7", "203.0.113.9"]
