"""The API's shared input rules: bounded numbers, no NUL, strict dates and numbers, body size, JSON for every error,
and an OpenAPI document that declares the bounds and names each schema once."""

from __future__ import annotations

import io
import json
from collections import defaultdict

import pytest
from django.test import Client as DjangoClient

from peerpath.accounts.tests.factories import make_token
from peerpath.care.models import Encounter
from peerpath.core.api_types import MAX_INT

pytestmark = pytest.mark.django_db
HUGE = 2**63


def _api(user) -> DjangoClient:
    return DjangoClient(headers={"Authorization": f"Bearer {make_token(user)}"})


def _encounter_body(world, **overrides):
    return {"client_ids": [world.a.client.pk], "started_at": "2026-03-02T10:00:00Z", "duration_minutes": 30,
            "modality": "in_person", "setting": "community", "activities": ["advocacy"], **overrides}


def _post(http, path, body):
    return http.post(path, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("path", [f"/api/v1/clients?offset={HUGE}", f"/api/v1/clients/{HUGE}",
                                  f"/api/v1/referrals?offset={HUGE}", f"/api/v1/encounters/{HUGE}",
                                  f"/api/v1/measures/administrations?client_id={HUGE}"])
def test_numbers_past_the_database_range_are_a_field_error(world, path):
    response = _api(world.a.users["leader"]).get(path)
    assert response.status_code == 422
    assert response.json()["detail"] == "Invalid input."
    assert response.json()["errors"][0]["field"] in {"offset", "client_id", "encounter_id"}


@pytest.mark.parametrize("field,value", [("note", "before\x00after"), ("duration_minutes", True),
                                         ("client_ids", [True]), ("client_ids", [HUGE]),
                                         ("started_at", 0), ("started_at", "0"), ("next_contact_on", 0)])
def test_bad_values_in_a_body_are_a_field_error_and_write_nothing(world, field, value):
    before = Encounter.objects.count()
    response = _post(_api(world.a.users["peer"]), "/api/v1/encounters", _encounter_body(world, **{field: value}))
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]][0].startswith(field)
    assert Encounter.objects.count() == before


def test_a_rating_round_dated_zero_is_refused(world):
    response = _post(_api(world.a.users["leader"]), "/api/v1/implementation/cfir/rounds", {"title": "Q1", "rated_on": 0})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "rated_on"


def test_a_search_with_a_nul_character_is_a_field_error(world):
    response = _api(world.a.users["leader"]).get("/api/v1/clients", {"search": "a\x00b"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "search"


def test_a_body_over_the_limit_is_413_before_it_is_parsed(world, settings):
    settings.API_MAX_BODY_BYTES = 1000
    http = _api(world.a.users["peer"])
    big = json.dumps(_encounter_body(world, note="x" * 2000))
    response = http.post("/api/v1/encounters", big, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["errors"] == [{"field": "body", "reason": "too large"}]


def test_a_chunked_body_over_the_limit_is_413(world, settings):
    """No Content-Length: the middleware reads at most one byte past the limit."""
    settings.API_MAX_BODY_BYTES = 1000
    from django.test import RequestFactory

    from peerpath.core.api_support import ApiBodyLimitMiddleware

    request = RequestFactory().post("/api/v1/encounters", "x", content_type="application/json")
    del request.META["CONTENT_LENGTH"]
    stream = io.BytesIO(b"{" + b" " * 5000 + b"}")
    request._stream = stream  # type: ignore[attr-defined]
    response = ApiBodyLimitMiddleware(lambda r: pytest.fail("the view must not run"))(request)
    assert response.status_code == 413
    assert stream.tell() == 1001


def test_an_unexpected_error_is_a_json_500_and_logged(world, monkeypatch, caplog):
    from peerpath.care import selectors

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "caseload_for", broken)
    response = _api(world.a.users["peer"]).get("/api/v1/caseload")
    assert response.status_code == 500
    assert response.json() == {"detail": "Something went wrong on our side; it has been logged.", "errors": []}
    assert "boom" in caplog.text


def _walk(node, path=""):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}/{i}")


def test_the_openapi_document_bounds_every_integer(client):
    document = client.get("/api/v1/openapi.json").json()
    unbounded = [path for path, node in _walk(document)
                 if node.get("type") == "integer" and ("maximum" not in node or "minimum" not in node)]
    assert unbounded == []
    assert all(node["maximum"] <= MAX_INT for _p, node in _walk(document) if node.get("type") == "integer")


def test_each_api_schema_name_is_defined_once():
    """OpenAPI names a schema by its class name: two classes with one name would document one operation
    with the other's fields."""
    import config.api  # noqa: F401 - loads every app's API
    from peerpath.core.api_types import Schema

    by_name: dict[str, set[str]] = defaultdict(set)
    pending = list(Schema.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("peerpath."):
            by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: places for name, places in by_name.items() if len(places) > 1} == {}


def test_every_api_schema_uses_the_shared_input_rules():
    import ninja

    import config.api  # noqa: F401
    from peerpath.core.api_types import Schema

    strays, pending = [], list(ninja.Schema.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("peerpath.") and not issubclass(cls, Schema):
            strays.append(f"{cls.__module__}.{cls.__qualname__}")
    assert strays == []
