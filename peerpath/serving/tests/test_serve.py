"""``peerpath serve`` as operators run it: a real gunicorn + uvicorn server on a loopback port."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from peerpath.serving.command import gunicorn_argv, production_problems
from peerpath.serving.worker import set_nodelay, with_nodelay

ROOT = Path(__file__).resolve().parents[3]
SECRET = "serve-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105 (throwaway test server)

# Runs inside the server's own settings: a peer with one client, and a session signed with the
# server's SECRET_KEY (printed for the test to send as a cookie).
SIGN_IN = """
import django; django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from peerpath.clients.tests.factories import MatchFactory
match = MatchFactory(client__first_name="Robin", client__last_name="Serveclient")
session = SessionStore()
session[SESSION_KEY] = str(match.peer.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = match.peer.get_session_auth_hash()
session.create()
print(session.session_key, match.peer.pk)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, cookie: str | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Cookie": f"sessionid={cookie}"} if cookie else {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture
def server_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_REPLICA_URL"}}
    env.update({
        "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "config.settings", "PEERPATH_ENV": "development",
        "DEBUG": "false", "SECRET_KEY": SECRET, "PEERPATH_VAR_DIR": str(tmp_path),
        "SQLITE_PATH": str(tmp_path / "serve.sqlite3"), "LOG_LEVEL": "WARNING",
    })
    return env


def test_serve_answers_health_and_a_signed_in_page_then_stops(server_env):
    cli = [sys.executable, "-m", "peerpath.cli"]
    subprocess.run([*cli, "migrate", "-v0"], env=server_env, cwd=ROOT, check=True, capture_output=True, timeout=300)
    signed_in = subprocess.run([sys.executable, "-c", SIGN_IN], env=server_env, cwd=ROOT, check=True,
                               capture_output=True, text=True, timeout=120)
    cookie, peer_id = signed_in.stdout.split()
    port = _free_port()
    server = subprocess.Popen([*cli, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-access-log"],
                              env=server_env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(120):
            try:
                status, body = _get(port, "/healthz")
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("peerpath serve did not start")
        assert (status, body) == (200, b'{"status": "ok"}')
        assert _get(port, "/healthz/session", cookie) == (200, f'{{"status": "ok", "user": {peer_id}}}'.encode())
        status, page = _get(port, "/care/", cookie)
        assert status == 200
        assert b"Serveclient" in page
        status, _ = _get(port, "/healthz/session")  # no session: sent to sign in, not served
        assert status == 302
    finally:
        server.send_signal(signal.SIGTERM)
        output = server.communicate(timeout=60)[0].decode()
    assert server.returncode == 0, output


def test_production_refuses_to_serve_without_its_settings(server_env):
    env = {k: v for k, v in server_env.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    env["PEERPATH_ENV"] = "production"
    result = subprocess.run([sys.executable, "-m", "peerpath.cli", "serve"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "refusing to start in production" in result.stderr
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set" in result.stderr
    assert "ALLOWED_HOSTS must list" in result.stderr
    assert "DATABASE_URL must point at PostgreSQL" in result.stderr


def test_production_settings_that_are_complete_pass():
    environ = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "peerpath.example.org",
               "DATABASE_URL": "postgres://peerpath@db:5432/peerpath"}
    assert production_problems(environ) == []


def test_workers_use_the_nodelay_worker_and_no_shared_control_socket():
    argv = gunicorn_argv(bind="127.0.0.1:9000", workers=3, timeout=60, max_requests=100)
    assert argv[argv.index("--worker-class") + 1] == "peerpath.serving.worker.PeerpathWorker"
    assert argv[argv.index("--workers") + 1] == "3"
    assert "--no-control-socket" in argv


def test_every_accepted_connection_gets_tcp_nodelay():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    client = socket.create_connection(listener.getsockname())
    accepted, _ = listener.accept()
    try:
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0  # Nagle is on by default
        made = []

        class Protocol:
            def connection_made(self, transport):
                made.append(transport)

        transport = SimpleNamespace(get_extra_info=lambda name: accepted if name == "socket" else None)
        with_nodelay(Protocol)().connection_made(transport)
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        assert made == [transport]
        assert set_nodelay(SimpleNamespace(get_extra_info=lambda name: None)) is False
    finally:
        for sock in (client, accepted, listener):
            sock.close()
