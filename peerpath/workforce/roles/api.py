"""Peer role definitions (drafted, reviewed, approved, versioned, printed) and pay equity against employment terms."""

from __future__ import annotations

from typing import Any

from ninja import Router

from peerpath.core.api_support import ErrorOut
from peerpath.core.api_types import Id, Schema
from peerpath.workforce.roles import selectors, services

router = Router(tags=["workforce"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class RoleDefinitionOut(Schema):
    id: int
    title: str
    version: int
    status: str


@router.get("/roles", response={200: list[RoleDefinitionOut], **ERRORS}, url_name="workforce_role_list")
def role_list(request: Any) -> list[dict[str, Any]]:
    return [{"id": d.pk, "title": d.title, "version": d.version, "status": d.status}
            for d in selectors.role_definitions_for(request.auth)]


@router.post("/roles/{definition_id}/approve", response={200: RoleDefinitionOut, **ERRORS},
             url_name="workforce_role_approve")
def role_approve(request: Any, definition_id: Id) -> dict[str, Any]:
    definition = selectors.role_definition_for(request.auth, definition_id)
    definition = services.role_definition_approve(actor=request.auth, definition=definition)
    return {"id": definition.pk, "title": definition.title, "version": definition.version,
            "status": definition.status}
