"""The demo's last-quarter report shows the programme's results (issue 16): evictions avoided and
carried out, exits for every reason, and every FNAVDL indicator filled."""

import pytest

from households import demo as household_demo
from reports import indicators, quarters
from support.models import SupportEpisode
from zel import demo as registry

pytestmark = pytest.mark.django_db

NEW = ["supported_during", "target_publics", "housing_entry", "housing_exit", "reference_person", "delays",
       "stage_entry", "arrears_after_exit", "access_rehousing"]


@pytest.fixture
def demo_report(reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    ctx = household_demo.seed(households=40, seed_value=7)
    for _name, builder in registry.builders():
        builder(ctx)
    return indicators.compute(quarters.previous(quarters.of(ctx.today)), None)


def rows(figures, key):
    return {r["key"]: r for r in next(i for i in figures["indicators"] if i["key"] == key)["rows"]}


def test_demo_last_quarter_has_evictions_avoided_and_every_new_indicator_filled(demo_report):
    evictions = rows(demo_report, "evictions")
    # Published (5 or more households), so the demo shows the programme's headline result.
    assert evictions["avoided"]["quarter"]["all"]["n"] >= 5
    assert evictions["carried_out"]["quarter"]["all"]["n"] >= 5
    exits = rows(demo_report, "exits")
    for reason in SupportEpisode.ExitReason.values:
        assert exits[reason]["quarter"]["all"]["n"] > 0, reason
    for key in NEW:
        filled = [k for k, r in rows(demo_report, key).items()
                  if k != "total" and r["quarter"] and r["quarter"]["all"].get("n", 0) > 0]
        assert filled, key
    for step in ("referral_diagnosis", "diagnosis_decision", "decision_visit"):
        assert rows(demo_report, "delays")[step]["quarter"]["all"]["n"] >= 5, step
    after = rows(demo_report, "arrears_after_exit")
    assert after["m6_share"]["quarter"]["all"]["n"] >= 5 and after["m6_share"]["quarter"]["all"]["num"] > 0
    assert after["m12_share"]["quarter"]["all"]["n"] >= 5
    rehousing = rows(demo_report, "access_rehousing")["share"]["quarter"]["all"]
    assert rehousing["n"] >= 5 and 0 < rehousing["num"] < rehousing["n"]
