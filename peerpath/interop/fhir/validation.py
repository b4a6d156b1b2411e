"""Offline validation of the resources Peerpath produces (the HL7 validator cannot run on these machines).

1. Structure: the R4B models of ``fhir.resources`` (the default R5 models reject R4 Encounters).
2. Required bindings and US Core cardinalities, checked here: the models accept any code (``gender: "mal"``).
3. The US Core 6.1.0 constraint expressions kept as data (``data/us-core-6.1.0-constraints.json``), evaluated
   with ``fhirpathpy`` using the R4 model (without it us-core-2 wrongly fails on a valid ``valueString``).
4. Identifiers: an NPI must pass its check digit.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from peerpath.interop.fhir import codes

CONSTRAINTS_FILE = Path(__file__).resolve().parent / "data" / "us-core-6.1.0-constraints.json"

# Required bindings (FHIR R4 value sets), as (FHIRPath to the code values, allowed codes).
REQUIRED_BINDINGS: dict[str, list[tuple[str, set[str]]]] = {
    "Patient": [("gender", {"male", "female", "other", "unknown"})],
    "Encounter": [("status", {"planned", "arrived", "triaged", "in-progress", "onleave", "finished", "cancelled",
                              "entered-in-error", "unknown"})],
    "ServiceRequest": [
        ("status", {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}),
        ("intent", {"proposal", "plan", "directive", "order", "original-order", "reflex-order", "filler-order",
                    "instance-order", "option"}),
        ("priority", {"routine", "urgent", "asap", "stat"}),
    ],
    "CareTeam": [("status", {"proposed", "active", "suspended", "inactive", "entered-in-error"})],
    "Goal": [("lifecycleStatus", {"proposed", "planned", "accepted", "active", "on-hold", "completed", "cancelled",
                                  "entered-in-error", "rejected"})],
    "CarePlan": [("status", {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}),
                 ("intent", {"proposal", "plan", "order", "option"}),
                 ("text.status", {"generated", "extensions", "additional", "empty"})],
    "Observation": [("status", {"registered", "preliminary", "final", "amended", "corrected", "cancelled",
                                "entered-in-error", "unknown"})],
    "QuestionnaireResponse": [("status", {"in-progress", "completed", "amended", "entered-in-error", "stopped"})],
    "Questionnaire": [("status", {"draft", "active", "retired", "unknown"}),
                      ("item.type", {"group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time",
                                     "string", "text", "url", "choice", "open-choice", "attachment", "reference",
                                     "quantity"})],
}
COMMON_BINDINGS: list[tuple[str, set[str]]] = [
    ("descendants().ofType(Identifier).use", {"usual", "official", "temp", "secondary", "old"}),
    ("descendants().ofType(ContactPoint).system", {"phone", "fax", "email", "pager", "url", "sms", "other"}),
    ("descendants().ofType(HumanName).use", {"usual", "official", "temp", "nickname", "anonymous", "old", "maiden"}),
]

# US Core 6.1.0 minimum cardinalities (1..*) of the profiles, as FHIRPath that must give a non-empty result.
REQUIRED_ELEMENTS: dict[str, list[str]] = {
    "Patient": ["identifier", "name", "gender"],
    "Practitioner": ["identifier", "name", "name.family"],
    "PractitionerRole": [],
    "Organization": ["name", "active"],
    "CareTeam": ["subject", "participant"],
    "ServiceRequest": ["status", "intent", "code", "subject"],
    "Encounter": ["status", "class", "type", "subject"],
    "Goal": ["lifecycleStatus", "description", "subject"],
    "CarePlan": ["text", "status", "intent", "category", "subject"],
    "Questionnaire": ["status"],
    "QuestionnaireResponse": ["questionnaire", "status", "subject", "authored"],
    "Observation": ["status", "category", "code", "subject"],
}
# Every element of these must carry the listed children (e.g. Patient.identifier.system 1..1).
REQUIRED_CHILDREN: dict[str, list[tuple[str, str]]] = {
    "Patient": [("identifier", "system.exists() and value.exists()")],
    "Practitioner": [("identifier", "system.exists() and value.exists()")],
    "CareTeam": [("participant", "role.count() = 1 and member.exists()")],
    "QuestionnaireResponse": [("item", "linkId.exists()")],
    "Questionnaire": [("item", "linkId.exists() and type.exists()")],
}
# Slices US Core requires (category codes that must be present).
REQUIRED_CODINGS: dict[str, list[tuple[str, str, str]]] = {
    "Observation": [("category", codes.OBSERVATION_CATEGORY, "survey")],
    "CarePlan": [("category", codes.CARE_PLAN_CATEGORY, "assess-plan")],
}


@cache
def constraints() -> list[dict[str, str]]:
    return json.loads(CONSTRAINTS_FILE.read_text(encoding="utf-8"))["constraints"]


@cache
def _compiled(expression: str) -> Any:
    from fhirpathpy import compile as fhirpath_compile
    from fhirpathpy.models import models

    return fhirpath_compile(expression, model=models["r4"])


def _evaluate(resource: dict[str, Any], expression: str) -> list[Any]:
    """Parsing FHIRPath is the slow part (ANTLR in Python): each expression is compiled once."""
    return _compiled(expression)(resource)


def structure_errors(resource: dict[str, Any]) -> list[str]:
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError

    try:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    except (ValidationError, KeyError, ValueError) as exc:
        return [f"structure: {exc}"]
    return []


def binding_errors(resource: dict[str, Any]) -> list[str]:
    errors = []
    for path, allowed in REQUIRED_BINDINGS.get(resource["resourceType"], []) + COMMON_BINDINGS:
        errors.extend(f"binding: {resource['resourceType']}.{path} has {value!r}, not in the required value set"
                      for value in _evaluate(resource, path) if value not in allowed)
    for path, system, code in REQUIRED_CODINGS.get(resource["resourceType"], []):
        if not _evaluate(resource, f"{path}.coding.where(system = '{system}' and code = '{code}').exists()")[0]:
            errors.append(f"binding: {resource['resourceType']}.{path} lacks {system}#{code}")
    return errors


def cardinality_errors(resource: dict[str, Any]) -> list[str]:
    kind = resource["resourceType"]
    errors = [f"cardinality: {kind}.{path} is required (min 1)"
              for path in REQUIRED_ELEMENTS.get(kind, []) if _evaluate(resource, f"({path}).exists()") != [True]]
    for path, rule in REQUIRED_CHILDREN.get(kind, []):
        if not _evaluate(resource, f"{path}.all({rule})")[0]:
            errors.append(f"cardinality: every {kind}.{path} needs {rule}")
    return errors


def constraint_errors(resource: dict[str, Any]) -> list[str]:
    errors = []
    for constraint in constraints():
        if constraint["resource"] != resource["resourceType"]:
            continue
        context = constraint["context"]
        targets = _evaluate(resource, context) if context else [resource]
        for target in targets:
            result = _evaluate(target, constraint["expression"]) if isinstance(target, dict) else [True]
            if result != [True]:
                errors.append(f"{constraint['key']}: {constraint['human']}")
    return errors


def identifier_errors(resource: dict[str, Any]) -> list[str]:
    npis = _evaluate(resource, f"descendants().ofType(Identifier).where(system = '{codes.NPI}').value")
    return [f"identifier: NPI {npi} fails its check digit" for npi in npis if not codes.npi_is_valid(str(npi))]


def validate(resource: dict[str, Any]) -> list[str]:
    """All problems found; an empty list means the resource passed every offline check."""
    errors = structure_errors(resource)
    if errors:
        return errors
    return binding_errors(resource) + cardinality_errors(resource) + constraint_errors(resource) + identifier_errors(resource)
