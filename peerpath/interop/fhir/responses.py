"""FHIR JSON responses (``application/fhir+json``)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

from peerpath.interop.fhir.errors import FhirError, outcome_for

FHIR_JSON = "application/fhir+json; charset=utf-8"


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(resource: dict[str, Any]) -> str:
    return json.dumps(resource, default=_default, ensure_ascii=False, separators=(",", ":"))


def fhir_response(resource: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(dumps(resource), status=status, content_type=FHIR_JSON)
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def error_response(error: FhirError) -> HttpResponse:
    headers = {"WWW-Authenticate": 'Bearer realm="peerpath-fhir"'} if error.status == 401 else None
    return fhir_response(outcome_for(error), status=error.status, headers=headers)
