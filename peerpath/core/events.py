"""Domain events, delivered to subscribers after the writer's transaction commits.

A service publishes what happened (``encounter.recorded``, ``referral.assigned``,
``measure.safety_alert`` ...) instead of calling another app::

    publish_on_commit("referral.assigned", organisation_id=org_id, payload={"referral_id": 7})

Apps react in ``<app>/subscribers.py`` (imported when Django starts)::

    @subscriber("referral.assigned")
    def tell_the_peer(event: Event) -> None: ...

Why after commit: a subscriber never sees (or acts on) a write that is later rolled back, and it
never runs inside the writer's transaction, so a failing subscriber cannot undo the write. Each
subscriber runs in its own transaction; one that raises is logged and the others still run.
Payloads carry ids and small facts, never clinical detail.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    name: str
    organisation_id: int
    payload: dict[str, Any]
    occurred_at: datetime = field(default_factory=timezone.now)


Subscriber = Callable[[Event], None]
_subscribers: dict[str, list[Subscriber]] = defaultdict(list)


def subscriber(name: str) -> Callable[[Subscriber], Subscriber]:
    """Register ``fn(event)`` for events called ``name`` (``"*"`` for every event)."""

    def register(fn: Subscriber) -> Subscriber:
        if fn not in _subscribers[name]:
            _subscribers[name].append(fn)
        return fn

    return register


def unsubscribe(name: str, fn: Subscriber) -> None:
    if fn in _subscribers.get(name, []):
        _subscribers[name].remove(fn)


def subscribers_for(name: str) -> list[Subscriber]:
    return [*_subscribers.get(name, []), *_subscribers.get("*", [])]


def publish_on_commit(name: str, organisation_id: int, payload: dict[str, Any]) -> None:
    """Deliver the event once the current transaction commits (now, if there is none)."""
    event = Event(name=name, organisation_id=organisation_id, payload=dict(payload))
    transaction.on_commit(lambda: deliver(event))


def deliver(event: Event) -> None:
    for fn in subscribers_for(event.name):
        try:
            with transaction.atomic():
                fn(event)
        except Exception:
            # One failing subscriber must neither lose the (committed) write nor stop the others.
            logger.exception("Subscriber %s failed on event %s", getattr(fn, "__qualname__", fn), event.name)


def autodiscover() -> None:
    """Import every installed app's ``subscribers`` module (and each area package's, for apps
    split into ``<app>/<area>/``) so their subscribers register."""
    import pkgutil
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    for config in apps.get_app_configs():
        candidates = [f"{config.name}.subscribers"]
        if config.name.startswith("peerpath.") and config.path:
            candidates += [f"{config.name}.{info.name}.subscribers"
                           for info in pkgutil.iter_modules([config.path]) if info.ispkg]
        for module in candidates:
            try:
                found = find_spec(module) is not None
            except ModuleNotFoundError:
                found = False
            if found:
                import_module(module)
