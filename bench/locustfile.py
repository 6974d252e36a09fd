"""Locust scenario for `python -m bench.loadtest` (50 users, headless, 127.0.0.1 only).

The users are already logged in (sessions prepared by bench.loadtest, so that 50 PBKDF2 logins do
not dominate a one-minute run); fixtures come from the JSON file in ZEL_LOADTEST_FIXTURES.
"""

from __future__ import annotations

import json
import os
import random
import re
from datetime import datetime
from itertools import count
from pathlib import Path
from zoneinfo import ZoneInfo

from locust import HttpUser, between, task

FIXTURES = json.loads(Path(os.environ["ZEL_LOADTEST_FIXTURES"]).read_text(encoding="utf-8"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_sessions = {persona: count() for persona in FIXTURES["sessions"]}


class ZelUser(HttpUser):
    abstract = True
    persona = ""
    wait_time = between(1, 3)

    def on_start(self):
        keys = FIXTURES["sessions"][self.persona]
        key = keys[next(_sessions[self.persona]) % len(keys)]
        self.client.cookies.set("sessionid", key)

    def page(self, url, name):
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            return response


class SocialWorker(ZelUser):
    """Browses the caseload and the files, searches, logs a visit now and then."""

    weight = 6
    persona = "worker"

    @task(4)
    def dashboard(self):
        self.page(FIXTURES["urls"]["dashboard"], "caseload dashboard")

    @task(4)
    def household_file(self):
        pk = random.choice(FIXTURES["worker_households"])
        self.page(f"/menages/{pk}/", "household file")

    @task(2)
    def my_list(self):
        self.page("/menages/", "household list (worker)")

    @task(2)
    def search(self):
        self.page(f"/menages/?q={random.choice(FIXTURES['fragments'])}", "household search")

    @task(1)
    def log_visit(self):
        url = FIXTURES["urls"].get("visit_new")
        if not url:
            return
        form = self.page(url, "visit form")
        found = CSRF.search(form.text or "")
        if not found:
            return
        data = {"csrfmiddlewaretoken": found.group(1), "household": random.choice(FIXTURES["worker_households"]),
                "occurred_on": datetime.now(ZoneInfo("Europe/Paris")).date().isoformat(), "mode": "home_visit",
                "themes": ["budget"],
                "duration_minutes": "45", "summary": "Point budget (test de charge)."}
        with self.client.post(url, data=data, name="visit logged", catch_response=True, allow_redirects=False,
                              headers={"Referer": self.host + url}) as response:
            if response.status_code != 302:
                response.failure(f"HTTP {response.status_code}")


class Manager(ZelUser):
    """Lists, filters and pages through the whole organisation's households."""

    weight = 3
    persona = "manager"

    @task(3)
    def household_list(self):
        # A national manager picks a département before the list (branch `lists`).
        self.page(f"/menages/?territory={FIXTURES['moselle']}", "household list (manager)")

    @task(2)
    def filtered(self):
        status = random.choice(["supported", "referred", "diagnosed", "ended"])
        self.page(f"/menages/?status={status}&track=maintien&territory={FIXTURES['moselle']}",
                  "household list, filtered")

    @task(2)
    def search(self):
        self.page(f"/menages/?q={random.choice(FIXTURES['fragments'])}", "household search (manager)")

    @task(1)
    def deep_page(self):
        self.page(f"/menages/?{random.choice(FIXTURES['manager_lists'])}", "household list, any page")


class LitigationOfficer(ZelUser):
    """The landlord's litigation staff: procedures by next deadline, and rent-account imports."""

    weight = 1
    persona = "litigation"

    @task(5)
    def procedures(self):
        url = FIXTURES["urls"].get("litigation")
        if url:
            self.page(url, "litigation list")

    @task(1)
    def rent_import(self):
        url = FIXTURES["urls"].get("rent_import")
        if not url:
            return
        form = self.page(url, "rent import form")
        found = CSRF.search(form.text or "")
        if not found:
            return
        with self.client.post(url, data={"csrfmiddlewaretoken": found.group(1)},
                              files={"file": ("loyers.csv", FIXTURES["rent_csv"].encode("cp1252"), "text/csv")},
                              headers={"Referer": self.host + url}, name="rent import (500 lines)",
                              catch_response=True) as response:
            if response.status_code != 200 or "Import terminé" not in response.text:
                response.failure(f"HTTP {response.status_code}, import not done")
