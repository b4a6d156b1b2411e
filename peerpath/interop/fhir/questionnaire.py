"""Instrument → Questionnaire (SDC). LOINC panel, item and answer (LA) codes where LOINC has them (PHQ-9,
GAD-7); other instruments get codes from a Peerpath CodeSystem per instrument, said so in the
CapabilityStatement. Answer options carry their ordinal value (extension ``ordinalValue``)."""

from __future__ import annotations

from typing import Any

from peerpath.interop.fhir import codes
from peerpath.interop.fhir.common import coding, drop_empty, meta
from peerpath.interop.fhir.context import MapContext
from peerpath.measures.models import Instrument


def canonical(instrument: Instrument, ctx: MapContext) -> str:
    owner = ctx.slug_of(instrument.organisation_id)
    return f"urn:peerpath:{owner}:questionnaire:{instrument.code}"


def instrument_system(instrument: Instrument, ctx: MapContext) -> str:
    return codes.local_system(f"{ctx.slug_of(instrument.organisation_id)}-{instrument.code}")


def item_code(instrument: Instrument, number: int, ctx: MapContext) -> dict[str, str]:
    loinc = codes.LOINC_INSTRUMENTS.get(instrument.code) if instrument.organisation_id is None else None
    if loinc and number <= len(loinc["items"]):  # type: ignore[arg-type]
        return coding(codes.LOINC, loinc["items"][number - 1])  # type: ignore[index]
    return coding(instrument_system(instrument, ctx), f"item-{number}")


def answer_coding(instrument: Instrument, value: int, label: str, ctx: MapContext) -> dict[str, str]:
    loinc = codes.LOINC_INSTRUMENTS.get(instrument.code) if instrument.organisation_id is None else None
    answers: dict[int, tuple[str, str]] = loinc["answers"] if loinc else {}  # type: ignore[assignment]
    if value in answers:
        code, display = answers[value]
        return coding(codes.LOINC, code, display)
    return coding(instrument_system(instrument, ctx), f"answer-{value}", label)


def panel_code(instrument: Instrument, ctx: MapContext) -> dict[str, str]:
    loinc = codes.LOINC_INSTRUMENTS.get(instrument.code) if instrument.organisation_id is None else None
    if loinc:
        code, display = loinc["panel"]  # type: ignore[misc]
        return coding(codes.LOINC, code, display)
    return coding(instrument_system(instrument, ctx), "panel", instrument.name)


def total_code(instrument: Instrument, ctx: MapContext) -> dict[str, str]:
    loinc = codes.LOINC_INSTRUMENTS.get(instrument.code) if instrument.organisation_id is None else None
    if loinc:
        code, display = loinc["total"]  # type: ignore[misc]
        return coding(codes.LOINC, code, display)
    return coding(instrument_system(instrument, ctx), "total", f"{instrument.name} total score")


def to_fhir(instrument: Instrument, ctx: MapContext, *, questions: list[Any]) -> dict[str, Any]:
    items = [
        {
            "linkId": str(question.item.number),
            "code": [item_code(instrument, question.item.number, ctx)],
            "text": question.text or f"Item {question.item.number}",
            "type": "choice",
            "required": False,
            "answerOption": [
                {"valueCoding": answer_coding(instrument, value, label, ctx),
                 "extension": [{"url": codes.ORDINAL_VALUE, "valueDecimal": value}]}
                for value, label in question.options
            ],
        }
        for question in questions
    ]
    return drop_empty({
        "resourceType": "Questionnaire",
        "id": str(instrument.pk),
        "meta": meta("Questionnaire", instrument.updated_at),
        "url": canonical(instrument, ctx),
        "version": instrument.version or "1",
        "name": "".join(ch for ch in instrument.code.title() if ch.isalnum()) or "Instrument",
        "title": instrument.name,
        "status": "active" if instrument.is_published and instrument.is_active else "draft",
        "subjectType": ["Patient"],
        "copyright": instrument.attribution,
        "code": [panel_code(instrument, ctx)],
        "item": items,
    })
