"""Benchmark: integration metrics of a whole organisation on PostgreSQL, beside the raw SQL aggregates they need.

Data (bulk-loaded with generate_series, once; re-used on later runs): one organisation with 200 staff (60 peers,
100 clinicians, 20 supervisors, 10 leaders, 5 evaluators, 5 admins) in 12 teams, 50,000 clients, 50,000
referrals, 45,000 matches, 2,000,000 encounters (each with its attendance row) over three years, weekly team
meetings of every team with attendance, 60,000 peer consultations and 1,300,000 audit events (1,000,000 peers
opening their clients' records, the rest clinicians' reads and list views); plus a small second organisation
whose rows must never count. Four teams are drawn into their teams over the three years, the rest stay level.

Timed in one run, each ``--repeat`` times (medians reported), interleaved:

* ``raw_sql``: the same per team × month aggregates written by hand as plain SQL, one statement after another on
  one connection (meetings and peer attendances, referrals, consultations, encounter minutes, matches started and
  ended, caseload records opened);
* ``metrics_36_months``: ``integration_metrics(user=leader, months=36)`` — the whole history;
* ``page_default`` and ``page_36_months``: the integration page (12 months, and 36) through Django's test client.

Before timing, the raw SQL's figures are compared with the selector's for every team and month; the run stops if
one differs. Query counts are taken on the sequential path (inside a transaction), which issues the same statements
as the parallel one. Run: ``peerpath bench implementation [--reload] [--repeat N]``. Database:
``IMPLEMENTATION_BENCH_DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/peerpath_bench_implementation).
Figures go to bench/results/implementation.json.
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
from collections import defaultdict
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/_common.py

from _common import _ensure_database, _insert  # noqa: E402

RESULT = BASE_DIR / "bench" / "results" / "implementation.json"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/peerpath_bench_implementation"
N_CLIENTS, N_ENCOUNTERS, N_CONSULTATIONS, N_RECORD_READS, N_OTHER_AUDIT = 50_000, 2_000_000, 60_000, 1_000_000, 300_000
N_TEAMS, N_PEERS, N_CLINICIANS, N_SUPERVISORS = 12, 60, 100, 20
DAYS = 1095  # three years
ORG_SLUG = "bench-implementation"


def main(argv: list[str]) -> None:
    url = os.environ.get("IMPLEMENTATION_BENCH_DATABASE_URL", DEFAULT_URL)
    _ensure_database(url)
    var_dir = os.environ.get("PEERPATH_VAR_DIR", str(Path(tempfile.gettempdir()) / "peerpath-bench-implementation-var"))
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings", "PEERPATH_VAR_DIR": var_dir}
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", *argv], env=env, cwd=BASE_DIR, check=True)


# ---------------------------------------------------------------- loading (child process)

def _load() -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from peerpath.accounts.models import StaffMember, TeamMembership
    from peerpath.care.models import Encounter, PeerConsultation, TeamMeeting
    from peerpath.clients.models import Client, Match, Referral
    from peerpath.core.models import AuditEvent, Organisation, Team

    unusable = make_password(None)  # bench staff never sign in with a password
    started = time.perf_counter()
    with transaction.atomic():  # all or nothing
        org = Organisation.objects.create(name="Bench implementation", slug=ORG_SLUG)
        teams = [Team.objects.create(organisation=org, name=f"Bench team {i:02d}", team_type="community")
                 for i in range(N_TEAMS)]
        t0 = teams[0].pk

        def staff(role: str, n: int, prefix: str) -> list[Any]:
            return StaffMember.objects.bulk_create([
                StaffMember(username=f"{prefix}-{i}", organisation=org, role=role, password=unusable) for i in range(n)])

        peers = staff("peer", N_PEERS, "bench-peer")
        clinicians = staff("clinician", N_CLINICIANS, "bench-clinician")
        supervisors = staff("supervisor", N_SUPERVISORS, "bench-supervisor")
        staff("leader", 9, "bench-leader-x")
        StaffMember.objects.create(username="bench-leader", organisation=org, role="leader", password=unusable)
        staff("evaluator", 5, "bench-evaluator")
        staff("admin", 5, "bench-admin")
        # Peer i works in team i % 12 (five peers a team); every fourth also in team (i + 5) % 12.
        TeamMembership.objects.bulk_create(
            [TeamMembership(staff=p, team=teams[i % N_TEAMS]) for i, p in enumerate(peers)]
            + [TeamMembership(staff=p, team=teams[(i + 5) % N_TEAMS]) for i, p in enumerate(peers) if i % 4 == 0]
            + [TeamMembership(staff=s, team=teams[i % N_TEAMS]) for i, s in enumerate(clinicians + supervisors)])
        peer0, clinician0 = peers[0].pk, clinicians[0].pk
        # Matched client row m (0..44,999) → client row r = (m / 9)·10 + m % 9 (rows with r % 10 = 9 never matched);
        # its peer: one of the five peers of the client's team (team r % 12).
        peer_of = f"{peer0} + (r % {N_TEAMS}) + {N_TEAMS} * ((r / {N_TEAMS}) % 5)"
        rising = f"(r % {N_TEAMS} < 4)"
        with connection.cursor() as cursor:
            _insert(cursor, Client, {
                "created_at": "now()", "updated_at": "now()", "is_active": "true", "organisation_id": str(org.pk),
                "first_name": "'Bench'", "last_name": "'Client ' || r", "record_number": "'I' || r",
                "team_id": f"{t0} + r % {N_TEAMS}",
            }, f"FROM generate_series(0, {N_CLIENTS - 1}) AS r")
            base = Client.objects.filter(organisation=org).order_by("pk").values_list("pk", flat=True).first()
            clients = f"FROM (SELECT r, {base} + r AS client_id FROM generate_series(0, {N_CLIENTS - 1}) AS r) s"
            _insert(cursor, Referral, {
                "created_at": f"now() - interval '1 day' * ((r * 7919) % {DAYS})", "updated_at": "now()",
                "is_active": "true", "organisation_id": str(org.pk), "client_id": "client_id",
                "team_id": f"{t0} + r % {N_TEAMS}", "referred_by_id": f"{clinician0} + r % {N_CLINICIANS}",
                "reason": "'Bench referral'", "status": "CASE WHEN r % 10 = 9 THEN 'declined' ELSE 'assigned' END",
            }, clients)
            started_on = f"(CURRENT_DATE - (r * 7919) % {DAYS})"
            _insert(cursor, Match, {
                "created_at": "now()", "updated_at": "now()", "is_active": "(r % 5 = 0)", "organisation_id": str(org.pk),
                "client_id": "client_id", "peer_id": peer_of, "started_on": started_on,
                "ended_on": f"CASE WHEN r % 5 = 0 THEN NULL ELSE LEAST(CURRENT_DATE, {started_on} + 30 + r % 270) END",
            }, clients + " WHERE r % 10 <> 9")
            # 2,000,000 encounters of the matched clients' peers over three years; the rising teams' peers move from
            # 40 % to 90 % peer-specific time, the others stay at 70 %.
            age = f"((g * 7) % {DAYS})"
            share = f"CASE WHEN {rising} THEN 40 + 50 * ({DAYS} - {age}) / {DAYS} ELSE 70 END"
            _insert(cursor, Encounter, {
                "created_at": "now()", "updated_at": "now()", "is_active": "true", "organisation_id": str(org.pk),
                "peer_id": peer_of, "started_at": f"now() - interval '1 day' * {age} - interval '1 hour' * (g % 9)",
                "duration_minutes": "20 + (g % 8) * 10", "modality": "'in_person'", "setting": "'community'",
                "activities": "'[\"sharing_experience\", \"transport\"]'::jsonb",
                "peer_specific_minutes": f"(20 + (g % 8) * 10) * ({share}) / 100", "note": "''",
            }, f"FROM (SELECT g, ((g % 45000) / 9) * 10 + (g % 45000) % 9 AS r "
               f"FROM generate_series(0, {N_ENCOUNTERS - 1}) AS g) s")
            first_encounter = Encounter.objects.filter(organisation=org).order_by("pk").values_list("pk", flat=True).first()
            cursor.execute(
                "INSERT INTO care_encounterattendance (encounter_id, client_id, started_at, duration_minutes) "
                f"SELECT id, {base} + (((id - {first_encounter}) %% 45000) / 9) * 10 + ((id - {first_encounter}) %% 45000) %% 9, "
                "started_at, duration_minutes FROM care_encounter WHERE organisation_id = %s", [org.pk])
            # Weekly meetings of every team for three years; everyone in the team invited; peers of the rising teams
            # attend more and more (20 % → 90 %), the others half the time; other staff 90 %.
            _insert(cursor, TeamMeeting, {
                "created_at": "now()", "updated_at": "now()", "is_active": "true", "organisation_id": str(org.pk),
                "team_id": f"{t0} + t", "held_at": "now() - interval '1 week' * w - interval '2 hours'",
                "duration_minutes": "60", "topic": "'Weekly caseload review'", "notes": "''",
                "recorded_by_id": str(supervisors[0].pk),
            }, f"FROM generate_series(0, {N_TEAMS - 1}) AS t, generate_series(0, {DAYS // 7}) AS w")
            cursor.execute(
                "INSERT INTO care_teammeetingattendance (meeting_id, staff_id, attended) "
                "SELECT m.id, tm.staff_id, CASE WHEN s.role = 'peer' THEN "
                f"  ((m.id * 31 + tm.staff_id * 17) %% 100) < CASE WHEN m.team_id - {t0} < 4 "
                f"    THEN 20 + 70 * ({DAYS} - (CURRENT_DATE - m.held_at::date)) / {DAYS} ELSE 50 END "
                "  ELSE ((m.id * 31 + tm.staff_id * 17) %% 100) < 90 END "
                "FROM care_teammeeting m JOIN accounts_teammembership tm ON tm.team_id = m.team_id "
                "JOIN accounts_staffmember s ON s.id = tm.staff_id WHERE m.organisation_id = %s", [org.pk])
            _insert(cursor, PeerConsultation, {
                "created_at": "now()", "updated_at": "now()", "is_active": "true", "organisation_id": str(org.pk),
                "peer_id": f"{peer0} + g % {N_PEERS}", "asked_by_id": f"{clinician0} + g % {N_CLINICIANS}",
                "client_id": f"CASE WHEN g % 3 = 0 THEN NULL ELSE {base} + g % {N_CLIENTS} END",
                "held_at": f"now() - interval '1 day' * ((g * 13) % {DAYS})", "topic": "'Bench consultation'",
            }, f"FROM generate_series(0, {N_CONSULTATIONS - 1}) AS g")
            # 1,000,000 record reads by peers of their own clients, then clinicians' reads and list views.
            _insert(cursor, AuditEvent, {
                "organisation_id": str(org.pk), "actor_id": peer_of, "actor_username": "'bench-peer'",
                "action": "'view'", "target_type": "'clients.client'", "target_id": f"({base} + r)::text",
                "client_id": f"{base} + r", "path": "'/clients/'", "occurred_at": f"now() - interval '1 day' * ((g * 11) % {DAYS})",
                "detail": "'{}'::jsonb", "user_agent": "''",
            }, f"FROM (SELECT g, ((g % 45000) / 9) * 10 + (g % 45000) % 9 AS r "
               f"FROM generate_series(0, {N_RECORD_READS - 1}) AS g) s")
            _insert(cursor, AuditEvent, {
                "organisation_id": str(org.pk), "actor_id": f"{clinician0} + g % {N_CLINICIANS}",
                "actor_username": "'bench-clinician'", "action": "CASE WHEN g % 3 = 0 THEN 'list' ELSE 'view' END",
                "target_type": "'clients.client'", "target_id": "''",
                "client_id": f"CASE WHEN g % 3 = 0 THEN NULL ELSE {base} + g % {N_CLIENTS} END", "path": "'/clients/'",
                "occurred_at": f"now() - interval '1 day' * ((g * 17) % {DAYS})", "detail": "'{}'::jsonb",
                "user_agent": "''",
            }, f"FROM generate_series(0, {N_OTHER_AUDIT - 1}) AS g")
        _load_other_organisation()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"load_seconds": round(time.perf_counter() - started, 1)}


def _load_other_organisation() -> None:
    """A second organisation with a little of everything: none of it may show in the first one's figures."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from peerpath.accounts.models import StaffMember, TeamMembership
    from peerpath.care.models import Encounter, PeerConsultation, TeamMeeting, TeamMeetingAttendance
    from peerpath.core.models import Organisation, Team

    other = Organisation.objects.create(name="Bench other", slug=f"{ORG_SLUG}-other")
    team = Team.objects.create(organisation=other, name="Bench team 00", team_type="community")  # same name on purpose
    peer = StaffMember.objects.create(username="bench-other-peer", organisation=other, role="peer",
                                      password=make_password(None))
    TeamMembership.objects.create(staff=peer, team=team)
    now = timezone.now()
    Encounter.objects.bulk_create([Encounter(organisation=other, peer=peer, started_at=now, duration_minutes=60,
                                             modality="in_person", setting="community", peer_specific_minutes=60)
                                   for _ in range(500)])
    PeerConsultation.objects.create(organisation=other, peer=peer, asked_by=peer, held_at=now, topic="Other")
    meeting = TeamMeeting.objects.create(organisation=other, team=team, held_at=now, recorded_by=peer)
    TeamMeetingAttendance.objects.create(meeting=meeting, staff=peer, attended=True)


# ---------------------------------------------------------------- the raw SQL

PEER_TEAM = ("JOIN accounts_staffmember s ON s.id = {col} AND s.role = 'peer' "
             "JOIN accounts_teammembership tm ON tm.staff_id = {col} AND tm.is_active")
MONTH = "date_trunc('month', {col} AT TIME ZONE %(tz)s)::date"
RAW_SQL = {
    "meetings": f"""
        SELECT m.team_id, {MONTH.format(col='m.held_at')}, count(DISTINCT m.id),
               count(a.id) FILTER (WHERE a.attended AND st.role = 'peer')
        FROM care_teammeeting m LEFT JOIN care_teammeetingattendance a ON a.meeting_id = m.id
        LEFT JOIN accounts_staffmember st ON st.id = a.staff_id
        WHERE m.organisation_id = %(org)s AND m.held_at >= %(start)s AND m.held_at < %(end)s GROUP BY 1, 2""",
    "referrals": f"""
        SELECT team_id, {MONTH.format(col='created_at')}, count(*) FROM clients_referral
        WHERE organisation_id = %(org)s AND created_at >= %(start)s AND created_at < %(end)s GROUP BY 1, 2""",
    "consultations": f"""
        SELECT tm.team_id, {MONTH.format(col='c.held_at')}, count(*), count(DISTINCT c.peer_id)
        FROM care_peerconsultation c {PEER_TEAM.format(col='c.peer_id')}
        WHERE c.organisation_id = %(org)s AND c.held_at >= %(start)s AND c.held_at < %(end)s GROUP BY 1, 2""",
    "encounters": f"""
        SELECT tm.team_id, {MONTH.format(col='e.started_at')}, sum(e.duration_minutes), sum(e.peer_specific_minutes)
        FROM care_encounter e {PEER_TEAM.format(col='e.peer_id')}
        WHERE e.organisation_id = %(org)s AND e.started_at >= %(start)s AND e.started_at < %(end)s GROUP BY 1, 2""",
    "match_starts": f"""
        SELECT tm.team_id, date_trunc('month', mt.started_on)::date, count(*)
        FROM clients_match mt {PEER_TEAM.format(col='mt.peer_id')}
        WHERE mt.organisation_id = %(org)s AND mt.started_on < %(end_day)s GROUP BY 1, 2""",
    "match_ends": f"""
        SELECT tm.team_id, date_trunc('month', mt.ended_on)::date, count(*)
        FROM clients_match mt {PEER_TEAM.format(col='mt.peer_id')}
        WHERE mt.organisation_id = %(org)s AND mt.started_on < %(end_day)s AND mt.ended_on < %(end_day)s GROUP BY 1, 2""",
    "record_reads": f"""
        SELECT team_id, month, sum(clients) FROM (
          SELECT tm.team_id, {MONTH.format(col='a.occurred_at')} AS month, a.actor_id,
                 count(DISTINCT a.client_id) AS clients
          FROM core_auditevent a {PEER_TEAM.format(col='a.actor_id')}
          JOIN clients_match mt ON mt.client_id = a.client_id AND mt.peer_id = a.actor_id
          WHERE a.organisation_id = %(org)s AND a.action = 'view'
            AND a.occurred_at >= %(start)s AND a.occurred_at < %(end)s
          GROUP BY 1, 2, 3) per_peer GROUP BY 1, 2""",
}


def _raw(params: dict[str, Any]) -> dict[str, list[tuple]]:
    from django.db import connection

    out = {}
    with connection.cursor() as cursor:
        for name, sql in RAW_SQL.items():
            cursor.execute(sql, params)
            out[name] = cursor.fetchall()
    return out


def _check(raw: dict[str, list[tuple]], metrics: Any) -> int:
    """Every team-month figure of the selector equals the raw SQL's; returns how many team-months were compared."""
    expected: dict[tuple[int, Any], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for team, month, meetings, attendances in raw["meetings"]:
        expected[(team, month)].update(meetings=meetings, peer_attendances=attendances)
    for team, month, n in raw["referrals"]:
        expected[(team, month)]["referrals"] = n
    for team, month, n, peers in raw["consultations"]:
        expected[(team, month)].update(consultations=n, peers_consulted=peers)
    for team, month, minutes, specific in raw["encounters"]:
        expected[(team, month)].update(encounter_minutes=minutes, peer_specific_minutes=specific)
    for team, month, n in raw["record_reads"]:
        expected[(team, month)]["clients_opened"] = n
    starts, ends = defaultdict(int), defaultdict(int)
    for team, month, n in raw["match_starts"]:
        starts[(team, month)] += n
    for team, month, n in raw["match_ends"]:
        ends[(team, month)] += n
    compared = 0
    for trend in metrics.teams:
        for row in trend.months:
            want = expected.get((trend.team_id, row.month), {})
            active = sum(n for (t, m), n in starts.items() if t == trend.team_id and m <= row.month) - sum(
                n for (t, m), n in ends.items() if t == trend.team_id and m <= row.month)
            got = {name: getattr(row, name) for name in ("meetings", "peer_attendances", "referrals", "consultations",
                                                           "peers_consulted", "encounter_minutes",
                                                           "peer_specific_minutes", "clients_opened")}
            for name, value in got.items():
                if value != int(want.get(name, 0)):
                    raise SystemExit(f"bench: {trend.name} {row.month} {name}: selector {value}, raw SQL {want.get(name, 0)}")
            if row.active_matches != max(active, 0):
                raise SystemExit(f"bench: {trend.name} {row.month} active matches: {row.active_matches} vs {active}")
            compared += 1
    return compared


# ---------------------------------------------------------------- measuring

def child(argv: list[str]) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # as in production: no query log, no template debugging (set before the first request)
    from django.db import connection, transaction
    from django.test import Client as HttpClient
    from django.test.utils import CaptureQueriesContext

    from peerpath.accounts.models import StaffMember
    from peerpath.care.models import Encounter, PeerConsultation
    from peerpath.clients.models import Client
    from peerpath.core.models import AuditEvent, Organisation
    from peerpath.implementation.integration import selectors

    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 5
    call_command("migrate", verbosity=0)
    org = Organisation.objects.filter(slug=ORG_SLUG).first()
    load: dict[str, Any] = {"reused_existing_data": True}
    if org is None or "--reload" in argv:
        if org is not None:
            raise SystemExit("bench: drop the database peerpath_bench_implementation to reload")
        load = _load()
        load["reused_existing_data"] = False
        org = Organisation.objects.get(slug=ORG_SLUG)
    leader = StaffMember.objects.get(username="bench-leader")
    counts = {
        "staff": StaffMember.objects.filter(organisation=org).count(),
        "teams": len(selectors.teams_for(leader)),
        "clients": Client.objects.filter(organisation=org).count(),
        "encounters": Encounter.objects.filter(organisation=org).count(),
        "peer_consultations": PeerConsultation.objects.filter(organisation=org).count(),
        "audit_events": AuditEvent.objects.filter(organisation=org).count(),
    }
    months = selectors.month_starts(months=36)
    end = selectors._next_month(months[-1])
    params = {"org": org.pk, "tz": settings.TIME_ZONE, "start": selectors._aware(months[0]), "end": selectors._aware(end),
              "end_day": end}

    def metrics() -> Any:
        return selectors.integration_metrics(user=leader, months=36)

    http = HttpClient()
    http.force_login(leader)

    def page(query: str = "") -> None:
        response = http.get(f"/implementation/integration/{query}", HTTP_HOST="localhost")
        if response.status_code != 200:
            raise SystemExit(f"bench: the page answered {response.status_code}")

    # Correctness first, and the statement counts on the sequential path.
    connection.queries_log.clear()
    compared = _check(_raw(params), metrics())
    # (Counted at once: every request clears the connection's query log.)
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        sequential = selectors.integration_metrics(user=leader, months=36)
    statements = {"metrics_36_months": len(captured.captured_queries)}
    _check(_raw(params), sequential)
    for name, query in (("page_default", ""), ("page_36_months", "?months=36")):
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            page(query)
        statements[name] = len(captured.captured_queries)

    load_before = [round(x, 2) for x in os.getloadavg()]
    page()  # warm caches (templates, the first connection)
    times: dict[str, list[float]] = {"raw_sql": [], "metrics_36_months": [], "page_default": [], "page_36_months": []}
    work = {"raw_sql": lambda: _raw(params), "metrics_36_months": metrics, "page_default": page,
            "page_36_months": lambda: page("?months=36")}
    for _ in range(repeat):
        for name, function in work.items():
            t0 = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - t0)
    med = {name: statistics.median(values) for name, values in times.items()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        pg_version = cursor.fetchone()[0]
    ratio = med["metrics_36_months"] / med["raw_sql"]
    figures = {
        "benchmark": "implementation: integration metrics per team and month of a whole organisation vs the raw SQL "
                     "aggregates they need, and the integration page",
        "data": counts,
        "n_repeats": repeat,
        "seconds": {name: {"median": round(med[name], 3), "all": [round(t, 3) for t in values]}
                    for name, values in times.items()},
        "ratio_metrics_to_raw_sql": round(ratio, 2),
        "sql_statements": {
            "raw_sql": len(RAW_SQL), **statements,
            "how_counted": "on the sequential path (inside a transaction), which issues the same statements; outside "
                           "a transaction the encounter scan, the audit-trail scan and the rest run at the same time "
                           "on three connections",
        },
        "checked_team_months": compared,
        "target": {"max_ratio": 2.0, "page_under_seconds": 1.0,
                   "met_default_page": ratio <= 2.0 and med["page_default"] < 1.0,
                   "met_36_month_page": ratio <= 2.0 and med["page_36_months"] < 1.0},
        "load": load,
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
                    "postgresql": pg_version.split(" on ")[0],
                    "load_average_1_5_15_min_before": load_before,
                    "load_average_after": [round(x, 2) for x in os.getloadavg()]},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: figures[k] for k in ("data", "seconds", "ratio_metrics_to_raw_sql", "sql_statements", "target")},
                     indent=2))


if __name__ == "__main__" and "--child" in sys.argv:
    sys.path.insert(0, str(BASE_DIR))
    child(sys.argv[sys.argv.index("--child") + 1:])
