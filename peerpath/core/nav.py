"""The main navigation, assembled from each app's ``navigation.NAV_ITEMS``.

An app adds a page to the menu by listing a ``NavItem`` in its own ``navigation.py`` with the
same ``Policy`` its view declares in ``@allow``, so the menu shows exactly the pages a user may
open. A ``url_name`` that does not resolve is a bug: the menu raises instead of hiding it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse

from peerpath.core.access import Policy, as_policy


@dataclass(frozen=True)
class NavItem:
    label: Any  # a lazy translation string
    url_name: str
    policy: Policy | frozenset[str] | set[str]  # a bare role set is accepted while apps are converted
    order: int = 100

    def __post_init__(self) -> None:
        object.__setattr__(self, "policy", as_policy(self.policy, f"nav:{self.url_name}"))

    @property
    def rule(self) -> Policy:
        return as_policy(self.policy)

    @property
    def roles(self) -> frozenset[str]:
        return self.rule.roles

    def url(self) -> str:
        try:
            return reverse(self.url_name)
        except NoReverseMatch as exc:
            raise ImproperlyConfigured(f"Menu entry {self.label!s} names URL {self.url_name!r}, which does not exist") from exc


def nav_item(label: Any, url_name: str, policy: Policy | Iterable[str], order: int = 100) -> NavItem:
    return NavItem(label, url_name, as_policy(policy, f"nav:{url_name}"), order)


@cache
def all_items() -> tuple[NavItem, ...]:
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("peerpath."):
            continue
        try:
            module = import_module(f"{config.name}.navigation")
        except ModuleNotFoundError:
            continue
        items.extend(getattr(module, "NAV_ITEMS", []))
    return tuple(sorted(items, key=lambda item: item.order))


def items_for(user: Any, current_path: str = "") -> list[dict[str, Any]]:
    if not getattr(user, "is_authenticated", False):
        return []
    entries = []
    for item in all_items():
        if not item.rule.allows(user):
            continue
        url = item.url()
        current = current_path == url or (url != "/" and current_path.startswith(url))
        entries.append({"label": item.label, "url": url, "current": current})
    return entries
