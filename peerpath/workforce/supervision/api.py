"""Supervision sessions, each organisation's supervision policy, who supervises whom, and overdue alerts."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Router

from peerpath.core.api_support import ErrorOut
from peerpath.core.api_types import Schema
from peerpath.core.choices import Role
from peerpath.workforce.staff.services import _require
from peerpath.workforce.supervision import selectors

router = Router(tags=["workforce"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class SupervisionStatusOut(Schema):
    peer_id: int
    last_session: date | None
    due_on: date
    overdue: bool


@router.get("/supervision/status", response={200: list[SupervisionStatusOut], **ERRORS},
            url_name="workforce_supervision_status")
def supervision_status(request: Any) -> list[dict[str, Any]]:
    _require(request.auth, {Role.PEER, Role.SUPERVISOR, Role.LEADER, Role.ADMIN})
    return [{"peer_id": r.peer.pk, "last_session": r.last_session, "due_on": r.due_on, "overdue": r.overdue}
            for r in selectors.supervision_status_for(request.auth)]
