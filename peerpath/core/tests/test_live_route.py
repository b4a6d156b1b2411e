"""The live notification count, served over server-sent events by a real ASGI server (uvicorn).

pytest-django's ``live_server`` is WSGI, so this test copies the test database to a file (SQLite)
or shares it (PostgreSQL), starts uvicorn on a free loopback port in a subprocess and reads the
stream over HTTP.
"""

from __future__ import annotations

import http.client
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from peerpath.accounts.tests.factories import StaffFactory
from peerpath.core.models import Notification
from peerpath.core.system import system_actor
from peerpath.core.tests.factories import OrganisationFactory

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_env(tmp_path: Path) -> dict[str, str]:
    if connection.vendor == "sqlite":
        target = tmp_path / "live.sqlite3"
        with sqlite3.connect(target) as copy:
            connection.ensure_connection()
            connection.connection.backup(copy)
        return {"SQLITE_PATH": str(target), "DATABASE_URL": ""}
    params = settings.DATABASES["default"]
    url = f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{params['NAME']}"
    return {"DATABASE_URL": url}


@pytest.fixture
def asgi_server(tmp_path):
    def start() -> tuple[int, Path | None]:
        port = _free_port()
        env = {**os.environ, **_database_env(tmp_path), "PEERPATH_ENV": "test", "SECRET_KEY": settings.SECRET_KEY, "PEERPATH_LIVE_POLL_MS": "200",
               "PEERPATH_LIVE_STREAM_SECONDS": "20", "PYTHONPATH": str(ROOT)}
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
             "--log-level", "warning"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        started.append(process)
        for _ in range(600):  # a loaded machine can take a while to import Django
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(process.stdout.read().decode() if process.stdout else "uvicorn exited") from None
                time.sleep(0.1)
        return port, (tmp_path / "live.sqlite3") if connection.vendor == "sqlite" else None

    started: list[subprocess.Popen] = []
    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=20)


def _session_cookie(client, user) -> str:
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _open(port: int, cookie: str | None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/live/notifications", headers={"Cookie": cookie} if cookie else {})
    return conn.getresponse()


def _next_event(response: http.client.HTTPResponse) -> str:
    lines = []
    while True:
        line = response.readline().decode()
        if line in ("\n", ""):
            if any(item.startswith("data:") for item in lines) or line == "":
                return "".join(lines)
            lines = []
            continue
        lines.append(line)


@pytest.mark.django_db(transaction=True)
def test_unread_count_is_pushed_over_sse_from_a_real_asgi_server(asgi_server, client):
    organisation = OrganisationFactory()
    peer = StaffFactory(organisation=organisation, role="peer")
    Notification.objects.create(organisation=organisation, recipient=peer, message="Welcome")
    peer_cookie = _session_cookie(client, peer)
    system_cookie = _session_cookie(client.__class__(), system_actor(organisation.pk))
    port, database_file = asgi_server()

    anonymous = _open(port, None)
    assert (anonymous.status, anonymous.getheader("Location", "").split("?")[0]) == (302, "/accounts/login/")
    assert _open(port, system_cookie).status == 403  # the system account follows no stream

    stream = _open(port, peer_cookie)
    assert (stream.status, stream.getheader("Content-Type")) == (200, "text/event-stream")
    assert _next_event(stream) == 'event: unread\ndata: {"unread": 1}\n'
    # Another process writes a notification: the stream notices within its poll interval.
    if database_file is not None:
        with sqlite3.connect(database_file) as db:
            db.execute("INSERT INTO workforce_notification (created_at, updated_at, is_active, message, link, "
                       "organisation_id, recipient_id, kind, params, target_type, target_id) VALUES "
                       "(datetime('now'), datetime('now'), 1, 'Second', '', ?, ?, '', '{}', '', '')",
                       (organisation.pk, peer.pk))
    else:
        Notification.objects.create(organisation=organisation, recipient=peer, message="Second")
    assert _next_event(stream) == 'event: unread\ndata: {"unread": 2}\n'
