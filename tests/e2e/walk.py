"""Walk of one demo account at 375 × 812: sign in from the login page's demo list, then open the home
page and every page linked from it (navigation and dashboard), checking each for horizontal scroll,
5xx and axe-core serious/critical violations. Used by test_phone_walk.py (and runnable by hand
against a demo server: `python -m tests.e2e.walk http://127.0.0.1:8000 travailleur`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlparse

PHONE_WIDTH = 375
PHONE_HEIGHT = 812
MAX_PAGES = 14
# Links a walk never follows: leaving, downloads (files, not pages), the admin (its own test).
SKIP_PREFIXES = ("/comptes/logout", "/admin/", "/i18n/", "/static/")
SKIP_SUFFIXES = (".pdf", ".csv", ".xlsx", ".json", "/pdf/", "/export/", "/csv/", "/xlsx/", "/json/")


@dataclass
class PageCheck:
    url: str
    status: int
    scroll_width: int
    height: int
    violations: list[str] = field(default_factory=list)


@dataclass
class Walk:
    username: str
    home: PageCheck | None = None
    pages: list[PageCheck] = field(default_factory=list)

    def problems(self) -> list[str]:
        found = []
        for check in self.pages:
            if check.status >= 500:
                found.append(f"{check.url}: HTTP {check.status}")
            if check.scroll_width > PHONE_WIDTH:
                found.append(f"{check.url}: scrollWidth {check.scroll_width} > {PHONE_WIDTH}")
            found.extend(f"{check.url}: {v}" for v in check.violations)
        return found


def demo_sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/comptes/login/")
    page.locator(f"[data-demo-login='{username}']").click()
    page.wait_for_load_state("load")
    if "/double-authentification/" in page.url:
        page.get_by_role("button", name="Vérifier").click()
        page.wait_for_load_state("load")
    assert "/comptes/login/" not in page.url and "/double-authentification/" not in page.url, \
        f"demo sign-in of {username} failed: {page.url}"


def axe_blocking(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"axe {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v.get("impact") in {"critical", "serious"}]


def check_current(page, status: int) -> PageCheck:
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    height = page.evaluate("document.documentElement.scrollHeight")
    return PageCheck(page.url, status, width, height, axe_blocking(page))


def _links(page, base_url: str) -> list[str]:
    hrefs = page.eval_on_selector_all("main a[href], header nav a[href]", "els => els.map(e => e.href)")
    host = urlparse(base_url).netloc
    seen, shapes = [], set()
    for href in hrefs:
        parsed = urlparse(href)
        if parsed.netloc != host or parsed.path.startswith(SKIP_PREFIXES) or parsed.path.endswith(SKIP_SUFFIXES):
            continue
        # One page of each kind: /menages/12/ and /menages/40/ are the same screen.
        shape = re.sub(r"\d+", "N", parsed.path)
        if shape in shapes:
            continue
        shapes.add(shape)
        seen.append(urljoin(base_url, parsed.path))
    return seen


def walk(page, base_url: str, username: str, *, audited=None, max_pages: int = MAX_PAGES) -> Walk:
    """`audited`: the conftest's page tracker, told that each page was audited."""
    result = Walk(username)
    demo_sign_in(page, base_url, username)
    home_response = page.goto(f"{base_url}/")
    result.home = check_current(page, home_response.status if home_response else 0)
    result.pages.append(result.home)
    if audited is not None:
        audited.unaudited.clear()
    for url in _links(page, base_url)[:max_pages]:
        response = page.goto(url)
        if urlparse(page.url).path.startswith("/comptes/login"):
            continue
        result.pages.append(check_current(page, response.status if response else 0))
        if audited is not None:
            audited.unaudited.clear()
    return result


if __name__ == "__main__":
    import sys

    from playwright.sync_api import sync_playwright

    base, names = sys.argv[1], sys.argv[2:]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"], headless=True)
        for name in names:
            context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": PHONE_HEIGHT}, locale="fr-FR")
            page = context.new_page()
            outcome = walk(page, base, name)
            print(f"== {name}: home height {outcome.home.height} px, {len(outcome.pages)} pages")
            for problem in outcome.problems():
                print("  ", problem)
            context.close()
        browser.close()
