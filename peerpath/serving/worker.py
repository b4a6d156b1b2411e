"""The gunicorn worker class ``peerpath serve`` uses: uvicorn's, plus TCP_NODELAY on each connection.

Without TCP_NODELAY a keep-alive response that leaves in two segments (headers, then body) waits
for the client's delayed ACK: ~40 ms per request (measured in issue 11). gunicorn sets the option
on the listening socket and Linux copies it to accepted sockets, but we set it on every accepted
connection ourselves so that it does not depend on how the socket reached the worker.
"""

from __future__ import annotations

import logging
import socket
from typing import Any

from uvicorn_worker import UvicornWorker

logger = logging.getLogger("peerpath.serving")


def set_nodelay(transport: Any) -> bool:
    """Switch Nagle off on the transport's TCP socket; True when the option reads back as set."""
    sock = transport.get_extra_info("socket")
    if sock is None or sock.family not in (socket.AF_INET, socket.AF_INET6):
        return False
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
    except OSError:  # the peer may already have gone
        return False


def with_nodelay(protocol_class: type) -> type:
    """A subclass of uvicorn's HTTP protocol that sets TCP_NODELAY when a connection is made."""

    class NoDelayProtocol(protocol_class):  # type: ignore[valid-type,misc]
        def connection_made(self, transport: Any) -> None:
            set_nodelay(transport)
            super().connection_made(transport)

    NoDelayProtocol.__name__ = f"NoDelay{protocol_class.__name__}"
    return NoDelayProtocol


class PeerpathWorker(UvicornWorker):
    CONFIG_KWARGS = {"loop": "auto", "http": "auto", "lifespan": "off"}

    async def _serve(self) -> None:
        self.config.app = self.wsgi
        if not self.config.loaded:
            self.config.load()
        self.config.http_protocol_class = with_nodelay(self.config.http_protocol_class)
        await super()._serve()
