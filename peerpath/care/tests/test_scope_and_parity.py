"""Page and API agree (recovery plans, encounters); group encounters show only what the reader may see."""

from __future__ import annotations

import json

from django.utils import timezone

from peerpath.care.models import Encounter, Goal, RecoveryPlan
from peerpath.care.tests.factories import EncounterFactory
from peerpath.clients.tests.factories import ClientFactory, MatchFactory
from peerpath.core.models import AuditEvent
from peerpath.testing.parity import assert_page_and_api_agree


def _client_without_plan(world):
    client = ClientFactory(team=world.a.team, first_name="Noplan")
    MatchFactory(client=client, peer=world.a.users["peer"])
    return client


def test_adding_a_goal_without_a_plan_is_refused_on_the_page_and_in_the_api(world, login, api_client):
    peer = world.a.users["peer"]
    client = _client_without_plan(world)
    outcome = assert_page_and_api_agree(
        page=lambda: login(peer).post(f"/care/clients/{client.pk}/plan/goals/", {
            "own_words": "Cook again", "life_area": "relationships", "chime": "connectedness"}),
        api=lambda: api_client(peer).post(f"/api/v1/clients/{client.pk}/plan/goals", json.dumps({
            "own_words": "Cook again", "life_area": "relationships", "chime": "connectedness"}),
            content_type="application/json"),
        models=[RecoveryPlan, Goal],
    )
    assert outcome == type(outcome)("refused", ("Start the plan first.",), (("RecoveryPlan", 0), ("Goal", 0)))


def test_recording_an_encounter_gives_the_same_result_on_page_and_api(world, login, api_client):
    peer = world.a.users["peer"]
    started = timezone.localtime().replace(second=0, microsecond=0)
    outcome = assert_page_and_api_agree(
        page=lambda: login(peer).post("/care/encounters/new/", {
            "clients": [world.a.client.pk], "started_at": started.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 45,
            "modality": "in_person", "setting": "community", "peer_activities": ["hope_goals"]}),
        api=lambda: api_client(peer).post("/api/v1/encounters", json.dumps({
            "client_ids": [world.a.client.pk], "started_at": started.isoformat(), "duration_minutes": 45,
            "modality": "in_person", "setting": "community", "activities": ["hope_goals"]}),
            content_type="application/json"),
        models=[Encounter],
    )
    assert (outcome.result, outcome.written) == ("done", (("Encounter", 1),))


def test_an_evaluator_is_denied_on_both(world, login, api_client):
    evaluator = world.a.users["evaluator"]
    outcome = assert_page_and_api_agree(
        page=lambda: login(evaluator).post("/care/encounters/new/", {}),
        api=lambda: api_client(evaluator).post("/api/v1/encounters", json.dumps({
            "client_ids": [world.a.client.pk], "started_at": timezone.now().isoformat(), "duration_minutes": 45,
            "modality": "in_person", "setting": "community", "activities": ["hope_goals"]}),
            content_type="application/json"),
        models=[Encounter],
    )
    assert (outcome.result, outcome.written) == ("denied", (("Encounter", 0),))


def _group_with_a_client_elsewhere(world):
    peer = world.a.users["peer"]
    elsewhere = ClientFactory(team=world.a.other_team, first_name="Hidden", last_name="Attendee")
    MatchFactory(client=elsewhere, peer=peer)
    return EncounterFactory(peer=peer, clients=[world.a.client, elsewhere], note="Hidden talked about court"), elsewhere


def test_group_encounter_page_shows_only_attendees_the_reader_may_see(world, login):
    encounter, elsewhere = _group_with_a_client_elsewhere(world)
    supervisor = world.a.users["supervisor"]  # sees world.a.team's clients, not other_team's
    page = login(supervisor).get(f"/care/encounters/{encounter.pk}/").content.decode()
    assert world.a.client.display_name in page
    assert "Hidden" not in page and "court" not in page
    assert not AuditEvent.objects.filter(client=elsewhere, actor=supervisor).exists()
    author_page = login(world.a.users["peer"]).get(f"/care/encounters/{encounter.pk}/").content.decode()
    assert "Hidden Attendee" in author_page and "Hidden talked about court" in author_page


def test_group_encounter_api_shows_only_attendees_the_reader_may_see(world, api_client):
    encounter, elsewhere = _group_with_a_client_elsewhere(world)
    body = api_client(world.a.users["supervisor"]).get(f"/api/v1/encounters/{encounter.pk}").json()
    assert (body["client_ids"], body["note"]) == ([world.a.client.pk], "")
    leader_body = api_client(world.a.users["leader"]).get(f"/api/v1/encounters/{encounter.pk}").json()
    assert (leader_body["client_ids"], leader_body["note"]) == (
        sorted([world.a.client.pk, elsewhere.pk]), "Hidden talked about court")
