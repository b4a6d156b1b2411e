"""The workforce home, staff profiles, who may see whom, notices and background job runs (shared by every area)."""

from __future__ import annotations

from typing import Any

from ninja import Router

from peerpath.core.access import ALL_ROLES, require
from peerpath.core.api_support import ErrorOut
from peerpath.core.api_types import Schema
from peerpath.workforce.staff import selectors

router = Router(tags=["workforce"])


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}




class NotificationOut(Schema):
    id: int
    message: str
    link: str
    read: bool


@router.get("/notifications", response={200: list[NotificationOut], **ERRORS},
            url_name="workforce_notification_list")
def notification_list(request: Any) -> list[dict[str, Any]]:
    require(request.auth, ALL_ROLES)
    return [{"id": n.pk, "message": n.text, "link": n.link, "read": n.read_at is not None}
            for n in selectors.notifications_shown(request.auth)]
