"""The main navigation, filled by every app: each role sees only what it may use.

Apps register `NavItem`s in their AppConfig.ready() with the predicate of their access module that
decides who may open the page; the core knows neither the pages nor the rules.
"""

from collections.abc import Callable
from dataclasses import dataclass

from zel import access


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    allowed: Callable[..., bool]  # (user) -> bool, from the owning app's access module
    order: int = 100


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _items):
        _items.append(item)
        _items.sort(key=lambda i: i.order)


def navigation(user) -> list[NavItem]:
    if not access.active(user):
        return []
    return [item for item in _items if item.allowed(user)]


def home_url_name(user) -> str:
    items = navigation(user)
    if items:
        return items[0].url_name
    return "admin:index" if access.is_administrator(user) else "accounts:profile"


def may_open(user, url_name: str) -> bool:
    """Whether a breadcrumb or a link may point to this list page: asks the predicate the owning app
    registered for it (a page no app registered is not a list page: always True)."""
    for item in _items:
        if item.url_name == url_name:
            return access.active(user) and item.allowed(user)
    return True
