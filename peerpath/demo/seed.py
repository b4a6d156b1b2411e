"""Synthetic but believable demo data. Also the base for benchmarks.

Nothing here is a real person. Two organisations make isolation visible: Riverside (where the
demo accounts work) and Northgate (``other-admin``).
"""

from __future__ import annotations

import random
import secrets
from datetime import date, datetime, time, timedelta
from importlib import import_module
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from peerpath.accounts.models import ExperienceArea, PeerExperience, StaffMember, TeamMembership
from peerpath.care.choices import GENERIC_ACTIVITIES, PEER_SPECIFIC_ACTIVITIES, Activity, Chime, LifeArea
from peerpath.care.models import (
    Encounter,
    EncounterAttendance,
    Goal,
    GoalStep,
    PeerConsultation,
    RecoveryPlan,
    TeamMeeting,
    TeamMeetingAttendance,
)
from peerpath.care.services import peer_specific_minutes_for
from peerpath.clients.choices import ReferralStatus, Urgency
from peerpath.clients.models import Client, Match, Referral
from peerpath.core.choices import Role, TeamType
from peerpath.core.models import Organisation, Team
from peerpath.demo import names
from peerpath.demo.context import DemoContext
from peerpath.demo.referral_loop import seed_referral_loop

APP_SEEDERS = ["workforce", "measures", "outcomes", "implementation", "interop"]
DEMO_ORG_SLUG = "riverside"


def demo_is_seeded() -> bool:
    return Organisation.objects.filter(slug=DEMO_ORG_SLUG).exists()


def demo_password() -> str:
    if settings.PEERPATH_DEMO_PASSWORD:
        return settings.PEERPATH_DEMO_PASSWORD
    path = Path(settings.VAR_DIR) / "demo_password"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(12), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def _wipe() -> None:
    """Remove every row of every Peerpath table (demo databases only)."""
    from django.apps import apps

    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.app_label in {
        "core", "accounts", "clients", "care", "workforce", "measures", "outcomes", "implementation", "demo",
        "mfa", "account", "django_q", "interop",
    }]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
            # The audit trail refuses TRUNCATE (core migration 0006). A demo database is re-seeded by its
            # owner with the triggers set aside for this one transaction (needs a superuser; production
            # refuses seeding altogether, and its running role could not do this).
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")  # noqa: S608 (table names from model metadata)
        else:
            cursor.execute("PRAGMA foreign_keys=OFF")
            for model in models:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608 (table names from model metadata)
            cursor.execute("PRAGMA foreign_keys=ON")


EXPERIENCE_AREAS = [
    ("mental-health-recovery", "Recovery from mental illness", "Recuperación de una enfermedad mental"),
    ("substance-use-recovery", "Recovery from substance use", "Recuperación del consumo de sustancias"),
    ("psychosis", "Experience of psychosis", "Experiencia de psicosis"),
    ("hospitalisation", "Psychiatric hospitalisation", "Hospitalización psiquiátrica"),
    ("homelessness", "Homelessness", "Sin hogar"),
    ("justice-involvement", "Involvement with the justice system", "Contacto con el sistema de justicia"),
    ("trauma", "Trauma survivor", "Sobreviviente de trauma"),
    ("parenting-recovery", "Parenting in recovery", "Crianza en recuperación"),
    ("lgbtq", "LGBTQ+ experience", "Experiencia LGBTQ+"),
    ("veteran", "Military veteran", "Veterano/a militar"),
    ("suicide-attempt-survivor", "Suicide attempt survivor", "Sobreviviente de intento de suicidio"),
    ("eating-disorder", "Eating disorder recovery", "Recuperación de un trastorno alimentario"),
]


def ensure_experience_areas() -> list[ExperienceArea]:
    for code, name, name_es in EXPERIENCE_AREAS:
        ExperienceArea.objects.update_or_create(code=code, defaults={"name": name, "name_es": name_es})
    return list(ExperienceArea.objects.order_by("code"))


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@transaction.atomic
def seed_demo(*, clients: int = 300) -> dict[str, int]:
    _wipe()
    ctx = seed_core(clients=clients)
    seed_referral_loop(ctx)
    for app in APP_SEEDERS:
        import_module(f"peerpath.{app}.demo").seed(ctx)
    return {
        "organisations": Organisation.objects.count(),
        "staff": StaffMember.objects.count(),
        "clients": Client.objects.count(),
        "encounters": Encounter.objects.count(),
    }


def seed_core(*, clients: int = 300) -> DemoContext:
    today = timezone.localdate()
    password = make_password(demo_password())
    areas = ensure_experience_areas()
    riverside = Organisation.objects.create(
        name="Riverside Mental Health & Recovery Services", slug=DEMO_ORG_SLUG,
        safety_protocol=(
            "Stay with the person. Ask directly about safety. Call the 24-hour crisis line (988) together, "
            "then call the on-call supervisor. Do not leave the person alone if they are in immediate danger: call 911."
        ),
    )
    northgate = Organisation.objects.create(
        name="Northgate Recovery Network", slug="northgate",
        safety_protocol="Call the Northgate crisis team on extension 4400 and stay with the person.",
    )
    teams = {
        riverside.pk: [
            Team.objects.create(organisation=riverside, name="Riverside ACT Team", team_type=TeamType.ACT),
            Team.objects.create(organisation=riverside, name="Acute Inpatient Unit", team_type=TeamType.INPATIENT),
            Team.objects.create(organisation=riverside, name="Community Recovery Team", team_type=TeamType.COMMUNITY),
            Team.objects.create(organisation=riverside, name="Emergency Department Liaison", team_type=TeamType.EMERGENCY),
        ],
        northgate.pk: [
            Team.objects.create(organisation=northgate, name="Northgate Outpatient", team_type=TeamType.OUTPATIENT),
            Team.objects.create(organisation=northgate, name="Northgate Crisis Team", team_type=TeamType.CRISIS),
        ],
    }
    rng = DemoContext(organisations=[], teams={}, staff={}, peers={}, all_staff={}, clients={}, today=today).rng

    def make_staff(org: Organisation, username: str, role: str, first: str, last: str, team_list: list[Team], **extra: Any) -> StaffMember:
        staff = StaffMember.objects.create(
            username=username, first_name=first, last_name=last, organisation=org, role=role,
            password=password, email=f"{username}@{org.slug}.example", **extra,
        )
        TeamMembership.objects.bulk_create([TeamMembership(staff=staff, team=t) for t in team_list])
        return staff

    rt = teams[riverside.pk]
    nt = teams[northgate.pk]
    named: dict[str, StaffMember] = {
        "peer": make_staff(riverside, "peer", Role.PEER, "Maya", "Okafor", [rt[0], rt[2]], gender="woman",
                           spoken_languages="en,es", caseload_capacity=24),
        "supervisor": make_staff(riverside, "supervisor", Role.SUPERVISOR, "Daniel", "Reyes", [rt[0], rt[2], rt[3]], gender="man"),
        "clinician": make_staff(riverside, "clinician", Role.CLINICIAN, "Priya", "Natarajan", [rt[0], rt[2]], gender="woman"),
        "leader": make_staff(riverside, "leader", Role.LEADER, "Helen", "Marsh", rt, gender="woman"),
        "evaluator": make_staff(riverside, "evaluator", Role.EVALUATOR, "Tom", "Lindqvist", [], gender="man"),
        "admin": make_staff(riverside, "admin", Role.ADMIN, "Sam", "Castillo", [], gender="non_binary"),
        "other-admin": make_staff(northgate, "other-admin", Role.ADMIN, "Grace", "Whitfield", [], gender="woman"),
    }
    riverside_peers = [named["peer"]]
    for i, (first, last, gender, langs) in enumerate(names.PEER_STAFF):
        team_list = [rt[i % 4]] + ([rt[(i + 1) % 4]] if i % 3 == 0 else [])
        riverside_peers.append(make_staff(riverside, f"{first.lower()}.{last.lower()}", Role.PEER, first, last, team_list,
                                          gender=gender, spoken_languages=langs, caseload_capacity=rng.choice([18, 20, 22, 25])))
    extra_staff = [
        make_staff(riverside, "ruth.adeyemi", Role.SUPERVISOR, "Ruth", "Adeyemi", [rt[1], rt[3]], gender="woman"),
        make_staff(riverside, "michael.chen", Role.CLINICIAN, "Michael", "Chen", [rt[1]], gender="man"),
        make_staff(riverside, "laura.benitez", Role.CLINICIAN, "Laura", "Benítez", [rt[3], rt[2]], gender="woman",
                   spoken_languages="en,es"),
    ]
    northgate_peers = [
        make_staff(northgate, "north.peer1", Role.PEER, "Jonah", "Price", [nt[0]], gender="man"),
        make_staff(northgate, "north.peer2", Role.PEER, "Aisha", "Kamara", [nt[1]], gender="woman"),
    ]
    northgate_staff = [*northgate_peers, named["other-admin"],
                       make_staff(northgate, "north.clinician", Role.CLINICIAN, "Ivan", "Petrov", nt, gender="man")]

    # Lived experience: each peer has 2–4 areas; consent differs so the privacy rules show.
    for peer in riverside_peers + northgate_peers:
        for j, area in enumerate(rng.sample(areas, rng.randint(2, 4))):
            PeerExperience.objects.create(
                owner=peer, area=area, use_for_matching=j != 2, share_with_clients=j == 0,
                private_note="Something I keep for myself." if j == 2 else "",
            )

    riverside_staff = [*named.values(), *riverside_peers[1:], *extra_staff]
    riverside_staff = [s for s in riverside_staff if s.organisation_id == riverside.pk]
    other_count = max(clients // 8, 10) if clients >= 40 else 0
    org_clients = {
        riverside.pk: _seed_clients(riverside, rt, clients - other_count, rng),
        northgate.pk: _seed_clients(northgate, nt, other_count, rng),
    }
    ctx = DemoContext(
        organisations=[riverside, northgate], teams=teams, staff=named,
        peers={riverside.pk: riverside_peers, northgate.pk: northgate_peers},
        all_staff={riverside.pk: riverside_staff, northgate.pk: northgate_staff},
        clients=org_clients, today=today, rng=rng,
    )
    for org in ctx.organisations:
        _seed_care(ctx, org)
    return ctx


def _seed_clients(org: Organisation, team_list: list[Team], count: int, rng: Any) -> list[Client]:
    rows = []
    # Sex and diagnosis group from their own generator, so adding them left every other demo value as it was.
    traits = random.Random(f"{org.slug}-client-traits")  # noqa: S311 - demo data, not security
    for i in range(count):
        first, last = names.client_name(rng, i)
        rows.append(Client(
            organisation=org, team=team_list[i % len(team_list)], first_name=first, last_name=last,
            date_of_birth=date(1950 + rng.randint(0, 52), rng.randint(1, 12), rng.randint(1, 28)),
            record_number=f"{org.slug[:2].upper()}{100000 + i}", language="es" if rng.random() < 0.18 else "en",
            phone=f"555-01{rng.randint(10, 99)}", sex=names.draw(traits, names.SEX_SHARES),
            diagnosis_group=names.draw(traits, names.DIAGNOSIS_SHARES),
        ))
    if rows and org.slug == DEMO_ORG_SLUG:
        # Issue 13: the search story ("smith olga" finds Olga Smith) and contact details with and without text consent.
        olga = rows[0]
        olga.first_name, olga.last_name, olga.preferred_contact_method = "Olga", "Smith", "text"
        olga.text_consent, olga.preferred_contact_times = True, "Weekday mornings"
        for row in rows[1::3]:
            row.text_consent = True
            row.preferred_contact_method = "text"
        for row in rows[2::5]:
            row.preferred_contact_method, row.preferred_contact_times = "phone", "After 5 pm"
    return Client.objects.bulk_create(rows)


def _seed_care(ctx: DemoContext, org: Organisation) -> None:
    rng, today = ctx.rng, ctx.today
    peers = ctx.peers[org.pk]
    staff = ctx.all_staff[org.pk]
    clinicians = [s for s in staff if s.role == Role.CLINICIAN] or staff
    supervisors = [s for s in staff if s.role == Role.SUPERVISOR] or staff
    peer_teams = {p.pk: set(p.teams.values_list("pk", flat=True)) for p in peers}
    load = {p.pk: 0 for p in peers}
    referrals, matches = [], []
    for i, client in enumerate(ctx.clients[org.pk]):
        created = today - timedelta(days=rng.randint(1, 182))
        roll = rng.random()
        candidates = [p for p in peers if client.team_id in peer_teams[p.pk]] or peers
        peer = min(candidates, key=lambda p: (load[p.pk] >= p.caseload_capacity, load[p.pk], rng.random()))
        # The named demo peer gets a full, varied caseload.
        if org.pk == ctx.organisations[0].pk and i % 9 == 0 and load[peers[0].pk] < peers[0].caseload_capacity:
            peer = peers[0]
        if roll < 0.08 and (today - created).days < 20:
            status = ReferralStatus.NEW
        elif roll < 0.11 and (today - created).days < 45:
            status = ReferralStatus.ACCEPTED  # accepted, waiting for a supervisor to pick a peer
        elif roll < 0.18:
            status = ReferralStatus.DECLINED
        elif roll < 0.45:
            status = ReferralStatus.CLOSED
        else:
            status = ReferralStatus.ASSIGNED
        referral = Referral(
            organisation=org, client=client, team=client.team, referred_by=rng.choice(clinicians),
            reason=rng.choice(names.REFERRAL_REASONS), urgency=rng.choice([Urgency.ROUTINE] * 5 + [Urgency.SOON] * 2 + [Urgency.URGENT]),
            preferred_language=client.language if rng.random() < 0.4 else "",
            preferred_peer_gender=rng.choice(["", "", "", "woman", "man"]),
            preferred_modality=rng.choice(["", "in_person", "phone", "video"]),
            status=status, status_changed_at=_aware(created + timedelta(days=2), 10) if status != ReferralStatus.NEW else None,
            status_changed_by=rng.choice(supervisors) if status != ReferralStatus.NEW else None,
            decline_reason=rng.choice(names.DECLINE_REASONS) if status == ReferralStatus.DECLINED else "",
            close_reason=rng.choice(names.CLOSE_REASONS) if status == ReferralStatus.CLOSED else "",
            assigned_peer=peer if status in {ReferralStatus.ASSIGNED, ReferralStatus.CLOSED} else None,
        )
        referral._demo_created = created  # type: ignore[attr-defined]
        referrals.append(referral)
        if status in {ReferralStatus.ASSIGNED, ReferralStatus.CLOSED}:
            load[peer.pk] += 1
            matches.append(Match(
                organisation=org, client=client, peer=peer, referral=referral,
                started_on=created + timedelta(days=rng.randint(2, 6)),
                ended_on=today - timedelta(days=rng.randint(1, 20)) if status == ReferralStatus.CLOSED else None,
                is_active=status == ReferralStatus.ASSIGNED,
            ))
    Referral.objects.bulk_create(referrals)
    for referral in referrals:  # auto_now_add ignores given values: set the history afterwards
        Referral.objects.filter(pk=referral.pk).update(created_at=_aware(referral._demo_created, 9))  # type: ignore[attr-defined]
    Match.objects.bulk_create(matches)
    _seed_encounters(ctx, org, matches)
    _seed_plans(ctx, org, [m for m in matches if m.is_active])
    _seed_meetings(ctx, org)
    if org.pk == ctx.organisations[0].pk:
        _seed_consultations(ctx, org, [m for m in matches if m.is_active])


CONSULTATION_TOPICS = [
    "How to start with someone who says they do not need help",
    "Preparing for the discharge meeting",
    "Ideas for connecting with a community group",
    "What recovery could look like after a long admission",
    "Missed appointments: how to reach out without pressure",
    "Talking about medication worries without taking sides",
]


def _seed_consultations(ctx: DemoContext, org: Organisation, matches: list[Match]) -> None:
    """A handful of recent consultations (the last three weeks): demo clinicians asking demo peers, about a
    client the clinician's team sees or in general, so the consultations page shows something. Their own
    random stream keeps the rest of the demo unchanged. Trends over months are seeded by the integration demo."""
    rng = random.Random(f"consultations-{ctx.today.isoformat()}")
    staff = ctx.all_staff[org.pk]
    clinicians = sorted((s for s in staff if s.role == Role.CLINICIAN), key=lambda s: s.username)
    peers = ctx.peers[org.pk][:4]  # the demo peer ("peer") first
    if not clinicians or not peers:
        return
    teams_of = {s.pk: set(s.teams.values_list("pk", flat=True)) for s in clinicians}
    rows = []
    for i in range(8):
        peer = peers[0] if i % 2 == 0 else peers[i % len(peers)]
        clinician = clinicians[0] if i < 4 else rng.choice(clinicians)  # the demo clinician asks the first few
        shared = [m.client for m in matches if m.peer_id == peer.pk and m.client.team_id in teams_of[clinician.pk]]
        held_at = _aware(ctx.today - timedelta(days=1 + i * 2 + rng.randint(0, 1)), rng.randint(9, 16),
                         rng.choice([0, 15, 30, 45]))
        rows.append(PeerConsultation(
            organisation=org, peer=peer, asked_by=clinician, held_at=held_at, topic=CONSULTATION_TOPICS[i % 6],
            client=rng.choice(shared) if shared and i % 3 != 2 else None,
        ))
    PeerConsultation.objects.bulk_create(rows)


def _seed_encounters(ctx: DemoContext, org: Organisation, matches: list[Match]) -> None:
    rng, today = ctx.rng, ctx.today
    activity_pool = list(PEER_SPECIFIC_ACTIVITIES) * 3 + list(GENERIC_ACTIVITIES)
    encounters, attendee_lists = [], []
    last_contact: dict[int, datetime] = {}
    first_contact: dict[int, datetime] = {}
    for match in matches:
        end = match.ended_on or today
        day = match.started_on
        # Some clients have drifted: no contact for over two weeks (the home page shows them).
        stop_early = rng.random() < 0.15
        while day <= end:
            if stop_early and (today - day).days < rng.randint(15, 30):
                break
            if day < today or (day == today and rng.random() < 0.3):
                start = _aware(day, rng.randint(9, 16), rng.choice([0, 15, 30, 45]))
                acts = sorted({str(a) for a in rng.sample(activity_pool, rng.randint(1, 3))})
                duration = rng.choice([20, 30, 45, 45, 60, 60, 90])
                modality = rng.choice(["in_person"] * 5 + ["phone"] * 3 + ["video", "text"])
                encounters.append(Encounter(
                    organisation=org, peer=match.peer, started_at=start, duration_minutes=duration, modality=modality,
                    setting="remote" if modality != "in_person" else rng.choice(["community", "home", "outpatient", "inpatient"]),
                    activities=acts, peer_specific_minutes=peer_specific_minutes_for(acts, duration),
                    self_disclosure_used=Activity.SHARING_EXPERIENCE in acts,
                    note=names.encounter_note(rng, match.client.first_name, acts),
                ))
                attendee_lists.append([match.client])
                last_contact[match.pk] = max(start, last_contact.get(match.pk, start))
                first_contact.setdefault(match.pk, start)
            day += timedelta(days=rng.randint(5, 14))
        match.first_contact_at = first_contact.get(match.pk)
        if match.is_active:
            match.last_contact_at = last_contact.get(match.pk)
            roll = rng.random()
            match.next_contact_on = today if roll < 0.12 else (today - timedelta(days=rng.randint(1, 6)) if roll < 0.2 else today + timedelta(days=rng.randint(1, 12)))
    # A few group sessions: one note lands in every attendee's record.
    by_peer: dict[int, list[Match]] = {}
    for match in matches:
        if match.is_active:
            by_peer.setdefault(match.peer_id, []).append(match)
    for peer_matches in by_peer.values():
        if len(peer_matches) >= 4:
            for week in range(1, 20, 3):
                members = rng.sample(peer_matches, min(len(peer_matches), rng.randint(3, 6)))
                start = _aware(today - timedelta(days=week * 7), 14)
                encounters.append(Encounter(
                    organisation=org, peer=members[0].peer, started_at=start, duration_minutes=90, modality="in_person",
                    setting="community", activities=["community_connection", "sharing_experience"], peer_specific_minutes=90,
                    is_group=True, self_disclosure_used=True,
                    note="Recovery group: members shared what helped them through the last week; two planned to join the walking club.",
                ))
                attendee_lists.append([m.client for m in members])
    # The demo peer always has a couple of planned contacts that slipped, so "Overdue" is never empty.
    demo_peer_matches = [m for m in matches if m.is_active and m.peer_id == ctx.peers[org.pk][0].pk]
    for days_ago, match in zip((2, 5), demo_peer_matches[-2:], strict=False):
        match.next_contact_on = today - timedelta(days=days_ago)
    Encounter.objects.bulk_create(encounters, batch_size=2000)
    EncounterAttendance.objects.bulk_create(
        [EncounterAttendance(encounter=e, client=c, started_at=e.started_at, duration_minutes=e.duration_minutes) for e, cl in zip(encounters, attendee_lists, strict=True) for c in cl],
        batch_size=2000,
    )
    Match.objects.bulk_update([m for m in matches if m.is_active], ["last_contact_at", "next_contact_on"], batch_size=1000)
    Match.objects.bulk_update(matches, ["first_contact_at"], batch_size=1000)


def _seed_plans(ctx: DemoContext, org: Organisation, matches: list[Match]) -> None:
    rng, today = ctx.rng, ctx.today
    for match in matches:
        if rng.random() < 0.15:
            continue
        plan = RecoveryPlan.objects.create(
            organisation=org, client=match.client, written_with=match.peer,
            client_vision=rng.choice(names.VISIONS), review_on=today + timedelta(days=rng.randint(-10, 60)),
        )
        for goal_text, life_area, chime in rng.sample(names.GOALS, rng.randint(1, 3)):
            progress = rng.choice([0, 10, 25, 40, 50, 60, 75, 100])
            goal = Goal.objects.create(
                plan=plan, own_words=goal_text, life_area=LifeArea(life_area), chime=Chime(chime), progress=progress,
                status="achieved" if progress == 100 else "active", target_on=today + timedelta(days=rng.randint(20, 150)),
            )
            steps = names.STEPS.get(life_area, names.STEPS["default"])
            GoalStep.objects.bulk_create([
                GoalStep(goal=goal, description=step, due_on=today + timedelta(days=rng.randint(-20, 30)),
                         done_on=today - timedelta(days=rng.randint(1, 20)) if rng.random() < progress / 100 + 0.2 else None)
                for step in rng.sample(steps, min(len(steps), rng.randint(1, 3)))
            ])


def _seed_meetings(ctx: DemoContext, org: Organisation) -> None:
    rng, today = ctx.rng, ctx.today
    staff = ctx.all_staff[org.pk]
    recorder = next((s for s in staff if s.role == Role.SUPERVISOR), staff[0])
    for team_index, team in enumerate(ctx.teams[org.pk]):
        members = [s for s in staff if team.pk in set(s.teams.values_list("pk", flat=True))]
        for week in range(26, 0, -1):
            meeting = TeamMeeting.objects.create(
                organisation=org, team=team, held_at=_aware(today - timedelta(days=week * 7), 9, 30), duration_minutes=60,
                topic=rng.choice(names.MEETING_TOPICS), recorded_by=recorder, notes="Caseload review; flagged two clients for follow-up.",
            )
            # Peers on the first team are drawn into meetings more and more over six months.
            peer_rate = (0.3 + 0.6 * (26 - week) / 26) if team_index == 0 else 0.45
            TeamMeetingAttendance.objects.bulk_create([
                TeamMeetingAttendance(meeting=meeting, staff=s,
                                      attended=rng.random() < (peer_rate if s.role == Role.PEER else 0.9))
                for s in members
            ])
