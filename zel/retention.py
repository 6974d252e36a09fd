"""RGPD registries: each app plugs in what it holds on a household.

Three kinds of hooks, registered from an AppConfig.ready():

- `register(fn)`: an anonymiser, `fn(household_ids: list[int]) -> None`. Called inside the transaction
  that anonymises those households (retention job or erasure on request): blank the free texts and
  names of the app's own rows about them (and their simple_history rows), keep the figures reports
  need (dates, amounts, statuses, codes).
- `register_hold(fn)`: `fn(household_ids: list[int]) -> set[int] | dict[int, str]`, the households that
  must be kept (a procedure still open, a legal obligation), optionally with the reason shown to the
  manager who asked for an erasure. Return only ids among those given.
- `register_export(fn)`: `fn(household) -> dict | None`, the app's sections of the subject-access export:
  `{"section title": <JSON-serialisable data>}`. Everything ZEL holds on that household, nothing on
  other people beyond what the household's file names (workers' names are the controller's staff).
  Never a sealed part (health section, psychologist notes): the manager who downloads the export may
  not read them (issue 17).
- `register_sealed(fn)`: `fn(household) -> list[dict]`, the sealed parts the app holds on that household,
  as the manager's export lists them: what the part is, how many items, who produces it and where. The
  part itself is exported by the app, to the people entitled to read it, who hand it to the person.

The households app implements the household-level parts (households.retention).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Anonymiser = Callable[[list[int]], None]
Hold = Callable[[list[int]], "set[int] | dict[int, str]"]
Exporter = Callable[[object], "dict | None"]

anonymisers: list[Anonymiser] = []
holds: list[Hold] = []
exporters: list[Exporter] = []
sealers: list[Exporter] = []


def _add(registry: list, fn):
    if fn not in registry:
        registry.append(fn)
    return fn


def register(fn: Anonymiser) -> Anonymiser:
    return _add(anonymisers, fn)


def register_hold(fn: Hold) -> Hold:
    return _add(holds, fn)


def register_export(fn: Exporter) -> Exporter:
    return _add(exporters, fn)


def register_sealed(fn):
    return _add(sealers, fn)


def held(household_ids: Iterable[int]) -> dict[int, str]:
    """The households some app must keep, with a reason (empty string when the app gave none)."""
    ids = list(household_ids)
    if not ids:
        return {}
    kept: dict[int, str] = {}
    for hold in holds:
        answer = hold(ids) or {}
        reasons = answer if isinstance(answer, dict) else dict.fromkeys(answer, "")
        for pk, reason in reasons.items():
            if pk in ids and not kept.get(pk):
                kept[pk] = str(reason or "")
    return kept


def run_anonymisers(household_ids: list[int]) -> None:
    for anonymiser in anonymisers:
        anonymiser(household_ids)


def export_sections(household) -> dict:
    sections: dict = {}
    for exporter in exporters:
        sections.update(exporter(household) or {})
    return sections


def sealed_parts(household) -> list:
    parts: list = []
    for sealer in sealers:
        parts.extend(sealer(household) or [])
    return parts
