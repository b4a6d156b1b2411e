"""Where the current request came from, for audit events written deep inside services.

Set by ``RequestContextMiddleware`` (pages) and the API auth (tokens); services never need
the request object itself.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str | None = None
    user_agent: str = ""
    path: str = ""


_EMPTY = RequestOrigin()
_current: ContextVar[RequestOrigin | None] = ContextVar("peerpath_request_origin", default=None)


def set_origin(origin: RequestOrigin) -> object:
    return _current.set(origin)


def reset_origin(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


def current_origin() -> RequestOrigin:
    return _current.get() or _EMPTY


def origin_from_meta(meta: dict, path: str) -> RequestOrigin:
    return RequestOrigin(
        ip_address=meta.get("REMOTE_ADDR") or None,
        user_agent=(meta.get("HTTP_USER_AGENT") or "")[:300],
        path=path[:300],
    )
