"""Where rules live (issue 11): no code outside the access modules tests a role.

Views, services, forms, selectors, templates' helpers ask a predicate of `<app>/access.py`; only
those modules and the core `zel/access.py` spell role codes ("manager", `Role.Code.MANAGER`,
`R.MANAGER`). Migrations and demo builders (which create users with roles) are exempt. The other
architecture rules (layers, pure modules, nothing imports reports) are import-linter contracts in
pyproject.toml, run by `lint-imports` in CI; a test below runs them too.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from accounts.models import Role

ROOT = Path(__file__).resolve().parents[2]
APPS = ("households", "support", "copil", "litigation", "reports", "zel")
CODES = sorted(Role.Code.values)
ROLE_STRING = re.compile(r"""(["'])(""" + "|".join(CODES) + r")\1")
ROLE_ATTRIBUTE = re.compile(r"\bRole\.Code\b|\bR\.(" + "|".join(c.upper() for c in CODES) + r")\b")

# Where a role code is a word of the domain, not a role test: the fields named after who they point
# to (Procedure.bailiff, Report.funder), and the settings' default list of the roles that must use a
# second factor (configuration, overridable by the environment). Counted per file: one more
# occurrence fails the test, and must be a field (add it here) or go to an access module.
NOT_ROLE_TESTS = {
    ("litigation/services.py", "bailiff"): 2,  # ValidationError({"bailiff": ...}), update_fields
    ("litigation/forms.py", "bailiff"): 4,  # self.fields["bailiff"] (two forms), clean_bailiff's field name
    ("litigation/views.py", "bailiff"): 4,  # initial=, cleaned_data["bailiff"], form.errors["bailiff"]
    ("reports/services.py", "funder"): 2,  # the report's payload, select_related
    ("reports/admin.py", "funder"): 1,  # list_display
    ("zel/settings.py", "manager"): 1, ("zel/settings.py", "copil_member"): 1,  # ZEL_OTP_REQUIRED_ROLES
    ("zel/settings.py", "funder"): 1, ("zel/settings.py", "administrator"): 1,
}


def _app_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if "/migrations/" in rel or rel.endswith("/demo.py") or rel.endswith("/access.py"):
                continue
            yield rel, path


def _occurrences() -> tuple[dict[tuple[str, str], list[str]], list[str]]:
    strings: dict[tuple[str, str], list[str]] = {}
    attributes = []
    for rel, path in _app_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            where = f"{rel}:{number}: {line.strip()}"
            for match in ROLE_STRING.finditer(line):
                strings.setdefault((rel, match.group(2)), []).append(where)
            if ROLE_ATTRIBUTE.search(line):
                attributes.append(where)
    return strings, attributes


def role_tests_outside_access_modules() -> list[str]:
    strings, attributes = _occurrences()
    found = list(attributes)
    for key, wheres in strings.items():
        if len(wheres) != NOT_ROLE_TESTS.get(key, 0):
            found += wheres
    return found


def test_no_role_is_tested_outside_the_access_modules():
    assert role_tests_outside_access_modules() == []


def test_the_check_sees_a_role_test():
    """The scan would catch `has_role(user, "manager")` or `R.MANAGER` written in a view."""
    assert ROLE_STRING.search('if user.has_role("manager"):')
    assert ROLE_STRING.search("codes = ['litigation_officer']")
    assert ROLE_ATTRIBUTE.search("access.has_role(user, R.BAILIFF)")
    assert ROLE_ATTRIBUTE.search("Role.Code.FUNDER")
    assert not ROLE_STRING.search('"bailiff_form"') and not ROLE_ATTRIBUTE.search("PR.MANAGERS")


@pytest.mark.skipif(shutil.which("lint-imports", path=str(Path(sys.executable).parent)) is None,
                    reason="import-linter not installed")
def test_import_contracts_are_kept():
    """The same check as `lint-imports` in .ci/run (layers, pure modules, nothing imports reports)."""
    result = subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--no-cache"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]
