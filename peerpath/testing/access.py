"""The expected access matrix, declared per app and checked against *discovered* routes.

Each app lists every route it adds in ``peerpath/<app>/tests/route_access.py`` as
``ROUTES = [Route(...), ...]``. ``peerpath/core/tests/test_access_matrix.py`` walks the URL
resolver (pages and API), fails for any route nobody declared, and calls each route as every
role of organisation A (the objects' own organisation) and of organisation B.

* ``name``: the URL name with namespace, e.g. ``"clients:client_detail"`` or ``"api:client_get"``
  (django-ninja names API routes ``api:<function name>`` unless ``url_name`` is given).
* ``allowed``: roles of the object's organisation that get an "ok" answer; everyone else,
  and every role of the other organisation, must get 403 or 404.
* ``kwargs(world)``: URL arguments, built from the ``world`` fixture's organisation A objects.
* ``method``/``data``: how to call it (POST routes are called with ``data``; JSON for the API).
* ``ok``: the status codes that count as allowed (default 200; a form POST may redirect: 302).
* ``org_bound``: whether the call points at organisation A's records, so that organisation B's
  staff must be refused. Defaults to "the URL has arguments"; set it to True for a POST whose
  *body* names A's records (e.g. a client id), False for pages about the caller's own data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Route:
    name: str
    allowed: frozenset[str] | set[str]
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda world: {})
    method: str = "GET"
    data: Callable[[Any], dict[str, Any]] | None = None
    ok: frozenset[int] = frozenset({200})
    public: bool = False  # no sign-in needed (e.g. a one-time survey link)
    org_bound: bool | None = None
