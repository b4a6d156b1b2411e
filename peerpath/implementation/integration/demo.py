"""Demo data for integration trends: twelve months in which the peers of the first team (Riverside ACT) are
drawn into the team — invited to and attending meetings, consulted by colleagues, reading their clients'
records, and spending more of their client time on peer-specific work — while the other teams stay level.

It adds what the core demo does not have (meetings before the last six months, consultations, record reads)
and re-labels some of the first team's older encounters as generic tasks, so the first gradient moves too."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from peerpath.care.choices import GENERIC_ACTIVITIES
from peerpath.care.models import Encounter, PeerConsultation, TeamMeeting, TeamMeetingAttendance
from peerpath.care.services import peer_specific_minutes_for
from peerpath.clients.models import Match
from peerpath.core.audit import audit_record_history
from peerpath.core.choices import AuditAction, Role
from peerpath.demo import names
from peerpath.demo.context import DemoContext
from peerpath.implementation.integration.selectors import month_starts

MONTHS = 12
TOPICS = [
    "How to start with someone who says they do not need help",
    "Preparing a client for the discharge meeting",
    "Talking about medication side effects without taking sides",
    "Ideas for connecting a client with a community group",
    "What recovery could look like for someone just admitted",
    "A client who keeps missing appointments",
]


def _rising(months_ago: int, low: float, high: float) -> float:
    """From ``low`` twelve months ago to ``high`` this month."""
    return low + (high - low) * (MONTHS - 1 - months_ago) / (MONTHS - 1)


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=timezone.get_current_timezone())


def seed_integration(ctx: DemoContext) -> None:
    org = ctx.organisations[0]
    teams = ctx.teams[org.pk]
    rising_team = teams[0]
    memberships = {s.pk: set(s.teams.values_list("pk", flat=True)) for s in ctx.all_staff[org.pk]}
    _earlier_meetings(ctx, org, teams, memberships)
    _consultations(ctx, org, teams, memberships, rising_team.pk)
    _record_reads(ctx, org, memberships, rising_team.pk)
    _drift_early_encounters(ctx, memberships, rising_team.pk)


def _earlier_meetings(ctx: DemoContext, org: Any, teams: list[Any], memberships: dict[int, set[int]]) -> None:
    """Weekly meetings from a year ago to where the core demo's six months begin; peers of the first team
    were mostly left out then."""
    rng, today = ctx.rng, ctx.today
    staff = ctx.all_staff[org.pk]
    recorder = next(s for s in staff if s.role == Role.SUPERVISOR)
    for index, team in enumerate(teams):
        members = [s for s in staff if team.pk in memberships[s.pk]]
        for week in range(52, 26, -1):
            meeting = TeamMeeting.objects.create(
                organisation=org, team=team, held_at=_at(today - timedelta(days=week * 7), 9), duration_minutes=60,
                topic=rng.choice(names.MEETING_TOPICS), recorded_by=recorder, notes="Caseload review.")
            peer_rate = 0.15 if index == 0 else 0.45
            TeamMeetingAttendance.objects.bulk_create([
                TeamMeetingAttendance(meeting=meeting, staff=s,
                                      attended=rng.random() < (peer_rate if s.role == Role.PEER else 0.9))
                for s in members])


def _consultations(ctx: DemoContext, org: Any, teams: list[Any], memberships: dict[int, set[int]],
                   rising_team_id: int) -> None:
    rng, today = ctx.rng, ctx.today
    staff = ctx.all_staff[org.pk]
    askers = [s for s in staff if s.role in (Role.CLINICIAN, Role.SUPERVISOR)]
    caseloads: dict[int, list[Any]] = {}
    for match in Match.objects.filter(organisation=org).select_related("client").order_by("pk"):
        caseloads.setdefault(match.peer_id, []).append(match.client)
    # Each peer's place among the peers of their team, for the level teams' rotation below.
    place: dict[int, int] = {}
    for team in teams:
        for index, peer in enumerate(p for p in ctx.peers[org.pk] if team.pk in memberships[p.pk]):
            place.setdefault(peer.pk, index)
    rows = []
    for months_ago, start in enumerate(reversed(month_starts(months=MONTHS, today=today))):
        for peer in ctx.peers[org.pk]:
            index = place.get(peer.pk, 0)
            rising = rising_team_id in memberships[peer.pk]
            draw = rng.random()
            # The other teams stay level: each peer is consulted one month in three, in turn, so a team's
            # reach is the same every month instead of a coin toss over three peers (whose swings read as trends).
            consulted = draw < _rising(months_ago, 0.15, 0.9) if rising else (months_ago + index) % 3 == 0
            if not consulted:
                continue
            for _ in range(rng.randint(1, 3)):
                day = start + timedelta(days=rng.randint(0, 27))
                if day >= today:
                    day = max(start, today - timedelta(days=1))
                clients = caseloads.get(peer.pk, [])
                rows.append(PeerConsultation(
                    organisation=org, peer=peer, asked_by=rng.choice(askers), held_at=_at(day, rng.randint(9, 16)),
                    client=rng.choice(clients) if clients and rng.random() < 0.6 else None, topic=rng.choice(TOPICS)))
    PeerConsultation.objects.bulk_create(rows)


def _record_reads(ctx: DemoContext, org: Any, memberships: dict[int, set[int]], rising_team_id: int) -> None:
    """Peers opening their own clients' records, month by month. Written with SQL because the audit trail
    stamps every event with the time it is written; the demo needs past months."""
    rng, today = ctx.rng, ctx.today
    peers = {p.pk: p for p in ctx.peers[org.pk]}
    matches = list(Match.objects.filter(organisation=org, peer_id__in=peers).order_by("pk"))
    rows = []
    for start in month_starts(months=MONTHS, today=today):
        end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        months_ago = (today.year - start.year) * 12 + today.month - start.month
        for index, match in enumerate(matches):
            if match.started_on >= end or (match.ended_on and match.ended_on < start):
                continue
            rising = rising_team_id in memberships[match.peer_id]
            draw = rng.random()
            # Level teams: 9 of every 20 matches read each month, in rotation (45%, without month-to-month noise).
            read = draw < _rising(months_ago, 0.3, 0.95) if rising else (index + months_ago * 7) % 20 < 9
            if not read:
                continue
            first = max(start, match.started_on)
            last = min(end - timedelta(days=1), match.ended_on or today, today)
            if last < first:
                continue
            day = first + timedelta(days=rng.randint(0, (last - first).days))
            rows.append({"organisation_id": org.pk, "actor_id": match.peer_id,
                         "actor_username": peers[match.peer_id].username, "action": AuditAction.VIEW.value,
                         "target_type": "clients.client", "target_id": str(match.client_id),
                         "client_id": match.client_id, "path": f"/clients/{match.client_id}/",
                         "occurred_at": _at(day, rng.randint(8, 17))})
    # Through the audit layer, so the history sits on the organisation's hash chain like any read.
    audit_record_history(rows)


def _drift_early_encounters(ctx: DemoContext, memberships: dict[int, set[int]], rising_team_id: int) -> None:
    """A year ago the first team's peers spent much of their client time on transport and paperwork; the other
    teams' peers a steady quarter of it. (The outcomes demo's past contacts are all peer-specific, so they are
    relabelled too, for a level line.)"""
    rng, today = ctx.rng, ctx.today
    org = ctx.organisations[0]
    rising_peers = {pk for pk, teams in memberships.items() if rising_team_id in teams}
    changed = []
    # Ordered: the random stream must meet the rows in the same order on SQLite and PostgreSQL.
    for encounter in (Encounter.objects.filter(organisation=org, started_at__gte=_at(today - timedelta(days=365), 0))
                      .order_by("pk").prefetch_related("clients")):
        age = (today - timezone.localtime(encounter.started_at).date()).days
        chance = 0.7 * age / 365 if encounter.peer_id in rising_peers else (0.25 if age > 185 else 0)
        if rng.random() >= chance:
            continue
        acts = sorted({str(a) for a in rng.sample(sorted(GENERIC_ACTIVITIES), rng.randint(1, 2))})
        client = next(iter(encounter.clients.all()), None)
        encounter.activities = acts
        encounter.peer_specific_minutes = peer_specific_minutes_for(acts, encounter.duration_minutes)
        encounter.self_disclosure_used = False
        encounter.note = names.encounter_note(rng, client.first_name if client else "", acts)
        changed.append(encounter)
    Encounter.objects.bulk_update(changed, ["activities", "peer_specific_minutes", "self_disclosure_used", "note"],
                                  batch_size=500)
