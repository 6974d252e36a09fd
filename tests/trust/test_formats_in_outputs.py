"""One formatting path: the demo's main pages, timelines and messages never write an amount like
`1800.00 €` (nor `2147.84 €`), and machine formats (SVG attributes) never hold a localized number."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from copil.models import Decision
from litigation.models import EarlyWarning, RentAccountLine

pytestmark = pytest.mark.django_db

# A machine-looking amount in a human text: digits, a dot, two digits, then (maybe spaces) €.
DOT_AMOUNT = re.compile(r"\d\.\d{2}\s*(?:\xa0)?€")
SVG = re.compile(r"<svg\b.*?</svg>", re.S)
NUMERIC_ATTRS = ("cx", "cy", "x", "y", "x1", "x2", "y1", "y2", "r", "width", "height", "points", "viewBox", "d")
ATTR = re.compile(r'\s(' + "|".join(NUMERIC_ATTRS) + r')="([^"]*)"')
DIGIT_COMMA_DIGIT = re.compile(r"\d,\d")
LINK = re.compile(r'href="(/[^"#?]*)"')
SKIP = ("/comptes/logout", "/admin/", "/i18n/", "/static/")


def _problems(url: str, html: str) -> list[str]:
    found = [f"{url}: {m.group(0)!r}" for m in DOT_AMOUNT.finditer(html)]
    for svg in SVG.findall(html):
        for name, value in ATTR.findall(svg):
            if name == "points":
                # "x,y x,y": a comma separates the pair; a localized number would give "20,0,80,5".
                bad = any(len(pair.split(",")) != 2 for pair in value.split())
            else:
                bad = bool(DIGIT_COMMA_DIGIT.search(value))
            if bad:
                found.append(f"{url}: SVG {name}={value!r}")
    return found


@pytest.fixture
def demo(settings):
    settings.ZEL_OTP_ENFORCED = False
    call_command("seed_demo", households=80, stdout=StringIO())


def test_demo_pages_and_messages_use_the_french_formats(demo):
    problems = []
    for user in User.objects.filter(username__in=["travailleur", "responsable", "copil-presidente", "contentieux",
                                                  "financeur"]):
        client = Client()
        client.force_login(user)
        home = client.get("/", follow=True)
        urls = ["/"] + list(dict.fromkeys(u for u in LINK.findall(home.content.decode()) if not u.startswith(SKIP)))
        # Pages rich in amounts: household files with a COPIL decision (timeline), rent accounts (chart).
        urls += [f"/menages/{d.item.household_id}/" for d in Decision.objects.select_related("item")[:5]]
        urls += [f"/contentieux/comptes/{pk}/" for pk in
                 RentAccountLine.objects.values_list("lease_id", flat=True).distinct()[:5]]
        for url in urls[:40]:
            response = client.get(url, follow=True)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                problems += _problems(f"{user.username} {url}", response.content.decode())
    for warning in EarlyWarning.objects.all():
        problems += _problems("early warning", warning.detail)
    for message in mail.outbox:
        problems += _problems(f"mail {message.subject}", message.body)
    assert EarlyWarning.objects.exists() and Decision.objects.exists()
    assert not problems, "\n".join(problems[:20])


def test_the_checks_catch_the_old_faults():
    assert _problems("x", "Dette de 2147.84 € fin 03/2025.")
    assert _problems("x", '<svg viewBox="0 0 600 160"><circle cx="20,0" cy="5"/></svg>')
    assert _problems("x", '<svg><polyline points="20,0,5 80,5"/></svg>')
    assert not _problems("x", '<svg viewBox="0 0 600 160"><polyline points="20.0,5 80,5.5"/></svg> 1\xa0800,00\xa0€')
