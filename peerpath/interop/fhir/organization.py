"""Organisation → Organization (us-core-organization)."""

from __future__ import annotations

from typing import Any

from peerpath.core.models import Organisation
from peerpath.interop.fhir import codes
from peerpath.interop.fhir.common import concept, drop_empty, meta, peerpath_identifier


def to_fhir(organisation: Organisation, ctx: Any = None) -> dict[str, Any]:
    return drop_empty({
        "resourceType": "Organization",
        "id": str(organisation.pk),
        "meta": meta("Organization", organisation.updated_at),
        "identifier": [peerpath_identifier(organisation.slug, "organisation", organisation.slug)],
        "active": organisation.is_active,
        "type": [concept(codes.ORGANIZATION_TYPE, "prov", "Healthcare Provider")],
        "name": organisation.name,
    })
