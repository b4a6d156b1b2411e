"""Referral ↔ ServiceRequest (us-core-servicerequest): a referral to peer support, coded HCPCS H0038, asking for a
NUCC Peer Specialist as performer type; the referral's reason in the referrer's words."""

from __future__ import annotations

from typing import Any

from peerpath.clients.models import Referral
from peerpath.interop.fhir import codes
from peerpath.interop.fhir.common import concept, drop_empty, instant, meta, peerpath_identifier, ref
from peerpath.interop.fhir.context import MapContext

PEER_SUPPORT_TEXT = "Peer support"
PRIORITY_TO_URGENCY = {"routine": "routine", "urgent": "soon", "asap": "urgent", "stat": "urgent"}


def to_fhir(referral: Referral, ctx: MapContext) -> dict[str, Any]:
    performer = [ref("Practitioner", referral.assigned_peer_id)] if referral.assigned_peer_id else []
    return drop_empty({
        "resourceType": "ServiceRequest",
        "id": str(referral.pk),
        "meta": meta("ServiceRequest", referral.updated_at),
        "identifier": [peerpath_identifier(ctx.slug, "referral", referral.pk)],
        "status": codes.SERVICE_REQUEST_STATUS.get(referral.status, "unknown"),
        "intent": "order",
        "category": [concept(codes.SNOMED, "3457005", "Patient referral")],
        "priority": codes.URGENCY_PRIORITY.get(referral.urgency, "routine"),
        "code": concept(codes.HCPCS, codes.PEER_SERVICE_HCPCS["code"], codes.PEER_SERVICE_HCPCS["display"], PEER_SUPPORT_TEXT),
        "subject": ref("Patient", referral.client_id),
        "authoredOn": instant(referral.created_at),
        "requester": ref("Practitioner", referral.referred_by_id),
        "performerType": concept(codes.NUCC, codes.PEER_SPECIALIST["code"], codes.PEER_SPECIALIST["display"]),
        "performer": performer,
        "reasonCode": [{"text": referral.reason}],
    })


def referral_fields(resource: dict[str, Any]) -> dict[str, Any]:
    """What a ServiceRequest tells Peerpath about a referral (for import)."""
    reasons = [r.get("text") or next((c.get("display") for c in r.get("coding") or [] if c.get("display")), "")
               for r in resource.get("reasonCode") or []]
    return {
        "reason": "; ".join(r for r in reasons if r) or "",
        "urgency": PRIORITY_TO_URGENCY.get(resource.get("priority") or "routine", "routine"),
    }
