"""The main navigation, assembled from each app's ``navigation.NAV_ITEMS``.

An app adds a page to the menu by listing a ``NavItem`` in its own ``navigation.py``; the
roles listed there only decide what is *shown* — the view's ``@allow`` decides access.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: Any  # a lazy translation string
    url_name: str
    roles: frozenset[str]
    order: int = 100


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
    role = getattr(user, "role", None)
    entries = []
    for item in all_items():
        if role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        current = current_path == url or (url != "/" and current_path.startswith(url))
        entries.append({"label": item.label, "url": url, "current": current})
    return entries
