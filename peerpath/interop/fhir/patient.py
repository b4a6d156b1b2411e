"""Client ↔ Patient (US Core 6.1.0 us-core-patient).

Peerpath does not record a client's sex or gender, so ``gender`` is ``unknown`` (required, 1..1, in US Core).
A pseudonymous client without any name carries the data-absent-reason extension on ``name`` (us-core-6)."""

from __future__ import annotations

from typing import Any

from peerpath.clients.models import Client
from peerpath.interop.fhir import codes
from peerpath.interop.fhir.common import coding, date, drop_empty, meta, peerpath_identifier, ref
from peerpath.interop.fhir.context import MapContext

LANGUAGE_SYSTEM = "urn:ietf:bcp:47"
LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}


def to_fhir(client: Client, ctx: MapContext) -> dict[str, Any]:
    identifiers = [peerpath_identifier(ctx.slug, "client", client.pk)]
    if client.record_number:
        identifiers.append({
            "use": "official",
            "type": {"coding": [coding(codes.V2_IDENTIFIER_TYPE, "MR", "Medical record number")]},
            "system": codes.identifier_system(ctx.slug, "record-number"), "value": client.record_number,
        })
    names: list[dict[str, Any]] = []
    if client.first_name or client.last_name:
        names.append({"use": "official", "family": client.last_name, "given": [client.first_name] if client.first_name else []})
    else:
        names.append({"extension": [{"url": codes.DATA_ABSENT_REASON, "valueCode": "masked"}]})
    if client.preferred_name:
        names.append({"use": "usual", "given": [client.preferred_name], "family": client.last_name})
    language = client.language or "en"
    resource = {
        "resourceType": "Patient",
        "id": str(client.pk),
        "meta": meta("Patient", client.updated_at),
        "identifier": identifiers,
        "active": client.is_active,
        "name": names,
        "telecom": [*([{"system": "phone", "value": client.phone, "use": "mobile"}] if client.phone else []),
                    *([{"system": "email", "value": client.email}] if client.email else [])],
        "gender": "unknown",
        "birthDate": date(client.date_of_birth),
        "communication": [{"language": {"coding": [coding(LANGUAGE_SYSTEM, language, LANGUAGE_NAMES.get(language, ""))]},
                           "preferred": True}],
        "managingOrganization": ref("Organization", client.organisation_id),
    }
    return drop_empty(resource)


def client_fields(resource: dict[str, Any]) -> dict[str, Any]:
    """The client fields a Patient carries (for import): names, birth date, phone, email, language."""
    names = resource.get("name") or []
    official = next((n for n in names if n.get("use") in (None, "official")), names[0] if names else {})
    usual = next((n for n in names if n.get("use") == "usual"), None)
    given = official.get("given") or []
    phone = next((t.get("value", "") for t in resource.get("telecom") or [] if t.get("system") == "phone"), "")
    email = next((t.get("value", "") for t in resource.get("telecom") or [] if t.get("system") == "email"), "")
    language = ""
    for comm in resource.get("communication") or []:
        for c in (comm.get("language") or {}).get("coding") or []:
            if c.get("code"):
                language = str(c["code"]).split("-")[0].lower()
                break
    return {
        "first_name": given[0] if given else "",
        "last_name": official.get("family", "") or "",
        "preferred_name": (usual.get("given") or [""])[0] if usual else "",
        "date_of_birth": resource.get("birthDate") or None,
        "phone": phone,
        "email": email,
        "language": language or "en",
    }
