"""The admin works under the CSP: inline styles and the pinned inline scripts on /admin/ only."""

import pytest

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, list[str]]:
    parts = [p.strip().split() for p in response["Content-Security-Policy"].split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def test_admin_pages_allow_inline_styles_and_pinned_scripts_only(client, settings):
    policy = _policy(client.get("/admin/login/"))
    assert "'unsafe-inline'" in policy["style-src"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert f"'{settings.ZEL_ADMIN_SCRIPT_HASHES[0]}'" in policy["script-src"]


def test_the_rest_of_the_site_keeps_the_strict_policy(client):
    policy = _policy(client.get("/comptes/login/"))
    assert policy["style-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
