"""RGPD: the retention job on a fixture, the subject-access export, erasure on request."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLog
from households import retention as household_retention
from households.models import Household
from households.tasks import apply_retention_task
from tests.factories import HouseholdFactory, LeaseFactory, MemberFactory, ReferralFactory, ResourceFactory, walk_to
from zel import retention

pytestmark = pytest.mark.django_db


@pytest.fixture
def registries(monkeypatch):
    """Empty registries for the test (the apps' own hooks are tested by the apps)."""
    monkeypatch.setattr(retention, "holds", [])
    monkeypatch.setattr(retention, "anonymisers", [])
    monkeypatch.setattr(retention, "exporters", [])
    return retention


def closed_household(orgs, *, years_ago: float, status=Household.Status.ENDED, **kwargs):
    household = HouseholdFactory(organisation=orgs.amli, phone="06 11 22 33 44", **kwargs)
    walk_to(household, status)
    MemberFactory(household=household, first_name="Inès", last_name=household.last_name, birth_year=2012,
                  occupation="Collégienne")
    ResourceFactory(household=household, monthly_amount="640.00")
    LeaseFactory(household=household, landlord=orgs.landlord_x, address="3 rue Haute", commune="Metz",
                 reference=f"BAT-57-{household.pk:06d}")
    ReferralFactory(household=household, partner=orgs.ddets, referrer_name="Mme Dupont",
                    reason="Dette de 2 400 € chez BAT, mère isolée")
    when = timezone.now() - relativedelta(days=int(years_ago * 365.25))
    Household.objects.filter(pk=household.pk).update(updated_at=when)
    household.refresh_from_db()
    return household


@pytest.fixture
def files(orgs, registries):
    return {
        "old": closed_household(orgs, years_ago=3, last_name="Anquetil", first_name="Paul", birth_year=1971),
        "recent": closed_household(orgs, years_ago=1, last_name="Récent", first_name="Lina"),
        "held": closed_household(orgs, years_ago=3, last_name="Procédure", first_name="Marc"),
        "refused": closed_household(orgs, years_ago=2.5, status=Household.Status.REFUSED, last_name="Refusé",
                                    first_name="Ana"),
        "active": closed_household(orgs, years_ago=5, status=Household.Status.SUPPORTED, last_name="Suivi",
                                   first_name="Noé"),
    }


def test_retention_anonymises_only_files_closed_long_ago_and_not_held(files, registries):
    held_id = files["held"].pk
    seen = []
    registries.register_hold(lambda ids: {pk: "Procédure d'expulsion en cours" for pk in ids if pk == held_id})
    registries.register(lambda ids: seen.extend(ids))

    result = household_retention.apply_retention()

    assert sorted(result.anonymised) == sorted([files["old"].pk, files["refused"].pk])
    assert result.held == {held_id: "Procédure d'expulsion en cours"}
    assert sorted(seen) == sorted(result.anonymised)  # the apps' anonymisers got the same ids
    old = Household.objects.get(pk=files["old"].pk)
    assert old.anonymised_at is not None
    assert (old.last_name, old.first_name, old.phone) == ("Anonyme", "", "")
    assert old.search_text == f"{old.reference.lower()} anonyme"
    member = old.members.get()
    assert (member.first_name, member.last_name, member.occupation) == ("", "", "")
    lease = old.leases.get()
    assert lease.address == "" and lease.reference == f"ANON-{lease.pk}"
    referral = old.referrals.get()
    assert referral.referrer_name == "" and referral.reason == ""
    # What the reports count is kept.
    assert (old.track, old.territory.code, old.status, old.birth_year) == ("maintien", "57", "ended", 1971)
    assert member.birth_year == 2012 and str(old.resources.get().monthly_amount) == "640.00"
    assert (lease.commune, lease.typology, str(lease.rent)) == ("Metz", "T3", "450.00")
    # Nothing of the names survives in the change history either.
    for rows in (Household.history.filter(id=old.pk), type(member).history.filter(household_id=old.pk),
                 type(lease).history.filter(household_id=old.pk), type(referral).history.filter(household_id=old.pk)):
        assert rows.exists()
        blob = " ".join(str(v) for row in rows.values() for v in row.values())
        for secret in ("Anquetil", "Inès", "3 rue Haute", "Mme Dupont", "mère isolée", "06 11 22 33 44"):
            assert secret not in blob, (rows.model, secret)
    for kept in ("recent", "held", "active"):
        household = Household.objects.get(pk=files[kept].pk)
        assert household.anonymised_at is None and household.last_name == files[kept].last_name


def test_dry_run_changes_nothing_and_the_command_reports(files, registries):
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "3 seraient anonymisés" in out.getvalue()  # old, held (no hold registered here), refused
    assert not Household.objects.filter(anonymised_at__isnull=False).exists()
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "3 anonymisés" in out.getvalue()
    assert Household.objects.filter(anonymised_at__isnull=False).count() == 3


def test_retention_period_comes_from_settings(files, registries, settings):
    settings.ZEL_RETENTION_YEARS = 4
    assert household_retention.apply_retention().anonymised == []
    settings.ZEL_RETENTION_YEARS = 0
    assert files["recent"].pk in household_retention.apply_retention(dry_run=True).anonymised


def test_any_later_change_restarts_the_clock(files, registries):
    old = files["old"]
    old.phone = "07 00 00 00 00"
    old.save()
    assert old.pk not in household_retention.apply_retention().anonymised


def test_celery_task_runs_the_job_and_is_scheduled_daily(files, registries):
    from zel.schedule import BEAT_SCHEDULE

    assert apply_retention_task.delay().get() == {"anonymised": 3, "held": 0}
    entry = BEAT_SCHEDULE["households-retention"]
    assert entry["task"] == "households.tasks.apply_retention_task"
    assert entry["schedule"].hour == {2}


def test_anonymising_twice_is_harmless(files, registries):
    household_retention.apply_retention()
    assert household_retention.apply_retention().anonymised == []


# --- subject access ---------------------------------------------------------------------------

def test_subject_access_export_holds_everything_and_is_audited(as_user, personas, households, registries):
    household = households.other
    MemberFactory(household=household, first_name="Jade", birth_year=2014)
    ResourceFactory(household=household, kind="rsa", monthly_amount="607.75")
    ReferralFactory(household=household, partner=personas.manager.organisation, reason="Commandement de payer")
    registries.register_export(lambda h: {"contentieux": {"procédures": [f"procédure de {h.reference}"]}})
    client = as_user(personas.manager)
    client.get(reverse("households:detail", args=[household.pk]))

    response = client.get(reverse("households:personal_data_export", args=[household.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(f'attachment; filename="donnees-{household.reference}-')
    data = json.loads(response.content)
    section = data["ménage"]
    assert section["identité"]["nom"] == "Martin" and section["identité"]["prénom"] == "Paul"
    assert section["membres"][0]["prénom"] == "Jade"
    assert section["ressources"] == [{"nature": "RSA", "montant_mensuel": "607.75"}]
    assert section["logements"][0]["bailleur"] == "Batigère"
    assert section["orientations"][0]["motif"] == "Commandement de payer"
    assert data["contentieux"] == {"procédures": [f"procédure de {household.reference}"]}
    assert "CNIL" in data["durée_de_conservation"]
    assert [c["action"] for c in data["consultations"]] == ["Consultation"]
    assert data["consultations"][0]["organisation"] == "AMLI"
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORT, household_id=household.pk)
    assert entry.user == personas.manager and entry.path.endswith("export.json")


@pytest.mark.parametrize(("who", "status"), [("worker", 403), ("psychologist", 403), ("manager_54", 404),
                                             ("manager_x", 403),  # sees the tenant of Batigère, holds no file
                                             ("copil_a", 404), ("funder", 404), ("admin", 404)])
def test_only_the_manager_of_the_file_exports_or_erases(as_user, personas, households, who, status):
    client = as_user(getattr(personas, who))
    household = households.mine
    for url_name in ("households:personal_data", "households:personal_data_export"):
        assert client.get(reverse(url_name, args=[household.pk])).status_code == status
    response = client.post(reverse("households:personal_data_erase", args=[household.pk]),
                           {"reference": household.reference, "request_received_on": "2026-01-05"})
    assert response.status_code == status
    assert Household.objects.get(pk=household.pk).anonymised_at is None


# --- erasure ----------------------------------------------------------------------------------

def _erase(client, household, reference=None):
    return client.post(reverse("households:personal_data_erase", args=[household.pk]),
                       {"reference": reference or household.reference, "request_received_on": "2026-01-05"},
                       follow=True)


def test_erasure_is_refused_while_support_is_ongoing(as_user, personas, households, registries):
    client = as_user(personas.manager)
    page = client.get(reverse("households:personal_data", args=[households.other.pk])).content.decode()
    assert "L&#x27;accompagnement est en cours" in page or "L'accompagnement est en cours" in page
    page = _erase(client, households.other).content.decode()
    assert "accompagnement est en cours" in page
    assert Household.objects.get(pk=households.other.pk).last_name == "Martin"


def test_erasure_is_refused_with_the_reason_of_an_open_procedure(as_user, personas, households, registries):
    walk_to(households.other, Household.Status.ENDED)
    registries.register_hold(lambda ids: {pk: "Procédure d'expulsion ouverte (audience le 12/03/2026)"
                                          for pk in ids})
    page = _erase(as_user(personas.manager), households.other).content.decode()
    assert "Procédure d&#x27;expulsion ouverte (audience le 12/03/2026)" in page
    assert Household.objects.get(pk=households.other.pk).anonymised_at is None


def test_erasure_needs_the_reference_typed(as_user, personas, households, registries):
    walk_to(households.other, Household.Status.ENDED)
    page = _erase(as_user(personas.manager), households.other, reference="ZEL-00-000000").content.decode()
    assert "La référence ne correspond pas" in page
    assert Household.objects.get(pk=households.other.pk).anonymised_at is None


def test_erasure_anonymises_and_is_audited(as_user, personas, households, registries):
    household = households.other
    walk_to(household, Household.Status.ENDED)
    seen = []
    registries.register(lambda ids: seen.extend(ids))
    response = _erase(as_user(personas.manager), household)
    assert response.redirect_chain[-1][0] == reverse("households:detail", args=[household.pk])
    assert "Le dossier a été anonymisé" in response.content.decode()
    household.refresh_from_db()
    assert household.anonymised_at is not None and household.last_name == "Anonyme"
    assert seen == [household.pk]
    assert AccessLog.objects.filter(user=personas.manager, action=AccessLog.Action.ERASE,
                                    household_id=household.pk).exists()
    # A second request finds nothing left to erase.
    page = _erase(as_user(personas.manager), household).content.decode()
    assert "déjà anonymisé" in page


def test_hold_registry_accepts_sets_and_ignores_foreign_ids(registries):
    registries.register_hold(lambda ids: {1, 2, 99})
    registries.register_hold(lambda ids: {2: "Dette en recouvrement"})
    assert registries.held([1, 2, 3]) == {1: "", 2: "Dette en recouvrement"}
    assert registries.held([]) == {}


def test_registering_twice_adds_once(registries):
    def hook(ids):
        return set()

    registries.register_hold(hook)
    registries.register_hold(hook)
    assert registries.holds == [hook]


def test_closed_date_is_the_last_change(orgs, registries):
    recent = closed_household(orgs, years_ago=0)
    assert timezone.now() - recent.updated_at < timedelta(days=2)
    assert recent.pk not in household_retention.apply_retention(dry_run=True).anonymised
