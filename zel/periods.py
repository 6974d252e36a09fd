"""Periods already declared, which a late entry must not change in silence (issue 19).

An app that publishes figures for a period registers a provider `(territory_id, day) -> str | None`
in its AppConfig.ready(): the French reason when `day` falls in a period it has already declared for
that territory (the reports app: a quarter whose funders' report was built). The apps that receive
late entries (a visit sent by a phone after days offline) ask `locked_reason` without knowing who
declared what, so that the support app needs no import of the reports app.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

Provider = Callable[[int, date], "str | None"]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def locked_reason(territory_id: int, day: date) -> str | None:
    """Why `day` is in a declared period for this territory (None: it is open)."""
    for provider in _providers:
        reason = provider(territory_id, day)
        if reason:
            return reason
    return None
