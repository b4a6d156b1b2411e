"""Issue 10 point 18: an oversized body is refused before it is received, on the real server.

``peerpath serve`` (gunicorn + uvicorn, as operators run it) gets raw requests over a socket: a
60 MB ``Content-Length`` with no body sent gets 413 from the headers alone, and a chunked body is
refused as soon as it passes the limit, long before the sender has sent it all."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest

from peerpath.serving.tests.test_serve import ROOT, server_env  # noqa: F401  (fixture)

PORT = 8022  # this branch's port range (8020-8029)
LIMIT = 2 * 1024 * 1024


@pytest.fixture
def server(server_env):  # noqa: F811
    server_env["REQUEST_MAX_BODY_BYTES"] = str(LIMIT)
    cli = [sys.executable, "-m", "peerpath.cli"]
    subprocess.run([*cli, "migrate", "-v0"], env=server_env, cwd=ROOT, check=True, capture_output=True, timeout=300)
    process = subprocess.Popen([*cli, "serve", "--bind", f"127.0.0.1:{PORT}", "--workers", "1", "--no-access-log"],
                               env=server_env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    for _ in range(240):
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=1).close()
            break
        except OSError:
            time.sleep(0.25)
    else:
        process.kill()
        pytest.fail("peerpath serve did not start")
    yield process
    process.terminate()
    process.communicate(timeout=60)


def _status(sock: socket.socket) -> int:
    head = b""
    while b"\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            break
        head += chunk
    return int(head.split(b" ", 2)[1])


@pytest.mark.parametrize("path", ["/outcomes/import/", "/api/v1/outcomes/service-events/import"])
def test_a_60_mb_content_length_gets_413_before_any_body_is_sent(server, path):
    with socket.create_connection(("127.0.0.1", PORT), timeout=10) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                     f"Content-Length: {60 * 1024 * 1024}\r\n\r\n".encode())
        assert _status(sock) == 413  # not one byte of the body was sent


def test_a_chunked_body_stops_being_read_at_the_limit(server):
    sent = 0
    chunk = b"x" * (256 * 1024)
    with socket.create_connection(("127.0.0.1", PORT), timeout=10) as sock:
        sock.sendall(b"POST /outcomes/import/ HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                     b"Content-Type: application/octet-stream\r\n\r\n")
        sock.setblocking(False)
        status = None
        while sent < 60 * 1024 * 1024 and status is None:
            try:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
            except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                time.sleep(0.05)
            try:
                peek = sock.recv(4096, socket.MSG_PEEK)
                if peek:
                    status = int(peek.split(b" ", 2)[1])
            except BlockingIOError:
                pass
    assert status == 413
    assert sent < 20 * 1024 * 1024, f"the server read {sent} bytes before refusing"
