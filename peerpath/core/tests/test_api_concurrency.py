"""Writes that race each other through the API end in a clean answer, never a 500 or a half-written record."""

from __future__ import annotations

import json

import pytest
from django.test import Client as DjangoClient

from peerpath.accounts.tests.factories import make_token
from peerpath.care.models import RecoveryPlan
from peerpath.clients.tests.factories import ClientFactory, MatchFactory
from peerpath.core.tests.concurrency import run_concurrently


@pytest.mark.django_db(transaction=True)
def test_first_goals_sent_at_once_make_one_plan_and_no_server_error(world):
    """Before: both saw no plan, both created one, the second failed on plan_one_active (500)."""
    peer = world.a.users["peer"]
    client = ClientFactory(team=world.a.team)
    MatchFactory(client=client, peer=peer)
    token = make_token(peer)
    body = json.dumps({"own_words": "Walk every morning.", "life_area": "housing", "chime": "hope"})

    def first_goal(_i: int) -> int:
        http = DjangoClient(headers={"Authorization": f"Bearer {token}"})
        response = http.post(f"/api/v1/clients/{client.pk}/plan/goals", body, content_type="application/json")
        assert "detail" in response.json() or response.status_code == 201
        return response.status_code

    statuses = run_concurrently(first_goal, 4)
    assert [s for s in statuses if isinstance(s, BaseException)] == []
    assert set(statuses) <= {201, 400, 409}
    assert 201 in statuses
    assert RecoveryPlan.objects.filter(client=client, is_active=True).count() == 1
