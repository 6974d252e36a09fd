"""The permission matrix: every URL of the project × every persona, GET and POST, on an object
set the personas may see (own) and one none of them may see (foreign).

The URL list comes from the resolver, so a new view that is not in KWARGS fails
`test_every_url_is_in_the_matrix`. Expected statuses:
  200 the page, 302 a redirect (anonymous → login, or an action that redirects),
  400 a refused empty form, 403 seen but forbidden, 404 not seen (as if it did not exist),
  405 wrong method.
POSTs carry an empty body and are rolled back. After each one the case tables are fingerprinted
(tests/trust/dbstate.py: rows, highest pk and a hash of every row, history tables included): a
refused POST (4xx, anonymous, or any POST on the foreign objects) must change nothing, an accepted
one only the tables WRITES allows for that URL. GETs change no case table at all.

Personas (tests/conftest.py): a second organisation of every kind — each landlord's litigation
officer and landlord-employed manager, two bailiffs' offices, two funders, two psychologists, a
COPIL member on no session, a manager of another département only. The foreign objects are in a
département nobody here works in (67), held by an association and let by a landlord nobody here
works for: every authenticated persona must get 403 or 404 there, never the data.

The world is built once for the module (rolled back at the end); each test runs inside it.
"""

import copy
import os
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import Organisation
from accounts.reference import ensure_reference_data
from copil.models import Session
from litigation import services as litigation_services
from litigation.models import Dsf, EarlyWarning
from reports import indicators
from reports.models import Report
from support.models import AidApplication, Document, OfflineVisit
from tests.conftest import make_households, make_orgs, make_personas
from tests.copil.factories import AgendaItemFactory, RequestedLeverFactory, SessionFactory
from tests.factories import HouseholdFactory, LeaseFactory, OrganisationFactory, UserFactory, territory, walk_to
from tests.litigation.factories import ProcedureFactory
from tests.support.factories import (
    AppointmentFactory,
    ContactFactory,
    DiagnosisFactory,
    EpisodeFactory,
    InterventionFactory,
    PlanGoalFactory,
    PsychologistNoteFactory,
)
from tests.trust.dbstate import changed_tables, snapshot

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "worker", "psychologist", "manager", "copil_a", "litigation_x", "bailiff", "funder", "admin",
         "manager_x", "manager_y", "litigation_y", "bailiff_2", "funder_2", "psychologist_2", "copil_none",
         "manager_54"]
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
    """One object of each kind the personas may see (own) and the same kinds none of them sees (foreign)."""

    def __init__(self, personas, orgs, households):
        self.p, self.h = personas, households
        today = timezone.localdate()
        self.own = self._build(households.mine, households.mine.current_lease(), households.other, personas,
                               today, organiser=orgs.amli, chair=personas.copil_a, officer=personas.litigation_x,
                               author=personas.worker, psychologist=personas.psychologist,
                               bailiff=personas.bailiff, funder=orgs.fnavdl)
        # Foreign: département 67, an association and a landlord nobody of ROLES works for.
        alis = OrganisationFactory(code="alis", name="ALIS 67", kind=Organisation.Kind.ASSOCIATION)
        vilogia = OrganisationFactory(code="vil", name="Vilogia", kind=Organisation.Kind.LANDLORD)
        local = {role: UserFactory(username=f"{role}_67", organisation=org, roles=[role], territories=["67"])
                 for role, org in [("social_worker", alis), ("psychologist", alis), ("copil_member", alis),
                                   ("litigation_officer", vilogia)]}
        far = HouseholdFactory(organisation=alis, territory=territory("67"),
                               workers=[local["social_worker"], local["psychologist"]])
        far_lease = LeaseFactory(household=far, landlord=vilogia)
        far_second = HouseholdFactory(organisation=alis, territory=territory("67"))
        LeaseFactory(household=far_second, landlord=vilogia)
        self.foreign = self._build(far, far_lease, far_second, personas, today, organiser=alis,
                                   chair=local["copil_member"], officer=local["litigation_officer"],
                                   author=local["social_worker"], psychologist=local["psychologist"], bailiff=None,
                                   funder=None)
        from support import calendar_feed
        calendar_feed.token_revoke(user=local["social_worker"])  # a revoked feed answers 404 to everybody

    def _build(self, household, lease, second, p, today, *, organiser, chair, officer, author, psychologist,
               bailiff, funder):
        from copil import services as copil_services

        o = {"household": household, "lease": lease}
        dep = household.territory.code
        o["diagnosis"] = DiagnosisFactory(household=household)
        o["episode"] = EpisodeFactory(household=household, opened_on=today - timedelta(days=200))
        o["goal"] = PlanGoalFactory(household=household, owner=author)
        o["visit"] = InterventionFactory(household=household, author=author)
        o["psy_note"] = PsychologistNoteFactory(household=household, author=psychologist)
        o["appointment"] = AppointmentFactory(household=household, workers=[author])
        o["aid"] = AidApplication.objects.create(household=household, kind="fsl_maintenance",
                                                 amount_requested=Decimal("900"))
        o["document"] = Document(household=household, kind="caf", original_name="caf.pdf",
                                 content_type="application/pdf", size=len(PDF))
        o["document"].file.save("caf.pdf", ContentFile(PDF), save=True)
        o["contact"] = ContactFactory(household=household)
        o["offline_visit"] = OfflineVisit.objects.create(
            author=author, household=household, household_label=household.display_name, occurred_on=today,
            payload={"occurred_on": today.isoformat(), "mode": "home_visit", "summary": "Visite hors ligne"},
            reason=OfflineVisit.Reason.TRANSFERRED, reason_detail="Confié à un autre intervenant")
        from support import calendar_feed
        o["calendar_token"] = calendar_feed.token_renew(user=author)
        o["session"] = SessionFactory(territory=household.territory, organisation=organiser, chair=chair,
                                      members=[chair], status=Session.Status.REVIEW)
        o["item"] = AgendaItemFactory(session=o["session"], household=household)
        RequestedLeverFactory(item=o["item"])
        walk_to(second, "presented")
        o["decided_item"] = AgendaItemFactory(session=o["session"], household=second)
        o["decision"] = copil_services.decision_record(item=o["decided_item"], by=chair, outcome="refused",
                                                       reason="Dossier incomplet")
        o["procedure"] = ProcedureFactory(lease=lease, bailiff=bailiff)
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
        o["report"] = Report.objects.create(quarter="2025Q4", territory=household.territory, funder=funder,
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
    "support:sealed_notes_export": pk("household"), "support:sealed_health_export": pk("household"),
    "reports:dashboard": NO_ARGS, "reports:dashboard_households": NO_ARGS, "reports:dashboard_csv": NO_ARGS,
    "reports:row_export": NO_ARGS,
    "support:aid_list": pk("household"), "support:aid_new": pk("household"), "support:aid_detail": pk("aid"),
    "support:aid_edit": pk("aid"), "support:aid_transition": pk("aid"),
    "support:document_list": pk("household"), "support:document_new": pk("household"),
    "support:document_edit": pk("document"), "support:document_download": pk("document"),
    "households:contacts": pk("household"),
    "households:contact_edit": lambda o: {"pk": o["household"].pk, "contact_pk": o["contact"].pk},
    "support:appointment_new": pk("household"), "support:appointment": pk("appointment"),
    "support:appointment_edit": pk("appointment"), "support:appointment_status": pk("appointment"),
    "support:appointment_figures": NO_ARGS, "support:agenda": NO_ARGS, "support:calendar_token": NO_ARGS,
    "support:calendar_feed": lambda o: {"token": o["calendar_token"].token}, "support:sms_webhook": NO_ARGS,
    # Issue 19: the installable app and offline capture.
    "service_worker": NO_ARGS, "web_manifest": NO_ARGS, "support:offline": NO_ARGS,
    "support:offline_caseload": NO_ARGS, "support:offline_sync": NO_ARGS, "support:offline_review_list": NO_ARGS,
    "support:offline_review": pk("offline_visit"),
}


# Columns, in the order of ROLES: anonymous, worker, psychologist, manager (AMLI 57), copil_a (DDETS,
# chairs the session), litigation_x (Batigère), bailiff (instructed), funder (FNAVDL, the report's
# addressee), admin, manager_x (employed by Batigère, the lease's landlord), manager_y (employed by
# Présence Habitat), litigation_y, bailiff_2 (another office), funder_2 (another funder),
# psychologist_2 (not assigned), copil_none (on no session), manager_54 (AMLI, 54 only).
#                                      an  wk  ps  mg  ca  lx  bf  fu  ad  mx  my  ly  b2  f2  p2  cn  m5
# GET, own objects.
GET_MATRIX = {
    "accounts:otp_backup_codes":      "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "accounts:otp_disable":           "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "accounts:otp_setup":             "302 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200",
    "accounts:otp_verify":            "302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302",
    "accounts:profile":               "302 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200",
    "audit:access_log":               "302 403 403 200 403 403 403 403 403 200 200 403 403 403 403 403 200",
    "copil:decision_correct":         "302 404 404 403 403 404 404 404 404 404 404 404 404 404 404 404 404",
    "copil:dossier":                  "302 404 404 200 200 404 404 404 404 404 404 404 404 404 404 404 404",
    "copil:dossier_decide":           "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "copil:dossier_opinion":          "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "copil:item_add":                 "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "copil:item_edit":                "302 404 404 200 403 404 404 404 404 404 404 404 404 404 404 404 404",
    "copil:item_remove":              "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "copil:minutes_download":         "302 404 404 403 403 404 404 404 404 404 404 404 404 404 404 404 404",
    "copil:minutes_regenerate":       "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "copil:session_create":           "302 403 403 200 403 403 403 403 403 200 200 403 403 403 403 403 200",
    "copil:session_detail":           "302 404 404 200 200 404 404 404 404 404 404 404 404 404 404 404 404",
    "copil:session_edit":             "302 404 404 200 403 404 404 404 404 404 404 404 404 404 404 404 404",
    "copil:session_hold":             "302 404 404 200 200 404 404 404 404 404 404 404 404 404 404 404 404",
    "copil:session_list":             "302 403 403 200 200 403 403 403 403 200 200 403 403 403 403 200 200",
    "copil:session_open_review":      "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "copil:session_publish":          "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "copil:session_sign":             "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "copil:written_create":           "302 403 403 200 200 403 403 403 403 200 200 403 403 403 403 403 200",
    "home":                           "302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302",
    "households:assign":              "302 403 403 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "households:create":              "302 200 403 200 403 403 403 403 403 200 200 403 403 403 403 403 200",
    "households:detail":              "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "households:edit":                "302 200 403 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "households:export":              "302 403 403 200 403 403 403 403 403 200 200 403 403 403 403 403 200",
    "households:history":             "302 403 403 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "households:list":                "302 200 200 200 403 403 403 403 403 200 200 403 403 403 200 403 200",
    "households:personal_data":       "302 403 403 200 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "households:personal_data_erase": "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "households:personal_data_export":"302 403 403 200 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "households:referral_add":        "302 200 403 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "households:referral_intake":     "302 200 403 200 403 403 403 403 403 200 200 403 403 403 403 403 200",
    "litigation:dsf_detail":          "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "litigation:dsf_pdf":             "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "litigation:dsf_sending":         "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "litigation:early_warning_dismiss":"302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "litigation:early_warning_list":  "302 403 403 200 403 403 403 403 403 200 200 403 403 403 403 403 200",
    "litigation:early_warning_refer": "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "litigation:event_create":        "302 403 403 403 404 200 200 404 404 403 404 404 404 404 404 404 404",
    "litigation:event_document":      "302 200 200 200 404 200 200 404 404 200 404 404 404 404 404 404 404",
    "litigation:plan_create":         "302 403 403 403 404 200 404 404 404 403 404 404 404 404 404 404 404",
    "litigation:plan_detail":         "302 200 200 200 404 200 404 404 404 200 404 404 404 404 404 404 404",
    "litigation:procedure_bailiff":   "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "litigation:procedure_detail":    "302 200 200 200 404 200 200 404 404 200 404 404 404 404 404 404 404",
    "litigation:procedure_list":      "302 403 403 200 403 200 200 403 403 200 200 200 200 403 403 403 200",
    "litigation:procedure_open":      "302 403 403 403 403 200 403 403 403 403 403 200 403 403 403 403 403",
    "litigation:rent_account":        "302 200 200 200 404 200 404 404 404 200 404 404 404 404 404 404 404",
    "litigation:rent_import":         "302 403 403 403 403 200 403 403 403 403 403 200 403 403 403 403 403",
    "login":                          "200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200",
    "logout":                         "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "password_change":                "302 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200",
    "password_change_done":           "302 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200",
    "password_reset":                 "200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200",
    "password_reset_complete":        "200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200",
    "password_reset_confirm":         "200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200",
    "password_reset_done":            "200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200",
    "reports:report_csv":             "302 403 403 200 403 403 403 200 403 200 200 403 403 404 403 403 404",
    "reports:report_detail":          "302 403 403 200 403 403 403 200 403 200 200 403 403 404 403 403 404",
    "reports:report_download":        "302 403 403 200 403 403 403 200 403 200 200 403 403 404 403 403 404",
    "reports:report_list":            "302 403 403 200 403 403 403 200 403 200 200 403 403 200 403 403 200",
    "reports:report_request":         "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "reports:report_status":          "302 403 403 200 403 403 403 200 403 200 200 403 403 404 403 403 404",
    "reports:report_xlsx":            "302 403 403 200 403 403 403 200 403 200 200 403 403 404 403 403 404",
    "set_language":                   "302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302",
    "support:budget":                 "302 200 200 200 403 403 403 403 403 200 404 403 403 403 404 403 404",
    "support:budget_edit":            "302 200 200 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "support:dashboard":              "302 200 200 200 403 403 403 403 403 200 200 403 403 403 200 403 200",
    "support:diagnosis":              "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:diagnosis_edit":         "302 200 200 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "support:diagnosis_new":          "302 200 200 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "support:episode_close":          "302 403 403 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:episode_open":           "302 403 403 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:goal_edit":              "302 200 200 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "support:goal_new":               "302 200 200 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "support:handover":               "302 403 403 200 403 403 403 403 403 200 200 403 403 403 403 403 200",
    "support:household":              "302 200 200 200 403 403 403 403 403 200 404 403 403 403 404 403 404",
    "support:psy_note":               "302 404 200 404 404 404 404 404 404 404 404 404 404 404 404 404 404",
    "support:psy_note_new":           "302 403 200 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "support:visit":                  "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:visit_addendum":         "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "support:visit_edit":             "302 200 302 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "support:visit_export":           "302 403 403 200 403 403 403 403 403 200 200 403 403 403 403 403 200",
    "support:visit_list":             "302 200 200 200 403 403 403 403 403 200 200 403 403 403 200 403 200",
    "support:visit_new":              "302 200 200 403 403 403 403 403 403 403 403 403 403 403 200 403 403",
    # Issue 15 and 17: contacts, appointments, the calendar, the sealed subject-access parts.
    "households:contact_edit":        "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "households:contacts":            "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:agenda":                 "302 200 200 403 403 403 403 403 403 403 403 403 403 403 200 403 403",
    "support:appointment":            "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:appointment_edit":       "302 200 200 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "support:appointment_figures":    "302 403 403 200 403 403 403 403 403 200 200 403 403 403 403 403 200",
    "support:appointment_new":        "302 200 200 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "support:appointment_status":     "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "support:calendar_feed":          "200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200",
    "support:calendar_token":         "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "support:sealed_health_export":   "302 200 200 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "support:sealed_notes_export":    "302 403 200 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "support:sms_webhook":            "405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    # Issue 14: aid applications and the document vault.
    "support:aid_detail":             "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:aid_edit":               "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:aid_list":               "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:aid_new":                "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:aid_transition":         "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "support:document_download":      "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:document_edit":          "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:document_list":          "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:document_new":           "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    # Issue 16: the managers' live dashboard (never funders) and the funders' row-level export.
    "reports:dashboard":              "302 403 403 200 403 403 403 403 403 200 200 403 403 403 403 403 200",
    "reports:dashboard_csv":          "302 403 403 200 403 403 403 403 403 200 200 403 403 403 403 403 200",
    "reports:dashboard_households":   "302 403 403 404 403 403 403 403 403 404 404 403 403 403 403 403 404",
    "reports:row_export":             "302 403 403 403 403 403 403 200 403 403 403 403 403 200 403 403 403",
    # Issue 19: the installable app (public, no data), offline capture (the care circle) and the review
    # of the visits held back (their author, the managers of the household).
    "service_worker":                 "200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200",
    "web_manifest":                   "200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200",
    "support:offline":                "302 200 200 403 403 403 403 403 403 403 403 403 403 403 200 403 403",
    "support:offline_caseload":       "302 200 200 403 403 403 403 403 403 403 403 403 403 403 200 403 403",
    "support:offline_sync":           "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "support:offline_review_list":    "302 200 200 200 403 403 403 403 403 200 200 403 403 403 200 403 200",
    "support:offline_review":         "302 200 404 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
}

# POST with an empty body, own objects (rolled back).
POST_MATRIX = {
    "accounts:otp_backup_codes":      "302 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
    "accounts:otp_disable":           "302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302",
    "accounts:otp_setup":             "302 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200",
    "accounts:otp_verify":            "302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302",
    "accounts:profile":               "302 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200",
    "audit:access_log":               "302 403 403 200 403 403 403 403 403 200 200 403 403 403 403 403 200",
    "copil:decision_correct":         "302 404 404 403 403 404 404 404 404 404 404 404 404 404 404 404 404",
    "copil:dossier":                  "302 404 404 200 200 404 404 404 404 404 404 404 404 404 404 404 404",
    "copil:dossier_decide":           "302 404 404 403 400 404 404 404 404 404 404 404 404 404 404 404 404",
    "copil:dossier_opinion":          "302 404 404 403 400 404 404 404 404 404 404 404 404 404 404 404 404",
    "copil:item_add":                 "302 404 404 302 403 404 404 404 404 404 404 404 404 404 404 404 404",
    "copil:item_edit":                "302 404 404 200 403 404 404 404 404 404 404 404 404 404 404 404 404",
    "copil:item_remove":              "302 404 404 302 403 404 404 404 404 404 404 404 404 404 404 404 404",
    "copil:minutes_download":         "302 404 404 403 403 404 404 404 404 404 404 404 404 404 404 404 404",
    "copil:minutes_regenerate":       "302 404 404 403 403 404 404 404 404 404 404 404 404 404 404 404 404",
    "copil:session_create":           "302 403 403 200 403 403 403 403 403 200 200 403 403 403 403 403 200",
    "copil:session_detail":           "302 404 404 200 200 404 404 404 404 404 404 404 404 404 404 404 404",
    "copil:session_edit":             "302 404 404 200 403 404 404 404 404 404 404 404 404 404 404 404 404",
    "copil:session_hold":             "302 404 404 200 200 404 404 404 404 404 404 404 404 404 404 404 404",
    "copil:session_list":             "302 403 403 200 200 403 403 403 403 200 200 403 403 403 403 200 200",
    "copil:session_open_review":      "302 404 404 302 403 404 404 404 404 404 404 404 404 404 404 404 404",
    "copil:session_publish":          "302 404 404 302 403 404 404 404 404 404 404 404 404 404 404 404 404",
    "copil:session_sign":             "302 404 404 403 403 404 404 404 404 404 404 404 404 404 404 404 404",
    "copil:written_create":           "302 403 403 200 200 403 403 403 403 200 200 403 403 403 403 403 200",
    "home":                           "302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302",
    "households:assign":              "302 403 403 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "households:create":              "302 200 403 200 403 403 403 403 403 200 200 403 403 403 403 403 200",
    "households:detail":              "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "households:edit":                "302 200 403 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "households:export":              "302 403 403 200 403 403 403 403 403 200 200 403 403 403 403 403 200",
    "households:history":             "302 403 403 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "households:list":                "302 200 200 200 403 403 403 403 403 200 200 403 403 403 200 403 200",
    "households:personal_data":       "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "households:personal_data_erase": "302 403 403 200 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "households:personal_data_export":"302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "households:referral_add":        "302 200 403 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "households:referral_intake":     "302 200 403 200 403 403 403 403 403 200 200 403 403 403 403 403 200",
    "litigation:dsf_detail":          "302 200 403 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "litigation:dsf_pdf":             "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "litigation:dsf_sending":         "302 302 403 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "litigation:early_warning_dismiss":"302 403 403 302 403 403 403 403 403 302 404 403 403 403 403 403 404",
    "litigation:early_warning_list":  "302 403 403 200 403 403 403 403 403 200 200 403 403 403 403 403 200",
    "litigation:early_warning_refer": "302 403 403 302 403 403 403 403 403 302 404 403 403 403 403 403 404",
    "litigation:event_create":        "302 403 403 403 404 200 200 404 404 403 404 404 404 404 404 404 404",
    "litigation:event_document":      "302 200 200 200 404 200 200 404 404 200 404 404 404 404 404 404 404",
    "litigation:plan_create":         "302 403 403 403 404 200 404 404 404 403 404 404 404 404 404 404 404",
    "litigation:plan_detail":         "302 200 200 200 404 200 404 404 404 200 404 404 404 404 404 404 404",
    "litigation:procedure_bailiff":   "302 403 403 403 404 302 403 404 404 403 404 404 404 404 404 404 404",
    "litigation:procedure_detail":    "302 200 200 200 404 200 200 404 404 200 404 404 404 404 404 404 404",
    "litigation:procedure_list":      "302 403 403 200 403 200 200 403 403 200 200 200 200 403 403 403 200",
    "litigation:procedure_open":      "302 403 403 403 403 200 403 403 403 403 403 200 403 403 403 403 403",
    "litigation:rent_account":        "302 200 200 200 404 200 404 404 404 200 404 404 404 404 404 404 404",
    "litigation:rent_import":         "302 403 403 403 403 200 403 403 403 403 403 200 403 403 403 403 403",
    "login":                          "200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200",
    "logout":                         "302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302",
    "password_change":                "302 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200",
    "password_change_done":           "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "password_reset":                 "200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200",
    "password_reset_complete":        "405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "password_reset_confirm":         "200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200",
    "password_reset_done":            "405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "reports:report_csv":             "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "reports:report_detail":          "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "reports:report_download":        "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "reports:report_list":            "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "reports:report_request":         "302 403 403 400 403 403 403 403 403 400 400 403 403 403 403 403 400",
    "reports:report_status":          "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "reports:report_xlsx":            "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "set_language":                   "302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302 302",
    "support:budget":                 "302 200 200 200 403 403 403 403 403 200 404 403 403 403 404 403 404",
    "support:budget_edit":            "302 200 200 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "support:dashboard":              "302 200 200 200 403 403 403 403 403 200 200 403 403 403 200 403 200",
    "support:diagnosis":              "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:diagnosis_edit":         "302 200 200 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "support:diagnosis_new":          "302 200 200 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "support:episode_close":          "302 403 403 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:episode_open":           "302 403 403 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:goal_edit":              "302 200 200 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "support:goal_new":               "302 200 200 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "support:handover":               "302 403 403 200 403 403 403 403 403 200 200 403 403 403 403 403 200",
    "support:household":              "302 200 200 200 403 403 403 403 403 200 404 403 403 403 404 403 404",
    "support:psy_note":               "302 404 200 404 404 404 404 404 404 404 404 404 404 404 404 404 404",
    "support:psy_note_new":           "302 403 200 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "support:visit":                  "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:visit_addendum":         "302 302 302 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "support:visit_edit":             "302 200 302 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "support:visit_export":           "302 403 403 200 403 403 403 403 403 200 200 403 403 403 403 403 200",
    "support:visit_list":             "302 200 200 200 403 403 403 403 403 200 200 403 403 403 200 403 200",
    "support:visit_new":              "302 200 200 403 403 403 403 403 403 403 403 403 403 403 200 403 403",
    # Issue 15 and 17. The ICS feed is authenticated by its token (the own world's; the foreign one is revoked).
    "households:contact_edit":        "302 200 403 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "households:contacts":            "302 200 403 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:agenda":                 "302 200 200 403 403 403 403 403 403 403 403 403 403 403 200 403 403",
    "support:appointment":            "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:appointment_edit":       "302 200 200 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "support:appointment_figures":    "302 403 403 200 403 403 403 403 403 200 200 403 403 403 403 403 200",
    "support:appointment_new":        "302 200 200 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "support:appointment_status":     "302 302 302 403 404 404 404 404 404 403 404 404 404 404 404 404 404",
    "support:calendar_feed":          "200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200 200",
    "support:calendar_token":         "302 302 302 403 403 403 403 403 403 403 403 403 403 403 302 403 403",
    "support:sealed_health_export":   "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "support:sealed_notes_export":    "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "support:sms_webhook":            "403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
    # Issue 14.
    "support:aid_detail":             "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:aid_edit":               "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:aid_list":               "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:aid_new":                "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:aid_transition":         "302 400 400 400 404 404 404 404 404 400 404 404 404 404 404 404 404",
    "support:document_download":      "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:document_edit":          "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:document_list":          "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    "support:document_new":           "302 200 200 200 404 404 404 404 404 200 404 404 404 404 404 404 404",
    # Issue 16.
    "reports:dashboard":              "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "reports:dashboard_csv":          "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "reports:dashboard_households":   "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "reports:row_export":             "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    # Issue 19. An empty POST to the review: no action chosen (400) for those who may decide.
    "service_worker":                 "405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "web_manifest":                   "405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "support:offline":                "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "support:offline_caseload":       "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "support:offline_sync":           "302 400 400 403 403 403 403 403 403 403 403 403 403 403 400 403 403",
    "support:offline_review_list":    "302 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405 405",
    "support:offline_review":         "302 400 404 400 404 404 404 404 404 400 404 404 404 404 404 404 404",
}

# The tables an accepted request may change (any other change, or any change by a refused POST or a
# GET not listed in GET_WRITES, fails the tests). Table names: tests/trust/dbstate.py.
WRITES: dict[str, set[str]] = {
    "accounts:otp_setup": {"otp_totp_totpdevice"},  # the pending (unconfirmed) device of the QR code
    "litigation:procedure_bailiff": {"litigation_procedure", "litigation_historicalprocedure"},
    "litigation:early_warning_refer": {"households_referral", "households_historicalreferral",
                                       "litigation_earlywarning", "litigation_historicalearlywarning"},
    "litigation:early_warning_dismiss": {"litigation_earlywarning", "litigation_historicalearlywarning"},
    "support:calendar_token": {"support_calendartoken"},  # the user's own feed link, renewed
}
GET_WRITES = {"accounts:otp_setup": WRITES["accounts:otp_setup"],
              # The live dashboard's figures, kept per manager and scope (a cache, aggregates only).
              "reports:dashboard": {"reports_dashboardsnapshot", "zel_outbox_outboxmessage"},
              "reports:dashboard_csv": {"reports_dashboardsnapshot", "zel_outbox_outboxmessage"}}

# POST-only endpoints: GET answers 405 to every persona.
GET_405 = {name for name, row in GET_MATRIX.items() if set(row.split()[1:]) == {"405"}}

def test_every_url_is_in_the_matrix():
    names = all_url_names()
    assert names - set(KWARGS) == set(), "views missing from the permission matrix"
    assert set(KWARGS) - names == set(), "matrix rows for views that no longer exist"
    assert set(GET_MATRIX) == set(KWARGS)
    assert set(POST_MATRIX) == set(KWARGS)
    assert set(WRITES) <= set(KWARGS)


# --- The world, built once for the module ---------------------------------------------------------

@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Personas, households and both object sets, built once in a transaction rolled back at the end
    of the module; each test runs in a savepoint inside it (pytest-django's django_db)."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                             MEDIA_ROOT=str(tmp_path_factory.mktemp("matrix-media")),
                             CELERY_TASK_ALWAYS_EAGER=True, ZEL_OTP_ENFORCED=False,
                             EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    with django_db_blocker.unblock(), fast:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            ensure_reference_data()
            orgs = make_orgs()
            personas = make_personas(orgs)
            w = World(personas, orgs, make_households(personas, orgs))
            yield w
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def clients(world):
    """One logged-in client per persona (logging in once, not before every request)."""
    out = {}
    for role in ROLES:
        out[role] = Client()
        if role != "anonymous":
            out[role].force_login(getattr(world.p, role))
    return out


def _url(name, objects):
    builder = KWARGS[name]
    return reverse(name, kwargs=builder(objects) if builder else None)


def observe_get(clients, name, objects) -> dict[str, int]:
    url = _url(name, objects)
    return {role: clients[role].get(url).status_code for role in ROLES}


def observe_post(clients, name, objects, baseline) -> tuple[dict[str, int], dict[str, set[str]]]:
    """POST with an empty body, rolled back: the answer, and the case tables it changed."""
    url = _url(name, objects)
    statuses, changes = {}, {}
    for role in ROLES:
        client = clients[role]
        cookies = copy.deepcopy(client.cookies)  # logout and set_language replace the session cookie
        with transaction.atomic():
            statuses[role] = client.post(url, {}).status_code
            changes[role] = changed_tables(baseline, snapshot())
            transaction.set_rollback(True)
        client.cookies = cookies
    return statuses, changes


PUBLIC = {"login", "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete"}
# Authenticated by a secret in the URL, not by the session: anonymous callers get the same answer.
TOKEN_AUTHENTICATED = {"support:calendar_feed"}


def _mismatches(expected: dict[str, str], observed: dict[str, dict[str, int]]) -> list[str]:
    wrong = []
    for name, row in expected.items():
        for role, status in zip(ROLES, row.split(), strict=True):
            if name in observed and observed[name][role] != int(status):
                wrong.append(f"{name} as {role}: expected {status}, got {observed[name][role]}")
    return wrong


def _print_rows(observed) -> None:
    """ZEL_MATRIX_PRINT=1: the observed rows, to review and paste when a URL or persona is added."""
    if os.environ.get("ZEL_MATRIX_PRINT"):
        for name in sorted(observed):
            print(f'    "{name}": "{" ".join(str(observed[name][r]) for r in ROLES)}",')


def _unexpected_writes(name, statuses, changes, *, foreign=False) -> list[str]:
    wrong = []
    for role in ROLES:
        refused = foreign or role == "anonymous" or statuses[role] >= 400
        allowed = set() if refused else WRITES.get(name, set())
        if changes[role] - allowed:
            wrong.append(f"POST {name} as {role} ({statuses[role]}) changed {sorted(changes[role] - allowed)}")
    return wrong


def test_every_persona_gets_the_expected_answer_on_every_page(clients, world):
    observed, wrong = {}, []
    before = snapshot()
    for name in KWARGS:
        observed[name] = observe_get(clients, name, world.own)
        after = snapshot()
        if changed_tables(before, after) - GET_WRITES.get(name, set()):
            wrong.append(f"GET {name} changed {sorted(changed_tables(before, after))}")
        before = after
    _print_rows(observed)
    assert _mismatches(GET_MATRIX, observed) + wrong == []


def test_every_persona_gets_the_expected_answer_on_every_post(clients, world):
    baseline = snapshot()
    observed, wrong = {}, []
    for name in KWARGS:
        observed[name], changes = observe_post(clients, name, world.own, baseline)
        wrong += _unexpected_writes(name, observed[name], changes)
    _print_rows(observed)
    assert _mismatches(POST_MATRIX, observed) + wrong == []


def test_nobody_reaches_an_object_outside_their_scope(clients, world):
    """The foreign objects (67, ALIS, Vilogia): no persona may see them, no POST changes anything."""
    baseline = snapshot()
    leaks = []
    for name, builder in KWARGS.items():
        if builder is None or name in PUBLIC:
            continue
        statuses, changes = observe_post(clients, name, world.foreign, baseline)
        leaks += _unexpected_writes(name, statuses, changes, foreign=True)
        for method, observed in (("GET", observe_get(clients, name, world.foreign)), ("POST", statuses)):
            for role, status in observed.items():
                allowed = {302} if role == "anonymous" and name not in TOKEN_AUTHENTICATED else {403, 404, 405}
                if status not in allowed or (method == "GET" and status == 405 and name not in GET_405):
                    leaks.append(f"{method} {name} as {role}: {status}")
    assert leaks == []
    assert changed_tables(baseline, snapshot()) == set()


def test_the_fingerprint_sees_a_change_without_a_history_row(world):
    """What the POST checks rest on: a queryset update (no history row, same count) is seen."""
    baseline = snapshot()
    with transaction.atomic():
        EarlyWarning.objects.filter(pk=world.own["warning"].pk).update(debt=Decimal("901"))
        assert changed_tables(baseline, snapshot()) == {"litigation_earlywarning"}
        assert _unexpected_writes("litigation:early_warning_dismiss", dict.fromkeys(ROLES, 404),
                                  dict.fromkeys(ROLES, {"litigation_earlywarning"}))
        transaction.set_rollback(True)
    assert changed_tables(baseline, snapshot()) == set()
