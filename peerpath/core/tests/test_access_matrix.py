"""Every page and API route × every role × two organisations.

Routes are *discovered* from the URL resolver; each must be declared in its app's
``tests/route_access.py`` (see peerpath/testing/access.py), so a new route without a declared
access rule fails here. Third-party sign-in pages (allauth) and the platform admin guard
themselves and are tested in accounts/tests/test_auth.py and test_platform_admin below.

Each route gets a fresh two-organisation world (the suite-wide ``world`` fixture). Building it once
per module was tried and reverted: it failed 14 planning routes (404s, missing CFIR reference rows)
once merged with the rest of the suite, and showed no measured gain.
"""

from __future__ import annotations

import json
from importlib import import_module

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client as DjangoClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from peerpath.accounts.tests.factories import make_token
from peerpath.testing.access import Route
from peerpath.testing.fixtures import ROLES

SELF_GUARDED = ("account_", "mfa_")


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(part for part in (namespace, pattern.namespace) if part) or None
            yield from _walk(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def discovered_routes() -> list[str]:
    names = set()
    for name in _walk(get_resolver().url_patterns):
        if name.startswith(SELF_GUARDED) or name.startswith("admin:"):
            continue
        names.add(name)
    return sorted(names)


def declared_routes() -> dict[str, Route]:
    declared: dict[str, Route] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("peerpath."):
            continue
        try:
            module = import_module(f"{config.name}.tests.route_access")
        except ModuleNotFoundError:
            continue
        for route in module.ROUTES:
            assert route.name not in declared, f"{route.name} declared twice"
            declared[route.name] = route
    return declared


DISCOVERED = discovered_routes()
DECLARED = declared_routes()


def test_every_discovered_route_declares_its_access():
    missing = [name for name in DISCOVERED if name not in DECLARED]
    assert missing == [], f"Routes without a declared access rule in tests/route_access.py: {missing}"


def test_every_declared_route_exists():
    assert sorted(set(DECLARED) - set(DISCOVERED)) == []


def test_discovery_finds_pages_and_api():
    assert "clients:client_detail" in DISCOVERED and "api:encounter_create" in DISCOVERED
    assert len(DISCOVERED) >= 50


def _call(route: Route, url: str, http: DjangoClient):
    is_api = route.name.startswith("api:")
    with transaction.atomic():  # every call is rolled back so each role meets the same state
        if route.method == "GET":
            response = http.get(url)
        else:
            data = route.data(http._world) if route.data else {}  # type: ignore[attr-defined]
            if is_api:
                response = http.generic(route.method, url, json.dumps(data, default=str), content_type="application/json")
            else:
                response = http.post(url, data)
        transaction.set_rollback(True)
    return response


def _http_for(user, world, is_api: bool) -> DjangoClient:
    if user is None:
        http = DjangoClient()
    elif is_api:
        http = DjangoClient(headers={"Authorization": f"Bearer {make_token(user)}"})
    else:
        http = DjangoClient()
        http.force_login(user)
    http._world = world  # type: ignore[attr-defined]
    return http


@pytest.mark.parametrize("name", DISCOVERED)
def test_route_access_matrix(name, world):
    route = DECLARED.get(name)
    if route is None:
        pytest.fail(f"{name} has no declared access rule")
    is_api = name.startswith("api:")
    kwargs = route.kwargs(world)
    url = reverse(name, kwargs=kwargs)
    org_bound = route.org_bound if route.org_bound is not None else bool(kwargs)
    outcomes = {}
    for org_label in ("a", "b"):
        org_world = getattr(world, org_label)
        for role in ROLES:
            response = _call(route, url, _http_for(org_world.users[role], world, is_api))
            allowed = route.public or (role in route.allowed and (org_label == "a" or not org_bound))
            ok = response.status_code in route.ok if allowed else response.status_code in {403, 404}
            outcomes[(org_label, role)] = (response.status_code, "allow" if allowed else "deny", ok)
    anonymous = _call(route, url, _http_for(None, world, is_api))
    if route.public:
        anon_ok = anonymous.status_code in route.ok
    elif is_api:
        anon_ok = anonymous.status_code == 401
    else:
        anon_ok = anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    wrong = {key: value for key, value in outcomes.items() if not value[2]}
    assert wrong == {}, f"{name} {route.method} {url}: unexpected (org, role) → (status, expected): {wrong}"
    assert anon_ok, f"{name}: anonymous got {anonymous.status_code}"


@pytest.mark.parametrize("role", ROLES)
def test_platform_admin_is_for_superusers_only(world, login, role):
    response = login(world.a.users[role]).get("/platform-admin/")
    assert response.status_code == 302
    assert "/platform-admin/login/" in response["Location"]
