"""Writes that race each other through the API end in a clean answer, never a 500 or a half-written record."""

from __future__ import annotations

import pytest

from peerpath.care.models import RecoveryPlan
from peerpath.clients.tests.factories import ClientFactory, MatchFactory
from peerpath.core.tests.concurrency import run_concurrently


@pytest.mark.django_db(transaction=True)
def test_plans_started_at_once_make_one_plan_and_no_server_error(world):
    """Before: two first starts both saw no plan, both created one, the second failed on plan_one_active
    (500). A goal now needs a started plan (page and API alike), so the race is on starting the plan."""
    from peerpath.care import services

    peer = world.a.users["peer"]
    client = ClientFactory(team=world.a.team)
    MatchFactory(client=client, peer=peer)

    def start(_i: int) -> str:
        try:
            services.recovery_plan_start(actor=peer, client=client, client_vision="Walk every morning.")
        except services.ServiceError as exc:
            return exc.code
        return "started"

    outcomes = run_concurrently(start, 4)
    assert [o for o in outcomes if isinstance(o, BaseException)] == []
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "started"]
    assert RecoveryPlan.objects.filter(client=client, is_active=True).count() == 1
