"""Recovery plans written with the client, and team meetings with attendance."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from peerpath.care import services
from peerpath.care.models import Goal, TeamMeeting, TeamMeetingAttendance
from peerpath.care.tests.factories import GoalStepFactory
from peerpath.core.exceptions import NotAllowed, ServiceError


def test_peer_adds_a_goal_in_the_clients_words_with_a_first_step(world, login):
    http = login(world.a.users["peer"])
    response = http.post(f"/care/clients/{world.a.client.pk}/plan/goals/", {
        "own_words": "I want to cook for my sister again", "life_area": "relationships", "chime": "connectedness",
        "first_step": "Buy ingredients for soup", "first_step_due": "2030-01-10",
    })
    assert response.status_code == 302
    goal = Goal.objects.get(own_words="I want to cook for my sister again")
    assert (goal.life_area, goal.chime, goal.progress) == ("relationships", "connectedness", 0)
    assert list(goal.steps.values_list("description", flat=True)) == ["Buy ingredients for soup"]
    assert "I want to cook for my sister again" in http.get(f"/care/clients/{world.a.client.pk}/plan/").content.decode()


def test_goal_form_errors_are_shown_and_nothing_saved(world, login):
    before = Goal.objects.count()
    response = login(world.a.users["peer"]).post(f"/care/clients/{world.a.client.pk}/plan/goals/", {"own_words": "", "life_area": "moon", "chime": "hope"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "This field is required." in content and "Select a valid choice." in content
    assert Goal.objects.count() == before


def test_progress_outside_0_to_100_is_refused(world):
    with pytest.raises(ServiceError) as error:
        services.goal_update(actor=world.a.users["peer"], goal=world.a.goal, progress=140, status="active")
    assert error.value.field == "progress"
    world.a.goal.refresh_from_db()
    assert world.a.goal.progress == 0


@pytest.mark.parametrize("role", ["admin", "evaluator"])
def test_roles_outside_the_care_team_cannot_write_the_plan(world, role):
    with pytest.raises(NotAllowed):
        services.goal_add(actor=world.a.users[role], plan=world.a.plan, own_words="x", life_area="housing", chime="hope")
    assert Goal.objects.filter(plan=world.a.plan).count() == 1


def test_step_done_with_htmx_returns_the_updated_step(world, login):
    step = GoalStepFactory(goal=world.a.goal, description="Visit the library")
    response = login(world.a.users["peer"]).post(f"/care/steps/{step.pk}/done/", {"done": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'id="step-{step.pk}"' in response.content.decode() and "<s>Visit the library</s>" in response.content.decode()
    step.refresh_from_db()
    assert step.done_on == timezone.localdate()


def test_api_goal_without_a_plan_is_refused_as_on_the_page(world, api_client):
    """Issue 9: the API used to start a plan silently; the page says "Start the plan first"."""
    from peerpath.care.models import Goal, RecoveryPlan

    plan = world.a.plan
    plan.is_active = False
    plan.save()
    goals, plans = Goal.objects.count(), RecoveryPlan.objects.count()
    response = api_client(world.a.users["peer"]).post(
        f"/api/v1/clients/{world.a.client.pk}/plan/goals",
        json.dumps({"own_words": "Sleep through the night", "life_area": "mental_health", "chime": "hope",
                    "steps": [{"description": "No screens after 10", "due_on": None}]}),
        content_type="application/json")
    assert response.status_code == 400
    assert [e["reason"] for e in response.json()["errors"]] == ["Start the plan first."]
    assert (Goal.objects.count(), RecoveryPlan.objects.count()) == (goals, plans)


def test_team_meeting_records_who_attended(world, login):
    supervisor, peer, clinician = (world.a.users[r] for r in ("supervisor", "peer", "clinician"))
    response = login(supervisor).post("/care/meetings/new/", {
        "team": world.a.team.pk, "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "duration_minutes": "60",
        "topic": "Caseload review", "attended": [peer.pk, supervisor.pk],
    })
    assert response.status_code == 302
    meeting = TeamMeeting.objects.get(topic="Caseload review")
    attendance = dict(TeamMeetingAttendance.objects.filter(meeting=meeting).values_list("staff_id", "attended"))
    assert attendance[peer.pk] is True and attendance[supervisor.pk] is True and attendance[clinician.pk] is False


def test_meeting_attendance_only_lists_team_members(world):
    before = TeamMeeting.objects.count()
    with pytest.raises(ServiceError) as error:
        services.team_meeting_record(actor=world.a.users["supervisor"], team=world.a.team, held_at=timezone.now(),
                                     duration_minutes=30, attendance={world.b.users["peer"].pk: True})
    assert error.value.field == "attendance"
    assert TeamMeeting.objects.count() == before




def test_progress_follows_the_steps_done(world, login):
    goal = world.a.goal
    only = GoalStepFactory(goal=goal, description="Phone the housing office")
    http = login(world.a.users["peer"])
    http.post(f"/care/steps/{only.pk}/done/", {"done": "1"})
    goal.refresh_from_db()
    assert goal.progress == 100  # its only step is done (it stayed at 0% before)
    assert "100%" in http.get(f"/care/clients/{world.a.client.pk}/plan/").content.decode()

    second = services.goal_step_add(actor=world.a.users["peer"], goal=goal, description="Fill in the form", due_on=None)
    goal.refresh_from_db()
    assert goal.progress == 50  # one of two steps done
    services.goal_step_mark_done(actor=world.a.users["peer"], step=second)
    services.goal_step_mark_done(actor=world.a.users["peer"], step=only, done=False)
    goal.refresh_from_db()
    assert goal.progress == 50
    services.goal_step_mark_done(actor=world.a.users["peer"], step=second, done=False)
    goal.refresh_from_db()
    assert goal.progress == 0


def test_a_refused_step_change_leaves_progress_alone(world):
    step = GoalStepFactory(goal=world.a.goal, description="Visit the library")
    with pytest.raises(NotAllowed):
        services.goal_step_mark_done(actor=world.a.users["evaluator"], step=step)
    world.a.goal.refresh_from_db()
    step.refresh_from_db()
    assert (world.a.goal.progress, step.done_on) == (0, None)
