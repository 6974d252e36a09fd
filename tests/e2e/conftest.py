"""Browser tests: Playwright for Python driving Debian's /usr/bin/chromium against a live server.

Every page a test visits must pass an axe-core audit (no critical or serious violation): the `page`
fixture records each page load, `audit(page)` checks the current page, and a test that loaded a page
without auditing it fails at teardown. Without Chromium the tests are skipped with a notice, except
under CI (CI=true) where a missing browser is a failure.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("ZEL_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
               "--no-first-run", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 375, "height": 812}
BLOCKING_IMPACTS = {"critical", "serious"}

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    if os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(f"CI=true but {CHROMIUM} is missing: browser tests cannot be skipped in CI.")
    skip = pytest.mark.skip(reason=f"Chromium absent ({CHROMIUM}): browser tests skipped")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if not CHROMIUM.exists():
        terminalreporter.write_line(
            f"NOTICE: {CHROMIUM} not found, browser tests were SKIPPED (apt-get install chromium).", yellow=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        yield browser
        browser.close()


class AuditedPage:
    """Tracks page loads so that no visited page escapes the accessibility audit."""

    def __init__(self, page):
        self.page = page
        self.unaudited: list[str] = []
        page.on("load", lambda p: self.unaudited.append(p.url))

    def audit(self):
        from axe_playwright_python.sync_playwright import Axe

        self.page.wait_for_load_state("load")
        results = Axe().run(self.page)
        blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        details = "\n".join(f"- {v['id']} ({v['impact']}): {v['help']} → "
                            f"{[n['target'] for n in v['nodes']][:3]}" for v in blocking)
        assert not blocking, f"axe-core on {self.page.url}:\n{details}"
        self.unaudited.clear()


def _page(browser, viewport, request):
    context = browser.new_context(viewport=viewport, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    page.set_default_timeout(10_000)
    audited = AuditedPage(page)
    page._zel_audit = audited
    yield page
    unaudited = list(dict.fromkeys(audited.unaudited))
    context.close()
    if unaudited and not getattr(request.node, "rep_call_failed", False):
        pytest.fail(f"pages visited without an accessibility audit: {unaudited}")


@pytest.fixture
def page(browser, request):
    yield from _page(browser, {"width": 1280, "height": 900}, request)


@pytest.fixture
def phone_page(browser, request):
    yield from _page(browser, PHONE, request)


def audit(page) -> None:
    """axe-core on the current page: no critical or serious violation."""
    page._zel_audit.audit()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        item.rep_call_failed = True


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/comptes/login/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state("load")
