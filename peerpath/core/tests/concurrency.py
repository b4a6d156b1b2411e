"""Run the same work in several threads at once, each on its own database connection, on either database.

PostgreSQL: each thread opens its own connection to the test database (Django connections are per thread).
SQLite: the test database lives in memory with a shared cache, where a second writer fails at once instead
of waiting, which is not how a deployment behaves. So the in-memory database is copied to a file, each
thread gets its own connection to that file (with the deployment's WAL/IMMEDIATE/timeout options), and the
file is copied back afterwards, so the test's assertions read what the threads wrote.

Use with ``@pytest.mark.django_db(transaction=True)``: the threads must see committed data.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SqliteWrapper


def run_concurrently(work: Callable[[int], Any], count: int = 8, *, timeout: float = 60) -> list[Any]:
    """Start ``count`` threads that wait at a barrier, then call ``work(i)``; return each result or exception."""
    results: list[Any] = [None] * count
    start = threading.Barrier(count, timeout=timeout)
    file_db = _copy_sqlite_to_file() if connection.vendor == "sqlite" else None

    def thread_main(i: int) -> None:
        own = None
        if file_db is not None:
            own = SqliteWrapper({**connection.settings_dict, "NAME": str(file_db), "OPTIONS": dict(settings.SQLITE_OPTIONS)},
                                alias="default")
            connections["default"] = own  # this thread only: connections are thread-local
        try:
            start.wait()
            results[i] = work(i)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test to assert on
            results[i] = exc
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=thread_main, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if file_db is not None:
        _copy_file_to_sqlite(file_db)
    return results


def _copy_sqlite_to_file() -> Path:
    import sqlite3

    connection.ensure_connection()
    path = Path(tempfile.mkdtemp(prefix="peerpath-concurrency-")) / "db.sqlite3"
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    return path


def _copy_file_to_sqlite(path: Path) -> None:
    import sqlite3

    source = sqlite3.connect(path)
    try:
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()
