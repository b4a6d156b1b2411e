"""A double submit (two clicks, a retry, the offline queue resending) is carried out once per person and key."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client as DjangoClient
from django.utils import timezone

from peerpath.accounts.tests.factories import make_token
from peerpath.care.models import Encounter
from peerpath.core.idempotency import IdempotencyKey, idempotency_keys_purge
from peerpath.core.tests.concurrency import run_concurrently

KEY = "3f1c2a9e-offline-queue-0001"


def _payload(world):
    return {"client_ids": [world.a.client.pk], "started_at": timezone.now().isoformat(), "duration_minutes": 45,
            "modality": "video", "setting": "remote", "activities": ["sharing_experience"], "note": "Video check-in."}


def _form(world, **extra):
    return {"clients": [world.a.client.pk], "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "60", "modality": "in_person", "setting": "community", "peer_activities": ["hope_goals"],
            "generic_activities": ["transport"], "note": "Planned the week.", **extra}


@pytest.mark.django_db(transaction=True)
def test_eight_identical_api_submits_at_once_record_one_encounter(world):
    token = make_token(world.a.users["peer"])
    body = json.dumps(_payload(world))
    before = Encounter.objects.count()

    def submit(_i: int):
        http = DjangoClient(headers={"Authorization": f"Bearer {token}", "Idempotency-Key": KEY})
        response = http.post("/api/v1/encounters", body, content_type="application/json")
        return response.status_code, response.content

    results = run_concurrently(submit, 8)
    assert [r for r in results if isinstance(r, BaseException)] == []
    assert Encounter.objects.count() - before == 1, f"{connection.vendor}: duplicates"
    assert {status for status, _ in results} == {201}
    assert len({content for _, content in results}) == 1  # every repeat got the first answer


@pytest.mark.django_db
def test_a_repeated_form_submit_records_once_and_gets_the_same_redirect(world, login):
    page = login(world.a.users["peer"])
    form_html = page.get("/care/encounters/new/").content.decode()
    assert 'name="idempotency_key"' in form_html
    before = Encounter.objects.count()
    first = page.post("/care/encounters/new/", _form(world, idempotency_key=KEY))
    second = page.post("/care/encounters/new/", _form(world, idempotency_key=KEY))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert second["Idempotent-Replayed"] == "true"
    assert Encounter.objects.count() - before == 1


@pytest.mark.django_db
def test_keys_are_per_person_and_per_action(world, api_client):
    body = json.dumps(_payload(world))
    peer = api_client(world.a.users["peer"])
    assert peer.post("/api/v1/encounters", body, content_type="application/json", headers={"Idempotency-Key": KEY}).status_code == 201
    other_action = peer.post("/api/v1/consultations", json.dumps({"held_at": timezone.now().isoformat(), "topic": "x"}),
                             content_type="application/json", headers={"Idempotency-Key": KEY})
    assert other_action.status_code == 422
    assert other_action.json()["errors"][0]["field"] == "idempotency_key"
    # another person's identical key is theirs alone
    world.a.extra["peer2"] = peer2 = type(world.a.users["peer"]).objects.create_user(
        username="peer2-a", organisation=world.a.organisation, role="peer", password="x" * 12)
    response = api_client(peer2).post("/api/v1/encounters", body, content_type="application/json", headers={"Idempotency-Key": KEY})
    assert response.status_code == 404  # peer2 has no such client: it ran, and was not the first peer's answer


@pytest.mark.django_db
def test_a_refused_request_frees_its_key_so_the_corrected_one_runs(world, api_client):
    peer = api_client(world.a.users["peer"])
    bad = {**_payload(world), "duration_minutes": 0}
    assert peer.post("/api/v1/encounters", json.dumps(bad), content_type="application/json", headers={"Idempotency-Key": KEY}).status_code == 422
    good = peer.post("/api/v1/encounters", json.dumps(_payload(world)), content_type="application/json", headers={"Idempotency-Key": KEY})
    assert good.status_code == 201


@pytest.mark.django_db
def test_keys_expire_after_a_day(world, api_client):
    peer = api_client(world.a.users["peer"])
    peer.post("/api/v1/encounters", json.dumps(_payload(world)), content_type="application/json", headers={"Idempotency-Key": KEY})
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert idempotency_keys_purge() == 1
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db
def test_a_malformed_key_is_refused_before_anything_runs(world, api_client):
    before = Encounter.objects.count()
    response = api_client(world.a.users["peer"]).post("/api/v1/encounters", json.dumps(_payload(world)),
                                                      content_type="application/json", headers={"Idempotency-Key": "x"})
    assert response.status_code == 422
    assert Encounter.objects.count() == before
