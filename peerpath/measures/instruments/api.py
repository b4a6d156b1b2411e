"""Instruments: the shipped library and an organisation's own, built without code by an admin (options, items, bands, safety rules, per-organisation item text)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ninja import Router

from peerpath.core.api_support import ErrorOut
from peerpath.core.api_types import Schema
from peerpath.measures.administrations import selectors as administrations_selectors
from peerpath.measures.administrations.api import _require
from peerpath.measures.instruments import selectors

router = Router(tags=["measures"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class OptionOut(Schema):
    value: int
    label: str


class ItemOut(Schema):
    number: int
    text: str
    reverse_scored: bool
    options: list[OptionOut]


class InstrumentOut(Schema):
    id: int
    code: str
    name: str
    shipped: bool
    licence: str
    scoring_method: str
    min_score: Decimal
    max_score: Decimal
    citation: str
    attribution: str
    items: list[ItemOut]


@router.get("/instruments", response={200: list[InstrumentOut], **ERRORS}, url_name="measures_instrument_list")
def instrument_list(request: Any) -> list[dict[str, Any]]:
    """Published instruments the caller's organisation can use, with item text (its own licensed text included)."""
    user = request.auth
    _require(user, administrations_selectors.READ_ROLES)
    out = []
    for instrument in selectors.usable_instruments(user.organisation_id):
        questions = selectors.questions(instrument, user.organisation_id, "en")
        out.append({"id": instrument.pk, "code": instrument.code, "name": instrument.name, "shipped": instrument.is_shipped,
                    "licence": instrument.licence, "scoring_method": instrument.scoring_method,
                    "min_score": instrument.min_score, "max_score": instrument.max_score, "citation": instrument.citation,
                    "attribution": instrument.attribution,
                    "items": [{"number": q.item.number, "text": q.text, "reverse_scored": q.item.reverse_scored,
                               "options": [{"value": v, "label": label} for v, label in q.options]} for q in questions]})
    return out
