"""Benchmark: FHIR Bulk Data ``$export`` of a whole organisation on PostgreSQL, beside a raw-SQL floor, and the import
of a 10,000-entry transaction Bundle (issue 15).

Data (bulk-loaded with generate_series once per size, re-used while the counts match), at ``--scale 1``: 100,000
clients (each with a referral and an active match), 1,000,000 peer encounters (one attendance each), 300,000 scored
PHQ-9 administrations with their nine item answers, 400 peers on 10 teams. ``--scale 0.02`` (or ``FHIR_BENCH_SCALE``)
loads 2 % of every count (organisation ``bench-fhir-<clients>``, so sizes live side by side).

Timed, in one process each (peak memory = the process's high-water RSS, reset just before):

* ``export``: ``peerpath.interop.fhir.bulk.run_export`` for a system-level ``$export`` of every type the leader may
  read — the job the queue runs: selectors, mappers, Part 2 labels, one NDJSON file per type;
* ``floor``: per type, one SQL statement reading the same rows (and the columns the mapper uses) as JSON with
  ``row_to_json`` through a server-side cursor, each row written as one line — no mapping;
* ``import``: ``peerpath.interop.fhir.bundle.import_bundle`` of one transaction Bundle of ``--import-entries`` (10,000)
  entries (4 Patients : 4 ServiceRequests : 2 admission Encounters) into a new organisation, then the same Bundle again
  (must change nothing).

Validity (``validity`` in the result file; exit status 1 if a check fails): NDJSON lines per type = independent SQL
counts; every line parses as its resource type (``fhir.resources`` R4B); the floor wrote the same number of rows; the
import answered 201 for every entry and created exactly the clients (names and birth dates as sent), referrals,
service-use events and identifiers sent; the re-send answered 200 for every entry and wrote nothing.

Run: ``peerpath bench fhir [--scale F] [--import-entries N] [--reload]``. Database: ``FHIR_BENCH_DATABASE_URL``
(default postgres://postgres@127.0.0.1:5432/peerpath_bench_fhir). Figures: bench/results/fhir.json
(``fhir-<scale>.json`` when the scale is not 1).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = str(Path(__file__).resolve().parent)
sys.path.insert(0, BENCH_DIR)  # bench/_common.py

from _common import _ensure_database, _insert  # noqa: E402

# This file is bench/fhir.py: with bench/ on the path, ``import fhir.resources`` would find it instead of the package.
sys.path[:] = [p for p in sys.path if p not in (BENCH_DIR, "")]

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/peerpath_bench_fhir"
FULL = {"clients": 100_000, "encounters": 1_000_000, "scores": 300_000, "peers": 400}
N_TEAMS = 10
IMPORT_ENTRIES = 10_000
TARGET_RATIO, TARGET_MB = 3.0, 200


def _option(argv: list[str], name: str, default: str) -> str:
    return argv[argv.index(name) + 1] if name in argv else default


def main(argv: list[str]) -> None:
    url = os.environ.get("FHIR_BENCH_DATABASE_URL", DEFAULT_URL)
    _ensure_database(url)
    var = os.environ.get("PEERPATH_VAR_DIR", str(Path(tempfile.gettempdir()) / "peerpath-bench-fhir-var"))
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings", "PEERPATH_VAR_DIR": var,
           "MEDIA_ROOT": str(Path(var) / "media")}
    for phase in ("--prepare", "--child"):  # loading in a process of its own keeps its memory out of the peaks
        code = subprocess.run([sys.executable, str(Path(__file__).resolve()), phase, *argv], env=env, cwd=BASE_DIR).returncode
        if code:
            raise SystemExit(code)


# ---------------------------------------------------------------- child process (Django set up on the bench DB)

def sizes(scale: float) -> dict[str, int]:
    out = {k: max(1, round(v * scale)) for k, v in FULL.items()}
    out["peers"] = max(N_TEAMS, out["peers"] - out["peers"] % N_TEAMS)  # peer i on team i % 10, like client r
    out["scores"] = out["clients"] * (FULL["scores"] // FULL["clients"])  # three scored measures per client
    return out


def _peak_reset() -> None:
    """Reset the process's high-water RSS (Linux ``clear_refs`` 5), so the next peak is the next phase's own."""
    Path("/proc/self/clear_refs").write_text("5")


def _rss_mb(field: str = "VmHWM") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(field)


def _load(slug: str, n: dict[str, int]) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from peerpath.accounts.models import StaffMember, TeamMembership
    from peerpath.care.models import Encounter, EncounterAttendance
    from peerpath.clients.models import Client, Match, Referral
    from peerpath.core.models import Organisation, Team
    from peerpath.measures.library import load_shipped
    from peerpath.measures.models import Administration, Instrument

    started = time.perf_counter()
    unusable = make_password(None)
    load_shipped()
    phq9 = Instrument.objects.get(organisation=None, code="phq9")
    n_clients, n_peers = n["clients"], n["peers"]
    with transaction.atomic():  # all or nothing: a failed load leaves no partial organisation behind
        org = Organisation.objects.create(name=f"Bench FHIR {n_clients}", slug=slug)
        teams = Team.objects.bulk_create([Team(organisation=org, name=f"Team {i}", team_type="community")
                                          for i in range(N_TEAMS)])
        leader = StaffMember.objects.create(username=f"{slug}-leader", organisation=org, role="leader", password=unusable)
        peers = StaffMember.objects.bulk_create([
            StaffMember(username=f"{slug}-peer-{i}", first_name="Peer", last_name=str(i), organisation=org, role="peer",
                        password=unusable, email=f"peer{i}@bench.example") for i in range(n_peers)])
        TeamMembership.objects.bulk_create([TeamMembership(staff=p, team=teams[i % N_TEAMS]) for i, p in enumerate(peers)]
                                           + [TeamMembership(staff=leader, team=teams[0])])
        peer0, team0 = peers[0].pk, teams[0].pk
        with connection.cursor() as cursor:
            # Client r is on team r % 10 and matched to peer r % n_peers (whose team is the same: n_peers % 10 == 0).
            _insert(cursor, Client, {
                "created_at": "now()", "updated_at": "now()", "is_active": "true", "organisation_id": str(org.pk),
                "first_name": "'Bench'", "last_name": "'Client ' || r", "date_of_birth": "DATE '1950-01-01' + (r * 37) % 18000",
                "record_number": "'B' || r", "language": "CASE WHEN r % 6 = 0 THEN 'es' ELSE 'en' END",
                "team_id": f"{team0} + r % {N_TEAMS}", "phone": "CASE WHEN r % 3 = 0 THEN '555-' || (1000 + r % 9000) ELSE '' END",
            }, f"FROM generate_series(0, {n_clients - 1}) AS r")
            base = Client.objects.filter(organisation=org).order_by("pk").values_list("pk", flat=True).first()
            rows = f"FROM (SELECT r, {base} + r AS client_id FROM generate_series(0, {n_clients - 1}) AS r) s"
            _insert(cursor, Referral, {
                "created_at": "now() - interval '200 days'", "updated_at": "now()", "is_active": "true",
                "organisation_id": str(org.pk), "client_id": "client_id", "team_id": f"{team0} + r % {N_TEAMS}",
                "referred_by_id": str(leader.pk), "reason": "'Bench referral ' || r",
                "urgency": "CASE r % 3 WHEN 0 THEN 'routine' WHEN 1 THEN 'soon' ELSE 'urgent' END",
                "status": "CASE WHEN r % 10 = 7 THEN 'declined' ELSE 'assigned' END",
                "assigned_peer_id": f"CASE WHEN r % 10 = 7 THEN NULL ELSE {peer0} + r % {n_peers} END",
            }, rows)
            _insert(cursor, Match, {
                "created_at": "now()", "updated_at": "now()", "is_active": "true", "organisation_id": str(org.pk),
                "client_id": "client_id", "peer_id": f"{peer0} + r % {n_peers}", "started_on": "CURRENT_DATE - 200",
            }, rows + " WHERE r % 10 <> 7")
            _insert(cursor, Encounter, {
                "created_at": "now()", "updated_at": "now()", "is_active": "true", "organisation_id": str(org.pk),
                "peer_id": f"{peer0} + (g % {n_clients}) % {n_peers}",
                "started_at": "now() - interval '1 hour' - interval '1 hour' * (g % 4000)",
                "duration_minutes": "30 + (g % 4) * 15",
                "modality": "CASE g % 4 WHEN 0 THEN 'phone' WHEN 1 THEN 'video' ELSE 'in_person' END",
                "setting": "CASE g % 3 WHEN 0 THEN 'home' ELSE 'community' END",
                "activities": "'[\"sharing_experience\"]'::jsonb", "peer_specific_minutes": "30", "note": "'Bench note.'",
            }, f"FROM generate_series(0, {n['encounters'] - 1}) AS g")
            first = Encounter.objects.filter(organisation=org).order_by("pk").values_list("pk", flat=True).first()
            cursor.execute(
                f"INSERT INTO {EncounterAttendance._meta.db_table} (encounter_id, client_id, started_at, duration_minutes) "
                f"SELECT id, {base} + (id - {first}) %% {n_clients}, started_at, duration_minutes "
                f"FROM {Encounter._meta.db_table} WHERE organisation_id = %s", [org.pk])
            per_client = max(1, n["scores"] // n_clients)
            total = "(3 + (r * 7 + j * 5) % 22)"
            band = (f"CASE WHEN {total} <= 4 THEN 'Minimal' WHEN {total} <= 9 THEN 'Mild' WHEN {total} <= 14 THEN 'Moderate' "
                    f"WHEN {total} <= 19 THEN 'Moderately severe' ELSE 'Severe' END")
            day = "(CURRENT_DATE - 180 + j * 60)"
            _insert(cursor, Administration, {
                "created_at": "now()", "updated_at": "now()", "is_active": "true", "organisation_id": str(org.pk),
                "client_id": f"{base} + r", "instrument_id": str(phq9.pk),
                "timepoint": "CASE j WHEN 0 THEN 'intake' ELSE 'followup' END", "due_on": day, "window_start": day,
                "window_end": day, "status": "'completed'", "completed_at": f"{day}::timestamptz + interval '11 hours'",
                "raw_score": total, "total_score": total, "band": band, "entered_by_id": f"{peer0} + r % {n_peers}",
                "mode": "'with_peer'", "language": "'en'",
            }, f"FROM (SELECT g % {n_clients} AS r, g / {n_clients} AS j FROM generate_series(0, {n_clients * per_client - 1}) AS g) s")
            cursor.execute(
                "INSERT INTO measures_itemanswer (administration_id, item_id, value) "
                "SELECT a.id, i.id, CASE WHEN i.number = 9 THEN 0 ELSE LEAST(3, GREATEST(0, a.total_score::int - 3 * (i.number - 1))) END "
                "FROM measures_administration a JOIN measures_instrumentitem i ON i.instrument_id = a.instrument_id "
                "WHERE a.organisation_id = %s", [org.pk])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"load_seconds": round(time.perf_counter() - started, 1)}


# Independent counts per type: what the export must hold for an organisation-wide reader with no Part 2 clients.
ACTIVE_CLIENTS = "SELECT id FROM clients_client WHERE organisation_id = %(org)s AND is_active"
STAFF = ("SELECT s.id FROM accounts_staffmember s WHERE s.organisation_id = %(org)s AND s.is_active AND s.role <> 'system' "
         "AND NOT EXISTS (SELECT 1 FROM interop_systemaccount x WHERE x.staff_id = s.id)")
COMPLETED = (f"SELECT a.* FROM measures_administration a WHERE a.organisation_id = %(org)s AND a.is_active "
             f"AND a.status = 'completed' AND a.client_id IN ({ACTIVE_CLIENTS})")
COUNT_SQL = {
    "Patient": f"SELECT count(*) FROM ({ACTIVE_CLIENTS}) c",
    "CareTeam": f"SELECT count(*) FROM ({ACTIVE_CLIENTS}) c",
    "ServiceRequest": "SELECT count(*) FROM clients_referral WHERE organisation_id = %(org)s AND is_active",
    "Encounter": ("SELECT count(*) FROM care_encounterattendance a JOIN care_encounter e ON e.id = a.encounter_id "
                  f"WHERE e.organisation_id = %(org)s AND e.is_active AND a.client_id IN ({ACTIVE_CLIENTS})"),
    "Goal": ("SELECT count(*) FROM care_goal g JOIN care_recoveryplan p ON p.id = g.plan_id WHERE p.organisation_id = %(org)s "
             f"AND p.is_active AND g.is_active AND p.client_id IN ({ACTIVE_CLIENTS})"),
    "CarePlan": (f"SELECT count(*) FROM care_recoveryplan WHERE organisation_id = %(org)s AND is_active "
                 f"AND client_id IN ({ACTIVE_CLIENTS})"),
    "QuestionnaireResponse": f"SELECT count(*) FROM ({COMPLETED}) a",
    "Observation": f"SELECT count(*) FROM ({COMPLETED}) a WHERE a.total_score IS NOT NULL",
    "Practitioner": f"SELECT count(*) FROM ({STAFF}) s",
    "PractitionerRole": f"SELECT count(*) FROM ({STAFF}) s",
    "Organization": "SELECT count(*) FROM core_organisation WHERE id = %(org)s AND is_active",
    "Questionnaire": ("SELECT count(*) FROM measures_instrument WHERE (organisation_id IS NULL OR organisation_id = %(org)s) "
                      "AND is_active"),
}

# The floor: the same rows, with the columns the mappers read, as JSON, one line each.
FLOOR_SQL = {
    "Patient": f"SELECT row_to_json(c) FROM clients_client c WHERE c.id IN ({ACTIVE_CLIENTS}) ORDER BY c.id",
    "CareTeam": ("SELECT json_build_object('client', c.id, 'team', c.team_id, 'peers', (SELECT json_agg(m.peer_id) "
                 "FROM clients_match m WHERE m.client_id = c.id AND m.is_active), 'members', (SELECT json_agg(t.staff_id) "
                 "FROM accounts_teammembership t WHERE t.team_id = c.team_id AND t.is_active)) "
                 f"FROM clients_client c WHERE c.id IN ({ACTIVE_CLIENTS}) ORDER BY c.id"),
    "ServiceRequest": "SELECT row_to_json(r) FROM clients_referral r WHERE organisation_id = %(org)s AND is_active ORDER BY id",
    "Encounter": ("SELECT json_build_object('attendance', a.id, 'client', a.client_id, 'encounter', row_to_json(e)) "
                  "FROM care_encounterattendance a JOIN care_encounter e ON e.id = a.encounter_id "
                  f"WHERE e.organisation_id = %(org)s AND e.is_active AND a.client_id IN ({ACTIVE_CLIENTS}) ORDER BY a.id"),
    "Goal": ("SELECT row_to_json(g) FROM care_goal g JOIN care_recoveryplan p ON p.id = g.plan_id "
             f"WHERE p.organisation_id = %(org)s AND p.is_active AND g.is_active AND p.client_id IN ({ACTIVE_CLIENTS}) "
             "ORDER BY g.id"),
    "CarePlan": (f"SELECT row_to_json(p) FROM care_recoveryplan p WHERE organisation_id = %(org)s AND is_active "
                 f"AND client_id IN ({ACTIVE_CLIENTS}) ORDER BY id"),
    "QuestionnaireResponse": ("SELECT json_build_object('administration', row_to_json(a), 'answers', (SELECT json_agg("
                              "json_build_object('item', i.number, 'value', x.value) ORDER BY i.number) FROM measures_itemanswer x "
                              "JOIN measures_instrumentitem i ON i.id = x.item_id WHERE x.administration_id = a.id)) "
                              f"FROM ({COMPLETED}) a ORDER BY a.id"),
    "Observation": f"SELECT row_to_json(a) FROM ({COMPLETED}) a WHERE a.total_score IS NOT NULL ORDER BY a.id",
    "Practitioner": f"SELECT row_to_json(s) FROM accounts_staffmember s WHERE s.id IN ({STAFF}) ORDER BY s.id",
    "PractitionerRole": f"SELECT row_to_json(s) FROM accounts_staffmember s WHERE s.id IN ({STAFF}) ORDER BY s.id",
    "Organization": "SELECT row_to_json(o) FROM core_organisation o WHERE id = %(org)s",
    "Questionnaire": ("SELECT row_to_json(i) FROM measures_instrument i WHERE (organisation_id IS NULL OR "
                      "organisation_id = %(org)s) AND is_active ORDER BY id"),
}


def _floor(org_id: int, types: list[str], folder: Path) -> dict[str, int]:
    from django.db import connection

    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for resource_type in types:
        with connection.chunked_cursor() as cursor, (folder / f"{resource_type}.ndjson").open("w", encoding="utf-8") as out:
            cursor.execute(FLOOR_SQL[resource_type], {"org": org_id})
            count = 0
            while rows := cursor.fetchmany(1000):
                for (row,) in rows:
                    out.write((row if isinstance(row, str) else json.dumps(row, separators=(",", ":"))) + "\n")
                    count += 1
        counts[resource_type] = count
    return counts


def _export(leader: Any) -> tuple[Any, float]:
    from django.db import transaction

    from peerpath.interop.fhir import bulk, policies
    from peerpath.interop.models import BulkExport

    types = [t for t in bulk.SYSTEM_TYPES if policies.may_read_type(leader, t)]
    with transaction.atomic():
        export = BulkExport.objects.create(organisation_id=leader.organisation_id, requested_by=leader, level="system",
                                           types=types, request_url="bench://$export")
    t0 = time.perf_counter()
    status = bulk.run_export(export.pk)
    seconds = time.perf_counter() - t0
    if status != "done":
        raise SystemExit(f"bench: export ended {status}")
    export.refresh_from_db()
    return export, seconds


def _parse_all(folder: Path, output: list[dict[str, Any]]) -> dict[str, Any]:
    from fhir.resources.R4B import get_fhir_model_class

    result: dict[str, Any] = {}
    for item in output:
        model = get_fhir_model_class(item["type"])
        lines = bad = wrong_type = 0
        with (folder / f"{item['type']}.ndjson").open(encoding="utf-8") as lines_in:
            for line in lines_in:
                lines += 1
                try:
                    resource = model.model_validate_json(line)
                except ValueError:
                    bad += 1
                    continue
                if resource.get_resource_type() != item["type"]:
                    wrong_type += 1
        result[item["type"]] = {"lines": lines, "manifest_count": item["count"], "unparsable": bad, "wrong_type": wrong_type}
    return result


def _bundle(n_entries: int) -> dict[str, Any]:
    n_patients = n_entries * 2 // 5
    n_requests = n_patients
    n_encounters = n_entries - n_patients - n_requests

    def patient(i: int) -> dict[str, Any]:
        return {"fullUrl": f"urn:uuid:p-{i}", "request": {"method": "POST", "url": "Patient"}, "resource": {
            "resourceType": "Patient",
            "identifier": [{"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]},
                            "system": "http://hospital.bench/mrn", "value": f"MRN-{i}"}],
            "name": [{"family": f"Imported {i}", "given": [f"Given{i % 97}"]}], "gender": "unknown",
            "birthDate": f"{1950 + i % 50}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "telecom": [{"system": "phone", "value": f"555-{1000 + i % 9000}"}]}}

    def request(i: int) -> dict[str, Any]:
        return {"fullUrl": f"urn:uuid:sr-{i}", "request": {"method": "POST", "url": "ServiceRequest"}, "resource": {
            "resourceType": "ServiceRequest", "identifier": [{"system": "http://hospital.bench/orders", "value": f"SR-{i}"}],
            "status": "active", "intent": "order", "subject": {"reference": f"urn:uuid:p-{i}"},
            "priority": ["routine", "urgent", "asap"][i % 3], "reasonCode": [{"text": f"Bench referral {i}"}]}}

    def admission(i: int) -> dict[str, Any]:
        return {"fullUrl": f"urn:uuid:e-{i}", "request": {"method": "POST", "url": "Encounter"}, "resource": {
            "resourceType": "Encounter", "identifier": [{"system": "http://hospital.bench/visits", "value": f"ADM-{i}"}],
            "status": "finished", "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"},
            "subject": {"reference": f"urn:uuid:p-{i % n_patients}"},
            "period": {"start": f"2026-0{1 + i % 9}-0{1 + i % 9}T08:00:00Z", "end": f"2026-0{1 + i % 9}-1{i % 9}T12:00:00Z"},
            "serviceProvider": {"display": "Bench General"}}}

    entries = [*map(patient, range(n_patients)), *map(request, range(n_requests)), *map(admission, range(n_encounters))]
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}


def _import(n_entries: int) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password

    from peerpath.accounts.models import StaffMember, TeamMembership
    from peerpath.clients.models import Client, Referral
    from peerpath.core.models import Organisation, Team
    from peerpath.interop.fhir.bundle import import_bundle
    from peerpath.interop.models import ExternalIdentifier
    from peerpath.outcomes.models import ServiceEvent

    stamp = time.strftime("%Y%m%d%H%M%S")
    org = Organisation.objects.create(name=f"Bench FHIR import {stamp}", slug=f"bench-fhir-import-{stamp}")
    team = Team.objects.create(organisation=org, name="Import team", team_type="community")
    leader = StaffMember.objects.create(username=f"bench-fhir-import-{stamp}", organisation=org, role="leader",
                                        password=make_password(None))
    TeamMembership.objects.create(staff=leader, team=team)
    body = json.dumps(_bundle(n_entries))  # what arrives on the wire

    def counts() -> dict[str, int]:
        return {"clients": Client.objects.filter(organisation=org).count(),
                "referrals": Referral.objects.filter(organisation=org).count(),
                "service_events": ServiceEvent.objects.filter(organisation=org, is_active=True).count(),
                "identifiers": ExternalIdentifier.objects.filter(organisation=org).count()}

    _peak_reset()
    rss_before = _rss_mb("VmRSS")
    t0 = time.perf_counter()
    status, response = import_bundle(actor=leader, bundle=json.loads(body))
    seconds = time.perf_counter() - t0
    peak = _rss_mb()
    after_first = counts()
    t0 = time.perf_counter()
    status_again, response_again = import_bundle(actor=leader, bundle=json.loads(body))
    seconds_again = time.perf_counter() - t0
    after_second = counts()
    sent = _bundle(n_entries)["entry"]
    sent_patients = sorted((e["resource"]["name"][0]["given"][0], e["resource"]["name"][0]["family"], e["resource"]["birthDate"])
                           for e in sent if e["resource"]["resourceType"] == "Patient")
    stored = sorted((f, last, str(dob)) for f, last, dob in
                    Client.objects.filter(organisation=org).values_list("first_name", "last_name", "date_of_birth"))
    sent_reasons = sorted(e["resource"]["reasonCode"][0]["text"] for e in sent if e["resource"]["resourceType"] == "ServiceRequest")
    stored_reasons = sorted(Referral.objects.filter(organisation=org).values_list("reason", flat=True))
    expected = {"clients": len(sent_patients), "referrals": len(sent_reasons),
                "service_events": sum(e["resource"]["resourceType"] == "Encounter" for e in sent), "identifiers": len(sent)}
    statuses = [e["response"]["status"] for e in response.get("entry", [])]
    statuses_again = [e["response"]["status"] for e in response_again.get("entry", [])]
    return {
        "entries": n_entries, "bundle_bytes": len(body), "seconds": round(seconds, 2),
        "entries_per_second": round(n_entries / seconds, 1), "rss_before_mb": rss_before, "peak_rss_mb": peak,
        "resend_seconds": round(seconds_again, 2),
        "checks": {
            "answered_201_for_every_entry": {"ok": status == 200 and statuses == ["201 Created"] * n_entries,
                                             "http_status": status, "entries_answered": len(statuses)},
            "created_exactly_what_was_sent": {"ok": after_first == expected
                                              and stored == sent_patients and stored_reasons == sent_reasons,
                                              "expected": expected, "created": after_first,
                                              "client_names_and_birth_dates_equal": stored == sent_patients,
                                              "referral_reasons_equal": stored_reasons == sent_reasons},
            "resend_answered_200_and_wrote_nothing": {"ok": status_again == 200 and statuses_again == ["200 OK"] * n_entries
                                                      and after_second == after_first, "after_resend": after_second},
        },
    }


def _settings(argv: list[str]) -> tuple[float, int, dict[str, int], str]:
    scale = float(_option(argv, "--scale", os.environ.get("FHIR_BENCH_SCALE", "1")))
    n = sizes(scale)
    return scale, int(_option(argv, "--import-entries", str(IMPORT_ENTRIES))), n, f"bench-fhir-{n['clients']}"


def prepare(argv: list[str]) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from peerpath.care.models import Encounter
    from peerpath.clients.models import Client
    from peerpath.core.models import Organisation

    _scale, _n_import, n, slug = _settings(argv)
    call_command("migrate", verbosity=0)
    org = Organisation.objects.filter(slug=slug).first()
    load: dict[str, Any] = {"reused_existing_data": True}
    complete = org is not None and Client.objects.filter(organisation=org).count() == n["clients"] and (
        Encounter.objects.filter(organisation=org).count() == n["encounters"])
    if not complete:
        if org is not None:
            raise SystemExit(f"bench: organisation {slug} exists but is incomplete; drop the database and run again")
        load = {**_load(slug, n), "reused_existing_data": False}
    (Path(os.environ["PEERPATH_VAR_DIR"]) / f"{slug}-load.json").write_text(json.dumps(load))


def child(argv: list[str]) -> None:
    import django

    django.setup()
    from django.db import connection

    from peerpath.accounts.models import StaffMember
    from peerpath.core.models import Organisation
    from peerpath.interop.fhir.bulk import export_dir

    scale, n_import, n, slug = _settings(argv)
    org = Organisation.objects.get(slug=slug)
    load = json.loads((Path(os.environ["PEERPATH_VAR_DIR"]) / f"{slug}-load.json").read_text())
    leader = StaffMember.objects.get(username=f"{slug}-leader")
    load_before = [round(x, 2) for x in os.getloadavg()]

    _peak_reset()
    rss_before = _rss_mb("VmRSS")
    export, export_seconds = _export(leader)
    export_peak = _rss_mb()
    folder = export_dir(export)
    exported = {o["type"]: o["count"] for o in export.output}
    total = sum(exported.values())
    export_bytes = sum((folder / f"{t}.ndjson").stat().st_size for t in exported)

    floor_folder = folder.parent / f"floor-{export.pk}"
    _peak_reset()
    t0 = time.perf_counter()
    floor_counts = _floor(org.pk, list(exported), floor_folder)
    floor_seconds = time.perf_counter() - t0
    floor_peak = _rss_mb()
    floor_bytes = sum(p.stat().st_size for p in floor_folder.glob("*.ndjson"))

    with connection.cursor() as cursor:
        sql_counts = {}
        for resource_type in exported:
            cursor.execute(COUNT_SQL[resource_type], {"org": org.pk})
            sql_counts[resource_type] = cursor.fetchone()[0]
        cursor.execute("SELECT version()")
        pg_version = cursor.fetchone()[0]
    t0 = time.perf_counter()
    parsed = _parse_all(folder, export.output)
    parse_seconds = time.perf_counter() - t0
    imported = _import(n_import)
    ratio = export_seconds / floor_seconds

    checks = {
        "ndjson_lines_per_type_equal_sql_counts": {
            "ok": all(parsed[t]["lines"] == parsed[t]["manifest_count"] == sql_counts[t] for t in exported),
            "per_type": {t: {"ndjson_lines": parsed[t]["lines"], "manifest": exported[t], "sql": sql_counts[t]} for t in exported}},
        "every_line_parses_as_its_type": {
            "ok": all(p["unparsable"] == 0 and p["wrong_type"] == 0 for p in parsed.values()),
            "per_type": {t: {k: p[k] for k in ("unparsable", "wrong_type")} for t, p in parsed.items()},
            "how": "fhir.resources R4B model_validate_json on every line", "seconds": round(parse_seconds, 1)},
        "floor_read_the_same_rows": {"ok": floor_counts == sql_counts, "floor": floor_counts},
        "data_has_the_requested_size": {"ok": exported.get("Patient") == n["clients"] and exported.get("Encounter") == n["encounters"]
                                        and exported.get("Observation") == (n["scores"] // n["clients"]) * n["clients"],
                                        "requested": n},
        **{f"import_{k}": v for k, v in imported.pop("checks").items()},
    }
    figures = {
        "benchmark": "fhir: system-level $export of an organisation vs a raw-SQL JSON floor; import of a transaction Bundle",
        "scale": scale, "data": {**n, "resources_exported": total},
        "export": {"seconds": round(export_seconds, 2), "resources_per_second": round(total / export_seconds, 1),
                   "rss_before_mb": rss_before, "peak_rss_mb": export_peak, "bytes": export_bytes, "per_type": exported},
        "floor": {"seconds": round(floor_seconds, 2), "rows_per_second": round(sum(floor_counts.values()) / floor_seconds, 1),
                  "peak_rss_mb": floor_peak, "bytes": floor_bytes,
                  "how": "per type one SQL statement, row_to_json / json_build_object over the same rows, server-side "
                         "cursor, one line per row to a file"},
        "ratio_export_to_floor": round(ratio, 2),
        "target": {"max_ratio": TARGET_RATIO, "peak_rss_under_mb": TARGET_MB,
                   "met": ratio <= TARGET_RATIO and export_peak < TARGET_MB},
        "import": imported,
        "load": load,
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
                    "postgresql": pg_version.split(" on ")[0],
                    "load_average_1_5_15_min_before": load_before, "load_average_after": [round(x, 2) for x in os.getloadavg()]},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    figures["validity"] = {"ok": all(c["ok"] for c in checks.values()), "checks": checks}
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(floor_folder, ignore_errors=True)
    result = BASE_DIR / "bench" / "results" / ("fhir.json" if scale == 1 else f"fhir-{scale:g}.json")
    result.parent.mkdir(parents=True, exist_ok=True)
    result.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: figures[k] for k in ("data", "export", "floor", "ratio_export_to_floor", "target")}, indent=2))
    print(json.dumps({k: v for k, v in figures["import"].items()}, indent=2))
    print(f"validity {'ok' if figures['validity']['ok'] else 'FAILED'} -> {result}")
    if not figures["validity"]["ok"]:
        raise SystemExit(1)


if __name__ == "__main__" and "--prepare" in sys.argv:
    sys.path.insert(0, str(BASE_DIR))
    prepare(sys.argv[sys.argv.index("--prepare") + 1:])
elif __name__ == "__main__" and "--child" in sys.argv:
    sys.path.insert(0, str(BASE_DIR))
    child(sys.argv[sys.argv.index("--child") + 1:])
