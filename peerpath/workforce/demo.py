"""Demo data for the workforce module; called by peerpath.demo after the core data exists.

Covers every page: an active role definition and a new version awaiting one approval, a course catalogue with
gaps in coverage (including non-peer staff), credentials expiring soon and one lapsed, supervision history with
an overdue peer, boundary consultations (open and answered, enough for the trend), three pulse-survey rounds and
pay terms for the pay-equity page."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from peerpath.core.choices import Role
from peerpath.demo.context import DemoContext
from peerpath.workforce import tasks
from peerpath.workforce.boundaries import services as boundaries_services
from peerpath.workforce.credentials import services as credentials_services
from peerpath.workforce.models import (
    BoundaryConsultation,
    Course,
    CourseRequirement,
    Credential,
    EmploymentTerms,
    RoleDefinition,
    RoleDefinitionComment,
    RoleDefinitionReview,
    SupervisionPolicy,
    SupervisionSession,
    SurveyReceipt,
    SurveyResponse,
    SurveyRound,
    TrainingCompletion,
)
from peerpath.workforce.roles import services as roles_services
from peerpath.workforce.supervision import selectors as supervision_selectors
from peerpath.workforce.supervision import services as supervision_services
from peerpath.workforce.surveys import questions as survey

COURSES = [
    ("The role of the peer worker", "peer_role", "8"),
    ("Communication and active listening", "communication", "6"),
    ("Social skills in recovery", "social_skills", "4"),
    ("Crisis intervention", "crisis", "6"),
    ("Risk factors and safety", "risk", "3"),
    ("Relapse prevention", "relapse", "4"),
    ("Professionalism and ethics", "professionalism", "3"),
    ("Boundaries and self-disclosure", "boundaries", "4"),
    ("Peer support for colleagues: what it is, is not, and the evidence", "for_staff", "2"),
    ("Supervising peer workers", "supervising", "6"),
]
PEER_REQUIRED = ["peer_role", "communication", "crisis", "relapse", "professionalism", "boundaries"]
BOUNDARY_QUESTIONS = {
    "self_disclosure": "I plan to share part of my own recovery story with a person who feels hopeless. How much is useful?",
    "crossing": "A person I support asked me to come to their birthday lunch. I said I would think about it.",
    "violation": "A colleague lent money to someone on our caseload. I am not sure what to do.",
    "gift": "A person I support gave me a hand-made card and a small box of chocolates.",
    "outside_contact": "I met a person I support at my own mutual-aid meeting. How should I handle it?",
}


def _aware(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed(ctx: DemoContext) -> None:
    """Add this app's demo records."""
    rng = random.Random(3303)
    for org in ctx.organisations:
        _seed_org(ctx, org, rng)
    tasks.ensure_schedules()
    # Reminders and alerts as the daily jobs would have made them (emails stay queued for the real cluster).
    credentials_services.scan_credential_reminders(today=ctx.today, email=False)
    supervision_services.scan_supervision_overdue(today=ctx.today, email=False)


def _seed_org(ctx: DemoContext, org, rng: random.Random) -> None:
    today = ctx.today
    staff = ctx.all_staff[org.pk]
    peers = ctx.peers[org.pk]
    teams = ctx.teams[org.pk]
    by_role = {role: [s for s in staff if s.role == role] for role in Role.values}
    main = org.pk == ctx.organisations[0].pk
    SupervisionPolicy.objects.create(organisation=org, max_days_between_sessions=31)

    # ---- training catalogue, requirements, completions
    courses = {topic: Course.objects.create(organisation=org, title=title, topic=topic, hours=Decimal(hours))
               for title, topic, hours in COURSES}
    for topic in PEER_REQUIRED:
        CourseRequirement.objects.create(organisation=org, course=courses[topic], role=Role.PEER)
    for role in (Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER):
        CourseRequirement.objects.create(organisation=org, course=courses["for_staff"], role=role)
    CourseRequirement.objects.create(organisation=org, course=courses["supervising"], role=Role.SUPERVISOR)
    act = next((t for t in teams if t.team_type == "act"), None)
    if act is not None:
        CourseRequirement.objects.create(organisation=org, course=courses["risk"], role=Role.PEER, team=act)
    completions: list[TrainingCompletion] = []
    for i, person in enumerate(staff):
        if person.role == Role.PEER:
            topics = [t for t in PEER_REQUIRED + ["risk", "social_skills"] if not (i % 4 == 1 and t == "crisis")]
            if i % 5 == 2:
                topics = topics[:-3]
        elif person.role in (Role.SUPERVISOR, Role.LEADER):
            topics = ["for_staff", "supervising"] if i % 2 == 0 or person.username == "supervisor" else ["for_staff"]
        elif person.role == Role.CLINICIAN:
            topics = [] if person.username == "clinician" else ["for_staff"]
        else:
            topics = []
        completions.extend(TrainingCompletion(
            organisation=org, staff=person, course=courses[topic], hours=courses[topic].hours,
            completed_on=today - timedelta(days=rng.randint(20, 600))) for topic in topics)
    TrainingCompletion.objects.bulk_create(completions)

    # ---- credentials: most current, some expiring soon, one lapsed
    soon = [25, 80, 6, -10] if main else [60]
    for i, peer in enumerate(peers):
        expires = today + timedelta(days=soon[i] if i < len(soon) else rng.randint(150, 700))
        issued = expires - timedelta(days=730)
        Credential.objects.create(
            organisation=org, staff=peer, name="Certified peer specialist", issuer="State Peer Certification Board",
            number=f"CPS-{org.pk}{peer.pk:04d}", issued_on=issued, expires_on=expires,
            ce_hours_required=Decimal("20"), ce_hours_earned=Decimal(rng.choice([6, 12, 18, 20, 24])))
    for person in by_role[Role.SUPERVISOR]:
        Credential.objects.create(
            organisation=org, staff=person, name="Licensed clinical social worker", issuer="Board of Social Work",
            number=f"LCSW-{person.pk:05d}", issued_on=today - timedelta(days=900),
            expires_on=today + timedelta(days=400), ce_hours_required=Decimal("30"), ce_hours_earned=Decimal("22"))

    # ---- supervision: individual sessions every 3–4 weeks, monthly group sessions, one overdue peer
    supervisors = by_role[Role.SUPERVISOR] or by_role[Role.LEADER]
    topics = ["boundaries", "self_disclosure", "power", "stress", "role_drift", "ethics"]
    overdue = next((p for p in peers if p.username != "peer" and main
                    and supervision_selectors.is_supervisor_of(ctx.staff["supervisor"], p)), peers[-1] if peers else None)
    for peer in peers:
        mine = [s for s in supervisors if set(s.memberships.values_list("team_id", flat=True))
                & set(peer.memberships.values_list("team_id", flat=True))] or supervisors
        if not mine:
            continue
        last_gap = 45 if peer == overdue else rng.randint(3, 25)
        day = today - timedelta(days=last_gap)
        while day > today - timedelta(days=180):
            session = SupervisionSession.objects.create(
                organisation=org, kind="individual", held_on=day, led_by=mine[0],
                topics=rng.sample(topics, 2),
                notes="Reviewed caseload and how the week went; talked through one hard conversation.",
                action_items="Bring the question about outside contact to group supervision." if rng.random() < .3 else "")
            session.attendees.set([peer])
            day -= timedelta(days=rng.randint(21, 30))
    if supervisors and len(peers) > 2:
        for month in range(1, 6):
            session = SupervisionSession.objects.create(
                organisation=org, kind="group", held_on=today - timedelta(days=30 * month + 4), led_by=supervisors[0],
                topics=["boundaries", "stress"] if month % 2 else ["power", "ethics"],
                notes="Group supervision: shared situations and how each of us handled them.")
            session.attendees.set([p for p in peers if p != overdue])

    if not main:
        _pay(org, staff, rng)
        return

    # ---- role definitions: v1 active, v2 awaiting one approval
    leader = ctx.staff["leader"]
    v1 = RoleDefinition.objects.create(
        organisation=org, title="Peer support specialist (ACT)", version=1, status="superseded",
        team_type="act", drafted_by=leader, **roles_services.ROLE_TEMPLATE)
    v1.status = "active"
    v1.activated_at = _aware(today - timedelta(days=200))
    v1.save()
    reviewers = [("peers", ctx.staff["peer"]), ("peers", peers[1]), ("team_leaders", ctx.staff["supervisor"]),
                 ("staff", ctx.staff["clinician"])]
    for group, person in reviewers:
        RoleDefinitionReview.objects.create(definition=v1, reviewer=person, group=group,
                                            approved_at=_aware(today - timedelta(days=205)))
    v2 = RoleDefinition.objects.create(
        organisation=org, title=v1.title, version=2, status="consultation", team_type="act", drafted_by=leader,
        **{**roles_services.ROLE_TEMPLATE,
           "hours_and_flexibility": "Full-time or 0.6 FTE; flexible start times; time off for the worker's own "
                                    "appointments without explanation.",
           "pay_band": "Band 5 (raised to match other ACT team roles of similar hours)",
           "record_access": "Read and write access to the records of people on the worker's caseload; the worker's "
                            "own notes are written in plain language with the person."})
    for group, person in reviewers:
        RoleDefinitionReview.objects.create(
            definition=v2, reviewer=person, group=group,
            approved_at=None if person.username == "clinician" else _aware(today - timedelta(days=3)))
    RoleDefinitionComment.objects.create(definition=v2, author=ctx.staff["peer"],
                                         body="Thank you for writing down that disclosure is always my choice.")
    RoleDefinitionComment.objects.create(definition=v2, author=ctx.staff["supervisor"],
                                         body="Agree with band 5. Monthly individual supervision is realistic.")

    # ---- boundary consultations over the last three quarters
    categories = list(BOUNDARY_QUESTIONS)
    weights = [5, 3, 1, 6, 4]
    supervisor = ctx.staff["supervisor"]
    for n in range(80):
        peer = peers[n % len(peers)]
        category = rng.choices(categories, weights)[0]
        created = today - timedelta(days=rng.randint(5, 270))
        item = BoundaryConsultation.objects.create(organisation=org, raised_by=peer, category=category,
                                                   question=BOUNDARY_QUESTIONS[category])
        sup = supervision_selectors.supervisors_of(peer).first()
        if sup is not None and n % 6 != 0:
            item.response = "Thanks for bringing this. Let's talk it through at supervision; here is what I suggest."
            item.responded_by = sup
            item.closed_at = _aware(created + timedelta(days=2))
            item.save()
        BoundaryConsultation.objects.filter(pk=item.pk).update(created_at=_aware(created))
    boundaries_services.boundary_raise(actor=ctx.staff["peer"], category="gift",
                            question="Someone I support wants to give me a gift card to thank me. What should I do?")
    del supervisor

    # ---- pulse survey rounds
    for r, (title, opens) in enumerate([("Pulse survey — spring", 200), ("Pulse survey — summer", 110),
                                        ("Pulse survey — autumn", 6)]):
        survey_round = SurveyRound.objects.create(organisation=org, title=title,
                                                  opens_on=today - timedelta(days=opens),
                                                  closes_on=today - timedelta(days=opens) + timedelta(days=21))
        responders = [p for p in peers if p.username != "peer" or r < 2]
        if r == 2:
            responders = responders[:5]
        rows = []
        for p in responders:
            SurveyReceipt.objects.create(survey_round=survey_round, staff=p)
            base = 3 + (r > 0) + (rng.random() < .4)
            answers = {key: max(1, min(5, base + rng.choice([-1, 0, 0, 1]))) for key in survey.AGREEMENT_KEYS}
            answers["burnout"] = max(1, min(5, 4 - r + rng.choice([-1, 0, 1])))
            answers["stress"] = max(1, min(5, 4 - r + rng.choice([-1, 0, 1])))
            answers.update({key: rng.random() < (.6 if key == "stigma_coworkers" else .25)
                            for key in survey.YES_NO_KEYS})
            team = p.teams.order_by("name").first()
            rows.append(SurveyResponse(id=uuid.uuid4(), survey_round=survey_round, team=team, answers=answers))
        rng.shuffle(rows)
        SurveyResponse.objects.bulk_create(rows)
    _pay(org, staff, rng)


def _pay(org, staff, rng: random.Random) -> None:
    pay = {Role.PEER: (18, 23), Role.SUPERVISOR: (31, 37), Role.CLINICIAN: (34, 44), Role.LEADER: (40, 48),
           Role.EVALUATOR: (30, 36), Role.ADMIN: (24, 29)}
    terms = []
    for i, person in enumerate(staff):
        low, high = pay[person.role]
        hours = Decimal("37.5") if i % 4 else Decimal(rng.choice(["22.5", "24", "30"]))
        terms.append(EmploymentTerms(staff=person, weekly_hours=hours,
                                     hourly_pay=Decimal(rng.randint(low * 100, high * 100)) / 100))
    EmploymentTerms.objects.bulk_create(terms)
