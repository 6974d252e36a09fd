"""Junk in GET parameters (issue 17, item 7): every list URL of the resolver, each of its known GET
parameters (the fields of its GET forms, plus the usual search/page/sort names), junk values: never a
500, and a NUL byte never reaches the database."""

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import given
from hypothesis import strategies as st

from zel.middleware import clean_query_value

pytestmark = pytest.mark.django_db

SKIPPED_NAMESPACES = {"admin"}
SKIPPED_NAMES = {"logout", "set_language", "javascript-catalog"}
COMMON_PARAMETERS = {"q", "page", "sort", "ordering", "next"}
JUNK = ["\x00", "a\x00b\x01\x1f\x7f", "' OR 1=1 --", "-1", "99999999999999999999999", "1e999",
        "2025-02-31", "é" * 2000 + "\U0001F600"]
PERSONAS = ["manager", "worker", "psychologist", "copil_a", "litigation_x", "bailiff", "funder", "admin"]


def list_urls() -> list[str]:
    """The URLs of the resolver that take no argument (lists, searches, exports, dashboards)."""
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in SKIPPED_NAMESPACES:
                    continue
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name not in SKIPPED_NAMES:
                route = prefix + str(pattern.pattern)
                if "<" not in route and "(" not in route and not route.startswith("^"):
                    yield "/" + route
    return sorted(set(walk(get_resolver().url_patterns)))


class _GetFormFields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.names: set[str] = set()
        self._in_get_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_get_form = (attrs.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea") and self._in_get_form and attrs.get("name"):
            self.names.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get_form = False


def known_parameters(html: str) -> set[str]:
    parser = _GetFormFields()
    parser.feed(html)
    return parser.names - {"csrfmiddlewaretoken"}


@pytest.fixture
def no_nul_reaches_the_database():
    seen = []

    def check(execute, sql, params, many, context):
        values = [v for row in params for v in row] if many else list(params or ())
        if any(isinstance(v, str) and "\x00" in v for v in values):
            seen.append(sql[:200])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(check):
        yield seen


def test_junk_in_any_get_parameter_of_any_list_never_answers_500(client, personas, households,
                                                                no_nul_reaches_the_database):
    client.raise_request_exception = False
    urls = list_urls()
    assert "/accompagnement/visites/" in urls and "/comptes/journal-des-acces/" in urls
    failures, covered, done = [], 0, set()
    for name in PERSONAS:  # each URL once, as the first persona that may open it
        client.force_login(getattr(personas, name))
        for url in urls:
            if url in done:
                continue
            response = client.get(url)
            if response.status_code != 200:
                continue
            done.add(url)
            html = response.content.decode(errors="replace") if "html" in response.get("Content-Type", "") else ""
            parameters = known_parameters(html) | COMMON_PARAMETERS
            for parameter in sorted(parameters):
                for junk in JUNK:
                    covered += 1
                    answer = client.get(url, {parameter: junk})
                    if answer.status_code >= 500:
                        failures.append(f"{name} {url}?{parameter}={junk[:20]!r}: {answer.status_code}")
        client.logout()
    assert covered > 200, covered
    assert not failures, "\n".join(failures[:40])
    assert not no_nul_reaches_the_database, no_nul_reaches_the_database[:5]


def test_the_reported_urls(client, personas, households, no_nul_reaches_the_database):
    client.raise_request_exception = False
    client.force_login(personas.manager)
    assert client.get("/accompagnement/visites/?q=%00").status_code == 200
    assert client.get("/comptes/journal-des-acces/?utilisateur=%00").status_code == 200
    assert not no_nul_reaches_the_database


@given(st.text())
def test_cleaned_values_hold_no_control_character(value):
    cleaned = clean_query_value(value)
    assert not any(ord(c) < 0x20 or ord(c) == 0x7F for c in cleaned)
    assert len(cleaned) <= len(value)
