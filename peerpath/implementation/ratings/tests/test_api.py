"""The CFIR ratings API: rounds, saving ratings with structured errors (denied or invalid → nothing
changed), and the heat-map data."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from peerpath.implementation.models import CfirRating, CfirRatingRound
from peerpath.implementation.ratings.tests.factories import RatingRoundFactory, rate

pytestmark = pytest.mark.django_db
BASE = "/api/v1/implementation/cfir"


def _put(http, path, body):
    return http.put(f"{BASE}{path}", json.dumps(body), content_type="application/json")


def _state(rating_round):
    return sorted(CfirRating.objects.filter(rating_round=rating_round, is_active=True)
                  .values_list("construct__code", "role__code", "value", "score", "evidence"))


def test_create_a_round_and_list_it(world, api_client):
    http = api_client(world.a.users["leader"])
    response = http.post(f"{BASE}/rounds", json.dumps({"title": "Spring", "rated_on": "2026-03-01"}),
                         content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("title", "rated_on", "team_id", "rating_count")} == {
        "title": "Spring", "rated_on": "2026-03-01", "team_id": None, "rating_count": 0}
    assert [r["title"] for r in http.get(f"{BASE}/rounds").json()] == ["Spring"]


def test_save_ratings_and_read_them_back(world, api_client):
    found = RatingRoundFactory(created_by=world.a.users["leader"])
    http = api_client(world.a.users["leader"])
    response = _put(http, f"/rounds/{found.pk}/ratings", {"ratings": [
        {"construct_code": "III.F", "value": "rated", "score": 2, "evidence": "Role co-written with peers."},
        {"construct_code": "IV.B.1", "role_code": "IV.A.9", "value": "missing", "score": None}]})
    assert response.status_code == 200
    assert response.json()["ratings"] == [
        {"construct_code": "III.F", "role_code": None, "value": "rated", "score": 2,
         "evidence": "Role co-written with peers."},
        {"construct_code": "IV.B.1", "role_code": "IV.A.9", "value": "missing", "score": None, "evidence": ""}]
    assert http.get(f"{BASE}/rounds/{found.pk}").json()["rating_count"] == 2


@pytest.mark.parametrize(("rating", "field", "reason"), [
    ({"construct_code": "III.F", "value": "rated", "score": 3}, "ratings.0.score", "3 is not a CFIR rating"),
    ({"construct_code": "III.F", "value": "missing", "score": 1}, "ratings.0.score", "rating has no score"),
    ({"construct_code": "IV.B.1", "value": "rated", "score": 1}, "ratings.0.role_code", "is rated per role"),
    ({"construct_code": "III.F", "role_code": "IV.A.8", "value": "rated", "score": 1}, "ratings.0.role_code",
     "not per role"),
    ({"construct_code": "ZZ", "value": "rated", "score": 1}, "ratings.0.construct_code", "is not a CFIR 2.0 construct"),
])
def test_invalid_ratings_get_a_400_naming_the_field(world, api_client, rating, field, reason):
    found = RatingRoundFactory(created_by=world.a.users["leader"])
    rate(found, "III.F", -1, evidence="Before")
    response = _put(api_client(world.a.users["leader"]), f"/rounds/{found.pk}/ratings", {"ratings": [rating]})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == field and reason in error["reason"]
    assert _state(found) == [("III.F", None, "rated", -1, "Before")]


def test_a_boolean_score_is_refused_by_the_schema(world, api_client):
    found = RatingRoundFactory(created_by=world.a.users["leader"])
    response = _put(api_client(world.a.users["leader"]), f"/rounds/{found.pk}/ratings",
                    {"ratings": [{"construct_code": "III.F", "value": "rated", "score": True}]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "ratings.0.score"
    assert _state(found) == []


def test_an_evaluator_reads_but_may_not_save(world, api_client):
    found = RatingRoundFactory(created_by=world.a.users["leader"])
    http = api_client(world.a.users["evaluator"])
    assert http.get(f"{BASE}/rounds/{found.pk}").status_code == 200
    response = _put(http, f"/rounds/{found.pk}/ratings",
                    {"ratings": [{"construct_code": "III.F", "value": "rated", "score": 1}]})
    assert response.status_code == 403
    assert _state(found) == []
    assert http.post(
        f"{BASE}/rounds", json.dumps({"title": "x", "rated_on": "2026-03-01"}),
        content_type="application/json").status_code == 403
    assert CfirRatingRound.objects.count() == 1


def test_another_organisation_gets_404(world, api_client):
    found = RatingRoundFactory(created_by=world.a.users["leader"])
    http = api_client(world.b.users["leader"])
    assert http.get(f"{BASE}/rounds/{found.pk}").status_code == 404
    assert _put(http, f"/rounds/{found.pk}/ratings",
                {"ratings": [{"construct_code": "III.F", "value": "rated", "score": 1}]}).status_code == 404
    assert _state(found) == []
    assert http.get(f"{BASE}/rounds").json() == []


def test_heatmap_rows_cells_and_change(world, api_client):
    today = timezone.localdate()
    spring = RatingRoundFactory(created_by=world.a.users["leader"], title="Spring", rated_on=today - timedelta(180))
    autumn = RatingRoundFactory(created_by=world.a.users["leader"], title="Autumn", rated_on=today)
    rate(spring, "III.D", -1)
    rate(autumn, "III.D", 1)
    rate(autumn, "IV.B.4", "mixed", role="IV.A.8")
    body = api_client(world.a.users["supervisor"]).get(f"{BASE}/heatmap").json()
    assert [r["title"] for r in body["rounds"]] == ["Spring", "Autumn"]
    rows = {(r["construct_code"], r["role_code"]): r for r in body["rows"]}
    assert rows[("III.D", None)]["cells"] == [{"round_id": spring.pk, "value": "rated", "score": -1},
                                              {"round_id": autumn.pk, "value": "rated", "score": 1}]
    assert rows[("III.D", None)]["change"] == "improved"
    assert rows[("IV.B.4", "IV.A.8")]["cells"][1] == {"round_id": autumn.pk, "value": "mixed", "score": None}
    assert rows[("IV.B.4", "IV.A.8")]["change"] == ""
    assert rows[("III.F", None)]["cells"][0]["value"] is None
