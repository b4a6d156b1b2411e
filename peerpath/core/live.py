"""Live routes: the notification unread count pushed over server-sent events.

An async view served by the ASGI app (``config.asgi``). It declares its policy with the same
``@allow`` as every page and is in the access matrix. A stream wakes when a ``notification.created``
event for its reader is delivered in this process (after commit), and otherwise re-reads the
database every ``PEERPATH_LIVE_POLL_MS`` (a write made by another worker process). Each stream
closes after ``PEERPATH_LIVE_STREAM_SECONDS``; the browser's ``EventSource`` reconnects by itself.
Across several worker processes a pub/sub layer (e.g. Channels with a PostgreSQL or Redis layer)
can replace the in-process wake-up without changing this view.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, StreamingHttpResponse

from peerpath.core.access import HUMAN_ROLES, Policy, allow
from peerpath.core.events import Event, subscriber
from peerpath.core.notifications import unread_count

#: Every person may follow their own notifications (nobody else's: the stream reads only the reader's).
FOLLOW_OWN_NOTIFICATIONS = Policy("core.follow_own_notifications", HUMAN_ROLES)

_waiters: dict[int, set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = defaultdict(set)
_lock = threading.Lock()


@subscriber("notification.created")
def wake_streams(event: Event) -> None:
    """Runs after commit (any thread): wake the reader's open streams in this process."""
    with _lock:
        waiting = list(_waiters.get(int(event.payload.get("recipient_id", 0)), ()))
    for loop, flag in waiting:
        loop.call_soon_threadsafe(flag.set)


def _message(count: int) -> str:
    return f"event: unread\ndata: {json.dumps({'unread': count})}\n\n"


async def _unread_events(user: Any) -> AsyncIterator[str]:
    loop = asyncio.get_running_loop()
    flag = asyncio.Event()
    entry = (loop, flag)
    with _lock:
        _waiters[user.pk].add(entry)
    try:
        yield "retry: 5000\n\n"
        deadline = loop.time() + settings.PEERPATH_LIVE_STREAM_SECONDS
        last = None
        while True:
            count = await sync_to_async(unread_count)(user)
            if count != last:
                last = count
                yield _message(count)
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            flag.clear()
            try:
                await asyncio.wait_for(flag.wait(), timeout=min(remaining, settings.PEERPATH_LIVE_POLL_MS / 1000))
            except TimeoutError:
                pass
    finally:
        with _lock:
            _waiters[user.pk].discard(entry)


@allow(FOLLOW_OWN_NOTIFICATIONS)
async def notification_stream(request: HttpRequest) -> StreamingHttpResponse:
    user = await request.auser()
    response = StreamingHttpResponse(_unread_events(user), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # proxies must not buffer the stream
    return response
