"""The JSON API: structured errors naming the field, permissions, same rules as the pages."""

import json

import pytest

from peerpath.measures.models import Administration
from peerpath.measures.schedules import services as schedules_services
from peerpath.measures.tests.factories import administration, days_ago, schedule, shipped

pytestmark = pytest.mark.django_db


def _post(http, url, data):
    return http.post(url, json.dumps(data), content_type="application/json")


def test_create_submit_and_list(world, api_client):
    shipped("phq9")
    http = api_client(world.a.users["peer"])
    created = _post(http, "/api/v1/measures/administrations", {"client_id": world.a.client.pk, "instrument": "phq9"})
    assert created.status_code == 201
    adm_id = created.json()["id"]
    done = _post(http, f"/api/v1/measures/administrations/{adm_id}/answers",
                 {"answers": {str(i): 2 for i in range(1, 10)} | {"9": 0}})
    assert done.status_code == 200
    body = done.json()
    assert (body["status"], body["total_score"], body["band"], body["safety_flag"]) == ("completed", "16.00", "Moderately severe", False)
    listed = http.get(f"/api/v1/measures/administrations?client_id={world.a.client.pk}").json()
    assert [row["id"] for row in listed] == [adm_id]


def test_answer_out_of_range_names_the_item(world, api_client):
    adm = administration(world.a)
    response = _post(api_client(world.a.users["peer"]), f"/api/v1/measures/administrations/{adm.pk}/answers",
                     {"answers": {"1": 0, "2": 0, "3": 9}})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "item_3", "reason": "Choose one of the answers offered (0, 1, 2, 3).", "code": "invalid"}]
    adm.refresh_from_db()
    assert adm.status == "due"


@pytest.mark.parametrize("payload", [{"answers": {"1": True}}, {"answers": {"1": 1}, "extra": 1}, {"answers": {"1": "2"}},
                                     {"answers": {"1": 1}, "mode": "telepathy"}])
def test_malformed_input_is_422(world, api_client, payload):
    adm = administration(world.a)
    response = _post(api_client(world.a.users["peer"]), f"/api/v1/measures/administrations/{adm.pk}/answers", payload)
    assert response.status_code == 422 and response.json()["errors"]
    assert Administration.objects.get().status == "due"


def test_other_organisation_gets_404_and_evaluator_403(world, api_client):
    adm = administration(world.a)
    assert _post(api_client(world.b.users["peer"]), f"/api/v1/measures/administrations/{adm.pk}/answers",
                 {"answers": {"1": 1}}).status_code == 404
    assert api_client(world.a.users["evaluator"]).get("/api/v1/measures/administrations").status_code == 403
    created = _post(api_client(world.b.users["leader"]), "/api/v1/measures/administrations",
                    {"client_id": world.a.client.pk, "instrument": "phq9"})
    assert created.status_code == 404 and Administration.objects.count() == 1


def test_instruments_and_due(world, api_client):
    sched = schedule(world.a)
    schedules_services.enrolment_create(actor=world.a.users["peer"], client=world.a.client, schedule=sched, start_on=days_ago(35))
    http = api_client(world.a.users["peer"])
    instruments = {row["code"]: row for row in http.get("/api/v1/measures/instruments").json()}
    assert set(instruments) == {"phq9", "gad7", "k10", "qpr15"}  # swemwbs needs the organisation's licensed text
    assert instruments["phq9"]["items"][8]["options"][3] == {"value": 3, "label": "Nearly every day"}
    due = http.get("/api/v1/measures/due").json()
    assert [row["followup_day"] for row in due["overdue"]] == [30]
