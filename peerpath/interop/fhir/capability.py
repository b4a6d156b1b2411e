"""The CapabilityStatement served at ``/fhir/r4/metadata``."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from peerpath.interop.fhir import codes
from peerpath.interop.fhir.resources import SPECS

SOFTWARE_VERSION = "1.0"
BULK = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/"
LOCAL_CODE_SYSTEMS = {
    "urn:peerpath:codesystem:life-area": "Life areas of recovery-plan goals (Goal.category)",
    "urn:peerpath:codesystem:chime": "CHIME recovery dimensions (Goal.category)",
    "urn:peerpath:codesystem:staff-role": "Peerpath staff roles (PractitionerRole.code, CareTeam.participant.role)",
    "urn:peerpath:codesystem:<owner>-<instrument>": "Items, answers and totals of instruments without LOINC codes "
                                                    "(all but PHQ-9 and GAD-7)",
}


def _search_params(spec: Any) -> list[dict[str, str]]:
    params = [
        {"name": "_id", "type": "token", "documentation": "Comma-separated resource ids"},
        {"name": "_lastUpdated", "type": "date"},
        {"name": "identifier", "type": "token", "documentation": "system|value; Peerpath's own or a source system's"},
    ]
    if spec.patient_path:
        params += [{"name": "patient", "type": "reference"}, {"name": "subject", "type": "reference"}]
    if spec.date_path:
        params.append({"name": spec.date_param, "type": "date",
                       "documentation": "Prefixes eq, ge, gt, le, lt; precision year, month, day or instant"})
    return params


def capability_statement(base_url: str) -> dict[str, Any]:
    resources = []
    for spec in SPECS.values():
        entry: dict[str, Any] = {
            "type": spec.type,
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": _search_params(spec),
            "documentation": spec.description,
        }
        profile = codes.PROFILE.get(spec.type)
        if profile:
            entry["supportedProfile"] = [f"{profile}|{codes.US_CORE_VERSION}" if "us/core" in profile else profile]
        resources.append(entry)
    for entry in resources:
        if entry["type"] == "Patient":
            entry["operation"] = [{"name": "export", "definition": BULK + "patient-export"}]
    resources.append({"type": "Group", "interaction": [],
                      "operation": [{"name": "export", "definition": BULK + "group-export"}],
                      "documentation": "A Group is a Peerpath team; only $export is offered."})
    documentation = "Local code systems: " + "; ".join(f"{url}: {text}" for url, text in LOCAL_CODE_SYSTEMS.items())
    return {
        "resourceType": "CapabilityStatement",
        "id": "peerpath",
        "url": f"{base_url}/metadata",
        "name": "PeerpathFhirServer",
        "title": "Peerpath FHIR R4 server",
        "status": "active",
        "date": timezone.now().date().isoformat(),
        "publisher": "Peerpath",
        "kind": "instance",
        "software": {"name": "Peerpath", "version": SOFTWARE_VERSION},
        "implementation": {"description": "Peerpath peer-support records", "url": base_url},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "instantiates": ["http://hl7.org/fhir/us/core/CapabilityStatement/us-core-server"],
        "rest": [{
            "mode": "server",
            "documentation": documentation,
            "security": {
                "service": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                                         "code": "SMART-on-FHIR"}]}],
                "extension": [{"url": "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
                               "extension": [{"url": "token", "valueUri": f"{base_url}/auth/token"}]}],
                "description": "Staff bearer tokens (Authorization: Bearer) with the same scoping as the pages, or "
                               "SMART Backend Services tokens (system/*.read and narrower) acting as the "
                               "organisation's system account.",
            },
            "resource": resources,
            "interaction": [{"code": "transaction"}, {"code": "batch"}],
            "operation": [{"name": "export", "definition": BULK + "export"}],
        }],
    }
