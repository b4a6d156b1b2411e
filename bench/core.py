"""Benchmark: the peer home page and the encounter-create API under load, beside a trivial endpoint.

Data on PostgreSQL (bulk-loaded with generate_series once, re-used while the counts match):
100,000 clients, 1,000,000 encounters (with attendance rows), 1,000 staff of whom 800 peers with
25 active matches each, recovery plans with goals and steps for every matched client.

A real ASGI server (uvicorn, 2 workers, PEERPATH_ENV=production, DEBUG off) serves the app on
127.0.0.1; wrk (Debian package) sends 32 concurrent connections from a second process on loopback,
spread over 32 peers' sessions / API tokens. Each endpoint gets a warm-up, then a fixed duration:

* ``GET /healthz``                — trivial endpoint (JSON, no database)
* ``GET /care/``                  — a peer's home page (signed-in session cookie)
* ``POST /api/v1/encounters``     — record an encounter with one of the peer's clients (bearer token)

Requests/s, p50 and p99 latency and non-2xx counts are written to bench/results/core.json with the
ratio of each endpoint's throughput to the trivial endpoint's. Targets: p99 < 100 ms and ≥ 40 % of
the trivial throughput. Run: ``peerpath bench core [--duration S] [--reload]``.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
RESULT = BASE_DIR / "bench" / "results" / "core.json"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/peerpath_bench_core"
N_CLIENTS, N_ENCOUNTERS, N_STAFF, N_PEERS, N_TEAMS, CASELOAD = 100_000, 1_000_000, 1_000, 800, 20, 25
LOAD_PEERS, CONNECTIONS, THREADS = 32, 32, 2
SECRET = "bench-core-secret-key-not-for-production-use-0123456789abcdef"  # noqa: S105 (throwaway bench server)
ORG_SLUG = "bench-core"


def main(argv: list[str]) -> None:
    url = os.environ.get("CORE_BENCH_DATABASE_URL", DEFAULT_URL)
    _ensure_database(url)
    var_dir = Path(tempfile.gettempdir()) / "peerpath-bench-core-var"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings", "PEERPATH_VAR_DIR": str(var_dir),
           "PEERPATH_ENV": "development"}
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--prepare", *argv], env=env, cwd=BASE_DIR, check=True)
    credentials = json.loads((var_dir / "credentials.json").read_text())
    duration = int(_arg(argv, "--duration", "20"))
    _ensure_wrk()
    port = _free_port()
    server_env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings", "PEERPATH_ENV": "production",
                  "SECRET_KEY": SECRET, "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false", "DEBUG": "false",
                  "PEERPATH_VAR_DIR": str(var_dir), "LOG_LEVEL": "WARNING", "DB_CONN_MAX_AGE": "600"}
    workers = int(_arg(argv, "--workers", "2"))
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
        env=server_env, cwd=BASE_DIR,
    )
    try:
        _wait_for(port)
        results = {}
        for name, script in _scripts(credentials, port).items():
            _wrk(port, script, 3)  # warm-up: connections, caches, query plans
            results[name] = _wrk(port, script, duration)
            print(f"{name:18s} {results[name]['requests_per_second']:8.1f} req/s  p50 {results[name]['latency_ms']['p50']:6.1f} ms"
                  f"  p99 {results[name]['latency_ms']['p99']:6.1f} ms  non-2xx {results[name]['non_2xx']}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    trivial = results["trivial"]["requests_per_second"]
    for name in ("peer_home", "encounter_create"):
        results[name]["throughput_vs_trivial"] = round(results[name]["requests_per_second"] / trivial, 3)
        results[name]["meets_p99_target"] = results[name]["latency_ms"]["p99"] < 100
        results[name]["meets_throughput_target"] = results[name]["throughput_vs_trivial"] >= 0.4
        results[name]["valid"] = results[name]["non_2xx"] == 0 and results[name]["errors"] == 0
    report = {
        "benchmark": "core: peer home page and encounter-create API vs a trivial endpoint, one run",
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cores": os.cpu_count(), "memory_gb": _memory_gb(), "python": platform.python_version(),
                    "note": "shared 2-core machine; wrk and the server share the cores"},
        "server": {"asgi": "uvicorn", "workers": workers, "env": "production, DEBUG off", "database": "PostgreSQL (loopback)"},
        "load": {"tool": "wrk", "connections": CONNECTIONS, "threads": THREADS, "duration_seconds": duration,
                 "peers_spread_over": LOAD_PEERS},
        "data": json.loads((var_dir / "counts.json").read_text()),
        "targets": {"p99_ms_below": 100, "throughput_vs_trivial_at_least": 0.4},
        "results": results,
    }
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written {RESULT}")


def _arg(argv: list[str], name: str, default: str) -> str:
    return argv[argv.index(name) + 1] if name in argv else default


def _memory_gb() -> float:
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError):
        return 0.0


def _ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (Debian package 'wrk')")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int) -> None:
    import urllib.request

    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not start")


def _scripts(credentials: list[dict[str, Any]], port: int) -> dict[str, str]:
    peers = json.dumps(credentials)
    started_at = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() - 3600))
    common = f"""
local json_peers = [[{peers}]]
peers = {{}}
for token, cookie, client in string.gmatch(json_peers, '"token": "([^"]+)", "cookie": "([^"]+)", "client_id": (%d+)') do
  table.insert(peers, {{token = token, cookie = cookie, client = client}})
end
counter = 0
"""
    trivial = "wrk.method = 'GET'\nwrk.path = '/healthz'\n"
    home = common + """
request = function()
  counter = counter + 1
  local p = peers[(counter % #peers) + 1]
  return wrk.format('GET', '/care/', {['Cookie'] = 'sessionid=' .. p.cookie})
end
"""
    create = common + f"""
request = function()
  counter = counter + 1
  local p = peers[(counter % #peers) + 1]
  local body = '{{"client_ids": [' .. p.client .. '], "started_at": "{started_at}", "duration_minutes": 45, ' ..
    '"modality": "phone", "setting": "remote", "activities": ["hope_goals", "paperwork"], ' ..
    '"self_disclosure_used": false, "note": "Benchmark check-in call."}}'
  return wrk.format('POST', '/api/v1/encounters', {{['Authorization'] = 'Bearer ' .. p.token,
    ['Content-Type'] = 'application/json'}}, body)
end
"""
    return {"trivial": trivial, "peer_home": home, "encounter_create": create}


def _wrk(port: int, script: str, duration: int) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script + "\ndone = nil\n")
        path = handle.name
    try:
        out = subprocess.run(
            ["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{duration}s", "--latency", "--timeout", "10s",
             "-s", path, f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, timeout=duration + 60, check=True,
        ).stdout
    finally:
        os.unlink(path)
    return _parse_wrk(out)


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _parse_wrk(out: str) -> dict[str, Any]:
    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M))
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests": requests,
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "latency_ms": {"p50": _ms(percentiles["50"]), "p90": _ms(percentiles["90"]), "p99": _ms(percentiles["99"])},
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "errors": sum(int(x) for x in errors.groups()) if errors else 0,
    }


# ------------------------------------------------------------- --prepare: runs with Django set up on the bench DB

def prepare(argv: list[str]) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from peerpath.clients.models import Client
    from peerpath.core.models import Organisation

    org = Organisation.objects.filter(slug=ORG_SLUG).first()
    from peerpath.care.models import Encounter

    seeded = (org is not None and Client.objects.filter(organisation=org).count() == N_CLIENTS
              and Encounter.objects.filter(organisation=org).count() == N_ENCOUNTERS)
    if "--reload" in argv or not seeded:
        started = time.perf_counter()
        _seed()
        print(f"seeded in {time.perf_counter() - started:.1f} s")
    _write_credentials()


def _seed() -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from peerpath.accounts.models import StaffMember, TeamMembership
    from peerpath.core.models import Organisation, Team

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE core_auditevent, care_goalstep, care_goal, care_recoveryplan, care_encounterattendance, care_encounter, "
            "care_teammeetingattendance, care_teammeeting, clients_match, clients_referral_preferred_experiences, "
            "clients_referral, clients_client, accounts_apitoken, accounts_teammembership, accounts_peerexperience, "
            "django_session, accounts_staffmember, core_team, core_organisation RESTART IDENTITY CASCADE"
        )
    with transaction.atomic():
        org = Organisation.objects.create(name="Bench Health Network", slug=ORG_SLUG)
        teams = Team.objects.bulk_create([Team(organisation=org, name=f"Team {i}", team_type="community") for i in range(N_TEAMS)])
        password = make_password("bench-password-0001")
        staff = StaffMember.objects.bulk_create([
            StaffMember(username=f"bench{i}", first_name="Staff", last_name=str(i), organisation=org, password=password,
                        role="peer" if i < N_PEERS else ("supervisor" if i % 2 else "clinician"), caseload_capacity=30)
            for i in range(N_STAFF)
        ])
        TeamMembership.objects.bulk_create([TeamMembership(staff=s, team=teams[i % N_TEAMS]) for i, s in enumerate(staff)])
    org_id, team0 = org.pk, teams[0].pk
    peer0 = staff[0].pk
    sql = f"""
    INSERT INTO clients_client (created_at, updated_at, is_active, organisation_id, first_name, last_name, preferred_name,
        date_of_birth, record_number, language, team_id, phone)
    SELECT now(), now(), true, {org_id}, 'Client', 'C' || g, '', date '1970-01-01' + (g % 15000)::int, 'B' || g,
        CASE WHEN g % 6 = 0 THEN 'es' ELSE 'en' END, {team0} + (g % {N_TEAMS}), ''
    FROM generate_series(0, {N_CLIENTS - 1}) g;

    -- 800 peers x 25 active matches: client k belongs to peer (k % 800) for k < 20,000
    INSERT INTO clients_match (created_at, updated_at, is_active, organisation_id, client_id, peer_id, started_on,
        last_contact_at, next_contact_on)
    SELECT now(), now(), true, {org_id}, c.id, {peer0} + ((c.id - m.min_id) % {N_PEERS}), current_date - 120,
        now() - ((c.id % 30) || ' days')::interval, current_date + ((c.id % 21) - 5)::int
    FROM clients_client c, (SELECT min(id) AS min_id FROM clients_client) m
    WHERE c.id - m.min_id < {N_PEERS * CASELOAD};

    INSERT INTO care_encounter (created_at, updated_at, is_active, organisation_id, peer_id, started_at, duration_minutes,
        modality, setting, activities, peer_specific_minutes, is_group, self_disclosure_used, note)
    SELECT now(), now(), true, {org_id}, {peer0} + (g % {N_PEERS}), now() - ((g % 730) || ' days')::interval - ((g % 480) || ' minutes')::interval,
        45, CASE WHEN g % 3 = 0 THEN 'phone' ELSE 'in_person' END, 'community', '["hope_goals"]'::jsonb, 45, false, g % 4 = 0,
        'Met for coffee and worked on the plan.'
    FROM generate_series(0, {N_ENCOUNTERS - 1}) g;

    -- encounter g is with client (g % 100,000): matched clients are the peer's own (same modulus of 800)
    INSERT INTO care_encounterattendance (encounter_id, client_id, started_at, duration_minutes)
    SELECT e.id, c.min_id + ((e.id - e0.min_id) % {N_CLIENTS}), e.started_at, e.duration_minutes
    FROM care_encounter e, (SELECT min(id) AS min_id FROM care_encounter) e0, (SELECT min(id) AS min_id FROM clients_client) c;

    INSERT INTO care_recoveryplan (created_at, updated_at, is_active, organisation_id, client_id, written_with_id, client_vision, review_on)
    SELECT now(), now(), true, {org_id}, client_id, peer_id, 'A home and a routine.', current_date + ((client_id % 40) - 10)::int
    FROM clients_match;

    INSERT INTO care_goal (created_at, updated_at, is_active, plan_id, own_words, life_area, chime, status, progress, target_on)
    SELECT now(), now(), true, p.id, 'Goal ' || k, 'housing', 'hope', 'active', (p.id * k) % 100, current_date + 60
    FROM care_recoveryplan p, generate_series(1, 2) k;

    INSERT INTO care_goalstep (created_at, updated_at, is_active, goal_id, description, due_on, done_on)
    SELECT now(), now(), true, g.id, 'Step ' || k, current_date + (((g.id + k) % 30) - 15)::int,
        CASE WHEN (g.id + k) % 3 = 0 THEN current_date - 1 END
    FROM care_goal g, generate_series(1, 2) k;
    ANALYZE;
    """
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in sql.replace("ANALYZE;", "").split(";"):
            if statement.strip():
                cursor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _write_credentials() -> None:
    """Sessions and API tokens for the peers the load is spread over (recreated every run)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from peerpath.accounts.models import ApiToken, StaffMember
    from peerpath.clients.models import Client, Match
    from peerpath.core.api_support import hash_token

    peers = list(StaffMember.objects.filter(organisation__slug=ORG_SLUG, role="peer").order_by("pk")[:LOAD_PEERS])
    ApiToken.objects.filter(staff__in=peers).delete()
    credentials = []
    for peer in peers:
        secret = f"pp_bench_{peer.pk}_{os.urandom(8).hex()}"
        ApiToken.objects.create(staff=peer, name="bench", prefix=secret[:10], key_hash=hash_token(secret))
        # The server runs with production settings, so the session hash must use its SECRET_KEY.
        session = SessionStore()
        session[SESSION_KEY] = str(peer.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = _session_hash(peer)
        session.create()
        client_id = Match.objects.filter(peer=peer, is_active=True).values_list("client_id", flat=True).first()
        credentials.append({"token": secret, "cookie": session.session_key, "client_id": client_id})
    var_dir = Path(settings.VAR_DIR)
    (var_dir / "credentials.json").write_text(json.dumps(credentials))
    from peerpath.care.models import Encounter

    (var_dir / "counts.json").write_text(json.dumps({
        "clients": Client.objects.filter(organisation__slug=ORG_SLUG).count(),
        "encounters": Encounter.objects.count(),
        "staff": StaffMember.objects.filter(organisation__slug=ORG_SLUG).count(),
        "peers": StaffMember.objects.filter(organisation__slug=ORG_SLUG, role="peer").count(),
        "active_matches_per_peer": CASELOAD,
    }))


def _session_hash(user: Any) -> str:
    from django.utils.crypto import salted_hmac

    return salted_hmac("django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash", user.password,
                       secret=SECRET, algorithm="sha256").hexdigest()


if __name__ == "__main__" and "--prepare" in sys.argv:
    sys.path.insert(0, str(BASE_DIR))
    prepare(sys.argv[sys.argv.index("--prepare") + 1:])
