"""Functions an app provides to a sibling that may not import it (see the layers contract in
pyproject.toml and docs/architecture.md).

support and litigation sit side by side above households: neither imports the other. Where
litigation needs one fact from the support app (is this household supported? what does its
diagnosis say for the DSF?), support registers the function here in its AppConfig.ready() and
litigation.integrations asks for it by name. Like zel.timeline and zel.navigation, the core knows
the names, not the apps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# The names in use (the app that registers, the app that asks).
SUPPORTED_HOUSEHOLD_IDS = "support.active_household_ids"  # support → litigation
# The same households as a subquery, for jobs that filter millions of rows in SQL.
SUPPORTED_HOUSEHOLDS = "support.active_households"  # support → litigation
DSF_PREFILL = "support.dsf_prefill"  # support → litigation
VISIBLE_PROCEDURES = "litigation.visible_procedures"  # litigation → support (documents attached)
VISIBLE_DSFS = "litigation.visible_dsfs"  # litigation → support

_providers: dict[str, Callable[..., Any]] = {}


def register(name: str, func: Callable[..., Any]) -> None:
    _providers[name] = func


def get(name: str) -> Callable[..., Any]:
    try:
        return _providers[name]
    except KeyError:
        raise LookupError(f"no provider registered for {name!r}: is the providing app installed?") from None
