"""The installable app: web app manifest, service worker, favicon and the offline page.

These are served from the site root (the service worker's scope must cover every page, and
browsers ask for ``/favicon.ico`` themselves), are public (a signed-out phone still installs and
shows the offline page) and carry no personal data, so caching them is safe.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache

from django.contrib.staticfiles import finders
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from peerpath.core.access import AuthedRequest, public

# What the service worker keeps for offline use: our own static files, never a page.
OFFLINE_ASSETS = (
    "core/peerpath.css",
    "core/peerpath.js",
    "core/offline.js",
    "core/vendor/htmx-2.0.11.min.js",
    "core/icons/icon-192.png",
    "core/icons/favicon-32.png",
)


def _static_bytes(path: str) -> bytes:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    with open(found if isinstance(found, str) else found[0], "rb") as handle:
        return handle.read()


@cache
def _service_worker_source() -> str:
    # The version changes whenever a cached file changes, so phones drop their old copies.
    digest = hashlib.sha256(_static_bytes("core/sw.js"))
    for asset in OFFLINE_ASSETS:
        digest.update(_static_bytes(asset))
    source = _static_bytes("core/sw.js").decode("utf-8")
    assets = json.dumps([static(asset) for asset in OFFLINE_ASSETS])
    return source.replace("__VERSION__", digest.hexdigest()[:12]).replace("__ASSETS__", assets)


@public
@require_GET
@cache_control(no_cache=True)
def service_worker(request: AuthedRequest) -> HttpResponse:
    response = HttpResponse(_service_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@public
@require_GET
def manifest(request: AuthedRequest) -> JsonResponse:
    icons = [
        {"src": static("core/icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": static("core/icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {"src": static("core/icons/icon-maskable-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "maskable"},
        {"src": static("core/icons/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
    ]
    data = {
        "name": "Peerpath",
        "short_name": "Peerpath",
        "description": _("Peer support: caseload, encounters and recovery plans."),
        "lang": getattr(request, "LANGUAGE_CODE", "en"),
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f8fb",
        "theme_color": "#1d2430",
        "icons": icons,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@public
@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request: AuthedRequest) -> FileResponse:
    found = finders.find("core/icons/favicon.ico")
    return FileResponse(open(found if isinstance(found, str) else found[0], "rb"), content_type="image/x-icon")  # noqa: SIM115


@public
@require_GET
def offline(request: AuthedRequest) -> HttpResponse:
    """The page the service worker shows with no connection. It names nobody: what is waiting
    on this phone is listed by offline.js from the device's own storage."""
    return render(request, "core/offline.html")
