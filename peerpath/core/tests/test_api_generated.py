"""Generated API traffic (schemathesis) never gets a server error and every answer matches the OpenAPI document.

Every operation of ``/api/v1/openapi.json`` is called in-process through the WSGI application as a peer and as
an admin, each with a bounded, deterministic set of examples: valid inputs (with real ids of the caller's
organisation in the path, so writes get past "not found") and invalid ones (wrong types, out-of-range numbers,
missing fields). The test collects every problem across all operations and reports them together.
"""

from __future__ import annotations

import collections
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from peerpath.accounts.tests.factories import make_token

STATUSES: list[tuple[str, int]] = []
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
EXAMPLES = {GenerationMode.POSITIVE: 12, GenerationMode.NEGATIVE: 8}  # per operation, role and mode


def _real_ids(world: Any) -> dict[str, int]:
    a = world.a
    return {"client_id": a.client.pk, "referral_id": a.referral.pk, "encounter_id": a.encounter.pk,
            "staff_id": a.users["peer"].pk}


def _probe(operation: Any, mode: GenerationMode, headers: dict[str, str], path_parameters: dict[str, int] | None,
           problems: list[tuple[str, int, str]]) -> None:
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @settings(max_examples=EXAMPLES[mode], derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        STATUSES.append((operation.label, response.status_code))
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - schemathesis raises failure groups; all collected, asserted below
            problems.append((operation.label, response.status_code, str(exc).strip().splitlines()[0][:200]))

    run()


@pytest.fixture
def _keep_test_connection():
    """Calls go straight to the WSGI application (not Django's test client), whose request signals close
    "old" connections: on PostgreSQL that would close the test's own transaction. Keep it open."""
    from django.core import signals
    from django.db import close_old_connections

    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.mark.parametrize("role", ["peer", "admin"])
@pytest.mark.django_db
@pytest.mark.usefixtures("_keep_test_connection")
def test_generated_requests_get_no_server_error_and_match_the_schema(role, world):
    STATUSES.clear()  # counted per role
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    headers = {"Authorization": f"Bearer {make_token(world.a.users[role])}"}
    ids = _real_ids(world)
    problems: list[tuple[str, int, str]] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        names = {p.name for p in operation.path_parameters}
        known = {name: ids[name] for name in names if name in ids}
        _probe(operation, GenerationMode.POSITIVE, headers, known if len(known) == len(names) else None, problems)
        _probe(operation, GenerationMode.NEGATIVE, headers, None, problems)
    # The counts the closing notes quote (shown with ``pytest -s``).
    print(f"{role}: {len(STATUSES)} generated requests, statuses {dict(collections.Counter(s for _, s in STATUSES))}; "
          f"{len(problems)} problems, {len([p for p in problems if p[1] >= 500])} server errors")
    for item in sorted(collections.Counter((p[0], p[1], p[2][:90]) for p in problems).items()):
        print("  ", item)
    server_errors = [p for p in problems if p[1] >= 500]
    assert server_errors == [], f"{len(server_errors)} server errors"
    assert problems == [], f"{len(problems)} answers that do not match the schema"
