"""Reporting reads on a real streaming standby (scripts/replica.sh): writes stay on the primary,
reads inside ``reporting_reads()`` come from the standby, and the lag is measured and reported."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from peerpath.core.reporting import ReportingRouter, reporting_db, reporting_reads

ROOT = Path(__file__).resolve().parents[3]
PGBIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None) if Path("/usr/lib/postgresql").exists() else None
HAVE_POSTGRES = PGBIN is not None and (PGBIN / "pg_basebackup").exists() and shutil.which("runuser") is not None

# Runs with DATABASE_URL on the primary and DATABASE_REPLICA_URL on the standby.
SCENARIO = """
import json, time
import django; django.setup()
from django.core.management import call_command
from django.db import connections
call_command("migrate", verbosity=0)
from peerpath.care.models import Encounter
from peerpath.care.tests.factories import EncounterFactory
from peerpath.core.reporting import reporting_freshness, reporting_reads
from peerpath.clients.tests.factories import MatchFactory
match = MatchFactory()
lags, seen = [], []
for batch in range(5):
    for _ in range(20):
        EncounterFactory(peer=match.peer, organisation=match.organisation)
    written = Encounter.objects.count()
    with reporting_reads():
        seen.append((written, Encounter.objects.count()))
        lags.append(reporting_freshness().lag_seconds)
with reporting_reads():
    for _ in range(200):  # the standby catches up within seconds
        if Encounter.objects.count() == written:
            break
        time.sleep(0.05)
    caught_up = Encounter.objects.count()
    EncounterFactory(peer=match.peer, organisation=match.organisation)  # a write inside the block: primary
    freshness = reporting_freshness()
with connections["reporting"].cursor() as cursor:
    cursor.execute("SELECT pg_is_in_recovery()")
    reporting_in_recovery = cursor.fetchone()[0]
with connections["default"].cursor() as cursor:
    cursor.execute("SELECT pg_is_in_recovery()")
    default_in_recovery = cursor.fetchone()[0]
print("RESULT " + json.dumps({
    "written": written + 1, "primary_count": Encounter.objects.count(), "caught_up": caught_up, "seen": seen,
    "lags": lags, "freshness": {"database": freshness.database, "is_replica": freshness.is_replica,
                                 "lag_seconds": freshness.lag_seconds},
    "reporting_in_recovery": reporting_in_recovery, "default_in_recovery": default_in_recovery,
    "reporting_queries": len(connections["reporting"].queries), "default_queries": len(connections["default"].queries),
}))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_without_a_replica_reporting_reads_use_the_primary(settings):
    assert "reporting" not in settings.DATABASES
    with reporting_reads() as alias:
        assert alias == "default" == reporting_db()
        assert ReportingRouter().db_for_read(None) == "default"
    assert ReportingRouter().db_for_write(None) == "default"


def test_with_a_replica_only_reads_inside_the_block_go_to_it(settings):
    settings.DATABASES = {**settings.DATABASES, "reporting": settings.DATABASES["default"]}
    router = ReportingRouter()
    assert router.db_for_read(None) == "default"
    with reporting_reads() as alias:
        assert alias == "reporting"
        assert router.db_for_read(None) == "reporting"
        assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) == "default"
    assert router.allow_migrate("reporting", "care") is False


@pytest.mark.skipif(not HAVE_POSTGRES, reason="needs PostgreSQL server binaries (pg_basebackup) and runuser")
def test_reports_read_a_real_standby_while_the_primary_takes_writes(tmp_path):
    primary_port, replica_port = _free_port(), _free_port()
    # the postgres user must reach the data directory: pytest's own tmp_path sits under a 0700 folder
    cluster_root = Path(tempfile.mkdtemp(prefix="peerpath-replica-test-"))
    os.chmod(cluster_root, 0o755)  # noqa: S103 (a throwaway test folder the postgres user must enter)
    env = {**os.environ, "REPLICA_ROOT": str(cluster_root / "pg"), "PRIMARY_PORT": str(primary_port),
           "REPLICA_PORT": str(replica_port), "PGBIN": str(PGBIN)}
    try:
        started = subprocess.run(["/bin/bash", str(ROOT / "scripts" / "replica.sh"), "start"], env=env, capture_output=True,
                                 text=True, timeout=180)
        assert started.returncode == 0, started.stderr
        run_env = {**{k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"},
                   "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "config.settings", "PEERPATH_ENV": "development",
                   "DEBUG": "true", "SECRET_KEY": "replica-test-" + "x" * 40, "PEERPATH_VAR_DIR": str(tmp_path),
                   "DATABASE_URL": f"postgres://postgres@127.0.0.1:{primary_port}/postgres",
                   "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{replica_port}/postgres", "DB_POOL": "false"}
        completed = subprocess.run([sys.executable, "-c", SCENARIO], env=run_env, cwd=ROOT, capture_output=True,
                                   text=True, timeout=600)
        assert completed.returncode == 0, completed.stderr[-3000:]
    finally:
        subprocess.run(["/bin/bash", str(ROOT / "scripts" / "replica.sh"), "stop"], env=env, capture_output=True, timeout=120)
        shutil.rmtree(cluster_root, ignore_errors=True)
    result = json.loads(completed.stdout.split("RESULT ", 1)[1])
    assert result["reporting_in_recovery"] is True and result["default_in_recovery"] is False
    assert result["written"] == result["primary_count"] == 101  # every write landed on the primary
    assert result["caught_up"] == 100  # the standby replayed them (read before the last write)
    assert all(replica <= primary for primary, replica in result["seen"])
    assert result["reporting_queries"] > 0
    assert result["freshness"]["database"] == "reporting" and result["freshness"]["is_replica"] is True
    assert all(lag is not None and lag >= 0 for lag in result["lags"])
    print("replica lag seconds while writing:", result["lags"], "final:", result["freshness"]["lag_seconds"])
