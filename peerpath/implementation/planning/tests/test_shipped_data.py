"""The planning area against the shipped reference data (loaded by migration 0002)."""

from __future__ import annotations

import pytest

from peerpath.implementation.planning import recommend, services
from peerpath.implementation.reference import selectors as reference

pytestmark = pytest.mark.django_db

PEER_TEMPLATES = ["role_unclear", "colleagues_beliefs", "excluded_from_meetings", "no_record_access",
                  "no_recovery_culture", "unequal_pay", "no_understanding_supervisor", "no_training_non_peer",
                  "no_funding_billing"]


def _templates(user):
    return {t.key: t for t in reference.barrier_templates(organisation_id=user.organisation_id)}


def _top(user, template, n=3):
    barrier = services.barrier_from_template(actor=user, template=template)
    result = recommend.recommendations_for(user, barrier_ids=[barrier.pk])
    return [r.strategy.name for r in result.recommendations[:n]]


def test_every_peer_specific_template_is_shipped_with_a_construct(world):
    templates = _templates(world.a.users["leader"])
    assert set(PEER_TEMPLATES) <= set(templates)
    assert any(t.kind == "facilitator" for t in templates.values())
    assert all(t.construct.dataset == reference.current_dataset("cfir2") for t in templates.values())


@pytest.mark.parametrize(("key", "expected"), [
    ("role_unclear", "Revise professional roles"),
    ("no_funding_billing", "Access new funding"),
    ("unequal_pay", "Alter incentive/allowance structures"),
    ("no_understanding_supervisor", "Provide clinical supervision"),
    ("no_training_non_peer", "Conduct educational meetings"),
    ("excluded_from_meetings", "Organize clinician implementation team meetings"),
])
def test_peer_barriers_get_the_strategies_the_literature_suggests_near_the_top(world, key, expected):
    leader = world.a.users["leader"]
    assert expected in _top(leader, _templates(leader)[key])


def test_every_peer_barrier_gets_recommendations_with_reasons(world):
    leader = world.a.users["leader"]
    templates = _templates(leader)
    for key in PEER_TEMPLATES:
        services.barrier_from_template(actor=leader, template=templates[key])
    result = recommend.recommendations_for(leader)
    assert len(result.barriers) == len(PEER_TEMPLATES)
    assert len(result.recommendations) >= 15
    addressed = {reason.barrier.id for rec in result.recommendations for reason in rec.barriers}
    assert addressed == {b.pk for b in result.barriers}
    for rec in result.recommendations:
        assert rec.score > 0 and all(r.row.source for reason in rec.barriers for r in reason.rows)
    scores = [r.score for r in result.recommendations]
    assert scores == sorted(scores, reverse=True)


def test_plan_from_the_shipped_checklist_covers_the_review(world):
    leader = world.a.users["leader"]
    services.barrier_from_template(actor=leader, template=_templates(leader)["role_unclear"])
    plan = services.plan_create_from_checklist(actor=leader, title="Peer support plan")
    items = list(plan.items.order_by("order"))
    keys = [i.checklist_template.key for i in items]
    for expected in ("leadership_commitment", "policy_and_funding", "logistics_equipment", "record_access",
                     "educate_all_stakeholders", "recovery_oriented_culture", "fair_pay", "role_defined_together",
                     "training_peers_and_staff", "ongoing_supervision"):
        assert expected in keys
    role_item = items[keys.index("role_defined_together")]
    assert role_item.strategy.name == "Revise professional roles"
    assert [b.title for b in role_item.barriers.all()] == ["The peer role is unclear"]
