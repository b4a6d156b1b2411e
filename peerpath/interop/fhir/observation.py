"""A completed administration → QuestionnaireResponse (us-core-questionnaireresponse) with the item answers,
and → Observation (us-core-observation-screening-assessment) with the total score, ``derivedFrom`` the
response. Both share the administration's id. Clinicians read scores only (no responses), as on the pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from peerpath.interop.fhir import codes
from peerpath.interop.fhir.common import concept, drop_empty, instant, meta, peerpath_identifier, ref
from peerpath.interop.fhir.context import MapContext
from peerpath.interop.fhir.questionnaire import answer_coding, canonical, total_code
from peerpath.measures.models import Administration


def _author(administration: Administration) -> dict[str, Any]:
    if administration.mode == "self" or not administration.entered_by_id:
        return ref("Patient", administration.client_id)
    return ref("Practitioner", administration.entered_by_id)


def response_to_fhir(administration: Administration, ctx: MapContext, *, answers: list[Any],
                     labels: dict[tuple[str, int], str]) -> dict[str, Any]:
    instrument = administration.instrument
    version = instrument.version or "1"
    items = []
    for answer in answers:
        item: dict[str, Any] = {"linkId": str(answer.item.number)}
        if answer.value is not None:
            label = labels.get((answer.item.option_set, answer.value), str(answer.value))
            item["answer"] = [{"valueCoding": answer_coding(instrument, answer.value, label, ctx)}]
        items.append(item)
    return drop_empty({
        "resourceType": "QuestionnaireResponse",
        "id": str(administration.pk),
        "meta": meta("QuestionnaireResponse", administration.completed_at),
        "identifier": peerpath_identifier(ctx.slug, "administration", administration.pk),
        "questionnaire": f"{canonical(instrument, ctx)}|{version}",
        "status": "completed",
        "subject": ref("Patient", administration.client_id),
        "authored": instant(administration.completed_at),
        "author": _author(administration),
        "source": ref("Patient", administration.client_id),
        "item": items,
    })


def score_value(total: Decimal) -> dict[str, Any]:
    if total == total.to_integral_value():
        return {"valueInteger": int(total)}
    return {"valueQuantity": {"value": float(total), "unit": "{score}", "system": codes.UCUM, "code": "{score}"}}


def score_to_fhir(administration: Administration, ctx: MapContext, *, with_response: bool = True) -> dict[str, Any]:
    instrument = administration.instrument
    code = total_code(instrument, ctx)
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": str(administration.pk),
        "meta": meta("Observation", administration.completed_at),
        "identifier": [peerpath_identifier(ctx.slug, "score", administration.pk)],
        "status": "final",
        "category": [concept(codes.OBSERVATION_CATEGORY, "survey", "Survey")],
        "code": {"coding": [code], "text": f"{instrument.name} total score"},
        "subject": ref("Patient", administration.client_id),
        "effectiveDateTime": instant(administration.completed_at),
        "performer": [_author(administration)],
        "derivedFrom": [ref("QuestionnaireResponse", administration.pk)] if with_response else [],
    }
    if administration.total_score is not None:
        resource.update(score_value(Decimal(administration.total_score)))
    else:
        resource["dataAbsentReason"] = concept("http://terminology.hl7.org/CodeSystem/data-absent-reason", "not-performed")
    if administration.band:
        resource["interpretation"] = [{"text": administration.band}]
    return drop_empty(resource)
