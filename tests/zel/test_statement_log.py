"""The statement log (zel.lib.statement_log) sees what a report sends on its other threads'
connections, which the benchmark's totals and the replica test's "where did it run" rely on."""

import pytest

from accounts.models import Territory
from zel.lib.shared_snapshot import run_in_snapshot
from zel.lib.statement_log import StatementLog


@pytest.mark.django_db(transaction=True)
def test_statements_of_every_connection_are_logged_with_their_alias_and_duration():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the tasks share a snapshot only on PostgreSQL")
    connection.close()  # the log wraps the connections opened after it starts
    log = StatementLog()
    try:
        run_in_snapshot([lambda: Territory.objects.filter(code="57").exists()] * 2, alias="default", workers=2)
        sent = log.take()
    finally:
        log.stop()
    territory_selects = [s for s in sent if s.is_select and "accounts_territory" in s.sql]
    assert len(territory_selects) == 2
    assert {s.alias for s in sent} == {"default"} and all(s.seconds >= 0 for s in sent)
    assert any("SET TRANSACTION SNAPSHOT" in s.sql for s in sent)
    assert log.connections >= 3  # the caller's and the two workers'
    assert log.take() == []
