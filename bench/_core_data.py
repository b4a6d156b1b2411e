"""Data for the core benchmark (runs in a subprocess with Django set up on the bench database and
the server's own SECRET_KEY, so the sessions it signs are the ones the server accepts).

100,000 clients, 1,000,000 encounters (with attendance rows), 1,000 staff of whom 800 peers with
25 active matches each, recovery plans with goals and steps for every matched client: bulk-loaded
with generate_series once, re-used while the counts match.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
N_CLIENTS, N_ENCOUNTERS, N_STAFF, N_PEERS, N_TEAMS, CASELOAD = 100_000, 1_000_000, 1_000, 800, 20, 25
LOAD_PEERS = 32
ORG_SLUG = "bench-core"
BENCH_NOTE = "Benchmark check-in call."


def prepare(argv: list[str]) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from peerpath.clients.models import Client
    from peerpath.core.models import Organisation

    org = Organisation.objects.filter(slug=ORG_SLUG).first()
    from peerpath.care.models import Encounter

    # Encounters recorded by earlier runs' encounter-create load go, so every run starts from the same data.
    Encounter.objects.filter(note=BENCH_NOTE).delete()
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

    # The audit trail refuses TRUNCATE (core migration 0006); the benchmark's own database is
    # re-seeded as a superuser with the guard set aside for this transaction only.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
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
        # This process runs with the server's SECRET_KEY: the session data and the auth hash in it
        # are signed with the key the server checks them with.
        session = SessionStore()
        session[SESSION_KEY] = str(peer.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = peer.get_session_auth_hash()
        session.create()
        client_id = Match.objects.filter(peer=peer, is_active=True).values_list("client_id", flat=True).first()
        credentials.append({"token": secret, "cookie": session.session_key, "client": client_id})
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


def encounter_count() -> int:
    from peerpath.care.models import Encounter

    return Encounter.objects.count()


if __name__ == "__main__" and "--prepare" in sys.argv:
    sys.path.insert(0, str(BASE_DIR))
    prepare(sys.argv[sys.argv.index("--prepare") + 1:])
