"""The planning API: bodies in and out, structured errors, permissions (denied → nothing changed)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from peerpath.implementation.models import Barrier, ImplementationPlan, PlanItem
from peerpath.implementation.planning import services
from peerpath.implementation.planning.tests.factories import PlanFactory, PlanItemFactory, reference_world

pytestmark = pytest.mark.django_db
BASE = "/api/v1/implementation"


@pytest.fixture
def ref(db):
    return reference_world()


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


def test_barrier_create_from_template_and_by_hand(world, ref, api):
    http = api(world.a.users["leader"])
    template = ref.templates["role-unclear"]
    created = _post(http, "/barriers", {"template_id": template.pk, "raised_by": "Peer team meeting, March"})
    assert created.status_code == 201
    body = created.json()
    assert (body["title"], body["construct_code"], body["template_id"], body["raised_by"], body["team_id"]) == (
        "The peer role is unclear", "III.F", template.pk, "Peer team meeting, March", None)
    again = _post(http, "/barriers", {"template_id": template.pk})
    assert again.status_code == 400
    assert again.json()["errors"] == [{"field": "template_id", "reason": "“The peer role is unclear” is already in "
                                                                         "the register for the whole organisation.", "code": "invalid"}]
    own = _post(http, "/barriers", {"kind": "facilitator", "title": "Peer network", "construct_code": "V.A",
                                    "team_id": world.a.team.pk})
    assert own.status_code == 201 and own.json()["kind"] == "facilitator" and own.json()["team_id"] == world.a.team.pk
    bad = _post(http, "/barriers", {"title": "X", "construct_code": "IX.Z"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "construct_code"
    foreign_team = _post(http, "/barriers", {"title": "X", "construct_code": "V.A", "team_id": world.b.team.pk})
    assert foreign_team.status_code == 400 and foreign_team.json()["errors"][0]["field"] == "team_id"
    listed = http.get(f"{BASE}/barriers").json()
    assert [b["title"] for b in listed] == ["The peer role is unclear", "Peer network"]
    assert [b["title"] for b in http.get(f"{BASE}/barriers", {"team_id": world.a.team.pk}).json()] == ["Peer network"]
    assert api(world.b.users["leader"]).get(f"{BASE}/barriers").json() == []
    assert Barrier.objects.count() == 2


def test_supervisor_writes_for_own_team_only_over_the_api(world, ref, api):
    http = api(world.a.users["supervisor"])
    refused = _post(http, "/barriers", {"title": "X", "construct_code": "III.F"})
    assert refused.status_code == 403 and refused.json()["detail"] == "You do not have permission to do this."
    assert _post(http, "/barriers", {"title": "X", "construct_code": "III.F",
                                     "team_id": world.a.other_team.pk}).status_code == 403
    assert not Barrier.objects.exists()
    assert _post(http, "/barriers", {"title": "X", "construct_code": "III.F",
                                     "team_id": world.a.team.pk}).status_code == 201
    assert _post(http, "/plans", {"title": "Org plan"}).status_code == 403
    assert _post(http, "/plans", {"title": "Team plan", "team_id": world.a.team.pk}).status_code == 201
    assert ImplementationPlan.objects.get().team == world.a.team


def test_recommendations_come_with_reasons(world, ref, api):
    leader = world.a.users["leader"]
    role = services.barrier_from_template(actor=leader, template=ref.templates["role-unclear"])
    response = _post(api(leader), "/recommendations", {"barrier_ids": [role.pk]})
    assert response.status_code == 200
    [top] = response.json()
    assert (top["rank"], top["name"], top["score"], top["barriers_addressed"]) == (
        1, "Revise professional roles", "0.4483", 1)
    assert top["formula"] == "0.620 × (3.89 + 3.34) / 10 = 0.448"
    [reason] = top["barriers"]
    counted, supporting = reason["rows"]
    assert counted == {"match_id": ref.matches["roles-compat"].pk, "construct_code": "III.F",
                       "construct_2009_code": "II.E.2", "crosswalk_source": "CFIR 2.0 crosswalk (2022)", "level": 1,
                       "endorsement": "0.620", "weight": "0.620", "source": "Waltz et al. 2019", "note": "",
                       "own_row": False, "counted": True}
    assert supporting["counted"] is False and supporting["weight"] == "0.25"
    all_open = _post(api(leader), "/recommendations", {}).json()
    assert [r["name"] for r in all_open] == ["Revise professional roles"]
    foreign = _post(api(world.b.users["leader"]), "/recommendations", {"barrier_ids": [role.pk]})
    assert foreign.status_code == 400 and foreign.json()["errors"][0]["field"] == "barrier_ids"
    assert _post(api(world.a.users["peer"]), "/recommendations", {}).status_code == 403


def test_plan_and_items_over_the_api(world, ref, api):
    leader, peer = world.a.users["leader"], world.a.users["peer"]
    http = api(leader)
    created = _post(http, "/plans", {"title": "Peer support plan", "from_checklist": True})
    assert created.status_code == 201
    plan = created.json()
    assert (plan["title"], plan["items"], plan["done"]) == ("Peer support plan", 3, 0)
    item = _post(http, f"/plans/{plan['id']}/items", {
        "title": "Agree record access", "owner_id": peer.pk, "due_on": timezone.localdate().isoformat(),
        "strategy_id": ref.strategies["Access new funding"].pk})
    assert item.status_code == 201
    body = item.json()
    assert (body["owner_id"], body["status"], body["strategy_name"], body["overdue"]) == (
        peer.pk, "not_started", "Access new funding", False)
    errors = [
        ({"title": "x", "owner_id": world.b.users["peer"].pk}, "owner_id"),
        ({"title": "x", "due_on": (timezone.localdate() - timedelta(days=1)).isoformat()}, "due_on"),
        ({"title": "x", "strategy_id": 999999}, "strategy_id"),
        ({"title": "x", "barrier_ids": [999999]}, "barrier_ids"),
    ]
    for payload, field in errors:
        response = _post(http, f"/plans/{plan['id']}/items", payload)
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == field, payload
    assert _post(http, f"/plans/{plan['id']}/items", {"title": "x", "owner_id": True}).status_code == 422
    assert PlanItem.objects.count() == 4
    # the owner marks it done; the API answers with the completion date
    done = _post(api(peer), f"/plan-items/{body['id']}/status", {"status": "done"})
    assert done.status_code == 200 and done.json()["completed_on"] == timezone.localdate().isoformat()
    assert [i["title"] for i in api(peer).get(f"{BASE}/plan-items").json()] == ["Agree record access"]
    assert len(http.get(f"{BASE}/plan-items", {"plan_id": plan["id"]}).json()) == 4
    assert [p["done"] for p in http.get(f"{BASE}/plans").json()] == [1]
    assert api(world.b.users["leader"]).get(f"{BASE}/plan-items", {"plan_id": plan["id"]}).status_code == 404


def test_denied_status_change_changes_nothing(world, ref, api):
    leader = world.a.users["leader"]
    item = PlanItemFactory(plan=PlanFactory(created_by=leader), owner=leader)
    assert _post(api(world.a.users["evaluator"]), f"/plan-items/{item.pk}/status",
                 {"status": "done"}).status_code == 403
    assert _post(api(world.a.users["clinician"]), f"/plan-items/{item.pk}/status",
                 {"status": "done"}).status_code == 404
    assert _post(api(world.b.users["leader"]), f"/plan-items/{item.pk}/status",
                 {"status": "done"}).status_code == 404
    bad = _post(api(leader), f"/plan-items/{item.pk}/status", {"status": "finished"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "status"
    item.refresh_from_db()
    assert item.status == "not_started" and item.completed_on is None
