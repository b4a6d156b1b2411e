"""A client's attendance at a peer encounter → Encounter (us-core-encounter).

One Encounter per attending client (its id is the attendance), so a group session never names the other
attendees. ``class`` comes from the setting (v3 ActCode), ``type`` carries HCPCS H0038 (peer services) and the
contact mode (v3 ParticipationMode: FACE, PHONE, VIDEOCONF, WRITTEN) because R4 has no element for it. The
peer's note is not exported."""

from __future__ import annotations

import datetime as dt
from typing import Any

from peerpath.care.models import EncounterAttendance
from peerpath.interop.fhir import codes
from peerpath.interop.fhir.common import coding, concept, drop_empty, instant, meta, peerpath_identifier, ref
from peerpath.interop.fhir.context import MapContext


def to_fhir(attendance: EncounterAttendance, ctx: MapContext) -> dict[str, Any]:
    encounter = attendance.encounter
    class_code, class_display = codes.CLASS_BY_SETTING.get(encounter.setting, ("AMB", "ambulatory"))
    if encounter.modality in codes.REMOTE_MODALITIES:
        class_code, class_display = "VR", "virtual"
    mode_code, mode_display = codes.MODE_BY_MODALITY.get(encounter.modality, ("FACE", "face-to-face"))
    end = encounter.started_at + dt.timedelta(minutes=encounter.duration_minutes)
    types = [
        concept(codes.HCPCS, codes.PEER_SERVICE_HCPCS["code"], codes.PEER_SERVICE_HCPCS["display"],
                "Group peer support" if encounter.is_group else "Peer support"),
        concept(codes.V3_PARTICIPATION_MODE, mode_code, mode_display),
    ]
    return drop_empty({
        "resourceType": "Encounter",
        "id": str(attendance.pk),
        "meta": meta("Encounter", encounter.updated_at),
        "identifier": [peerpath_identifier(ctx.slug, "encounter", f"{encounter.pk}-{attendance.client_id}")],
        "status": "finished" if encounter.is_active else "entered-in-error",
        "class": coding(codes.V3_ACT_CODE, class_code, class_display),
        "type": types,
        "serviceType": concept(codes.NUCC, codes.PEER_SPECIALIST["code"], codes.PEER_SPECIALIST["display"]),
        "subject": ref("Patient", attendance.client_id),
        "participant": [{
            "type": [concept(codes.V3_PARTICIPATION_TYPE, "PPRF", "primary performer")],
            "individual": ref("Practitioner", encounter.peer_id),
        }],
        "period": {"start": instant(encounter.started_at), "end": instant(end)},
        "length": {"value": encounter.duration_minutes, "unit": "min", "system": codes.UCUM, "code": "min"},
        "serviceProvider": ref("Organization", encounter.organisation_id),
    })
