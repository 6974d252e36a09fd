"""The household timeline, filled by every app without the households app knowing them.

Each app registers a provider `(user, household) -> iterable of TimelineEntry` in its
AppConfig.ready(). A provider returns only what the viewer may see (it asks its access module) and
issues a fixed number of queries.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

Provider = Callable[..., Iterable["TimelineEntry"]]
_providers: list[Provider] = []


@dataclass(frozen=True)
class TimelineEntry:
    when: date | datetime
    kind: str
    title: str
    detail: str = ""
    url: str = ""
    icon: str = "•"

    @property
    def sort_key(self) -> datetime:
        if isinstance(self.when, datetime):
            return self.when
        return timezone.make_aware(datetime.combine(self.when, time.min))


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def entries_for(user, household) -> list[TimelineEntry]:
    entries = [entry for provider in _providers for entry in provider(user, household)]
    return sorted(entries, key=lambda e: e.sort_key, reverse=True)
