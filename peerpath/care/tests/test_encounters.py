"""Recording encounters: page and API, group notes, validation, caseload-only."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from peerpath.care import services
from peerpath.care.models import Encounter, EncounterAttendance
from peerpath.clients.models import Match
from peerpath.clients.tests.factories import ClientFactory, MatchFactory
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.models import AuditEvent


def _form(client_ids, **overrides):
    data = {
        "clients": client_ids, "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "duration_minutes": "60",
        "modality": "in_person", "setting": "community", "peer_activities": ["hope_goals"],
        "generic_activities": ["transport"], "note": "Planned the week; Ana chose the walking club.",
    }
    data.update(overrides)
    return data


def test_peer_records_an_encounter_on_the_page(world, login):
    peer, client = world.a.users["peer"], world.a.client
    response = login(peer).post("/care/encounters/new/", _form([client.pk], self_disclosure_used="on"))
    assert response.status_code == 302
    assert response["Location"] == f"/clients/{client.pk}/"
    encounter = Encounter.objects.latest("id")
    assert (encounter.peer, encounter.duration_minutes, encounter.activities) == (peer, 60, ["hope_goals", "transport"])
    assert encounter.peer_specific_minutes == 30  # one peer-specific and one generic activity
    assert encounter.self_disclosure_used is True
    match = Match.objects.get(peer=peer, client=client)
    assert match.last_contact_at == encounter.started_at
    assert AuditEvent.objects.filter(action="create", target_type="care.encounter", client=client).count() == 1


def test_form_without_activities_shows_the_error_and_saves_nothing(world, login):
    before = Encounter.objects.count()
    response = login(world.a.users["peer"]).post("/care/encounters/new/", _form([world.a.client.pk], peer_activities=[], generic_activities=[]))
    assert response.status_code == 400
    assert "Tick at least one activity." in response.content.decode()
    assert Encounter.objects.count() == before


def test_group_note_lands_in_every_attendees_record(world, login):
    peer = world.a.users["peer"]
    second = ClientFactory(team=world.a.team, first_name="Second")
    MatchFactory(peer=peer, client=second)
    login(peer).post("/care/encounters/new/", _form([world.a.client.pk, second.pk], note="Recovery group: gardening."))
    encounter = Encounter.objects.get(note="Recovery group: gardening.")
    assert encounter.is_group is True
    assert set(EncounterAttendance.objects.filter(encounter=encounter).values_list("client_id", flat=True)) == {world.a.client.pk, second.pk}
    clinician = login(world.a.users["clinician"])
    for client in (world.a.client, second):
        assert "Recovery group: gardening." in clinician.get(f"/clients/{client.pk}/").content.decode()


def test_only_clients_on_the_peers_caseload(world):
    before = Encounter.objects.count()
    with pytest.raises(NotAllowed):
        services.encounter_record(actor=world.a.users["peer"], clients=[world.a.unmatched_client], started_at=timezone.now(),
                                  duration_minutes=30, modality="phone", setting="remote", activities=["advocacy"])
    assert Encounter.objects.count() == before


@pytest.mark.parametrize(("change", "field"), [
    ({"duration_minutes": 0}, "duration_minutes"),
    ({"duration_minutes": 600}, "duration_minutes"),
    ({"started_at": "future"}, "started_at"),
    ({"modality": "telepathy"}, "modality"),
    ({"activities": ["knitting"]}, "activities"),
])
def test_bad_values_are_refused_with_the_field(world, change, field):
    args = {"actor": world.a.users["peer"], "clients": [world.a.client], "started_at": timezone.now(), "duration_minutes": 30,
            "modality": "phone", "setting": "remote", "activities": ["advocacy"]}
    if change.get("started_at") == "future":
        change = {"started_at": timezone.now() + timedelta(days=2)}
    args.update(change)
    before = Encounter.objects.count()
    with pytest.raises(ServiceError) as error:
        services.encounter_record(**args)
    assert error.value.field == field
    assert Encounter.objects.count() == before


def _api_post(http, payload):
    return http.post("/api/v1/encounters", json.dumps(payload), content_type="application/json")


def _payload(world, **overrides):
    payload = {"client_ids": [world.a.client.pk], "started_at": timezone.now().isoformat(), "duration_minutes": 45,
               "modality": "video", "setting": "remote", "activities": ["sharing_experience"], "note": "Video check-in."}
    payload.update(overrides)
    return payload


def test_api_records_an_encounter(world, api_client):
    response = _api_post(api_client(world.a.users["peer"]), _payload(world))
    assert response.status_code == 201
    body = response.json()
    assert (body["client_ids"], body["peer_specific_minutes"], body["is_group"]) == ([world.a.client.pk], 45, False)


@pytest.mark.parametrize(("overrides", "status", "field"), [
    ({"duration_minutes": True}, 422, "duration_minutes"),
    ({"duration_minutes": "45"}, 422, "duration_minutes"),
    ({"modality": "fax"}, 422, "modality"),
    ({"activities": []}, 422, "activities"),
    ({"surprise": 1}, 422, "surprise"),
    ({"started_at": "2026-01-01T10:00:00"}, 400, "started_at"),
    ({"started_at": "yesterday"}, 422, "started_at"),
])
def test_api_bad_input_is_a_structured_4xx_and_writes_nothing(world, api_client, overrides, status, field):
    before = Encounter.objects.count()
    response = _api_post(api_client(world.a.users["peer"]), _payload(world, **overrides))
    assert response.status_code == status
    assert response.json()["errors"][0]["field"] == field
    assert Encounter.objects.count() == before


def test_api_client_not_on_caseload_is_not_found(world, api_client):
    before = Encounter.objects.count()
    response = _api_post(api_client(world.a.users["peer"]), _payload(world, client_ids=[world.a.unmatched_client.pk]))
    assert response.status_code == 404
    assert Encounter.objects.count() == before


def test_clinician_on_the_team_sees_the_peers_note(world, login):
    content = login(world.a.users["clinician"]).get(f"/clients/{world.a.client.pk}/").content.decode()
    assert world.a.encounter.note in content


def test_clinician_of_another_team_cannot_open_the_client(world, login):
    other = type(world.a.users["clinician"]).objects.create(username="c2", organisation=world.a.organisation, role="clinician")
    other.teams.add(world.a.other_team)
    assert login(other).get(f"/clients/{world.a.client.pk}/").status_code == 404
