"""Aid applications: the status chain (allowed and refused moves, recorded who/when, on the
timeline), what each kind is measured in, the pages, and the worker's dashboard panel."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from support import aid_rules
from support.aid_rules import Status
from support.models import AidApplication, AidTransition
from support.services_aid import aid_application_create, aid_application_transition
from tests.factories import LeaseFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Status


def _new(household, by, kind="fsl_maintenance", **kw):
    kw.setdefault("amount_requested", Decimal("1200.00") if aid_rules.has_amount(kind) else None)
    return aid_application_create(household=household, by=by, kind=kind, **kw)


def _move(app, by, status, **kw):
    return aid_application_transition(application=app, by=by, status=status, **kw)


# --- The chain, as pure rules --------------------------------------------------------------------

def test_every_status_of_the_chain_is_reachable_from_to_prepare():
    seen, todo = {S.TO_PREPARE}, [S.TO_PREPARE]
    while todo:
        for nxt in aid_rules.allowed_next("fsl_maintenance", todo.pop()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert seen == set(S.values)


@pytest.mark.parametrize(("current", "target"), [
    (S.TO_PREPARE, S.GRANTED), (S.TO_PREPARE, S.PAID), (S.MISSING_PAPERS, S.EXAMINING), (S.REFUSED, S.PAID),
    (S.PAID, S.GRANTED), (S.CLOSED, S.TO_PREPARE), (S.GRANTED, S.REFUSED), (S.EXAMINING, S.CLOSED)])
def test_moves_outside_the_chain_are_refused_in_french(current, target):
    errors = aid_rules.transition_errors(kind="fsl_maintenance", current=current, target=target,
                                         amount_granted=Decimal(1), amount_paid=Decimal(1), reason="x")
    assert "impossible" in errors["status"]


def test_a_kind_without_amount_is_never_paid_out():
    assert S.PAID not in aid_rules.allowed_next("apl_maintenance", S.GRANTED)
    errors = aid_rules.transition_errors(kind="apl_maintenance", current=S.GRANTED, target=S.PAID)
    assert errors == {"status": "Cette aide ne donne lieu à aucun versement."}


def test_kinds_say_what_they_are_measured_in_and_their_form():
    assert aid_rules.measure_of("asll") == "months"
    assert aid_rules.measure_of("apl_maintenance") == "none"
    assert aid_rules.measure_of("fsl_access") == "amount"
    assert aid_rules.spec("loca_pass").nature == "loan" and aid_rules.spec("ccas").nature == "grant"
    assert aid_rules.spec("visale").measure == "none"  # a guarantee, not a payment
    assert set(aid_rules.KINDS) == set(aid_rules.AidKind.values)


# --- The chain, through the service --------------------------------------------------------------

def test_full_chain_records_who_and_when(personas, households):
    app = _new(households.mine, personas.worker)
    app = _move(app, personas.worker, S.MISSING_PAPERS, missing_papers="Avis d'imposition")
    app = _move(app, personas.worker, S.LODGED)
    app = _move(app, personas.worker, S.EXAMINING)
    app = _move(app, personas.manager, S.GRANTED, amount_granted=Decimal("900.00"))
    app = _move(app, personas.worker, S.PAID, amount_paid=Decimal("850.00"))
    app = _move(app, personas.worker, S.CLOSED)
    app.refresh_from_db()
    assert (app.amount_requested, app.amount_granted, app.amount_paid) == (
        Decimal("1200.00"), Decimal("900.00"), Decimal("850.00"))
    assert app.lodged_on == app.decided_on == app.paid_on == timezone.localdate()
    steps = list(AidTransition.objects.filter(application=app).values_list("to_status", "by__username"))
    assert steps == [(S.TO_PREPARE, "worker"), (S.MISSING_PAPERS, "worker"), (S.LODGED, "worker"),
                     (S.EXAMINING, "worker"), (S.GRANTED, "manager"), (S.PAID, "worker"), (S.CLOSED, "worker")]


def test_refused_transition_changes_nothing(personas, households):
    app = _new(households.mine, personas.worker)
    with pytest.raises(ValidationError) as exc:
        _move(app, personas.worker, S.PAID, amount_paid=Decimal("10"))
    assert "Passage de « À constituer » à « Versée » impossible." in exc.value.message_dict["status"]
    app.refresh_from_db()
    assert app.status == S.TO_PREPARE and app.amount_paid is None
    assert AidTransition.objects.filter(application=app).count() == 1


def test_granting_needs_the_amount_and_refusing_needs_a_motive(personas, households):
    app = _move(_new(households.mine, personas.worker), personas.worker, S.LODGED)
    with pytest.raises(ValidationError) as exc:
        _move(app, personas.worker, S.GRANTED)
    assert exc.value.message_dict["amount_granted"] == ["Indiquez le montant accordé."]
    with pytest.raises(ValidationError) as exc:
        _move(app, personas.worker, S.REFUSED)
    assert exc.value.message_dict["reason"] == ["Indiquez le motif."]


def test_amount_on_a_kind_without_amount_is_refused(personas, households):
    with pytest.raises(ValidationError) as exc:
        aid_application_create(household=households.mine, by=personas.worker, kind="apl_maintenance",
                               amount_requested=Decimal("0.00"))
    assert exc.value.message_dict["amount_requested"] == ["Cette aide n'a pas de montant."]
    app = _move(_new(households.mine, personas.worker, kind="apl_maintenance"), personas.worker, S.LODGED)
    with pytest.raises(ValidationError):
        _move(app, personas.worker, S.GRANTED, amount_granted=Decimal("10"))
    app = _move(app, personas.worker, S.GRANTED)
    assert app.amount_granted is None and app.status == S.GRANTED


def test_asll_is_granted_in_months(personas, households):
    app = _new(households.mine, personas.worker, kind="asll", months_requested=12)
    app = _move(app, personas.worker, S.LODGED)
    with pytest.raises(ValidationError) as exc:
        _move(app, personas.worker, S.GRANTED)
    assert "months_granted" in exc.value.message_dict
    app = _move(app, personas.worker, S.GRANTED, months_granted=6)
    assert (app.months_requested, app.months_granted, app.amount_granted) == (12, 6, None)


def test_stranger_cannot_move_an_application(personas, households):
    app = _new(households.mine, personas.worker)
    with pytest.raises(PermissionDenied):
        _move(app, personas.worker_54, S.LODGED)


# --- Pages ---------------------------------------------------------------------------------------

def test_worker_creates_an_application_and_a_refused_move_shows_next_to_the_field(as_user, personas, households):
    client = as_user(personas.worker)
    response = client.post(f"/accompagnement/menage/{households.mine.pk}/aides/nouvelle/",
                           {"kind": "apl_maintenance", "amount_requested": "0"})
    assert response.status_code == 200
    assert "Cette aide n&#x27;a pas de montant." in response.content.decode()
    assert not AidApplication.objects.exists()
    response = client.post(f"/accompagnement/menage/{households.mine.pk}/aides/nouvelle/",
                           {"kind": "fsl_energy", "amount_requested": "350"})
    app = AidApplication.objects.get()
    assert response.status_code == 302 and app.examining_body == "Département (commission FSL)"
    response = client.post(f"/accompagnement/aide/{app.pk}/statut/", {"status": "paid", "amount_paid": "350"})
    assert response.status_code == 400
    assert "Passage de « À constituer » à « Versée » impossible." in response.content.decode()
    response = client.post(f"/accompagnement/aide/{app.pk}/statut/", {"status": "lodged"})
    assert response.status_code == 302
    page = client.get(f"/accompagnement/aide/{app.pk}/").content.decode()
    assert "Déposée" in page and "350,00" in page
    timeline = client.get(f"/menages/{households.mine.pk}/").content.decode()
    assert "FSL énergie / eau : Déposée" in timeline


def test_manager_of_another_organisation_does_not_see_the_application(as_user, personas, households, orgs):
    app = _new(households.mine, personas.worker)
    other = UserFactory(username="manager_y_local", organisation=orgs.landlord_y, roles=["manager"], territories=["57"])
    assert as_user(other).get(f"/accompagnement/aide/{app.pk}/").status_code == 404
    # The landlord's manager sees the application of its own tenant (same territory and organisation).
    tenant_app = _new(households.tenant_y, personas.manager)
    assert as_user(other).get(f"/accompagnement/aide/{tenant_app.pk}/").status_code == 200


# --- Dashboard panel -----------------------------------------------------------------------------

def test_dashboard_lists_applications_waiting_on_something(as_user, personas, households):
    today = timezone.localdate()
    missing = _move(_new(households.mine, personas.worker, kind="ccas"), personas.worker, S.MISSING_PAPERS,
                    missing_papers="RIB")
    soon = _new(households.mine, personas.worker, kind="fsl_access", commission_on=today + timedelta(days=5))
    _new(households.mine, personas.worker, kind="fsl_energy", commission_on=today + timedelta(days=12))
    late = _move(_move(_new(households.mine, personas.worker, kind="loca_pass"), personas.worker, S.LODGED),
                 personas.worker, S.GRANTED, amount_granted=Decimal("500"))
    AidApplication.objects.filter(pk=late.pk).update(decided_on=today - timedelta(days=31))
    recent = _move(_move(_new(households.mine, personas.worker, kind="action_logement"), personas.worker, S.LODGED),
                   personas.worker, S.GRANTED, amount_granted=Decimal("500"))
    AidApplication.objects.filter(pk=recent.pk).update(decided_on=today - timedelta(days=10))
    LeaseFactory(household=households.other)
    _move(_new(households.other, personas.manager), personas.manager, S.MISSING_PAPERS, missing_papers="x")

    page = as_user(personas.worker).get("/accompagnement/").content.decode()
    assert "Demandes d&#x27;aide en attente" in page
    section = page.split("Demandes d&#x27;aide en attente", 1)[1]
    missing_col = section.split("data-aid-missing", 1)[1].split("</ul>", 1)[0]
    soon_col = section.split("data-aid-commission", 1)[1].split("</ul>", 1)[0]
    unpaid_col = section.split("data-aid-unpaid", 1)[1].split("</ul>", 1)[0]
    assert f"/aide/{missing.pk}/" in missing_col and missing_col.count("<li>") == 1  # not the unassigned one
    assert f"/aide/{soon.pk}/" in soon_col and soon_col.count("<li>") == 1  # not the one in 12 days
    assert f"/aide/{late.pk}/" in unpaid_col and f"/aide/{recent.pk}/" not in unpaid_col
    assert "31 jours" in unpaid_col


@pytest.mark.parametrize("count", [2, 20])
def test_timeline_and_panel_use_a_constant_number_of_queries(personas, households, count,
                                                            django_assert_num_queries):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from support.aid_hooks import dashboard_panel, timeline_entries
    from support.demo_aid import PDF
    from support.services_aid import document_add

    for _ in range(count):
        app = _move(_new(households.mine, personas.worker), personas.worker, S.MISSING_PAPERS, missing_papers="RIB")
        document_add(household=households.mine, by=personas.worker, kind="form",
                     upload=SimpleUploadedFile("f.pdf", PDF))
    from households.access import household_for

    user = type(personas.worker).objects.prefetch_related("roles", "territories").get(pk=personas.worker.pk)
    household = household_for(user, households.mine.pk)  # as the file fetches it: known to be seen
    # 1 transitions UNION documents
    with django_assert_num_queries(1):
        entries = timeline_entries(user, household)
    assert sum(e.kind == "aid" for e in entries) == 2 * count and sum(e.kind == "document" for e in entries) == count
    assert any(e.title == "FSL maintien : Pièces manquantes" and e.detail for e in entries)
    # 1 waiting applications (with their households)
    with django_assert_num_queries(1):
        panel = dashboard_panel(user)
    assert panel.count == count and app in panel.context["panel"].missing_papers


def test_a_confidential_document_is_on_the_workers_file_timeline_and_not_the_managers(as_user, personas, households):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from support.demo_aid import PDF
    from support.services_aid import document_add

    document_add(household=households.mine, by=personas.worker, kind="form", confidential=True,
                 upload=SimpleUploadedFile("bilan.pdf", PDF))
    document_add(household=households.mine, by=personas.worker, kind="caf", upload=SimpleUploadedFile("c.pdf", PDF))
    url = reverse("households:detail", args=[households.mine.pk])
    worker_page = as_user(personas.worker).get(url).content.decode()
    manager_page = as_user(personas.manager).get(url).content.decode()
    assert worker_page.count("Document ajouté") == 2
    assert manager_page.count("Document ajouté") == 1
