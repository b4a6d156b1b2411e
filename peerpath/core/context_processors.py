from typing import Any

from django.http import HttpRequest

from peerpath.core.nav import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"nav_items": items_for(request.user, request.path)}
