"""Integration metrics computed from real work: exact figures for one team in one month, scoping to the
reader's organisation, the page and the API."""

from __future__ import annotations

import json
import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from peerpath.accounts.tests.factories import StaffFactory
from peerpath.care.models import PeerConsultation, TeamMeetingAttendance
from peerpath.care.tests.factories import EncounterFactory, TeamMeetingFactory
from peerpath.clients.tests.factories import ClientFactory, MatchFactory, ReferralFactory
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction
from peerpath.core.tests.factories import TeamFactory
from peerpath.implementation.integration import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_month(world):
    """One team with two peers and a clinician, and this month's work:

    * two meetings: peer 1 at both, peer 2 at the first and not invited to the second → 3 of 4 = 75 %;
    * three referrals to the team (and one to another team);
    * two consultations, both of peer 1 → 2 consultations, 1 of 2 peers consulted = 50 %;
    * peer 1: matches with Ana (ongoing) and Ben (ended today) → 1 active match at the month's end;
      peer 2: one ongoing match with Cara → 2 active, caseload 1.0 per peer;
    * 60 minutes sharing experience + transport (30 peer-specific) and 30 minutes of advocacy → 60 / 90;
    * peer 1 opened Ana's record twice and a record outside their caseload once; peer 2 opened nothing →
      1 client opened ÷ 2 active matches = 50 %;
    * index = mean(75 %, 50 %, 50 %) = 58.3 %.
    """
    a = world.a
    org = a.organisation
    team = TeamFactory(organisation=org, name="Assertive outreach")
    peer1 = StaffFactory(organisation=org, role="peer", username="p1", teams=[team])
    peer2 = StaffFactory(organisation=org, role="peer", username="p2", teams=[team])
    clinician = StaffFactory(organisation=org, role="clinician", username="c1", teams=[team])
    now = timezone.now()
    today = timezone.localdate()
    first = TeamMeetingFactory(team=team, recorded_by=clinician, held_at=now)
    second = TeamMeetingFactory(team=team, recorded_by=clinician, held_at=now)
    TeamMeetingAttendance.objects.bulk_create([
        TeamMeetingAttendance(meeting=first, staff=peer1, attended=True),
        TeamMeetingAttendance(meeting=first, staff=peer2, attended=True),
        TeamMeetingAttendance(meeting=first, staff=clinician, attended=True),
        TeamMeetingAttendance(meeting=second, staff=peer1, attended=True),
        TeamMeetingAttendance(meeting=second, staff=clinician, attended=False),
    ])
    ana, ben, cara, other = (ClientFactory(team=team, first_name=name) for name in ("Ana", "Ben", "Cara", "Dev"))
    for client in (ana, ben, cara):
        ReferralFactory(client=client, team=team, referred_by=clinician)
    ReferralFactory(client=other, team=a.other_team, referred_by=clinician)
    MatchFactory(client=ana, peer=peer1, started_on=today - timedelta(days=90))
    MatchFactory(client=ben, peer=peer1, started_on=today - timedelta(days=90), ended_on=today, is_active=False)
    MatchFactory(client=cara, peer=peer2, started_on=today - timedelta(days=40))
    for _ in range(2):
        PeerConsultation.objects.create(organisation=org, peer=peer1, asked_by=clinician, held_at=now,
                                        topic="A client who keeps missing appointments")
    EncounterFactory(peer=peer1, clients=[ana], started_at=now, duration_minutes=60,
                     activities=["sharing_experience", "transport"], peer_specific_minutes=30)
    EncounterFactory(peer=peer2, clients=[cara], started_at=now, duration_minutes=30, activities=["advocacy"],
                     peer_specific_minutes=30)
    for client in (ana, ana, other):
        audit_record(actor=peer1, action=AuditAction.VIEW, target=client, client=client)
    audit_record(actor=clinician, action=AuditAction.VIEW, target=cara, client=cara)  # not a peer: not counted
    return team


def _this_month(user, team):
    metrics = selectors.integration_metrics(user=user, months=6, team_id=team.pk)
    (trend,) = metrics.teams
    return trend, trend.months[-1]


def test_figures_for_a_team_month_come_from_the_records(world, team_month):
    trend, month = _this_month(world.a.users["leader"], team_month)
    assert (trend.name, trend.peers, len(trend.months)) == ("Assertive outreach", 2, 6)
    assert month.month == timezone.localdate().replace(day=1)
    assert (month.meetings, month.peer_attendances, month.attendance_rate) == (2, 3, 0.75)
    assert month.referrals == 3
    assert (month.consultations, month.peers_consulted, month.consultation_reach) == (2, 1, 0.5)
    assert (month.active_matches, month.caseload) == (2, 1.0)
    assert (month.encounter_minutes, month.peer_specific_minutes) == (90, 60)
    assert month.peer_specific_share == pytest.approx(2 / 3)
    assert (month.clients_opened, month.record_access_rate) == (1, 0.5)
    assert month.integration_index == pytest.approx((0.75 + 0.5 + 0.5) / 3)
    # the months before: two matches were already active last month; nothing else happened
    before = trend.months[-2]
    assert (before.meetings, before.referrals, before.encounter_minutes, before.attendance_rate) == (0, 0, 0, None)
    assert before.active_matches == 3 and before.peer_specific_share is None


def test_other_organisations_never_count(world, team_month):
    b = world.b
    b_peer = StaffFactory(organisation=b.organisation, role="peer", username="bp", teams=[b.team])
    PeerConsultation.objects.create(organisation=b.organisation, peer=b_peer, asked_by=b.users["clinician"],
                                    held_at=timezone.now(), topic="Org B")
    metrics = selectors.integration_metrics(user=b.users["leader"], months=6)
    assert {t.name for t in metrics.teams} <= {b.team.name, b.other_team.name}
    assert sum(m.consultations for t in metrics.teams for m in t.months) == 1
    # organisation A's team is invisible to B even when asked for by id
    assert selectors.integration_metrics(user=b.users["leader"], months=6, team_id=team_month.pk).teams == []


def test_a_peer_in_two_teams_counts_in_both(world, team_month):
    a = world.a
    peer1 = team_month.members.get(username="p1")
    peer1.memberships.create(team=a.team)
    metrics = selectors.integration_metrics(user=a.users["leader"], months=6)
    consultations = {t.name: t.months[-1].consultations for t in metrics.teams}
    assert consultations["Assertive outreach"] == 2 and consultations[a.team.name] == 2


def test_an_inactive_membership_takes_the_peer_out_of_the_team(world, team_month):
    team_month.memberships.filter(staff__username="p2").update(is_active=False)
    trend, month = _this_month(world.a.users["leader"], team_month)
    assert trend.peers == 1
    assert (month.encounter_minutes, month.active_matches, month.attendance_rate) == (60, 1, 1.0)


def test_the_path_has_a_point_per_month_within_a_year_and_per_quarter_beyond(world, team_month):
    leader = world.a.users["leader"]
    six = selectors.integration_metrics(user=leader, months=6, team_id=team_month.pk).teams[0]
    assert [p["label"] for p in six.path] == [timezone.localdate().strftime("%Y-%m")]
    long = selectors.integration_metrics(user=leader, months=24, team_id=team_month.pk).teams[0]
    (point,) = long.path
    assert point["label"].endswith(f"Q{(timezone.localdate().month - 1) // 3 + 1}")


def test_month_starts_cross_the_year():
    from datetime import date

    assert selectors.month_starts(months=3, today=date(2026, 2, 14)) == [date(2025, 12, 1), date(2026, 1, 1),
                                                                         date(2026, 2, 1)]


def test_page_shows_the_chart_and_every_figure(world, team_month, login):
    response = login(world.a.users["evaluator"]).get(reverse("implementation:integration_page"), {"months": 6, "team": team_month.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html and "The two gradients of peer work, per team over time" in html
    assert "Assertive outreach: integration figures by month" in html
    assert '<td class="num">75%</td>' in html  # meeting attendance this month
    assert '<td class="num">58%</td>' in html  # the index


def test_page_refuses_a_period_it_does_not_offer(world, login):
    response = login(world.a.users["leader"]).get(reverse("implementation:integration_page") + "?months=7")
    assert response.status_code == 400
    assert "Select a valid choice. 7 is not one of the available choices." in response.content.decode()


def test_page_refuses_another_organisations_team(world, login):
    response = login(world.a.users["leader"]).get(reverse("implementation:integration_page"),
                                                  {"team": world.b.team.pk})
    assert response.status_code == 400


def test_api_gives_the_same_figures(world, team_month, api_client):
    client = api_client(world.a.users["leader"])
    response = client.get(reverse("api:integration_metrics"), {"months": 6, "team_id": team_month.pk})
    assert response.status_code == 200
    body = response.json()
    (team,) = body["teams"]
    month = team["months"][-1]
    assert (team["name"], team["peers"], month["meetings"], month["attendance_rate"], month["referrals"]) == (
        "Assertive outreach", 2, 2, 0.75, 3)
    assert month["record_access_rate"] == 0.5 and round(month["integration_index"], 4) == 0.5833


def test_api_names_the_wrong_field(world, api_client):
    client = api_client(world.a.users["leader"])
    response = client.get(reverse("api:integration_metrics"), {"months": 5})
    assert response.status_code == 400
    assert json.loads(response.content)["errors"] == [{"field": "months", "reason": "months must be one of 6, 12, 24, 36.", "code": "invalid"}]
    other = client.get(reverse("api:integration_metrics"), {"team_id": world.b.team.pk})
    assert other.status_code == 404


def test_report_includes_the_integration_section(world, team_month, login):
    response = login(world.a.users["leader"]).get(reverse("implementation:report_page"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "The two gradients of peer work, per team over time" in html
    assert "Integration trends are not available" not in html


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="the demo's story is drawn on its own database, SQLite; on PostgreSQL some seed queries "
                           "meet rows in another order, so the random draw differs (open: an order-independent seed)")
@pytest.mark.django_db(transaction=True)
def test_demo_shows_the_act_team_drawn_into_its_team_and_the_others_level():
    from peerpath.accounts.models import StaffMember
    from peerpath.demo.seed import seed_demo

    seed_demo(clients=120)
    metrics = selectors.integration_metrics(user=StaffMember.objects.get(username="leader"))
    trends = {t.name: t for t in metrics.teams}
    act = trends.pop("Riverside ACT Team")
    assert act.change("integration_index") > 0.3
    assert act.change("attendance_rate") > 0.4 and act.change("peer_specific_share") > 0.2
    assert len(trends) == 3
    for name, other in trends.items():
        assert abs(other.change("integration_index")) < 0.25, name
    assert all(len(t.path) >= 4 for t in metrics.teams)


@pytest.mark.django_db(transaction=True)
def test_parallel_and_sequential_paths_give_the_same_figures(world, team_month):
    """On PostgreSQL outside a transaction the scans run on their own connections at the same time; inside a
    transaction (and on SQLite) one after another. Both must give identical figures."""
    from dataclasses import asdict

    from django.db import transaction

    leader = world.a.users["leader"]
    parallel = selectors.integration_metrics(user=leader, months=6)
    with transaction.atomic():
        sequential = selectors.integration_metrics(user=leader, months=6)
    assert [asdict(t) for t in parallel.teams] == [asdict(t) for t in sequential.teams]
    assert sum(m.encounter_minutes for t in parallel.teams for m in t.months) >= 90


def test_the_page_speaks_spanish(world, team_month, login):
    leader = world.a.users["leader"]
    leader.language = "es"
    leader.save(update_fields=["language"])
    html = login(leader).get(reverse("implementation:integration_page"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Integración de los trabajadores de pares" in html
    assert "Últimos 12 meses" in html and "Los dos gradientes del trabajo de pares" in html


def test_the_change_between_quarters_leaves_out_the_month_in_progress():
    """A few days of this month swing its rates (the demo test failed on 3 December): the trend compares the
    first three months with the latest three complete ones."""
    from datetime import date

    from peerpath.implementation.integration.selectors import TeamMonth, TeamTrend

    def month(day: date, minutes: int, peer_minutes: int) -> TeamMonth:
        return TeamMonth(month=day, peers=1, encounter_minutes=minutes, peer_specific_minutes=peer_minutes)

    months = [month(date(2026, m, 1), 100, 50) for m in range(6, 12)] + [month(date(2026, 12, 1), 10, 10)]
    trend = TeamTrend(team_id=1, name="T", peers=1, months=months, in_progress=date(2026, 12, 1))
    assert trend.last_quarter("peer_specific_share") == 0.5
    assert trend.change("peer_specific_share") == 0.0
    assert [m.month.month for m in trend.complete_months] == [6, 7, 8, 9, 10, 11]
