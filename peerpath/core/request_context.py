"""Where the current request came from, for audit events written deep inside services.

Set by ``RequestContextMiddleware`` (pages) and the API auth (tokens); services never need
the request object itself.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


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


@lru_cache(maxsize=8)
def _networks(configured: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in configured if entry)


def _trusted(address: str) -> bool:
    from django.conf import settings

    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(getattr(settings, "PEERPATH_TRUSTED_PROXIES", ()))))


def client_ip(meta: Mapping[str, Any]) -> str | None:
    """The client's address. ``X-Forwarded-For`` is believed only when the request came from a
    configured proxy (``PEERPATH_TRUSTED_PROXIES``), and then only up to the first hop that is
    not one of ours: anyone can send the header, only our proxy's last entry is true."""
    remote = (meta.get("REMOTE_ADDR") or "").strip() or None
    if remote is None or not _trusted(remote):
        return remote
    hops = [hop.strip() for hop in (meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote  # a malformed chain: fall back to the proxy's own address
        if not _trusted(hop):
            return hop
    return hops[0] if hops else remote


def origin_from_meta(meta: Mapping[str, Any], path: str) -> RequestOrigin:
    return RequestOrigin(
        ip_address=client_ip(meta),
        user_agent=(meta.get("HTTP_USER_AGENT") or "")[:300],
        path=path[:300],
    )
