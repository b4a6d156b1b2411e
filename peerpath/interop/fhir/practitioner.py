"""StaffMember → Practitioner and PractitionerRole (us-core-practitioner, us-core-practitionerrole).

A peer's role is the NUCC taxonomy code 175T00000X "Peer Specialist" (the SNOMED role value set has no peer
code). Credentials from the workforce module become ``Practitioner.qualification``. A staff member's lived
experience is never part of either resource."""

from __future__ import annotations

from typing import Any

from peerpath.accounts.models import StaffMember
from peerpath.core.choices import Role
from peerpath.interop.fhir import codes
from peerpath.interop.fhir.common import coding, concept, date, drop_empty, meta, peerpath_identifier, ref
from peerpath.interop.fhir.context import MapContext

ROLE_SYSTEM = codes.local_system("staff-role")


def _credentials(staff: StaffMember) -> list[Any]:
    prefetched = getattr(staff, "fhir_credentials", None)
    if prefetched is not None:
        return list(prefetched)
    from peerpath.workforce.models import Credential

    return list(Credential.objects.filter(staff=staff, is_active=True).order_by("issued_on", "pk"))


def to_fhir(staff: StaffMember, ctx: MapContext) -> dict[str, Any]:
    qualifications = [
        {
            "identifier": [{"system": codes.identifier_system(ctx.slug, "credential"), "value": c.number}] if c.number else [],
            "code": {"text": c.name},
            "period": {"start": date(c.issued_on), "end": date(c.expires_on)},
            "issuer": {"display": c.issuer},
        }
        for c in _credentials(staff)
    ]
    return drop_empty({
        "resourceType": "Practitioner",
        "id": str(staff.pk),
        "meta": meta("Practitioner", getattr(staff, "last_login", None) or staff.date_joined),
        "identifier": [peerpath_identifier(ctx.slug, "staff", staff.pk)],
        "active": staff.is_active,
        "name": [{"use": "official", "family": staff.last_name or staff.username,
                  "given": [staff.first_name] if staff.first_name else []}],
        "telecom": [{"system": "email", "value": staff.email, "use": "work"}] if staff.email else [],
        "qualification": qualifications,
    })


def role_to_fhir(staff: StaffMember, ctx: MapContext) -> dict[str, Any]:
    role_label = str(Role(staff.role).label) if staff.role in Role.values else staff.role
    specialty = [concept(codes.NUCC, codes.PEER_SPECIALIST["code"], codes.PEER_SPECIALIST["display"])] \
        if staff.role == Role.PEER else []
    resource: dict[str, Any] = {
        "resourceType": "PractitionerRole",
        "id": str(staff.pk),
        "meta": meta("PractitionerRole", getattr(staff, "last_login", None) or staff.date_joined),
        "active": staff.is_active,
        "practitioner": ref("Practitioner", staff.pk, staff.display_name),
        "organization": ref("Organization", staff.organisation_id),
        "code": [{"coding": [coding(ROLE_SYSTEM, staff.role, str(role_label))], "text": str(role_label)}],
        "specialty": specialty,
    }
    if staff.email:
        resource["telecom"] = [{"system": "email", "value": staff.email, "use": "work"}]
    else:
        # pd-1 needs contact details or an endpoint: the endpoint is this FHIR server.
        resource["contained"] = [{
            "resourceType": "Endpoint", "id": "fhir", "status": "active",
            "connectionType": coding("http://terminology.hl7.org/CodeSystem/endpoint-connection-type", "hl7-fhir-rest"),
            "payloadType": [{"text": "FHIR R4"}], "address": ctx.base_url,
        }]
        resource["endpoint"] = [{"reference": "#fhir"}]
    return drop_empty(resource)
