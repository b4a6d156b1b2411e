"""The workforce home, staff profiles, who may see whom, notices and background job runs (shared by every area)."""

from __future__ import annotations

from typing import Any

from ninja import Router

from peerpath.core.access import ALL_ROLES
from peerpath.core.api_support import ErrorOut
from peerpath.core.api_types import Schema
from peerpath.core.exceptions import NotAllowed
from peerpath.workforce.staff import selectors

router = Router(tags=["workforce"])


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _require(user: Any, roles: Any) -> None:
    if user.role not in set(roles):
        raise NotAllowed


class NotificationOut(Schema):
    id: int
    message: str
    link: str
    read: bool


@router.get("/notifications", response={200: list[NotificationOut], **ERRORS},
            url_name="workforce_notification_list")
def notification_list(request: Any) -> list[dict[str, Any]]:
    _require(request.auth, ALL_ROLES)
    return [{"id": n.pk, "message": n.text, "link": n.link, "read": n.read_at is not None}
            for n in selectors.notifications_for(request.auth)[:100]]
