"""Benchmark: the service-event CSV import (issue 11 point 5) on PostgreSQL, at 10,000 and 100,000 rows.

Data (loaded once, re-used): one organisation with 20,000 clients and 200,000 service events already
recorded (the import must look up only the keys in its file, not these). Each size is imported in a fresh
process (so its peak memory is its own) from a file on disk, read as the page reads an upload: a binary
stream into ``services.import_service_events``. The file has a BOM, CR LF line endings, a blank line every
1,000 rows, and known bad rows (unknown record number, impossible date, an extra field, an unclosed quote,
a repeat of an earlier row of the file, a repeat of an event already recorded). While it runs, another
connection polls the run's ``rows_done`` (the progress the page shows).

Validity (written into the result file; exit status 1 if any fails): rows written == rows made good, by a
raw SQL count of this run's rows; every written row traced exactly once in the audit trail (raw SQL: named
by id, client and kind in one of the run's batch events, its client a subject of that event); the hash chain
verifies afterwards (``peerpath audit verify``'s check); the refused rows are exactly the lines made bad (by
line number); the run says done with the right totals; progress was seen mid-run.

Besides wall time it records this process's CPU time and, when PostgreSQL runs on this machine, the CPU
time of the import's PostgreSQL backend (``/proc/<pid>/stat``): on a shared, loaded machine the wall time
is mostly waiting for a core, and the two CPU figures are the work the import costs.

Run: ``peerpath bench imports [--sizes 10000,100000]``. Database: ``IMPORTS_BENCH_DATABASE_URL`` (default
postgres://postgres@127.0.0.1:5432/peerpath_bench_imports). Figures go to bench/results/imports.json.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/_common.py

from _common import _ensure_database, _insert  # noqa: E402

RESULT = BASE_DIR / "bench" / "results" / "imports.json"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/peerpath_bench_imports"
N_CLIENTS, N_EXISTING = 20_000, 200_000
ORG_SLUG = "bench-imports"
TARGET_SECONDS_100K = 15.0
# "Flat in the file's size": ten times the rows may not cost more than this much more peak memory.
FLAT_MEMORY_MB = 40.0


def main(argv: list[str]) -> None:
    url = os.environ.get("IMPORTS_BENCH_DATABASE_URL", DEFAULT_URL)
    _ensure_database(url)
    sizes = [10_000, 100_000]
    if "--sizes" in argv:
        sizes = [int(s) for s in argv[argv.index("--sizes") + 1].split(",")]
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings",
           "DEBUG": "false",  # as in production: DEBUG keeps every query (and its parameters) in memory
           "PYTHONPATH": os.pathsep.join(filter(None, [str(BASE_DIR), os.environ.get("PYTHONPATH", "")])),  # this tree's code
           "PEERPATH_VAR_DIR": os.environ.get("PEERPATH_VAR_DIR", str(Path(tempfile.gettempdir()) / "peerpath-bench-imports-var"))}
    me = str(Path(__file__).resolve())
    subprocess.run([sys.executable, me, "--setup"], env=env, cwd=BASE_DIR, check=True)
    runs = []
    for size in sizes:
        out = subprocess.run([sys.executable, me, "--measure", str(size)], env=env, cwd=BASE_DIR, check=True,
                             capture_output=True, text=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps({k: runs[-1][k] for k in ("rows", "seconds", "process_cpu_seconds", "database_backend_cpu_seconds",
                                                   "rows_per_second", "peak_rss_mb",
                                                   "peak_rss_increase_mb", "load_average_before")}))
    by_size = {r["rows"]: r for r in runs}
    checks = [{"check": f"{r['rows']} rows: {c['check']}", "ok": c["ok"], **{k: v for k, v in c.items() if k not in ("check", "ok")}}
              for r in runs for c in r["checks"]]
    if 10_000 in by_size and 100_000 in by_size:
        growth = by_size[100_000]["peak_rss_increase_mb"] - by_size[10_000]["peak_rss_increase_mb"]
        checks.append({"check": f"memory flat in the file's size: 100k rows use at most {FLAT_MEMORY_MB} MB more than 10k",
                       "ok": growth <= FLAT_MEMORY_MB, "growth_mb": round(growth, 1)})
    target = None
    if 100_000 in by_size:
        target = {"rows_100k_under_seconds": TARGET_SECONDS_100K, "seconds": by_size[100_000]["seconds"],
                  "met": by_size[100_000]["seconds"] < TARGET_SECONDS_100K}
    figures = {
        "benchmark": "imports: service-event CSV import (stream, per-batch look-ups, one transaction) on PostgreSQL",
        "runs": runs,
        "target": target,
        "validity": {"ok": all(c["ok"] for c in checks), "checks": checks,
                     "how": "raw SQL counts of the rows and audit events this run wrote, the refused line numbers "
                            "compared with the lines the benchmark made bad, the run record, progress polled "
                            "from a second connection while the import ran"},
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"target {'met' if target and target['met'] else 'MISSED' if target else 'n/a'}; "
          f"validity {'ok' if figures['validity']['ok'] else 'FAILED'}")
    if not figures["validity"]["ok"]:
        raise SystemExit(1)


# ---------------------------------------------------------------- child processes (Django on the bench DB)

def setup() -> None:
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, transaction

    from peerpath.accounts.models import StaffMember
    from peerpath.clients.models import Client
    from peerpath.core.models import Organisation, Team
    from peerpath.outcomes.models import ServiceEvent

    call_command("migrate", verbosity=0)
    if Organisation.objects.filter(slug=ORG_SLUG).exists():
        return
    with transaction.atomic():
        org = Organisation.objects.create(name="Bench imports", slug=ORG_SLUG)
        team = Team.objects.create(organisation=org, name="Bench team", team_type="community")
        leader = StaffMember.objects.create(username="bench-import-leader", organisation=org, role="leader",
                                            password=make_password(None))
        with connection.cursor() as cursor:
            _insert(cursor, Client, {
                "created_at": "now()", "updated_at": "now()", "is_active": "true", "organisation_id": str(org.pk),
                "first_name": "'Bench'", "last_name": "'Client ' || r", "date_of_birth": "DATE '1960-01-01' + r % 15000",
                "record_number": "'B' || r", "language": "'en'", "team_id": str(team.pk),
            }, f"FROM generate_series(0, {N_CLIENTS - 1}) AS r")
            base = Client.objects.filter(organisation=org).order_by("pk").values_list("pk", flat=True).first()
            # Existing event g: client B(g % N), crisis, 2025-01-01 + g % 300, external id BASE-g.
            _insert(cursor, ServiceEvent, {
                "created_at": "now()", "updated_at": "now()", "is_active": "true", "organisation_id": str(org.pk),
                "client_id": f"{base} + g % {N_CLIENTS}", "kind": "'crisis'", "occurred_on": "DATE '2025-01-01' + g % 300",
                "status": "''", "facility": "'Bench'", "source": "'import'", "external_id": "'BASE-' || g",
                "recorded_by_id": str(leader.pk),
            }, f"FROM generate_series(0, {N_EXISTING - 1}) AS g")
        cursor = connection.cursor()
        cursor.execute("ANALYZE")


def _write_file(path: Path, rows: int, token: str) -> tuple[set[int], int]:
    """The CSV file; returns the line numbers made bad and the number of good rows."""
    bad: set[int] = set()
    good = 0
    line = 1
    with path.open("wb") as out:
        out.write(b"\xef\xbb\xbfrecord_number,kind,occurred_on,ended_on,status,facility,external_id\r\n")
        previous = ""
        for i in range(rows):
            if i and i % 1000 == 0:
                out.write(b"\r\n")  # a blank line: skipped, and counted in the line numbers
                line += 1
            line += 1
            client = (i * 7) % N_CLIENTS
            row = f"B{client},emergency,2026-0{1 + i % 9}-{1 + i % 28:02d},,,Bench General,{token}-{i}"
            if i % 97 == 13:
                row = f"NOPE-{i},emergency,2026-01-05,,,,{token}-{i}"
            elif i % 89 == 17:
                row = f"B{client},emergency,2026-13-45,,,,{token}-{i}"
            elif i % 83 == 19:
                row = f"B{client},emergency,2026-01-05,,,Ward,{token}-{i},extra"
            elif i % 79 == 23:
                row = f'B{client},emergency,2026-01-05,,,"Ward 4,{token}-{i}'
            elif i % 73 == 29 and previous:
                row = previous  # the same event as the line before: a duplicate within the file
            elif i % 71 == 31:
                g = (i * 13) % N_EXISTING
                row = f"B{g % N_CLIENTS},crisis,{_existing_date(g)},,,,BASE-{g}"  # already recorded
            else:
                good += 1
                previous = row
                out.write(row.encode() + b"\r\n")
                continue
            bad.add(line)
            out.write(row.encode() + b"\r\n")
    return bad, good


def _existing_date(g: int) -> str:
    import datetime as dt

    return (dt.date(2025, 1, 1) + dt.timedelta(days=g % 300)).isoformat()


def _rss_mb(field: str) -> float:
    for text in Path("/proc/self/status").read_text().splitlines():
        if text.startswith(field + ":"):
            return int(text.split()[1]) / 1024
    return 0.0


def _backend_cpu(pid: int) -> float | None:
    """User + system CPU seconds of a local PostgreSQL backend, or None (a remote server, no /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _verify_from(organisation_id: int, first_id: int) -> tuple[int, str | None]:
    """``peerpath audit verify``'s check of one organisation's chain from event ``first_id`` (the head before
    the import) to its end: each event follows the one before it and its hash matches its content and
    subjects. (The whole chain of the bench database grows with every run: minutes to walk.)"""
    from peerpath.core.audit_chain import FIELDS, _with_subjects, event_digest
    from peerpath.core.models import AuditEvent, AuditEventSubject

    rows = AuditEvent.objects.filter(organisation_id=organisation_id, id__gte=first_id).order_by("id").values(*FIELDS)
    checked, previous = 0, None
    chunk: list[dict] = []
    for row in list(rows.iterator(chunk_size=2000)) + [None]:
        if row is not None:
            chunk.append(row)
            if len(chunk) < 2000:
                continue
        for event in _with_subjects(chunk, AuditEventSubject):
            checked += 1
            if previous is not None and event["previous_hash"] != previous:
                return checked, f"event {event['id']} does not follow the one before it"
            if event_digest(event["previous_hash"], event, event["subjects"]) != event["chain_hash"]:
                return checked, f"event {event['id']}: its content does not match its hash"
            previous = event["chain_hash"]
        chunk = []
    return checked, None


def measure(rows: int) -> None:
    import django

    django.setup()
    import psycopg
    from django.db import connection

    from peerpath.accounts.models import StaffMember
    from peerpath.core.models import AuditEvent, Organisation
    from peerpath.outcomes import services
    from peerpath.outcomes.models import ImportRun

    org = Organisation.objects.get(slug=ORG_SLUG)
    leader = StaffMember.objects.get(username="bench-import-leader")
    token = f"R{int(time.time() * 1000)}"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.csv"
        bad, good = _write_file(path, rows, token)
        size_mb = path.stat().st_size / 2**20
        connection.ensure_connection()
        # A second connection, polled from a thread, sees what the page would see while the import runs. The
        # thread uses its own psycopg connection (not Django's), and only reads.
        seen: list[int] = []
        stop = threading.Event()
        s = connection.settings_dict
        dsn = f"host={s['HOST'] or '127.0.0.1'} port={s['PORT'] or 5432} user={s['USER']} dbname={s['NAME']}"

        def poll() -> None:
            with psycopg.connect(dsn, autocommit=True) as side:
                while not stop.is_set():
                    row = side.execute("SELECT rows_done FROM outcomes_importrun WHERE organisation_id = %s AND "
                                       "status = 'running' ORDER BY id DESC LIMIT 1", [org.pk]).fetchone()
                    if row and row[0]:
                        seen.append(row[0])
                    time.sleep(0.2)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        load_before = [round(x, 2) for x in os.getloadavg()]
        rss_before = _rss_mb("VmRSS")
        try:
            Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current RSS
        except OSError:
            pass
        backend_pid = connection.connection.info.backend_pid
        backend_started = _backend_cpu(backend_pid)
        head_before = AuditEvent.objects.filter(organisation_id=org.pk).order_by("-id").values_list("id", flat=True).first() or 0
        started, cpu_started = time.perf_counter(), time.process_time()
        with path.open("rb") as stream:
            result = services.import_service_events(actor=leader, data=stream, filename="events.csv")
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
        backend_ended = _backend_cpu(backend_pid)
        peak = _rss_mb("VmHWM")
        load_after = [round(x, 2) for x in os.getloadavg()]
        stop.set()
        poller.join(timeout=5)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM outcomes_serviceevent WHERE organisation_id = %s AND external_id LIKE %s",
                       [org.pk, token + "-%"])
        written = cursor.fetchone()[0]
        # Each written row's audit trace: named (id, client, kind) in one of this run's batch events, its
        # client a searchable subject of that event. Counted per row of outcomes_serviceevent, so a row named
        # twice, or by the wrong client or kind, or without its subject, does not count as traced.
        cursor.execute("""
            WITH named AS (
                SELECT a.id AS audit_id, (x->>0)::bigint AS event_id, (x->>1)::bigint AS client_id, x->>2 AS kind
                FROM core_auditevent a CROSS JOIN jsonb_array_elements(a.detail->'events') x
                WHERE a.organisation_id = %s AND a.target_type = 'outcomes.serviceevent' AND a.action = 'create'
                  AND a.detail->>'run' = %s),
            matched AS (
                SELECT e.id, count(*) AS c FROM named n
                JOIN outcomes_serviceevent e ON e.id = n.event_id AND e.client_id = n.client_id AND e.kind = n.kind
                JOIN core_auditeventsubject s ON s.event_id = n.audit_id AND s.client_id = n.client_id
                WHERE e.organisation_id = %s AND e.external_id LIKE %s
                GROUP BY e.id)
            SELECT count(*) FILTER (WHERE c = 1), count(*) FILTER (WHERE c > 1) FROM matched""",
                       [org.pk, str(result.run.pk), org.pk, token + "-%"])
        audited, audited_twice = cursor.fetchone()
        cursor.execute("SELECT count(*), coalesce(sum(jsonb_array_length(detail->'events')), 0) FROM core_auditevent "
                       "WHERE organisation_id = %s AND target_type = 'outcomes.serviceevent' AND detail->>'run' = %s",
                       [org.pk, str(result.run.pk)])
        audit_events, audit_named = cursor.fetchone()
    verify_started = time.perf_counter()
    chain = _verify_from(org.pk, head_before)
    verify_seconds = time.perf_counter() - verify_started
    run = ImportRun.objects.get(pk=result.run.pk)
    refused = {p.row for p in result.problems}
    checks = [
        {"check": "rows written (raw SQL count) == rows made good", "ok": written == good, "written": written, "good": good},
        {"check": "every written row traced exactly once: named in one of the run's audit events, its client a "
                  "subject of that event (raw SQL)", "ok": audited == good and audited_twice == 0 and audit_named == good,
         "traced": audited, "traced_twice": audited_twice, "audit_events": audit_events, "rows_named": audit_named},
        {"check": "the audit hash chain verifies from the head before the import through every event it wrote "
                  "(the check of peerpath audit verify, on that stretch)", "ok": chain[1] is None and chain[0] > 1,
         "events_checked": chain[0], "broken": chain[1],
         "verify_seconds": round(verify_seconds, 2)},
        {"check": "refused rows are exactly the lines made bad", "ok": refused == bad and len(result.problems) == len(bad),
         "refused": len(result.problems), "made_bad": len(bad), "unexpected": sorted(refused - bad)[:10],
         "missed": sorted(bad - refused)[:10]},
        {"check": "the run record: done, every row counted", "ok": (run.status, run.rows_total, run.rows_imported,
                                                                     len(run.errors)) == ("done", rows, good, len(bad))},
        {"check": "progress seen from another connection while it ran", "ok": bool(seen) and min(seen) < rows,
         "progress_samples": len(seen), "first_seen": seen[0] if seen else None},
    ]
    print(json.dumps({
        "rows": rows, "file_mb": round(size_mb, 2), "rows_good": good, "rows_bad": len(bad),
        "seconds": round(seconds, 2), "rows_per_second": round(rows / seconds),
        # This process's own CPU time (the poller thread's share is tiny): on a shared, loaded machine the
        # wall time is mostly waiting for a core; PostgreSQL's time is in neither figure's CPU part.
        "process_cpu_seconds": round(cpu_seconds, 2),
        "database_backend_cpu_seconds": (round(backend_ended - backend_started, 2)
                                         if backend_started is not None and backend_ended is not None else None),
        "peak_rss_mb": round(peak, 1), "rss_before_mb": round(rss_before, 1),
        "peak_rss_increase_mb": round(peak - rss_before, 1),
        "load_average_before": load_before, "load_average_after": load_after,
        "existing_events_in_organisation": N_EXISTING, "checks": checks,
    }))


if __name__ == "__main__":
    if "--setup" in sys.argv:
        setup()
    elif "--measure" in sys.argv:
        measure(int(sys.argv[sys.argv.index("--measure") + 1]))
    else:
        main(sys.argv[1:])
