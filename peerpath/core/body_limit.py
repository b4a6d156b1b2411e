"""Refuse an oversized request body before it is received (issue 10 point 18).

Django's ASGI handler reads the whole body into a temporary file before any middleware runs, so a
60 MB upload was received in full before the 5 MB check. This wraps the ASGI application: a
``Content-Length`` over the limit is answered 413 from the headers alone (no body byte is read), and
a body without one (chunked) is counted as it arrives and refused the moment it passes the limit.
The API's own, smaller limit stays in ``api_support.ApiBodyLimitMiddleware``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[..., Awaitable[None]]


class BodyTooLarge(Exception):
    pass


def _too_large_response(limit: int, is_api: bool) -> tuple[bytes, bytes]:
    if is_api:
        body = json.dumps({"detail": f"The request body is too large (at most {limit} bytes).", "code": "too_large",
                           "errors": [{"field": "body", "reason": "too large", "code": "too_large"}]}).encode()
        return body, b"application/json"
    return (f"<!doctype html><title>413</title><p>The upload is too large (at most {limit // (1024 * 1024)} MB)."
            "</p>").encode(), b"text/html; charset=utf-8"


class BodyLimitASGI:
    def __init__(self, app: ASGIApp, limit: Callable[[], int]) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit()
        is_api = str(scope.get("path", "")).startswith("/api/")
        declared = next((value for name, value in scope.get("headers", []) if name == b"content-length"), None)
        if declared is not None:
            try:
                too_large = int(declared) > limit
            except ValueError:
                too_large = False
            if too_large:
                await self._refuse(send, limit, is_api)
                return
        received = 0
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not response_started:
                await self._refuse(send, limit, is_api)

    @staticmethod
    async def _refuse(send: Send, limit: int, is_api: bool) -> None:
        body, content_type = _too_large_response(limit, is_api)
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


# ---------------------------------------------------------------- larger API bodies, by route

# The API's bodies are small JSON (``API_MAX_BODY_BYTES``, 1 MB) except where a route takes a file: the
# service-event import takes the same file as its page (10 MB). A route that needs more registers it here
# (by URL name, at import of its API module) and ``api_support.ApiBodyLimitMiddleware`` applies it to that
# path only. Still at most ``REQUEST_MAX_BODY_BYTES``, which ``BodyLimitASGI`` enforces for every request.
_API_ROUTE_LIMITS: dict[str, int] = {}
_paths: dict[str, int] | None = None


def allow_api_body(url_name: str, limit: int) -> None:
    """Let the API route ``api:<url_name>`` take a body of up to ``limit`` bytes."""
    global _paths
    _API_ROUTE_LIMITS[url_name] = limit
    _paths = None


def api_body_limit(path: str, default: int) -> int:
    """The body limit for an API path: the route's own where registered, else ``default``."""
    global _paths
    if _paths is None:
        from django.urls import NoReverseMatch, reverse

        paths = {}
        for name, limit in _API_ROUTE_LIMITS.items():
            try:
                paths[reverse(f"api:{name}")] = limit
            except NoReverseMatch:  # pragma: no cover - a route registered but not mounted
                continue
        _paths = paths
    return _paths.get(path, default)
