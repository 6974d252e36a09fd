"""A report computed on several connections at once (ZEL_REPORT_CONNECTIONS, zel.lib.shared_snapshot)
gives the figures one connection gives, statement after statement; the previous quarter's headline
comes from the same pass."""

import dataclasses
import threading

import pytest
from django.db import connection

from reports import indicators

pytestmark = pytest.mark.django_db(transaction=True)


def _figures(settings, connections_count: int):
    settings.ZEL_REPORT_CONNECTIONS = connections_count
    figures, previous = indicators.compute_report("2025Q4", None, previous_headline=True)
    figures.pop("computed_at")
    return figures, previous


def test_several_connections_give_the_figures_of_one(programme, settings, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("several connections share a snapshot on PostgreSQL only")
    threads = set()
    original = indicators.active

    def spying(ctx, period):
        threads.add(threading.current_thread().name)
        return original(ctx, period)

    index = [i.key for i in indicators.INDICATORS].index("active")
    patched = list(indicators.INDICATORS)
    patched[index] = dataclasses.replace(patched[index], fn=spying)
    monkeypatch.setattr(indicators, "INDICATORS", patched)
    one = _figures(settings, 0)
    assert threads == {threading.current_thread().name}
    threads.clear()
    several = _figures(settings, 3)
    assert threads and threading.current_thread().name not in threads
    assert several == one
    # The hand-worked programme's previous quarter (2025Q3) is in the headline computed beside it.
    figures, previous = one
    assert previous["active.total"] == indicators.compute("2025Q3", None)["indicators"][
        [i["key"] for i in figures["indicators"]].index("active")]["rows"][0]["quarter"]
