"""Panels of the caseload dashboard contributed by several apps (support, litigation…).

A panel provider is `(user) -> Panel | None`; it returns None when the panel is not for this user.
Providers register in their AppConfig.ready() and issue a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

PanelProvider = Callable[..., "Panel | None"]
_providers: list[tuple[int, PanelProvider]] = []


@dataclass
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    count: int | None = None
    first: bool = False  # shown at the top of the dashboard, before the counters (today's appointments)


def register(provider: PanelProvider, order: int = 100) -> None:
    if all(p is not provider for _, p in _providers):
        _providers.append((order, provider))
        _providers.sort(key=lambda item: item[0])


def panels_for(user) -> list[Panel]:
    return [panel for _, provider in _providers if (panel := provider(user)) is not None]
