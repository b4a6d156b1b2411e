"""Demo data for outcomes: service use with realistic re-admission patterns.

Besides the core demo clients (most in peer support since the last six months, some declined or never
matched), Riverside gets two historical cohorts so one-year outcomes can be shown: clients who had
peer support 1–3 years ago, and a synthetic usual-care group registered as the comparison. Times to
re-admission are drawn from Weibull curves (shape 0.6, front-loaded like real re-admissions) set so
that about 50% of usual care and about 28% of peer-supported clients are re-admitted within a year
(typical range for usual care: 40–60%, see docs/measures-and-billing). Everyone had at least one
admission in the year before their index date (peer support here is offered after hospitalisation).
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from peerpath.care.models import Encounter, EncounterAttendance
from peerpath.clients.choices import ReferralStatus
from peerpath.clients.models import Client, Match, Referral
from peerpath.core.choices import Role
from peerpath.demo import names
from peerpath.demo.context import DemoContext
from peerpath.outcomes.choices import EmploymentStatus, EventKind, EventSource, HousingStatus
from peerpath.outcomes.models import ComparisonEnrolment, ServiceEvent

WEIBULL_SHAPE = 0.6
ONE_YEAR_READMISSION = {"peer": 0.28, "comparison": 0.50}
HISTORICAL = {"peer": 220, "comparison": 240}
# The usual-care group has more men and more psychosis and substance use than those who took up peer support
# (as in services where people with psychosis engage less), and those diagnoses are re-admitted sooner: a
# confounder the adjusted comparison must correct.
HISTORY_SEX = {"peer": {"female": 0.52, "male": 0.43, "other": 0.01, "": 0.04},
               "comparison": {"female": 0.38, "male": 0.57, "other": 0.01, "": 0.04}}
HISTORY_DIAGNOSIS = {
    "peer": {"psychosis": 0.20, "bipolar": 0.15, "depression": 0.30, "anxiety": 0.13, "substance": 0.07,
             "personality": 0.07, "other": 0.03, "": 0.05},
    "comparison": {"psychosis": 0.36, "bipolar": 0.13, "depression": 0.16, "anxiety": 0.07, "substance": 0.15,
                   "personality": 0.05, "other": 0.02, "": 0.06},
}
# Relative speed of re-admission by diagnosis group (the Weibull scale is divided by it).
DIAGNOSIS_RISK = {"psychosis": 1.35, "bipolar": 1.2, "substance": 1.3, "personality": 1.15}
HOSPITALS = ["Riverside General — Ward 4", "St Anne's Psychiatric Unit", "County Hospital"]


def _scale(one_year: float) -> float:
    return 365 / (-math.log(1 - one_year)) ** (1 / WEIBULL_SHAPE)


def _aware(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed(ctx: DemoContext) -> None:
    main = ctx.organisations[0]
    _seed_history(ctx, main)
    for org in ctx.organisations:
        _seed_events(ctx, org)
    _seed_import(ctx, main)


def _seed_history(ctx: DemoContext, org: Any) -> None:
    """Past peer-support clients and a synthetic usual-care group, followed for 1–3 years."""
    rng, today = ctx.rng, ctx.today
    teams = ctx.teams[org.pk]
    peers = ctx.peers[org.pk]
    referrers = [s for s in ctx.all_staff[org.pk] if s.role == Role.CLINICIAN] or ctx.all_staff[org.pk]
    rows = []
    traits = random.Random(f"{org.slug}-history-traits")  # noqa: S311 - demo data; its own generator (see seed.py)
    for i in range(HISTORICAL["peer"] + HISTORICAL["comparison"]):
        first, last = names.client_name(rng, 5000 + i)
        group = "peer" if i < HISTORICAL["peer"] else "comparison"
        rows.append(Client(
            organisation=org, team=teams[i % len(teams)], first_name=first, last_name=last,
            date_of_birth=date(1950 + rng.randint(0, 52), rng.randint(1, 12), rng.randint(1, 28)),
            record_number=f"{org.slug[:2].upper()}{300000 + i}", language="es" if rng.random() < 0.18 else "en",
            sex=names.draw(traits, HISTORY_SEX[group]), diagnosis_group=names.draw(traits, HISTORY_DIAGNOSIS[group]),
        ))
    created = Client.objects.bulk_create(rows)
    past_peer, usual_care = created[:HISTORICAL["peer"]], created[HISTORICAL["peer"]:]
    referrals, matches = [], []
    for client in past_peer:
        start = today - timedelta(days=rng.randint(380, 1000))
        peer = rng.choice(peers)
        referrals.append(Referral(
            organisation=org, client=client, team=client.team, referred_by=rng.choice(referrers),
            reason=rng.choice(names.REFERRAL_REASONS), status=ReferralStatus.CLOSED, assigned_peer=peer,
            close_reason="Goals reached; peer support ended as planned.", status_changed_at=_aware(start, 10),
        ))
        matches.append(Match(organisation=org, client=client, peer=peer, started_on=start,
                             ended_on=start + timedelta(days=rng.randint(120, 300)), is_active=False))
    Referral.objects.bulk_create(referrals)
    Match.objects.bulk_create(matches)
    ComparisonEnrolment.objects.bulk_create([
        ComparisonEnrolment(organisation=org, client=client, index_date=today - timedelta(days=rng.randint(380, 1000)),
                            note="Synthetic usual-care comparison (demo)")
        for client in usual_care
    ])
    # Peer contacts of the past cohort, so the cost model has peer hours to count.
    encounters, attendees = [], []
    for match in matches:
        day = match.started_on
        while day <= match.ended_on:
            duration = rng.choice([30, 45, 60, 60])
            encounters.append(Encounter(
                organisation=org, peer=match.peer, started_at=_aware(day, rng.randint(9, 16)), duration_minutes=duration,
                modality="in_person", setting="community", activities=["sharing_experience"], peer_specific_minutes=duration,
                self_disclosure_used=True, note="Met to review the recovery plan.",
            ))
            attendees.append(match.client)
            day += timedelta(days=rng.randint(7, 14))
    Encounter.objects.bulk_create(encounters, batch_size=1000)
    EncounterAttendance.objects.bulk_create(
        [EncounterAttendance(encounter=e, client=c, started_at=e.started_at, duration_minutes=e.duration_minutes) for e, c in zip(encounters, attendees, strict=False)],
        batch_size=1000,
    )


def _index_dates(org: Any) -> dict[int, tuple[str, date]]:
    """Which demo clients are peer / comparison and from when (the same rules as the evaluation)."""
    from peerpath.outcomes.selectors import Cohort, cohort_members

    members = cohort_members(organisation_id=org.pk, cohort=Cohort(), today=timezone.localdate())
    return {int(r.client_id): (r.group, r.index_date.date()) for r in members.itertuples()}


def _seed_events(ctx: DemoContext, org: Any) -> None:
    rng, today = ctx.rng, ctx.today
    recorder = next((s for s in ctx.all_staff[org.pk] if s.role == Role.CLINICIAN), ctx.all_staff[org.pk][0])
    events: list[ServiceEvent] = []

    def add(client_id: int, kind: str, day: date, **extra: Any) -> None:
        if day <= today:
            events.append(ServiceEvent(organisation=org, client_id=client_id, kind=kind, occurred_on=day,
                                       recorded_by=recorder, source=extra.pop("source", EventSource.STAFF), **extra))

    diagnosis = dict(Client.objects.filter(organisation=org).values_list("pk", "diagnosis_group"))
    for client_id, (group, index) in _index_dates(org).items():
        # The admission that led to the referral, sometimes another earlier in the year.
        # Usual-care clients had more admissions in the year before (sicker at baseline), so the crude comparison
        # flatters peer support and the adjusted one (propensity weighting on prior use) has something to correct.
        prior = 1 if rng.random() < (0.7 if group == "peer" else 0.4) else 2 + int(rng.random() < 0.3)
        for _ in range(prior):
            admitted = index - timedelta(days=rng.randint(5, 300))
            stay = rng.randint(5, 21)
            add(client_id, EventKind.ADMISSION, admitted, ended_on=min(admitted + timedelta(days=stay), index - timedelta(days=1)),
                facility=rng.choice(HOSPITALS), source=EventSource.IMPORT, external_id=f"ADT-{client_id}-{admitted:%y%m%d}")
        for _ in range(_poisson(rng, 1.6)):
            add(client_id, EventKind.EMERGENCY, index - timedelta(days=rng.randint(1, 364)), facility="Riverside General ED")
        # After the index date: time to re-admission (Weibull), then possibly another stay.
        # More prior admissions, sooner re-admission (the confounding the adjusted comparison corrects for).
        scale = _scale(ONE_YEAR_READMISSION[group]) / (1 + 0.5 * (prior - 1)) / DIAGNOSIS_RISK.get(diagnosis.get(client_id, ""), 1.0)
        day = index
        for _ in range(3):
            gap = max(1, int(rng.weibullvariate(scale, WEIBULL_SHAPE)))
            admitted = day + timedelta(days=gap)
            if admitted > today:
                break
            stay = rng.randint(4, 12) if group == "peer" else rng.randint(7, 20)
            discharged = admitted + timedelta(days=stay)
            add(client_id, EventKind.ADMISSION, admitted, ended_on=discharged if discharged <= today else None,
                facility=rng.choice(HOSPITALS), source=EventSource.IMPORT, external_id=f"ADT-{client_id}-{admitted:%y%m%d}")
            day = discharged
        followed = min((today - index).days, 365)
        for _ in range(_poisson(rng, (0.7 if group == "peer" else 1.4) * followed / 365)):
            add(client_id, EventKind.EMERGENCY, index + timedelta(days=rng.randint(1, max(1, followed))),
                facility="Riverside General ED")
        for _ in range(_poisson(rng, (6 if group == "peer" else 3) * followed / 365)):
            add(client_id, EventKind.OUTPATIENT, index + timedelta(days=rng.randint(1, max(1, followed))),
                facility="Community Mental Health Clinic")
        if rng.random() < 0.25:
            add(client_id, EventKind.CRISIS, index + timedelta(days=rng.randint(1, max(1, followed))), facility="Crisis line")
        if group == "peer" and followed > 60 and rng.random() < 0.3:
            add(client_id, EventKind.EMPLOYMENT, index + timedelta(days=rng.randint(30, followed)),
                status=rng.choice([EmploymentStatus.EMPLOYED_PART, EmploymentStatus.VOLUNTEERING, EmploymentStatus.EDUCATION]))
        if followed > 60 and rng.random() < (0.25 if group == "peer" else 0.1):
            add(client_id, EventKind.HOUSING, index + timedelta(days=rng.randint(30, followed)),
                status=rng.choice([HousingStatus.STABLE, HousingStatus.SUPPORTED]))
    ServiceEvent.objects.bulk_create(events, batch_size=2000)


def _poisson(rng: Any, mean: float) -> int:
    # Knuth's method; fine for the small means used here.
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _seed_import(ctx: DemoContext, org: Any) -> None:
    """One import by the program leader, as a spreadsheet exports it (BOM, CR LF, a blank line), with three
    rows refused: the import page lists them by their line in the file, and "Your recent imports" shows it."""
    from peerpath.outcomes import services

    leader = ctx.staff["leader"]
    numbers = [c.record_number for c in ctx.clients[org.pk] if c.record_number][:3]
    if len(numbers) < 3:
        return
    day = (ctx.today - timedelta(days=12)).isoformat()
    lines = ["record_number,kind,occurred_on,ended_on,status,facility,external_id",
             f"{numbers[0]},emergency,{day},,,St Mary's ED,ADT-1001",
             f"{numbers[1]},outpatient,{day},,,Riverside clinic,ADT-1002",
             "",
             f"{numbers[2]},crisis,{day},,,Crisis line,ADT-1003",
             f"XX999999,emergency,{day},,,St Mary's ED,ADT-1004",
             f'{numbers[0]},emergency,{day},,,"St Mary\'s ED,ADT-1005',
             f"{numbers[1]},emergency,{day},,,St Mary's ED,ADT-1006,"]
    data = b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n"
    services.import_service_events(actor=leader, data=data, filename="ward-discharges.csv")
