"""OperationOutcome: the body of every FHIR error, naming the element (FHIRPath) where there is one."""

from __future__ import annotations

from typing import Any


class FhirError(Exception):
    """A request Peerpath refuses; becomes an OperationOutcome with this HTTP status."""

    def __init__(self, status: int, code: str, diagnostics: str, expression: list[str] | None = None) -> None:
        super().__init__(diagnostics)
        self.status = status
        self.code = code
        self.diagnostics = diagnostics
        self.expression = expression or []


def operation_outcome(issues: list[dict[str, Any]]) -> dict[str, Any]:
    return {"resourceType": "OperationOutcome", "issue": issues}


def issue(code: str, diagnostics: str, *, severity: str = "error", expression: list[str] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"severity": severity, "code": code, "diagnostics": diagnostics}
    if expression:
        out["expression"] = expression
    return out


def outcome_for(error: FhirError) -> dict[str, Any]:
    return operation_outcome([issue(error.code, error.diagnostics, expression=error.expression)])
