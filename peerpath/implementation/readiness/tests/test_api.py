"""The readiness API: aggregates only, small groups suppressed, answers once, structured errors."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from peerpath.implementation.models import ReadinessInvitation, ReadinessResponse, ReadinessRound
from peerpath.implementation.readiness import services
from peerpath.implementation.readiness.tests.factories import answered_round, open_round, round_items

pytestmark = pytest.mark.django_db
BASE = "/api/v1/implementation/readiness"


@pytest.fixture
def api(api_client):
    """One API client per user (a user's test token can be made once)."""
    clients = {}

    def _for(user):
        if user.pk not in clients:
            clients[user.pk] = api_client(user)
        return clients[user.pk]

    return _for


def _post(http, path, body):
    return http.post(f"{BASE}{path}", json.dumps(body), content_type="application/json")


def test_results_show_aggregates_and_never_a_group_of_three(world, api):
    leader = world.a.users["leader"]
    readiness_round = answered_round(leader, {"peer": (6, 4), "clinician": (3, 1), "supervisor": (3, 2)})
    body = api(world.a.users["evaluator"]).get(f"{BASE}/rounds/{readiness_round.pk}/results").json()
    assert body["respondents"] == 12
    assert body["overall"]["respondents"] == 12
    assert body["overall"]["scores"]["aim.total"]["mean"] == round((6 * 4 + 3 * 1 + 3 * 2) / 12, 2)
    assert set(body["groups"]) == {"peer", "other"}
    assert body["groups"]["peer"]["scores"]["aim.total"] == {"n": 6, "mean": 4.0, "sd": 0.0, "min": 4.0, "max": 4.0}
    assert body["groups"]["other"]["respondents"] == 6
    assert body["groups"]["other"]["scores"]["aim.total"]["mean"] == 1.5  # clinicians and supervisors pooled
    text = json.dumps({k: v for k, v in body.items() if k != "round"})
    assert "clinician" not in text and "supervisor" not in text
    # the three clinicians' own mean (1.0) appears nowhere as a mean
    assert all(g["scores"]["aim.total"]["mean"] != 1.0 for g in body["groups"].values())
    # invited includes the world's own peer/clinician/supervisor who did not answer
    assert body["groups"]["peer"]["invited"] == 7 and body["groups"]["peer"]["response_rate"] == round(6 / 7, 3)


def test_open_round_results_give_counts_only(world, api):
    readiness_round = answered_round(world.a.users["leader"], {"peer": (6, 4)}, close=False)
    body = api(world.a.users["leader"]).get(f"{BASE}/rounds/{readiness_round.pk}/results").json()
    assert body["final"] is False and body["respondents"] == 6 and body["invited"] == 7
    assert body["overall"] is None and body["groups"] == {} and body["comments"] == []


def test_results_never_contain_answers_or_names(world, api):
    readiness_round = answered_round(world.a.users["leader"], {"peer": (5, 3)})
    body = api(world.a.users["admin"]).get(f"{BASE}/rounds/{readiness_round.pk}/results").json()
    respondent = ReadinessResponse.objects.filter(readiness_round=readiness_round).first().respondent
    text = json.dumps(body)
    assert f'"{respondent.username}"' not in text and "respondent_id" not in text and "item_id" not in text


def test_rounds_list_and_other_organisation_gets_404(world, api):
    readiness_round = open_round(world.a.users["leader"])
    rows = api(world.a.users["supervisor"]).get(f"{BASE}/rounds").json()
    assert [(r["id"], r["invited"], r["answered"]) for r in rows] == [(readiness_round.pk, 2, 0)]
    assert api(world.b.users["leader"]).get(f"{BASE}/rounds").json() == []
    assert api(world.b.users["leader"]).get(f"{BASE}/rounds/{readiness_round.pk}/results").status_code == 404


def test_open_a_team_round_invites_team_members_only(world, api):
    http = api(world.a.users["leader"])
    today = timezone.localdate().isoformat()
    response = _post(http, "/rounds", {"title": "Team A", "team_id": world.a.team.pk, "opens_on": today,
                                       "closes_on": today, "instrument_codes": ["fim"], "invited_roles": ["peer"]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["instrument_codes"] == ["fim"] and body["invited"] == 1
    invited = ReadinessInvitation.objects.filter(readiness_round_id=body["id"]).values_list("staff_id", flat=True)
    assert list(invited) == [world.a.users["peer"].pk]


def test_open_refuses_bad_input_with_the_field(world, api):
    http = api(world.a.users["leader"])
    today = timezone.localdate()
    base = {"title": "x", "opens_on": today.isoformat(), "closes_on": today.isoformat(),
            "instrument_codes": ["aim"], "invited_roles": ["peer"]}
    response = _post(http, "/rounds", {**base, "instrument_codes": ["nope"]})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "instrument_codes",
                                          "reason": "Choose at least one of the questionnaires offered.", "code": "invalid"}]
    response = _post(http, "/rounds", {**base, "closes_on": "2000-01-01"})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "closes_on"
    response = _post(http, "/rounds", {**base, "invited_roles": ["janitor"]})
    assert response.status_code == 422 and response.json()["errors"][0]["field"].startswith("invited_roles")
    response = _post(http, "/rounds", {**base, "surprise": 1})
    assert response.status_code == 422
    assert _post(api(world.a.users["peer"]), "/rounds", base).status_code == 403
    assert ReadinessRound.objects.count() == 0


def test_invited_clinician_answers_through_the_api_once(world, api):
    readiness_round = open_round(world.a.users["leader"])
    http = api(world.a.users["clinician"])
    assert [r["id"] for r in http.get(f"{BASE}/waiting").json()] == [readiness_round.pk]
    survey = http.get(f"{BASE}/rounds/{readiness_round.pk}/survey").json()
    assert [i["code"] for i in survey["instruments"]] == ["oric", "aim"]
    assert survey["instruments"][0]["scale_labels"][0] == "Disagree"
    items = [it["id"] for inst in survey["instruments"] for it in inst["items"]]
    assert len(items) == 16
    body = {"answers": [{"item_id": pk, "value": 5} for pk in items[1:]], "comment": "More peer time"}
    response = _post(http, f"/rounds/{readiness_round.pk}/answers", body)
    assert response.status_code == 201, response.content
    assert response.json() == {"round_id": readiness_round.pk, "answered_items": 15}
    stored = ReadinessResponse.objects.get()
    assert stored.role == "clinician" and stored.scores["oric"] == {"change_efficacy": 5.0, "change_commitment": 5.0}
    again = _post(http, f"/rounds/{readiness_round.pk}/answers", body)
    assert again.status_code == 400
    assert again.json()["detail"] == "You have already answered this survey. Thank you."
    assert http.get(f"{BASE}/waiting").json() == []
    assert ReadinessResponse.objects.count() == 1


def test_answer_errors_name_the_answer_and_store_nothing(world, api):
    readiness_round = open_round(world.a.users["leader"])
    items = [i.pk for i in round_items(readiness_round)]
    http = api(world.a.users["peer"])
    url = f"/rounds/{readiness_round.pk}/answers"
    response = _post(http, url, {"answers": [{"item_id": items[0], "value": 4}, {"item_id": items[1], "value": 6}]})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "answers.1.value", "reason": "Choose an answer from 1 to 5.", "code": "invalid"}]
    response = _post(http, url, {"answers": [{"item_id": 999999, "value": 4}]})
    assert response.json()["errors"][0]["field"] == "answers.0.item_id"
    response = _post(http, url, {"answers": [{"item_id": items[0], "value": 4}, {"item_id": items[0], "value": 3}]})
    assert response.json()["errors"][0] == {"field": "answers.1.item_id", "reason": "This question is answered twice.", "code": "invalid"}
    response = _post(http, url, {"answers": [{"item_id": items[0], "value": True}]})
    assert response.status_code == 422
    assert ReadinessResponse.objects.count() == 0
    assert not ReadinessInvitation.objects.filter(responded_at__isnull=False).exists()


def test_not_invited_gets_404_and_closed_round_refuses(world, api):
    readiness_round = open_round(world.a.users["leader"])
    items = [i.pk for i in round_items(readiness_round)]
    body = {"answers": [{"item_id": items[0], "value": 4}]}
    assert _post(api(world.a.users["evaluator"]), f"/rounds/{readiness_round.pk}/answers", body).status_code == 404
    services.readiness_round_close(actor=world.a.users["leader"], readiness_round=readiness_round)
    response = _post(api(world.a.users["peer"]), f"/rounds/{readiness_round.pk}/answers", body)
    assert response.status_code == 400 and response.json()["detail"] == "This survey is closed."
    assert ReadinessResponse.objects.count() == 0


def test_close_through_the_api(world, api):
    readiness_round = open_round(world.a.users["leader"])
    response = _post(api(world.a.users["admin"]), f"/rounds/{readiness_round.pk}/close", {})
    assert response.status_code == 200 and response.json()["status"] == "closed"
    readiness_round.refresh_from_db()
    assert readiness_round.status == "closed"
