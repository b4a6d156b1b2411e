"""The planning demo seed on a small world, with the shipped reference data."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from peerpath.demo.context import DemoContext
from peerpath.implementation.models import Barrier, ImplementationPlan, StrategyMatch
from peerpath.implementation.planning import demo, selectors

pytestmark = pytest.mark.django_db


def _ctx(world):
    a, b = world.a, world.b
    return DemoContext(organisations=[a.organisation, b.organisation],
                       teams={a.organisation.pk: [a.team, a.other_team], b.organisation.pk: [b.team, b.other_team]},
                       staff={role: user for role, user in a.users.items()}, peers={}, all_staff={}, clients={},
                       today=timezone.localdate())


def test_demo_register_and_half_done_plan_with_two_overdue(world, login):
    demo.seed(_ctx(world))
    leader = world.a.users["leader"]
    barriers = Barrier.objects.filter(organisation=world.a.organisation)
    assert barriers.count() == 13
    assert barriers.filter(kind="facilitator").count() == 3 and barriers.filter(template__isnull=True).count() == 3
    assert barriers.filter(resolved_on__isnull=False).count() == 1
    assert all(b.raised_by and b.evidence for b in barriers)
    plan = ImplementationPlan.objects.get(title="Peer support implementation plan 2026")
    summary = selectors.plan_status_summary(leader)
    assert summary["overdue"] == 2 and summary["done"] == 7 and summary["dropped"] == 1
    assert plan.items.filter(strategy__isnull=False, checklist_template__isnull=True).count() == 4
    assert plan.items.filter(owner__isnull=True).count() == 0
    assert StrategyMatch.objects.filter(organisation=world.a.organisation).count() == 2
    assert StrategyMatch.objects.filter(retired_by=world.a.organisation).count() == 1
    home = login(leader).get(reverse("implementation:planning_home")).content.decode()
    assert "2 overdue actions" in home and "Ensure fair pay and job security" in home
    mine = login(world.a.users["peer"]).get(reverse("implementation:planning_my_items")).content.decode()
    assert "Ask peers what they want to bring to handover" in mine
    demo.seed(_ctx(world))  # a second run adds nothing
    assert Barrier.objects.filter(organisation=world.a.organisation).count() == 13
    assert not Barrier.objects.filter(organisation=world.b.organisation).exists()
