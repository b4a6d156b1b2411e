"""A client's care team → CareTeam (us-core-careteam): the matched peer(s) and the staff of the client's team.

``participant.role`` is 1..1: peers carry NUCC 175T00000X, other staff Peerpath's staff-role code."""

from __future__ import annotations

from typing import Any

from peerpath.clients.models import Client
from peerpath.core.choices import Role
from peerpath.interop.fhir import codes
from peerpath.interop.fhir.common import coding, drop_empty, meta, peerpath_identifier, ref
from peerpath.interop.fhir.context import MapContext
from peerpath.interop.fhir.practitioner import ROLE_SYSTEM


def _role(staff: Any) -> dict[str, Any]:
    if staff.role == Role.PEER:
        return {"coding": [coding(codes.NUCC, codes.PEER_SPECIALIST["code"], codes.PEER_SPECIALIST["display"])],
                "text": codes.PEER_SPECIALIST["display"]}
    label = str(Role(staff.role).label) if staff.role in Role.values else staff.role
    return {"coding": [coding(ROLE_SYSTEM, staff.role, label)], "text": label}


def to_fhir(client: Client, ctx: MapContext, *, peers: list[Any], members: list[Any]) -> dict[str, Any]:
    seen: set[int] = set()
    participants = []
    for staff in [*peers, *members]:
        if staff.pk in seen:
            continue
        seen.add(staff.pk)
        participants.append({"role": [_role(staff)], "member": ref("Practitioner", staff.pk, staff.display_name)})
    participants.append({"role": [{"coding": [coding(codes.SNOMED, "116154003", "Patient")], "text": "Patient"}],
                         "member": ref("Patient", client.pk)})
    return drop_empty({
        "resourceType": "CareTeam",
        "id": str(client.pk),
        "meta": meta("CareTeam", client.updated_at),
        "identifier": [peerpath_identifier(ctx.slug, "care-team", client.pk)],
        "status": "active" if client.is_active else "inactive",
        "name": client.team.name if client.team_id else "",
        "subject": ref("Patient", client.pk),
        "participant": participants,
        "managingOrganization": [ref("Organization", client.organisation_id)],
    })
