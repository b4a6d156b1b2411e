"""The SQLite options hold however SQLite is configured, and /healthz reports the database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connections, transaction
from django.db.backends.postgresql.base import DatabaseWrapper as PostgresWrapper
from django.db.backends.sqlite3.base import DatabaseWrapper as SqliteWrapper
from django.test import Client as DjangoClient

ROOT = Path(__file__).resolve().parents[3]


def _settings_databases(env: dict[str, str]) -> dict:
    script = "import json; from config import settings; print(json.dumps(settings.DATABASES, default=str))"
    environ = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    environ.pop("DATABASE_URL", None)
    environ.update(env)
    out = subprocess.run([sys.executable, "-c", script], env=environ, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("env_name", ["DATABASE_URL", "SQLITE_PATH"])
def test_sqlite_keeps_wal_immediate_transactions_and_timeout_however_it_is_given(env_name, tmp_path):
    path = tmp_path / "given.sqlite3"
    value = f"sqlite:///{path}" if env_name == "DATABASE_URL" else str(path)
    options = _settings_databases({env_name: value})["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 20
    assert "journal_mode=WAL" in options["init_command"]


def _sqlite_connection(path: Path) -> SqliteWrapper:
    from django.conf import settings

    settings_dict = {**connections["default"].settings_dict, "ENGINE": "django.db.backends.sqlite3", "NAME": str(path),
                     "OPTIONS": dict(settings.SQLITE_OPTIONS), "TEST": {}}
    return SqliteWrapper(settings_dict, alias="sqlite-writer")


def test_two_concurrent_writers_on_sqlite_both_succeed(tmp_path, django_db_blocker):
    """Each writer reads then writes in one transaction (the pattern of every service): without IMMEDIATE
    transactions the second one's read-to-write upgrade fails with ``database is locked``."""
    path = tmp_path / "writers.sqlite3"
    with django_db_blocker.unblock():
        setup = _sqlite_connection(path)
        with setup.cursor() as cursor:
            cursor.execute("CREATE TABLE counter (n INTEGER)")
            cursor.execute("INSERT INTO counter VALUES (0)")
        setup.close()
        errors: list[Exception] = []
        both_have_read = threading.Barrier(2, timeout=10)

        def writer() -> None:
            conn = _sqlite_connection(path)
            connections["sqlite-writer"] = conn  # this thread's own connection, used by atomic() below
            try:
                with transaction.atomic(using="sqlite-writer"), conn.cursor() as cursor:
                    cursor.execute("SELECT n FROM counter")
                    (n,) = cursor.fetchone()
                    try:
                        both_have_read.wait(timeout=0.5)  # with IMMEDIATE the second cannot read yet
                    except threading.BrokenBarrierError:
                        pass
                    cursor.execute("UPDATE counter SET n = %s", [n + 1])
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)
            finally:
                conn.close()

        threads = [threading.Thread(target=writer) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        check = _sqlite_connection(path)
        with check.cursor() as cursor:
            cursor.execute("SELECT n FROM counter")
            (n,) = cursor.fetchone()
        check.close()
    assert errors == []
    assert n == 2


@pytest.mark.django_db
def test_healthz_reports_the_database_when_it_answers():
    response = DjangoClient().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_naming_the_database_when_it_is_down(django_db_blocker):
    """Point the default connection at a PostgreSQL port where nothing listens."""
    closed_port = {**connections["default"].settings_dict, "ENGINE": "django.db.backends.postgresql", "HOST": "127.0.0.1",
                   "PORT": "9", "NAME": "nothing", "USER": "nobody", "PASSWORD": "", "OPTIONS": {"connect_timeout": 2},
                   "CONN_MAX_AGE": 0, "TEST": {}}
    original = connections["default"]
    connections["default"] = PostgresWrapper(closed_port, alias="default")
    try:
        with django_db_blocker.unblock():
            response = DjangoClient().get("/healthz")
    finally:
        connections["default"].close()
        connections["default"] = original
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
