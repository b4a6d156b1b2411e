"""Bad input to any API write never causes a 500 and never leaves a partial write.

For every declared API route that writes (POST/PUT/PATCH), each field of its valid example body
is replaced in turn by values of the wrong kind; an unknown field is added; the body is sent as
broken JSON. Each answer must be a structured 4xx naming a field (or the body), and the number
of rows in every Peerpath table must be what it was before.
"""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client as DjangoClient
from django.urls import reverse

from peerpath.accounts.tests.factories import make_token
from peerpath.core.tests.test_access_matrix import DECLARED

WRONG_VALUES = [None, True, -1, 10**12, "", "x" * 20000, [], {}, "2026-13-45T99:99:99"]
WRITE_ROUTES = sorted(name for name, route in DECLARED.items() if name.startswith("api:") and route.method != "GET" and route.data)


def _row_counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in {"core", "accounts", "clients", "care", "workforce", "measures", "outcomes", "implementation"}
        and m._meta.label != "core.AuditEvent"
    }


def _mutations(valid: dict) -> list[tuple[str, object]]:
    cases: list[tuple[str, object]] = [("<broken json>", "{not json"), ("<unknown field>", {**valid, "zz_unknown": 1})]
    for key in valid:
        for value in WRONG_VALUES:
            if value == valid[key] or (isinstance(valid[key], str) and value == ""):
                continue
            cases.append((key, {**valid, key: value}))
    return cases


@pytest.mark.parametrize("name", WRITE_ROUTES)
def test_bad_bodies_get_a_structured_4xx_and_change_nothing(name, world):
    route = DECLARED[name]
    user = next(world.a.users[role] for role in sorted(route.allowed)) if route.allowed else world.a.users["admin"]
    http = DjangoClient(headers={"Authorization": f"Bearer {make_token(user)}"})
    http._world = world  # type: ignore[attr-defined]
    url = reverse(name, kwargs=route.kwargs(world))
    valid = route.data(world)
    failures = []
    for label, body in _mutations(valid):
        before = _row_counts()
        with transaction.atomic():
            payload = body if isinstance(body, str) else json.dumps(body, default=str)
            response = http.generic(route.method, url, payload, content_type="application/json")
            after = _row_counts()
            transaction.set_rollback(True)
        if response.status_code >= 500:
            failures.append((label, response.status_code))
            continue
        if 400 <= response.status_code < 500:
            body_json = response.json()
            if "detail" not in body_json or not isinstance(body_json.get("errors", []), list):
                failures.append((label, "unstructured", response.content[:200]))
            if after != before:
                failures.append((label, "rows changed", {k: (before[k], after[k]) for k in before if before[k] != after[k]}))
    assert failures == []
