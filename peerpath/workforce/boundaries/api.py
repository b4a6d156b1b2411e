"""Boundary consultations: a peer asks about a boundary question, a supervisor answers; the quarterly trend."""

from __future__ import annotations

from typing import Any

from ninja import Router, Status
from pydantic import ConfigDict, Field, StrictBool

from peerpath.core.api_support import ErrorOut
from peerpath.core.api_types import Id, Schema
from peerpath.core.choices import Role
from peerpath.workforce.boundaries import selectors, services
from peerpath.workforce.models import BoundaryCategory
from peerpath.workforce.staff.services import _require

router = Router(tags=["workforce"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class BoundaryIn(Schema):
    model_config = ConfigDict(extra="forbid")

    category: BoundaryCategory
    question: str = Field(min_length=1, max_length=5000)


class BoundaryRespondIn(Schema):
    model_config = ConfigDict(extra="forbid")

    response: str = Field(min_length=1, max_length=5000)
    close: StrictBool = True


class BoundaryOut(Schema):
    id: int
    raised_by_id: int
    category: str
    question: str
    response: str
    closed: bool


def _boundary_out(c: Any) -> dict[str, Any]:
    return {"id": c.pk, "raised_by_id": c.raised_by_id, "category": c.category, "question": c.question,
            "response": c.response, "closed": c.closed_at is not None}


@router.get("/boundaries", response={200: list[BoundaryOut], **ERRORS}, url_name="workforce_boundary_list")
def boundary_list(request: Any) -> list[dict[str, Any]]:
    _require(request.auth, {Role.PEER, Role.SUPERVISOR})
    return [_boundary_out(c) for c in selectors.boundaries_for(request.auth)]


@router.post("/boundaries", response={201: BoundaryOut, **ERRORS}, url_name="workforce_boundary_create")
def boundary_create(request: Any, payload: BoundaryIn) -> Status:
    consultation = services.boundary_raise(actor=request.auth, category=payload.category.value,
                                           question=payload.question)
    return Status(201, _boundary_out(consultation))


@router.post("/boundaries/{consultation_id}/respond", response={200: BoundaryOut, **ERRORS},
             url_name="workforce_boundary_respond")
def boundary_respond(request: Any, consultation_id: Id, payload: BoundaryRespondIn) -> dict[str, Any]:
    _require(request.auth, {Role.PEER, Role.SUPERVISOR})
    consultation = selectors.boundary_for(request.auth, consultation_id)
    consultation = services.boundary_respond(actor=request.auth, consultation=consultation,
                                             response=payload.response, close=payload.close)
    return _boundary_out(consultation)
