"""Benchmark: peer home, client page and encounter create under load, against two floors.

Data (bench/_core_data.py): 100,000 clients, 1,000,000 encounters, 800 peers with 25 active matches.
The server is ``peerpath serve`` (gunicorn + uvicorn workers, PEERPATH_ENV=production, DEBUG off,
psycopg pool), pinned with taskset to core 0; wrk runs on core 1 (PostgreSQL floats). Endpoints:

* ``GET /healthz``            trivial floor (no session, no database)
* ``GET /healthz/session``    signed-in floor (session + user lookup and the middleware every page runs)
* ``GET /care/``              a peer's home page
* ``GET /clients/<id>/``      one of the peer's clients (audited read)
* ``POST /api/v1/encounters`` record an encounter (bearer token)

Each at 1, 8 and 32 connections, ``--runs`` times (median reported), load average recorded per run.
Then the pool check: 32 connections for ``--pool-seconds`` on peer home while PostgreSQL backends
for the bench database are sampled; the peak must stay at or under pool max x workers.

Validity (``validity`` in bench/results/core.json; exit status 1 when any check fails): every
response's status is counted by the wrk script (3xx/4xx/5xx are failures), a run whose script did
not load is an error, encounters before/after equal the successful creates, the signed-in floor
answers the signed-in user (not a redirect), and the PostgreSQL connection peak is within the pool.
Run: ``peerpath bench core [--duration S] [--runs N] [--pool-seconds S] [--workers N] [--reload]``.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import _ensure_database  # noqa: E402
from _load import ConnectionSampler, ensure_wrk, free_port, load_average, lua_request_script, run_wrk, wait_for  # noqa: E402

BASE_DIR = Path(__file__).resolve().parent.parent
RESULT = BASE_DIR / "bench" / "results" / "core.json"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/peerpath_bench_core"
SECRET = "bench-core-secret-key-not-for-production-use-0123456789abcdef"  # noqa: S105 (throwaway bench server)
LEVELS = (1, 8, 32)
PAGES = ("peer_home", "client_page", "encounter_create")
TARGETS = {"throughput_vs_signed_in_floor_at_least": 0.4, "p99_ms_below_at_8": 100, "failures_at_32": 0}
BODY = ('{"client_ids": [{client}], "started_at": "STARTED", "duration_minutes": 45, "modality": "phone", '
        '"setting": "remote", "activities": ["hope_goals", "paperwork"], "self_disclosure_used": false, '
        '"note": "Benchmark check-in call."}')


def _arg(argv: list[str], name: str, default: str) -> str:
    return argv[argv.index(name) + 1] if name in argv else default


def _scripts(peers: list[dict[str, Any]]) -> dict[str, str]:
    started = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() - 3600))
    cookie = {"Cookie": "sessionid={cookie}"}
    return {
        "trivial": lua_request_script("GET", "/healthz", {}, None, peers),
        "signed_in_floor": lua_request_script("GET", "/healthz/session", cookie, None, peers),
        "peer_home": lua_request_script("GET", "/care/", cookie, None, peers),
        "client_page": lua_request_script("GET", "/clients/{client}/", cookie, None, peers),
        "encounter_create": lua_request_script(
            "POST", "/api/v1/encounters", {"Authorization": "Bearer {token}", "Content-Type": "application/json"},
            BODY.replace("STARTED", started), peers),
    }


def _encounters(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM care_encounter").fetchone()[0]


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "requests_per_second": round(statistics.median(r["requests_per_second"] for r in runs), 1),
        "p50_ms": round(statistics.median(r["latency_ms"]["p50"] for r in runs), 2),
        "p99_ms": round(statistics.median(r["latency_ms"]["p99"] for r in runs), 2),
        "failures": sum(r["failures"] + r["socket_errors"] for r in runs),
        "requests": sum(r["requests"] for r in runs),
        "load_average_1m": [r["load_average"][0] for r in runs],
        "runs": runs,
    }


def _signed_in_check(port: int, peer: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz/session", headers={"Cookie": f"sessionid={peer['cookie']}"})
    opener = urllib.request.build_opener(type("NoRedirect", (urllib.request.HTTPRedirectHandler,),
                                              {"redirect_request": lambda *a, **k: None}))
    try:
        with opener.open(request, timeout=10) as response:
            body = json.loads(response.read())
            return {"status": response.status, "user": body.get("user"), "ok": response.status == 200 and bool(body.get("user"))}
    except urllib.error.HTTPError as error:
        return {"status": error.code, "ok": False}


def main(argv: list[str]) -> None:  # noqa: PLR0915 (one linear script, read top to bottom)
    url = os.environ.get("CORE_BENCH_DATABASE_URL", DEFAULT_URL)
    _ensure_database(url)
    var_dir = Path(tempfile.gettempdir()) / "peerpath-bench-core-var"
    var_dir.mkdir(parents=True, exist_ok=True)
    duration, runs = int(_arg(argv, "--duration", "10")), int(_arg(argv, "--runs", "3"))
    pool_seconds, workers = int(_arg(argv, "--pool-seconds", "60")), int(_arg(argv, "--workers", "2"))
    pool_max = int(_arg(argv, "--pool-max", "4"))
    base_env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": SECRET,
                "PEERPATH_VAR_DIR": str(var_dir), "PYTHONPATH": str(BASE_DIR)}
    base_env.pop("DATABASE_REPLICA_URL", None)
    subprocess.run([sys.executable, str(BASE_DIR / "bench" / "_core_data.py"), "--prepare", *argv],
                   env={**base_env, "PEERPATH_ENV": "development", "DB_POOL": "false"}, cwd=BASE_DIR, check=True)
    peers = json.loads((var_dir / "credentials.json").read_text())
    ensure_wrk()
    port = free_port()
    server_env = {**base_env, "PEERPATH_ENV": "production", "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false",
                  "DEBUG": "false", "LOG_LEVEL": "WARNING", "DB_POOL_MAX_SIZE": str(pool_max), "PEERPATH_WORKERS": str(workers),
                  "PEERPATH_MAX_REQUESTS": "0"}  # no worker recycling mid-run: it resets keep-alive connections
    cores = os.cpu_count() or 1
    server_cpus, wrk_cpus = ("0", ",".join(str(c) for c in range(1, cores))) if cores > 1 else (None, None)
    command = [sys.executable, "-m", "peerpath.cli", "serve", "--bind", f"127.0.0.1:{port}", "--no-access-log"]
    if server_cpus is not None:
        command = ["taskset", "-c", server_cpus, *command]
    server = subprocess.Popen(command, env=server_env, cwd=BASE_DIR)
    scripts = _scripts(peers)
    results: dict[str, dict[str, Any]] = {}
    encounters_check: dict[str, Any] = {}
    try:
        wait_for(port)
        signed_in = _signed_in_check(port, peers[0])
        for name, script in scripts.items():
            results[name] = {}
            before = _encounters(url) if name == "encounter_create" else 0
            created_ok = in_flight = 0
            for connections in LEVELS:
                warm = run_wrk(port, script, connections=connections, duration=2, cpus=wrk_cpus)
                measured = [run_wrk(port, script, connections=connections, duration=duration, cpus=wrk_cpus) for _ in range(runs)]
                created_ok += warm["statuses"]["2xx"] + sum(r["statuses"]["2xx"] for r in measured)
                in_flight += connections * (1 + runs)  # wrk stops without reading each connection's last answer
                results[name][str(connections)] = summary = _median(measured)
                summary["failures"] += warm["failures"] + warm["socket_errors"]
                print(f"{name:17s} c={connections:<2d} {summary['requests_per_second']:8.1f} req/s  p50 {summary['p50_ms']:7.1f} ms"
                      f"  p99 {summary['p99_ms']:7.1f} ms  failures {summary['failures']}  load {summary['load_average_1m']}",
                      flush=True)
            if name == "encounter_create":
                after = _encounters(url)
                delta = after - before
                encounters_check = {"before": before, "after": after, "delta": delta, "successful_creates": created_ok,
                                    "unanswered_at_stop_at_most": in_flight,
                                    "ok": created_ok > 0 and created_ok <= delta <= created_ok + in_flight}
        with ConnectionSampler(url) as sampler:
            pool_run = run_wrk(port, scripts["peer_home"], connections=32, duration=pool_seconds, cpus=wrk_cpus)
        pool_check = {"connections": 32, "seconds": pool_seconds, "endpoint": "peer_home", "pool_max_size": pool_max,
                      "workers": workers, "limit": pool_max * workers, "postgres_connections_peak": sampler.peak,
                      "requests": pool_run["requests"], "failures": pool_run["failures"] + pool_run["socket_errors"],
                      "load_average": pool_run["load_average"]}
        pool_check["ok"] = pool_check["postgres_connections_peak"] <= pool_check["limit"] and pool_check["failures"] == 0
        print(f"pool check: peak {sampler.peak} PostgreSQL connections (limit {pool_max * workers}), "
              f"{pool_check['failures']} failures of {pool_run['requests']}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=60)
    write_report(results, signed_in=signed_in, encounters=encounters_check, pool=pool_check, var_dir=var_dir,
                 settings={"duration": duration, "runs": runs, "workers": workers, "pool_max": pool_max,
                           "server_cpus": server_cpus, "wrk_cpus": wrk_cpus})


def write_report(results: dict[str, Any], *, signed_in: dict[str, Any], encounters: dict[str, Any], pool: dict[str, Any],
                 var_dir: Path, settings: dict[str, Any]) -> None:
    comparisons: dict[str, Any] = {}
    for name in PAGES:
        comparisons[name] = {}
        for level in map(str, LEVELS):
            page, floor, trivial = (results[n][level]["requests_per_second"] for n in (name, "signed_in_floor", "trivial"))
            comparisons[name][level] = {"vs_signed_in_floor": round(page / floor, 3), "vs_trivial": round(page / trivial, 3)}
        comparisons[name]["meets_targets"] = {
            "throughput_vs_signed_in_floor_at_8": comparisons[name]["8"]["vs_signed_in_floor"] >= 0.4,
            "throughput_vs_signed_in_floor_at_32": comparisons[name]["32"]["vs_signed_in_floor"] >= 0.4,
            "p99_below_100ms_at_8": results[name]["8"]["p99_ms"] < 100,
            "no_failures_at_32": results[name]["32"]["failures"] == 0,
        }
    failures = {name: sum(level["failures"] for level in by_level.values()) for name, by_level in results.items()}
    checks = {
        "every_response_2xx": {"ok": not any(failures.values()), "failures_by_endpoint": failures,
                               "how": "the wrk script's response() counts every status; 3xx/4xx/5xx and socket errors fail"},
        "scripts_loaded": {"ok": True, "how": "a run without the script's status line raises (wrk falls back to GET / otherwise)"},
        "signed_in_floor_is_signed_in": {**signed_in, "how": "GET /healthz/session with a bench cookie answers 200 and the peer's id"},
        "encounters_written": {**encounters, "how": "care_encounter rows before/after: at least the 2xx creates, at most "
                               "that plus one request per connection per wrk run (cut off unanswered when wrk stops)"},
        "postgres_connections_within_pool": {**pool, "how": "pg_stat_activity for the bench database sampled every 0.25 s"},
    }
    validity = {"ok": all(check["ok"] for check in checks.values()), "checks": checks}
    report = {
        "benchmark": "core: pages and encounter create vs the trivial and signed-in floors at 1, 8, 32 connections",
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "load_average_at_end": load_average(),
                    "note": "shared 2-core machine; server pinned to server_cpus, wrk to wrk_cpus, PostgreSQL unpinned"},
        "server": {"command": "peerpath serve (gunicorn + uvicorn workers, TCP_NODELAY)", "env": "production, DEBUG off",
                   "database": "PostgreSQL (loopback), psycopg pool", **settings},
        "data": json.loads((var_dir / "counts.json").read_text()),
        "targets": TARGETS,
        "results": results,
        "comparisons": comparisons,
        "validity": validity,
    }
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written {RESULT}; validity {'ok' if validity['ok'] else 'FAILED'}")
    if not validity["ok"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
