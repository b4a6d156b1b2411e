from typing import Any

from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from peerpath.core.nav import items_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"nav_items": items_for(request.user, request.path), "device_owner": device_owner(request)}


def device_owner(request: HttpRequest) -> str:
    """An opaque mark of who is signed in, for the device's drafts: when a different person signs in on a
    shared phone (the last one's session expired instead of being signed out), offline.js deletes the drafts
    and outbox the earlier person left behind. Keyed, so it names nobody."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return salted_hmac("peerpath.device-owner", str(user.pk)).hexdigest()[:32]
