"""COPIL levers become aid applications: each kind asks only what it is measured in (no amount for
maintaining the APL, months for the ASLL), and the chair's decision creates or updates the
household's applications; the minutes show requested and retained apart, never "0,00 €"."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from copil import forms, services
from copil.models import DecisionLever, RequestedLever, Session
from copil.services import LeverInput
from support.aid_rules import Status
from support.models import AidApplication
from support.services_aid import aid_application_create, aid_application_transition

from .test_summary import pdf_text

pytestmark = pytest.mark.django_db


def _apps(household):
    return {a.kind: a for a in AidApplication.objects.filter(household=household)}


def test_admission_creates_one_application_per_lever(copil):
    services.decision_record(item=copil.item_a, by=copil.chair, outcome="admitted", levers=[
        LeverInput("fsl_maintenance", Decimal("1840.00")), LeverInput("apl_maintenance"),
        LeverInput("asll", months=6)])
    apps = _apps(copil.mine)
    assert set(apps) == {"fsl_maintenance", "apl_maintenance", "asll"}
    assert all(a.status == Status.TO_PREPARE for a in apps.values())
    assert apps["fsl_maintenance"].amount_requested == Decimal("1840.00")
    assert apps["apl_maintenance"].amount_requested is None
    assert (apps["asll"].months_requested, apps["asll"].amount_requested) == (6, None)
    links = dict(DecisionLever.objects.values_list("kind", "application_id"))
    assert links == {kind: app.pk for kind, app in apps.items()}


def test_apl_maintenance_and_asll_are_decided_without_an_amount(copil):
    decision = services.decision_record(item=copil.item_a, by=copil.chair, outcome="admitted",
                                        levers=[LeverInput("apl_maintenance"), LeverInput("asll", months=12)])
    assert [(lv.kind, lv.amount, lv.months) for lv in decision.levers.all()] == [
        ("apl_maintenance", None, None), ("asll", None, 12)]


@pytest.mark.parametrize(("lever", "message"), [
    (LeverInput("apl_maintenance", Decimal("0.00")), "Maintien des APL : Cette aide n'a pas de montant."),
    (LeverInput("asll", Decimal("600.00")), "n'a pas de montant"),
    (LeverInput("asll"), "indiquez la durée en mois"),
    (LeverInput("fsl_access"), "indiquez le montant"),
    (LeverInput("fsl_access", Decimal("300"), months=3), "ne se compte pas en mois"),
])
def test_a_lever_carrying_what_its_kind_has_not_is_refused(copil, lever, message):
    with pytest.raises(ValidationError) as exc:
        services.decision_record(item=copil.item_a, by=copil.chair, outcome="admitted", levers=[lever])
    assert message in " ".join(exc.value.message_dict["levers"])
    assert not AidApplication.objects.exists()


def test_decision_form_asks_only_what_the_kind_needs():
    def formset(**rows):
        data = {"levers-TOTAL_FORMS": "1", "levers-INITIAL_FORMS": "0", **{f"levers-0-{k}": v for k, v in rows.items()}}
        fs = forms.DecisionLeverFormSet(data, prefix="levers")
        fs.is_valid()
        return fs.forms[0].errors

    assert formset(kind="apl_maintenance") == {}
    assert formset(kind="apl_maintenance", amount="0") == {"amount": ["Cette aide n'a pas de montant."]}
    assert formset(kind="asll") == {"months": ["Indiquez la durée en mois."]}
    assert formset(kind="asll", months="6") == {}
    assert formset(kind="fsl_access") == {"amount": ["Indiquez le montant retenu."]}


def test_decision_updates_the_application_still_waiting_for_its_body(copil, personas):
    existing = aid_application_create(household=copil.mine, by=personas.worker, kind="fsl_maintenance",
                                      amount_requested=Decimal("1500.00"))
    aid_application_transition(application=existing, by=personas.worker, status=Status.LODGED)
    services.decision_record(item=copil.item_a, by=copil.chair, outcome="admitted",
                             levers=[LeverInput("fsl_maintenance", Decimal("1840.00"))])
    existing.refresh_from_db()
    assert AidApplication.objects.filter(household=copil.mine).count() == 1
    assert (existing.status, existing.amount_requested) == (Status.LODGED, Decimal("1840.00"))


def test_a_decided_application_is_not_reused(copil, personas):
    old = aid_application_create(household=copil.mine, by=personas.worker, kind="fsl_maintenance",
                                 amount_requested=Decimal("500.00"))
    for status, extra in ((Status.LODGED, {}), (Status.REFUSED, {"reason": "Hors barème"})):
        aid_application_transition(application=old, by=personas.worker, status=status, **extra)
    services.decision_record(item=copil.item_a, by=copil.chair, outcome="admitted",
                             levers=[LeverInput("fsl_maintenance", Decimal("1840.00"))])
    assert AidApplication.objects.filter(household=copil.mine).count() == 2


def test_deciding_again_updates_applications_and_closes_a_dropped_lever(copil):
    services.decision_record(item=copil.item_a, by=copil.chair, outcome="admitted", levers=[
        LeverInput("fsl_maintenance", Decimal("1840.00")), LeverInput("aide_quittance", Decimal("300.00"))])
    first = _apps(copil.mine)
    services.decision_record(item=copil.item_a, by=copil.chair, outcome="admitted",
                             levers=[LeverInput("fsl_maintenance", Decimal("1600.00"))])
    apps = _apps(copil.mine)
    assert apps["fsl_maintenance"].pk == first["fsl_maintenance"].pk
    assert apps["fsl_maintenance"].amount_requested == Decimal("1600.00")
    assert apps["aide_quittance"].status == Status.CLOSED
    assert "retiré" in apps["aide_quittance"].reason


def test_visale_and_loca_pass_are_separate_kinds(copil):
    services.decision_record(item=copil.item_a, by=copil.chair, outcome="admitted", levers=[
        LeverInput("visale"), LeverInput("loca_pass", Decimal("450.00"))])
    apps = _apps(copil.mine)
    assert apps["visale"].get_kind_display() == "Visale (garantie de loyer)"
    assert apps["loca_pass"].get_kind_display() == "Loca-Pass (avance du dépôt de garantie)"
    assert apps["loca_pass"].examining_body == "Action Logement"


def test_minutes_show_requested_and_retained_apart_and_no_zero_for_levers_without_amount(
        copil, django_capture_on_commit_callbacks):
    RequestedLever.objects.create(item=copil.item_a, kind="apl_maintenance")
    services.decision_record(item=copil.item_a, by=copil.chair, outcome="admitted", levers=[
        LeverInput("fsl_maintenance", Decimal("1500.00")), LeverInput("apl_maintenance"),
        LeverInput("asll", months=6)])
    Session.objects.filter(pk=copil.a.pk).update(status="held")
    copil.a.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_sign(session=copil.a, by=copil.chair)
    text = pdf_text(Session.objects.get(pk=copil.a.pk).minutes.read()).replace("\xa0", " ")
    assert "Demandé à l'inscription" in text and "Retenu par le COPIL" in text
    assert "1 840,00 €" in text and "1 500,00 €" in text  # asked on the agenda, retained by the committee
    assert "sans montant" in text and "6 mois" in text
    assert re.search(r"(?<!\d)(?<!\d )0,00 €", text) is None  # no zero amount anywhere


def test_data_migration_splits_visale_and_loca_pass_and_drops_zero_amounts(copil):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("copil.migrations.0003_levers_are_aid_applications")
    guarantee = RequestedLever.objects.create(item=copil.item_a, kind="visale", amount=Decimal("0"))
    deposit = RequestedLever.objects.create(item=copil.item_a, kind="visale", amount=Decimal("480.00"))
    named = RequestedLever.objects.create(item=copil.item_a, kind="visale", note="Loca-Pass demandé")
    apl = RequestedLever.objects.create(item=copil.item_a, kind="apl_maintenance", amount=Decimal("0"))
    migration.split_guarantees_and_drop_zero_amounts(apps, None)
    rows = {r.pk: (r.kind, r.amount) for r in RequestedLever.objects.filter(
        pk__in=[guarantee.pk, deposit.pk, named.pk, apl.pk])}
    assert rows == {guarantee.pk: ("visale", None), deposit.pk: ("loca_pass", Decimal("480.00")),
                    named.pk: ("loca_pass", None), apl.pk: ("apl_maintenance", None)}
