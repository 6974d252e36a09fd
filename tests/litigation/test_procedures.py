"""Recording steps: the engine's refusals, the cached stage and deadlines, DSF tasks, the list's
query count, the dashboard panel, the digest, early warnings and plans."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from litigation import services
from litigation.digest import send_deadline_digest
from litigation.models import Dsf, EarlyWarning, Outcome, RepaymentPlan, Stage
from litigation.panels import dashboard_panel
from litigation.rent import MonthLine, plan_state, schedule
from tests.factories import HouseholdFactory, LeaseFactory
from zel import dashboard

from .factories import ProcedureFactory, RentLineFactory

pytestmark = pytest.mark.django_db
D = date.fromisoformat


def record(procedure, by, type_, day, **kw):
    return services.event_record(procedure=procedure, by=by, type=type_, occurred_on=day, **kw)


def test_stage_outcome_and_cached_deadlines_follow_the_events(personas, procedures):
    p, officer = procedures.mine, personas.litigation_x
    today = timezone.localdate()
    record(p, officer, "commandement_de_payer", today - timedelta(days=10))
    p.refresh_from_db()
    assert p.stage == Stage.COMMANDEMENT
    # Lease signed in 2020 (factory): 2 months, extended if it ends on a non-working day.
    assert p.next_deadline_code == "fin_delai_commandement"
    assert p.deadlines.get(code="fin_delai_commandement").due_on >= today - timedelta(days=10) + timedelta(days=59)
    record(p, officer, "assignation", today - timedelta(days=1), hearing_on=today + timedelta(days=70))
    p.refresh_from_db()
    assert p.stage == Stage.ASSIGNATION and p.hearing_on == today + timedelta(days=70)
    assert p.next_deadline_code == "notification_prefet_au_plus_tard"
    assert p.next_deadline_on == today + timedelta(days=70 - 42)
    record(p, officer, "cloture", today, outcome=Outcome.PLAN_RESPECTE)
    p.refresh_from_db()
    assert p.stage == Stage.CLOSED and p.outcome == Outcome.PLAN_RESPECTE and p.eviction_avoided
    assert p.next_deadline_on is None
    with pytest.raises(ValidationError, match="close"):
        record(p, officer, "jugement", today)


def test_engine_refusals_reach_the_user_in_french(personas, procedures):
    p = procedures.mine
    with pytest.raises(ValidationError) as exc:
        record(p, personas.litigation_x, "assignation", D("2025-04-20"), hearing_on=D("2025-04-01"))
    assert "l'audience du 01/04/2025 n'est pas postérieure à l'assignation du 20/04/2025" in str(exc.value)
    with pytest.raises(ValidationError, match="13 mois"):
        record(p, personas.litigation_x, "delais_jex", D("2025-04-20"), months=13)
    with pytest.raises(ValidationError, match="futur"):
        record(p, personas.litigation_x, "jugement", timezone.localdate() + timedelta(days=1))
    assert p.events.count() == 0


def test_event_form_shows_error_next_to_the_field(as_user, personas, procedures):
    response = as_user(personas.litigation_x).post(
        reverse("litigation:event_create", args=[procedures.mine.pk]),
        {"type": "assignation", "occurred_on": "2025-04-20"})
    assert response.context["form"].errors["hearing_on"] == ["Indiquez la date d'audience."]


def test_stale_form_is_refused(as_user, personas, procedures):
    client = as_user(personas.litigation_x)
    url = reverse("litigation:event_create", args=[procedures.mine.pk])
    version = procedures.mine.version
    client.post(url, {"type": "impaye_constitue", "occurred_on": "2025-01-05", "version": version})
    response = client.post(url, {"type": "saisine_ccapex", "occurred_on": "2025-02-05", "version": version})
    assert "modifiée par quelqu'un d'autre entre-temps." in response.context["form"].non_field_errors()[0]
    assert procedures.mine.events.count() == 1


def test_summons_for_household_in_support_gives_worker_a_dsf_task(personas, households, procedures):
    from support.services import episode_open

    episode_open(household=households.mine, by=personas.worker, opened_on=D("2025-01-02"))
    hearing = timezone.localdate() + timedelta(days=10)
    record(procedures.mine, personas.litigation_x, "assignation", timezone.localdate(), hearing_on=hearing)
    dsf = Dsf.objects.get(procedure=procedures.mine)
    assert dsf.assigned_to == personas.worker and dsf.hearing_on == hearing
    # No support: no DSF task for the other tenant.
    record(procedures.other, personas.litigation_x, "assignation", timezone.localdate(), hearing_on=hearing)
    assert not Dsf.objects.filter(procedure=procedures.other).exists()
    # The worker's dashboard: the hearing, the préfet deadline… and the DSF alert (< 15 days).
    panel = dashboard_panel(personas.worker)
    labels = [item.label for item in panel.context["items"]]
    assert "Audience au tribunal" in labels
    assert "DSF non transmis, audience dans moins de 15 jours" in labels
    assert [p.context["items"] for p in dashboard.panels_for(personas.worker)
            if p.template == "litigation/_dashboard_panel.html"] == [panel.context["items"]]
    assert dashboard_panel(personas.litigation_x) is None


def test_dashboard_panel_shows_the_soonest_and_counts_the_rest(personas, households, procedures, as_user,
                                                               monkeypatch):
    """A huge caseload must not list every hearing: the soonest few, then "Et N autres"."""
    from litigation import panels
    from support.services import episode_open

    today = timezone.localdate()
    episode_open(household=households.mine, by=personas.worker, opened_on=D("2025-01-02"))
    record(procedures.mine, personas.litigation_x, "assignation", today, hearing_on=today + timedelta(days=10))
    everything = dashboard_panel(personas.worker).context["items"]
    assert len(everything) >= 2  # the hearing, the DSF to send, the deadlines the summons opened
    monkeypatch.setattr(panels, "PANEL_SHOWN", 1)
    panel = dashboard_panel(personas.worker)
    assert [i.date for i in panel.context["items"]] == [min(i.date for i in everything)]
    assert panel.count == panel.context["total"] == len(everything)
    page = as_user(personas.worker).get(reverse("support:dashboard")).content.decode()
    assert f"Et {len(everything) - 1} autre" in page


def test_dsf_validation_pdf_and_sending(as_user, personas, households, procedures):
    from support.services import episode_open

    episode_open(household=households.mine, by=personas.worker, opened_on=D("2025-01-02"))
    record(procedures.mine, personas.litigation_x, "assignation", timezone.localdate(),
           hearing_on=timezone.localdate() + timedelta(days=30))
    dsf = Dsf.objects.get()
    client = as_user(personas.worker)
    url = reverse("litigation:dsf_detail", args=[dsf.pk])
    assert client.post(url, {"wishes": "Rester dans le logement", "proposal": "Plan de 150 € par mois",
                             "validate": "1", "version": dsf.version}).status_code == 302
    dsf.refresh_from_db()
    assert dsf.status == Dsf.Status.VALIDATED
    assert households.mine.display_name in dsf.data["prefill"]["identite"][0]["value"]
    pdf = client.get(reverse("litigation:dsf_pdf", args=[dsf.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    from io import BytesIO

    from pypdf import PdfReader

    text = " ".join("".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages).split())
    assert "Plan de 150 € par mois" in text and households.mine.last_name.upper() in text
    client.post(reverse("litigation:dsf_sending", args=[dsf.pk]), {"sent_to_court_on": timezone.localdate()})
    dsf.refresh_from_db()
    assert dsf.sent_to_court_on == timezone.localdate()
    for stranger in (personas.litigation_x, personas.bailiff, personas.worker_54):
        assert as_user(stranger).get(url).status_code == 404
    assert as_user(personas.psychologist).post(url, {"wishes": "x"}).status_code == 403


def test_list_query_count_is_the_same_for_5_and_50_rows(as_user, personas, orgs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(personas.litigation_x)

    def add(count):
        for n in range(count):
            lease = LeaseFactory(household=HouseholdFactory(organisation=orgs.amli), landlord=orgs.landlord_x)
            ProcedureFactory(lease=lease, next_deadline_on=timezone.localdate() + timedelta(days=n % 40))

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("litigation:procedure_list"))
        return len(ctx.captured_queries), response

    add(5)
    few, response = measure()
    assert len(response.context["rows"]) == 5
    add(45)
    many, response = measure()
    rows = response.context["rows"]
    assert len(rows) == 25 and response.context["count"].n == 50
    assert [p.next_deadline_on for p in rows] == sorted(p.next_deadline_on for p in rows)
    # session, user, roles, territories, landlord choices, count, page rows, support flags, …:
    # a fixed number, whatever the number of rows.
    assert few == many
    assert many <= 10


def test_list_filters(as_user, personas, procedures):
    today = timezone.localdate()
    record(procedures.mine, personas.litigation_x, "assignation", today, hearing_on=today + timedelta(days=50))
    client = as_user(personas.litigation_x)
    soon = client.get(reverse("litigation:procedure_list"), {"within": 15}).context["rows"]
    assert [p.pk for p in soon] == [procedures.mine.pk]
    staged = client.get(reverse("litigation:procedure_list"), {"stage": "assignation"}).context["rows"]
    assert [p.pk for p in staged] == [procedures.mine.pk]
    assert client.get(reverse("litigation:procedure_list"), {"departement": "54"}).context["rows"] == []


def test_digest_mails_deadlines_within_15_days(personas, procedures):
    today = timezone.localdate()
    record(procedures.mine, personas.litigation_x, "assignation", today, hearing_on=today + timedelta(days=50))
    record(procedures.y, personas.litigation_y, "impaye_constitue", today - timedelta(days=200))
    assert send_deadline_digest(today=today) == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {personas.litigation_x.email, personas.worker.email}
    body = by_recipient[personas.litigation_x.email].body
    assert (today + timedelta(days=8)).strftime("%d/%m/%Y") in body
    assert procedures.mine.lease.reference in body
    assert send_deadline_digest(today=today) == 0  # a second run that day (another worker) mails nobody
    assert len(mail.outbox) == 2
    assert send_deadline_digest(today=today + timedelta(days=1)) == 2  # the next day's digest goes


def test_early_warning_threshold_growth_and_one_click_referral(as_user, personas, households, orgs):
    lease = households.other.leases.get()  # due 380 € a month net of benefit
    today = timezone.localdate()
    months = [(today.replace(day=1) - timedelta(days=31 * k)).replace(day=1) for k in (3, 2, 1)]
    # Debt 0, then 380, then 760 = 2 × 380: constituted this month, and grown a second month.
    for month, paid in zip(months, ("380.00", "0.00", "0.00"), strict=True):
        RentLineFactory(lease=lease, month=month, amount_paid=Decimal(paid))
    assert services.early_warnings_detect(today=today) == 2
    assert services.early_warnings_detect(today=today) == 0  # idempotent
    kinds = set(EarlyWarning.objects.values_list("kind", flat=True))
    assert kinds == {EarlyWarning.Kind.THRESHOLD, EarlyWarning.Kind.GROWING}
    client = as_user(personas.manager)
    page = client.get(reverse("litigation:early_warning_list")).content.decode()
    assert lease.reference in page
    warning = EarlyWarning.objects.first()
    client.post(reverse("litigation:early_warning_refer", args=[warning.pk]))
    referral = households.other.referrals.get()
    assert referral.partner == orgs.landlord_x and referral.track == "maintien"
    assert not EarlyWarning.objects.filter(referred_on__isnull=True).exists()
    # Both warnings of the lease are handled, each with its own audited change (who, what).
    for handled in EarlyWarning.objects.all():
        last = handled.history.first()
        assert last.history_user == personas.manager and last.referred_on == today
        assert last.history_type == "~"
    # A second tap (another tab) refers nothing more.
    response = client.post(reverse("litigation:early_warning_refer", args=[warning.pk]), follow=True)
    assert "déjà été traitée" in response.content.decode() and households.other.referrals.count() == 1
    assert as_user(personas.litigation_x).get(reverse("litigation:early_warning_list")).status_code == 403


def test_no_warning_for_household_in_support(personas, households):
    from support.services import episode_open

    episode_open(household=households.mine, by=personas.worker, opened_on=D("2025-01-02"))
    today = timezone.localdate()
    RentLineFactory(lease=households.mine.leases.get(), month=today.replace(day=1), amount_called=Decimal("2000"),
                    amount_paid=Decimal(0))
    assert services.early_warnings_detect(today=today) == 0


def test_plan_state_matching_missed_installments_and_residual_rent():
    lines = [MonthLine(D("2025-01-01"), Decimal("500"), Decimal("100"), Decimal("500")),  # 100 to the plan
             MonthLine(D("2025-02-01"), Decimal("500"), Decimal("100"), Decimal("400")),  # rent only: missed
             MonthLine(D("2025-03-01"), Decimal("500"), Decimal("100"), Decimal("600")),  # 200 to the plan
             MonthLine(D("2025-04-01"), Decimal("500"), Decimal("100"), Decimal("500"))]
    installments = schedule(total_debt=Decimal("1000"), starts_on=D("2025-01-10"), months=10)
    assert installments[0] == (D("2025-01-10"), Decimal("100.00"))
    state = plan_state(total_debt=Decimal("1000"), installments=installments, lines=lines, today=D("2025-04-20"),
                       starts_on=D("2025-01-10"))
    assert [i.status for i in state.installments[:5]] == ["paid", "paid", "paid", "paid", "upcoming"]
    assert state.repaid == Decimal("400") and state.remaining_debt == Decimal("600")
    assert state.residual_rent_months == 4 and state.residual_rent_resumed
    short = plan_state(total_debt=Decimal("1000"), installments=installments, lines=lines[:2],
                       today=D("2025-04-20"), starts_on=D("2025-01-10"))
    assert [i.status for i in short.installments[:2]] == ["paid", "missed"]
    assert short.missed_count == 1 and short.adherence == Decimal("0.500") and not short.is_kept


def test_plan_creation_and_page(as_user, personas, procedures):
    client = as_user(personas.litigation_x)
    lease_id = procedures.mine.lease_id
    response = client.post(reverse("litigation:plan_create", args=[lease_id]),
                           {"kind": "judge_delays", "total_debt": "1 200,00", "starts_on": "2025-02-05",
                            "months": "40"})
    assert "3 ans au plus" in response.content.decode()
    client.post(reverse("litigation:plan_create", args=[lease_id]),
                {"kind": "plan_apurement", "total_debt": "1 200,00", "starts_on": "2025-02-05", "months": "12"})
    plan = RepaymentPlan.objects.get()
    assert plan.installments.count() == 12 and plan.procedure == procedures.mine
    page = client.get(reverse("litigation:plan_detail", args=[plan.pk]))
    assert page.status_code == 200
    assert as_user(personas.litigation_y).get(reverse("litigation:plan_detail", args=[plan.pk])).status_code == 404
    assert as_user(personas.worker).post(reverse("litigation:plan_create", args=[lease_id]), {}).status_code == 403


def test_rent_account_page_shows_debt_and_chart(as_user, personas, procedures):
    lease = procedures.mine.lease
    for month, paid in ((1, "380"), (2, "0"), (3, "0")):
        RentLineFactory(lease=lease, month=date(2025, month, 1), amount_paid=Decimal(paid))
    page = as_user(personas.litigation_x).get(reverse("litigation:rent_account", args=[lease.pk])).content.decode()
    assert "760,00\u00a0€" in page and "impayé constitué" in page and "<polyline" in page
    assert 'style="' not in page and "<script>" not in page


def test_summary_selector_for_copil(personas, procedures):
    from litigation.selectors import procedure_summaries

    record(procedures.mine, personas.litigation_x, "commandement_de_payer", timezone.localdate())
    summaries = procedure_summaries([procedures.mine.household_id, procedures.y.household_id, 999999])
    assert summaries[procedures.mine.household_id].stage == Stage.COMMANDEMENT
    assert summaries[procedures.mine.household_id].stage_label == "Commandement de payer"
    assert summaries[procedures.mine.household_id].next_deadline is not None
    assert 999999 not in summaries


def test_procedure_open_by_officer(as_user, personas, households):
    client = as_user(personas.litigation_x)
    lease = households.other.leases.get()
    response = client.post(reverse("litigation:procedure_open"),
                           {"lease": lease.pk, "opened_on": "2025-03-01", "bailiff": personas.bailiff.pk})
    assert response.status_code == 302
    assert lease.procedures.get().bailiff == personas.bailiff
    other_landlord = households.tenant_y.leases.get()
    response = client.post(reverse("litigation:procedure_open"),
                           {"lease": other_landlord.pk, "opened_on": "2025-03-01"})
    assert "lease" in response.context["form"].errors
    assert as_user(personas.bailiff).get(reverse("litigation:procedure_open")).status_code == 403


def test_a_plain_refusal_from_the_service_shows_on_the_plan_form(as_user, personas, procedures, monkeypatch):
    """A service's ValidationError without fields (a plain message) used to crash the view
    (`exc.message_dict`): it shows on top of the form, the form is kept, nothing is saved."""
    def refuse(**kwargs):
        raise ValidationError("Un plan est déjà en cours sur ce bail.")

    monkeypatch.setattr(services, "plan_create", refuse)
    response = as_user(personas.litigation_x).post(
        reverse("litigation:plan_create", args=[procedures.mine.lease_id]),
        {"kind": "plan_apurement", "total_debt": "1 200,00", "starts_on": "2025-02-05", "months": "12"})
    assert response.status_code == 200
    assert "Un plan est déjà en cours sur ce bail." in response.content.decode()
    assert response.context["form"].non_field_errors() == ["Un plan est déjà en cours sur ce bail."]
    assert not RepaymentPlan.objects.exists()


def test_the_bailiff_is_removed_only_when_the_officer_chooses_none(as_user, personas, procedures):
    client = as_user(personas.litigation_x)
    url = reverse("litigation:procedure_bailiff", args=[procedures.other.pk])
    response = client.post(url, {}, follow=True)  # a truncated request: nothing changes, and it says why
    procedures.other.refresh_from_db()
    assert procedures.other.bailiff == personas.bailiff
    assert "« Aucun » pour retirer le mandat" in response.content.decode()
    client.post(url, {"bailiff": ""})
    procedures.other.refresh_from_db()
    assert procedures.other.bailiff is None
    client.post(url, {"bailiff": personas.bailiff.pk})
    procedures.other.refresh_from_db()
    assert procedures.other.bailiff == personas.bailiff
