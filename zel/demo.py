"""Demo data builders, registered by each app in its AppConfig.ready() and run in order by
`manage.py seed_demo`. The core runs them; it knows none of them.

A builder is `(ctx) -> ctx | None`: the first one (households, order 0) creates the context —
users, organisations, household ids — that the following ones read and extend.
"""

from collections.abc import Callable

Builder = Callable[..., object]
_builders: list[tuple[int, str, Builder]] = []


def register(name: str, builder: Builder, *, order: int = 100) -> None:
    if all(existing != name for _, existing, _b in _builders):
        _builders.append((order, name, builder))
        _builders.sort(key=lambda item: item[0])


def builders() -> list[tuple[str, Builder]]:
    return [(name, builder) for _, name, builder in _builders]
