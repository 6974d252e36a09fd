"""The permission matrix: every URL of the project × every role, with an object the role may see and
an object nobody in the table may see.

The URL list comes from the resolver, so a new view that is not in MATRIX fails
`test_every_url_is_in_the_matrix`. Expected statuses for GET:
  200 the page, 302 a redirect (anonymous → login, or a POST-only action that redirects),
  403 seen but forbidden, 404 not seen (as if it did not exist), 405 POST-only endpoint.
For the foreign object (a household of territory 54, landlord Y, a 54 session or report), every
authenticated role must get 403 or 404, never the data.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from copil.models import Session
from litigation import services as litigation_services
from litigation.models import Dsf, EarlyWarning
from reports import indicators
from reports.models import Report
from tests.copil.factories import AgendaItemFactory, RequestedLeverFactory, SessionFactory
from tests.factories import HouseholdFactory, LeaseFactory, territory
from tests.litigation.factories import ProcedureFactory
from tests.support.factories import (
    DiagnosisFactory,
    EpisodeFactory,
    InterventionFactory,
    PlanGoalFactory,
    PsychologistNoteFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "worker", "psychologist", "manager", "copil_a", "litigation_x", "bailiff", "funder", "admin"]
SKIPPED_NAMESPACES = {"admin"}  # Django admin: its own permission layer, tested in tests/support and tests/trust

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def all_url_names() -> set[str]:
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or namespace
                if ns in SKIPPED_NAMESPACES:
                    continue
                yield from walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name
    return set(walk(get_resolver().url_patterns))


class World:
    """One object of each kind the roles may see (own) and the same kinds nobody here sees (foreign)."""

    def __init__(self, personas, orgs, households):
        self.p, self.h = personas, households
        today = timezone.localdate()
        self.own = self._build(households.mine, households.mine.current_lease(), households.other, "57",
                               personas, today)
        far_lease = LeaseFactory(household=households.far, landlord=orgs.landlord_y)
        far_second = HouseholdFactory(organisation=orgs.amli, territory=territory("54"))
        self.foreign = self._build(households.far, far_lease, far_second, "54", personas, today, foreign=True)

    def _build(self, household, lease, second, dep, p, today, foreign=False):
        o = {"household": household, "lease": lease}
        author = p.worker_54 if foreign else p.worker
        o["diagnosis"] = DiagnosisFactory(household=household)
        o["episode"] = EpisodeFactory(household=household, opened_on=today - timedelta(days=200))
        o["goal"] = PlanGoalFactory(household=household, owner=author)
        o["visit"] = InterventionFactory(household=household, author=author)
        o["psy_note"] = PsychologistNoteFactory(household=household, author=p.psychologist)
        chair = p.copil_b if foreign else p.copil_a
        o["session"] = SessionFactory(territory=household.territory, chair=chair, members=[chair],
                                      status=Session.Status.REVIEW)
        o["item"] = AgendaItemFactory(session=o["session"], household=household)
        RequestedLeverFactory(item=o["item"])
        o["decided_item"] = AgendaItemFactory(session=o["session"], household=second)
        from copil import services as copil_services
        o["decision"] = copil_services.decision_record(item=o["decided_item"], by=chair, outcome="refused",
                                                       reason="Dossier incomplet")
        o["procedure"] = ProcedureFactory(lease=lease, bailiff=None if foreign else p.bailiff)
        officer = p.litigation_y if foreign else p.litigation_x
        event = litigation_services.event_record(procedure=o["procedure"], by=officer, type="commandement_de_payer",
                                                 occurred_on=today - timedelta(days=30))
        event.document.save("acte.pdf", ContentFile(PDF), save=True)
        o["event"] = event
        o["plan"] = litigation_services.plan_create(lease=lease, by=None, kind="plan_apurement",
                                                    total_debt=Decimal("600"), starts_on=today, months=6)
        o["warning"] = EarlyWarning.objects.create(lease=lease, household=household, kind="threshold",
                                                   debt=Decimal("900"), period_key=f"w-{dep}", detected_on=today)
        o["dsf"] = Dsf.objects.create(procedure=o["procedure"], household=household, assigned_to=author,
                                      hearing_on=today + timedelta(days=40))
        o["report"] = Report.objects.create(quarter="2025Q4", territory=household.territory,
                                            status=Report.Status.DONE, finished_at=timezone.now(),
                                            figures=indicators.compute("2025Q4", [dep]))
        o["report"].file.save("rapport.pdf", ContentFile(PDF), save=True)
        return o


def pk(key):
    return lambda o: {"pk": o[key].pk}


def item_kwargs(key):
    return lambda o: {"pk": o[key].session_id, "item_pk": o[key].pk}


NO_ARGS = None
# url name -> how to build its kwargs from a World object set (None: the URL takes no argument)
KWARGS = {
    "home": NO_ARGS, "login": NO_ARGS, "logout": NO_ARGS, "password_change": NO_ARGS,
    "password_change_done": NO_ARGS, "password_reset": NO_ARGS, "password_reset_done": NO_ARGS,
    "password_reset_confirm": lambda o: {"uidb64": "MQ", "token": "set-password"},
    "password_reset_complete": NO_ARGS, "set_language": NO_ARGS,
    "accounts:profile": NO_ARGS, "audit:access_log": NO_ARGS, "accounts:otp_verify": NO_ARGS,
    "accounts:otp_setup": NO_ARGS, "accounts:otp_disable": NO_ARGS, "accounts:otp_backup_codes": NO_ARGS,
    "households:list": NO_ARGS, "households:export": NO_ARGS, "households:create": NO_ARGS,
    "households:referral_intake": NO_ARGS,
    "households:detail": pk("household"), "households:edit": pk("household"), "households:assign": pk("household"),
    "households:history": pk("household"), "households:referral_add": pk("household"),
    "households:personal_data": pk("household"), "households:personal_data_export": pk("household"),
    "households:personal_data_erase": pk("household"),
    "support:dashboard": NO_ARGS, "support:handover": NO_ARGS, "support:visit_list": NO_ARGS,
    "support:visit_export": NO_ARGS, "support:visit_new": NO_ARGS,
    "support:visit": pk("visit"), "support:visit_edit": pk("visit"), "support:visit_addendum": pk("visit"),
    "support:household": pk("household"), "support:diagnosis_new": pk("household"),
    "support:diagnosis": pk("diagnosis"), "support:diagnosis_edit": pk("diagnosis"),
    "support:episode_open": pk("household"), "support:episode_close": pk("episode"),
    "support:goal_new": pk("household"), "support:goal_edit": pk("goal"),
    "support:psy_note_new": pk("household"), "support:psy_note": pk("psy_note"),
    "support:budget": pk("household"), "support:budget_edit": pk("household"),
    "copil:session_list": NO_ARGS, "copil:session_create": NO_ARGS, "copil:written_create": NO_ARGS,
    "copil:session_detail": pk("session"), "copil:session_edit": pk("session"),
    "copil:session_publish": pk("session"), "copil:session_open_review": pk("session"),
    "copil:session_hold": pk("session"), "copil:session_sign": pk("session"),
    "copil:minutes_download": pk("session"), "copil:minutes_regenerate": pk("session"),
    "copil:item_add": pk("session"), "copil:dossier": item_kwargs("item"), "copil:item_edit": item_kwargs("item"),
    "copil:item_remove": item_kwargs("item"), "copil:dossier_opinion": item_kwargs("item"),
    "copil:dossier_decide": item_kwargs("item"),
    "copil:decision_correct": lambda o: {"pk": o["decided_item"].session_id, "item_pk": o["decided_item"].pk,
                                         "decision_pk": o["decision"].pk},
    "litigation:procedure_list": NO_ARGS, "litigation:procedure_open": NO_ARGS,
    "litigation:procedure_detail": pk("procedure"), "litigation:event_create": pk("procedure"),
    "litigation:procedure_bailiff": pk("procedure"), "litigation:event_document": pk("event"),
    "litigation:rent_import": NO_ARGS, "litigation:rent_account": lambda o: {"lease_pk": o["lease"].pk},
    "litigation:plan_create": lambda o: {"lease_pk": o["lease"].pk}, "litigation:plan_detail": pk("plan"),
    "litigation:early_warning_list": NO_ARGS, "litigation:early_warning_refer": pk("warning"),
    "litigation:early_warning_dismiss": pk("warning"), "litigation:dsf_detail": pk("dsf"),
    "litigation:dsf_sending": pk("dsf"), "litigation:dsf_pdf": pk("dsf"),
    "reports:report_list": NO_ARGS, "reports:report_request": NO_ARGS, "reports:report_detail": pk("report"),
    "reports:report_status": pk("report"), "reports:report_download": pk("report"),
    "reports:report_csv": pk("report"), "reports:report_xlsx": pk("report"),
    "reports:dashboard": NO_ARGS, "reports:dashboard_households": NO_ARGS, "reports:dashboard_csv": NO_ARGS,
    "reports:row_export": NO_ARGS,
}


# GET, own objects. Columns: anonymous worker psychologist manager copil_a litigation_x bailiff funder admin
MATRIX = {
    "audit:access_log": "302 403 403 200 403 403 403 403 403",
    "accounts:otp_backup_codes": "302 405 405 405 405 405 405 405 405",
    "accounts:otp_disable": "302 405 405 405 405 405 405 405 405",
    "accounts:otp_setup": "302 200 200 200 200 200 200 200 200",
    "accounts:otp_verify": "302 302 302 302 302 302 302 302 302",
    "accounts:profile": "302 200 200 200 200 200 200 200 200",
    "copil:decision_correct": "302 404 404 403 403 404 404 404 404",
    "copil:dossier": "302 404 404 200 200 404 404 404 404",
    "copil:dossier_decide": "302 405 405 405 405 405 405 405 405",
    "copil:dossier_opinion": "302 405 405 405 405 405 405 405 405",
    "copil:item_add": "302 405 405 405 405 405 405 405 405",
    "copil:item_edit": "302 404 404 200 403 404 404 404 404",
    "copil:item_remove": "302 405 405 405 405 405 405 405 405",
    "copil:minutes_download": "302 404 404 403 403 404 404 404 404",
    "copil:minutes_regenerate": "302 405 405 405 405 405 405 405 405",
    "copil:session_create": "302 403 403 200 403 403 403 403 403",
    "copil:session_detail": "302 404 404 200 200 404 404 404 404",
    "copil:session_edit": "302 404 404 200 403 404 404 404 404",
    "copil:session_hold": "302 404 404 200 200 404 404 404 404",
    "copil:session_list": "302 403 403 200 200 403 403 403 403",
    "copil:session_open_review": "302 405 405 405 405 405 405 405 405",
    "copil:session_publish": "302 405 405 405 405 405 405 405 405",
    "copil:session_sign": "302 405 405 405 405 405 405 405 405",
    "copil:written_create": "302 403 403 200 200 403 403 403 403",
    "home": "302 302 302 302 302 302 302 302 302",
    "households:assign": "302 403 403 200 404 404 404 404 404",
    "households:create": "302 200 403 200 403 403 403 403 403",
    "households:detail": "302 200 200 200 404 404 404 404 404",
    "households:edit": "302 200 403 200 404 404 404 404 404",
    "households:export": "302 403 403 200 403 403 403 403 403",
    "households:history": "302 403 403 200 404 404 404 404 404",
    "households:list": "302 200 200 200 403 403 403 403 403",
    "households:personal_data": "302 403 403 200 404 404 404 404 404",
    "households:personal_data_erase": "302 405 405 405 405 405 405 405 405",
    "households:personal_data_export": "302 403 403 200 404 404 404 404 404",
    "households:referral_add": "302 200 403 200 404 404 404 404 404",
    "households:referral_intake": "302 200 403 200 403 403 403 403 403",
    "litigation:dsf_detail": "302 200 200 200 404 404 404 404 404",
    "litigation:dsf_pdf": "302 200 200 200 404 404 404 404 404",
    "litigation:dsf_sending": "302 405 405 405 405 405 405 405 405",
    "litigation:early_warning_dismiss": "302 405 405 405 405 405 405 405 405",
    "litigation:early_warning_list": "302 403 403 200 403 403 403 403 403",
    "litigation:early_warning_refer": "302 405 405 405 405 405 405 405 405",
    "litigation:event_create": "302 403 403 403 404 200 200 404 404",
    "litigation:event_document": "302 200 200 200 404 200 200 404 404",
    "litigation:plan_create": "302 403 403 403 404 200 404 404 404",
    "litigation:plan_detail": "302 200 200 200 404 200 404 404 404",
    "litigation:procedure_bailiff": "302 405 405 405 405 405 405 405 405",
    "litigation:procedure_detail": "302 200 200 200 404 200 200 404 404",
    "litigation:procedure_list": "302 403 403 200 403 200 200 403 403",
    "litigation:procedure_open": "302 403 403 403 403 200 403 403 403",
    "litigation:rent_account": "302 200 200 200 404 200 404 404 404",
    "litigation:rent_import": "302 403 403 403 403 200 403 403 403",
    "login": "200 200 200 200 200 200 200 200 200",
    "logout": "302 405 405 405 405 405 405 405 405",
    "password_change": "302 200 200 200 200 200 200 200 200",
    "password_change_done": "302 200 200 200 200 200 200 200 200",
    "password_reset": "200 200 200 200 200 200 200 200 200",
    "password_reset_complete": "200 200 200 200 200 200 200 200 200",
    "password_reset_confirm": "200 200 200 200 200 200 200 200 200",
    "password_reset_done": "200 200 200 200 200 200 200 200 200",
    "reports:dashboard": "302 403 403 200 403 403 403 403 403",
    "reports:dashboard_csv": "302 403 403 200 403 403 403 403 403",
    "reports:dashboard_households": "302 403 403 404 403 403 403 403 403",
    "reports:report_csv": "302 403 403 200 403 403 403 200 403",
    "reports:report_detail": "302 403 403 200 403 403 403 200 403",
    "reports:report_download": "302 403 403 200 403 403 403 200 403",
    "reports:report_list": "302 403 403 200 403 403 403 200 403",
    "reports:report_request": "302 405 405 405 405 405 405 405 405",
    "reports:report_status": "302 403 403 200 403 403 403 200 403",
    "reports:report_xlsx": "302 403 403 200 403 403 403 200 403",
    "reports:row_export": "302 403 403 403 403 403 403 200 403",
    "set_language": "302 302 302 302 302 302 302 302 302",
    "support:budget": "302 200 200 200 403 403 403 403 403",
    "support:budget_edit": "302 200 200 403 404 404 404 404 404",
    "support:dashboard": "302 200 200 200 403 403 403 403 403",
    "support:diagnosis": "302 200 200 200 404 404 404 404 404",
    "support:diagnosis_edit": "302 200 200 403 404 404 404 404 404",
    "support:diagnosis_new": "302 200 200 403 404 404 404 404 404",
    "support:episode_close": "302 403 403 200 404 404 404 404 404",
    "support:episode_open": "302 403 403 200 404 404 404 404 404",
    "support:goal_edit": "302 200 200 403 404 404 404 404 404",
    "support:goal_new": "302 200 200 403 404 404 404 404 404",
    "support:handover": "302 403 403 200 403 403 403 403 403",
    "support:household": "302 200 200 200 403 403 403 403 403",
    "support:psy_note": "302 404 200 404 404 404 404 404 404",
    "support:psy_note_new": "302 403 200 403 404 404 404 404 404",
    "support:visit": "302 200 200 200 404 404 404 404 404",
    "support:visit_addendum": "302 405 405 405 405 405 405 405 405",
    "support:visit_edit": "302 200 302 403 404 404 404 404 404",
    "support:visit_export": "302 403 403 200 403 403 403 403 403",
    "support:visit_list": "302 200 200 200 403 403 403 403 403",
    "support:visit_new": "302 200 200 403 403 403 403 403 403",
}

# POST with an empty body (rolled back), for the POST-only endpoints. Same columns.
POST_MATRIX = {
    "accounts:otp_backup_codes": "302 403 403 403 403 403 403 403 403",
    "accounts:otp_disable": "302 302 302 302 302 302 302 302 302",
    "copil:dossier_decide": "302 404 404 403 400 404 404 404 404",
    "copil:dossier_opinion": "302 404 404 403 400 404 404 404 404",
    "copil:item_add": "302 404 404 302 403 404 404 404 404",
    "copil:item_remove": "302 404 404 302 403 404 404 404 404",
    "copil:minutes_regenerate": "302 404 404 403 403 404 404 404 404",
    "copil:session_open_review": "302 404 404 302 403 404 404 404 404",
    "copil:session_publish": "302 404 404 302 403 404 404 404 404",
    "copil:session_sign": "302 404 404 403 403 404 404 404 404",
    "households:personal_data_erase": "302 403 403 200 404 404 404 404 404",
    "litigation:dsf_sending": "302 302 403 403 404 404 404 404 404",
    "litigation:early_warning_dismiss": "302 403 403 302 403 403 403 403 403",
    "litigation:early_warning_refer": "302 403 403 302 403 403 403 403 403",
    "litigation:procedure_bailiff": "302 403 403 403 404 302 403 404 404",
    "logout": "302 302 302 302 302 302 302 302 302",
    "reports:report_request": "302 403 403 400 403 403 403 403 403",
    "support:visit_addendum": "302 302 302 403 404 404 404 404 404",
}


def test_every_url_is_in_the_matrix():
    names = all_url_names()
    assert names - set(KWARGS) == set(), "views missing from the permission matrix"
    assert set(KWARGS) - names == set(), "matrix rows for views that no longer exist"
    assert set(MATRIX) == set(KWARGS)
    assert set(POST_MATRIX) == POST_ONLY


def _client_for(client, personas, role):
    client.logout()
    if role != "anonymous":
        client.force_login(getattr(personas, role))
    return client


@pytest.fixture
def world(personas, orgs, households, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return World(personas, orgs, households)


POST_ONLY = {"accounts:otp_backup_codes", "accounts:otp_disable", "copil:dossier_decide", "copil:dossier_opinion",
             "copil:item_add", "copil:item_remove", "copil:minutes_regenerate", "copil:session_open_review",
             "copil:session_publish", "copil:session_sign", "households:personal_data_erase",
             "litigation:dsf_sending", "litigation:early_warning_dismiss", "litigation:early_warning_refer",
             "litigation:procedure_bailiff", "reports:report_request", "support:visit_addendum", "logout"}


def observe_post(client, personas, name, objects):
    """POST with an empty body, rolled back: the permission answer without changing the world."""
    from django.db import transaction

    builder = KWARGS[name]
    url = reverse(name, kwargs=builder(objects) if builder else None)
    statuses = {}
    for role in ROLES:
        with transaction.atomic():
            statuses[role] = _client_for(client, personas, role).post(url, {}).status_code
            transaction.set_rollback(True)
    return statuses


def observe(client, personas, world, name, objects):
    builder = KWARGS[name]
    url = reverse(name, kwargs=builder(objects) if builder else None)
    return {role: _client_for(client, personas, role).get(url).status_code for role in ROLES}


PUBLIC = {"login", "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete"}


def _mismatches(expected: dict[str, str], observed: dict[str, dict[str, int]]) -> list[str]:
    wrong = []
    for name, row in expected.items():
        for role, status in zip(ROLES, row.split(), strict=True):
            if observed[name][role] != int(status):
                wrong.append(f"{name} as {role}: expected {status}, got {observed[name][role]}")
    return wrong


def test_every_role_gets_the_expected_answer_on_every_page(client, personas, world):
    observed = {name: observe(client, personas, world, name, world.own) for name in MATRIX}
    assert _mismatches(MATRIX, observed) == []


def test_every_role_gets_the_expected_answer_on_every_action(client, personas, world):
    observed = {name: observe_post(client, personas, name, world.own) for name in POST_MATRIX}
    assert _mismatches(POST_MATRIX, observed) == []


def test_nobody_reaches_an_object_outside_their_scope(client, personas, world):
    """The foreign objects belong to territory 54 / landlord Y: no role of the table may see them."""
    leaks = []
    for name, builder in KWARGS.items():
        if builder is None or name in PUBLIC:
            continue
        observed = observe(client, personas, world, name, world.foreign)
        if name in POST_ONLY:
            observed = observe_post(client, personas, name, world.foreign)
        for role, status in observed.items():
            allowed = {302} if role == "anonymous" else {403, 404}
            if status not in allowed:
                leaks.append(f"{name} as {role}: {status}")
    assert leaks == []

