from __future__ import annotations

from datetime import timedelta

import pytest

from peerpath.workforce.models import BoundaryConsultation, Credential, SurveyResponse
from peerpath.workforce.tests.factories import CredentialFactory, SurveyRoundFactory, full_answers, today

pytestmark = pytest.mark.django_db


def test_credential_create_refuses_dates_in_wrong_order(world, api_client):
    http = api_client(world.a.users["peer"])
    response = http.post("/api/v1/workforce/credentials", {"name": "CPS", "issuer": "Board", "issued_on": "2026-02-01",
                                                           "expires_on": "2026-01-01"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "expires_on"
    assert not Credential.objects.exists()
    ok = http.post("/api/v1/workforce/credentials", {"name": "CPS", "issuer": "Board", "issued_on": "2025-02-01",
                                                     "expires_on": "2027-01-01"}, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["staff_id"] == world.a.users["peer"].pk


def test_credential_for_someone_else_needs_a_manager(world, api_client):
    body = {"staff_id": world.a.users["clinician"].pk, "name": "CPS", "issuer": "Board", "issued_on": "2025-02-01",
            "expires_on": "2027-01-01"}
    assert api_client(world.a.users["peer"]).post("/api/v1/workforce/credentials", body,
                                                  content_type="application/json").status_code == 404
    assert api_client(world.a.users["admin"]).post("/api/v1/workforce/credentials", body,
                                                   content_type="application/json").status_code == 201


def test_lapsed_status_for_billing(world, api_client):
    peer = world.a.users["peer"]
    CredentialFactory(staff=peer, expires_on=today() - timedelta(days=1), issued_on=today() - timedelta(days=30))
    response = api_client(world.a.users["leader"]).get(f"/api/v1/workforce/staff/{peer.pk}/credential-status")
    assert response.json() == {"staff_id": peer.pk, "lapsed": True}
    assert api_client(world.b.users["leader"]).get(
        f"/api/v1/workforce/staff/{peer.pk}/credential-status").status_code == 404


def test_survey_submission_over_the_api_is_once_only(world, api_client):
    survey_round = SurveyRoundFactory(organisation=world.a.organisation)
    http = api_client(world.a.users["peer"])
    url = f"/api/v1/workforce/surveys/{survey_round.pk}/responses"
    assert http.post(url, {"answers": full_answers()}, content_type="application/json").status_code == 201
    again = http.post(url, {"answers": full_answers()}, content_type="application/json")
    assert again.status_code == 400 and SurveyResponse.objects.count() == 1


def test_boundary_create_and_respond(world, api_client):
    created = api_client(world.a.users["peer"]).post("/api/v1/workforce/boundaries",
                                                     {"category": "gift", "question": "A card?"},
                                                     content_type="application/json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert api_client(world.a.users["leader"]).get("/api/v1/workforce/boundaries").status_code == 403
    done = api_client(world.a.users["supervisor"]).post(f"/api/v1/workforce/boundaries/{pk}/respond",
                                                        {"response": "Fine."}, content_type="application/json")
    assert done.status_code == 200 and done.json()["closed"] is True
    assert BoundaryConsultation.objects.get().response == "Fine."
