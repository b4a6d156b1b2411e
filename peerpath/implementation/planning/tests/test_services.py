"""Services and selectors of the planning area: permissions (denied → nothing changed), validation as
field errors, audit events, recommendations from the organisation's table."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from peerpath.core.choices import AuditAction
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.models import AuditEvent
from peerpath.implementation.models import Barrier, ImplementationPlan, PlanItem, StrategyMatch
from peerpath.implementation.planning import recommend, selectors, services
from peerpath.implementation.planning.tests.factories import (
    BarrierFactory,
    PlanFactory,
    PlanItemFactory,
    overdue_item,
    reference_world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ref(db):
    return reference_world()


def _events(action, model):
    return AuditEvent.objects.filter(action=action, target_type=f"implementation.{model}")


# ------------------------------------------------------------------ barriers

def test_leader_adds_a_template_once_per_team_with_a_clear_message(world, ref):
    leader = world.a.users["leader"]
    template = ref.templates["role-unclear"]
    barrier = services.barrier_from_template(actor=leader, template=template)
    assert (barrier.title, barrier.construct, barrier.template, barrier.kind) == (
        "The peer role is unclear", ref.constructs["III.F"], template, "barrier")
    assert barrier.evidence == "Source: Mutschler et al. 2022" and barrier.recorded_by == leader
    assert _events(AuditAction.CREATE, "barrier").filter(target_id=str(barrier.pk), actor=leader).exists()
    with pytest.raises(ServiceError) as refused:
        services.barrier_from_template(actor=leader, template=template)
    assert refused.value.field == "template"
    assert refused.value.reason == "“The peer role is unclear” is already in the register for the whole organisation."
    on_team = services.barrier_from_template(actor=leader, template=template, team=world.a.team)
    with pytest.raises(ServiceError, match="already in the register for Team a-1"):
        services.barrier_from_template(actor=leader, template=template, team=world.a.team)
    services.barrier_deactivate(actor=leader, barrier=on_team)
    assert services.barrier_from_template(actor=leader, template=template, team=world.a.team).pk != on_team.pk


@pytest.mark.parametrize("role", ["peer", "clinician", "evaluator"])
def test_roles_without_write_rights_change_nothing(world, ref, role):
    actor = world.a.users[role]
    with pytest.raises(NotAllowed):
        services.barrier_create(actor=actor, title="X", construct=ref.constructs["III.F"])
    with pytest.raises(NotAllowed):
        services.barrier_from_template(actor=actor, template=ref.templates["role-unclear"])
    with pytest.raises(NotAllowed):
        services.plan_create_from_checklist(actor=actor, title="Plan")
    assert not Barrier.objects.exists() and not ImplementationPlan.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CREATE).exists()


def test_supervisor_writes_only_for_own_team(world, ref):
    supervisor = world.a.users["supervisor"]
    construct = ref.constructs["III.D"]
    with pytest.raises(NotAllowed):
        services.barrier_create(actor=supervisor, title="Org-wide", construct=construct)
    with pytest.raises(NotAllowed):
        services.barrier_create(actor=supervisor, title="Other team", construct=construct, team=world.a.other_team)
    with pytest.raises(NotAllowed):
        services.plan_create(actor=supervisor, title="Org plan")
    assert not Barrier.objects.exists() and not ImplementationPlan.objects.exists()
    mine = services.barrier_create(actor=supervisor, title="Own team", construct=construct, team=world.a.team)
    assert mine.team == world.a.team
    org_barrier = BarrierFactory(recorded_by=world.a.users["leader"], construct=construct)
    with pytest.raises(NotAllowed):
        services.barrier_update(actor=supervisor, barrier=org_barrier, title="Changed")
    with pytest.raises(NotAllowed):  # may not move own barrier to the whole organisation
        services.barrier_update(actor=supervisor, barrier=mine, team=None)
    org_barrier.refresh_from_db()
    mine.refresh_from_db()
    assert org_barrier.title != "Changed" and mine.team == world.a.team


def test_barrier_validation_gives_field_errors(world, ref):
    leader = world.a.users["leader"]
    cases = [
        ({"title": " ", "construct": ref.constructs["III.F"]}, "title"),
        ({"title": "X", "construct": None}, "construct"),
        ({"title": "X", "construct": ref.constructs["III.F"], "kind": "wish"}, "kind"),
        ({"title": "X", "construct": ref.constructs["III.F"], "team": world.b.team}, "team"),
        ({"title": "X", "construct": ref.constructs["III.F"],
          "resolved_on": timezone.localdate() + timedelta(days=1)}, "resolved_on"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ServiceError) as error:
            services.barrier_create(actor=leader, **kwargs)
        assert error.value.field == field
    assert not Barrier.objects.exists()


def test_barrier_update_marks_addressed_and_audits_what_changed(world, ref):
    leader = world.a.users["leader"]
    barrier = BarrierFactory(recorded_by=leader, construct=ref.constructs["III.F"])
    services.barrier_update(actor=leader, barrier=barrier, resolved_on=timezone.localdate(), evidence="Done.")
    barrier.refresh_from_db()
    assert barrier.resolved_on == timezone.localdate()
    event = _events(AuditAction.UPDATE, "barrier").get(target_id=str(barrier.pk))
    assert event.detail == {"changed": ["evidence", "resolved_on"]}
    assert list(selectors.barriers_for(leader, include_addressed=False)) == []


def test_selectors_scope_to_the_organisation(world, ref):
    leader_a, leader_b = world.a.users["leader"], world.b.users["leader"]
    barrier = BarrierFactory(recorded_by=leader_a, construct=ref.constructs["III.F"])
    plan = PlanFactory(created_by=leader_a)
    item = PlanItemFactory(plan=plan, owner=world.a.users["peer"])
    assert list(selectors.barriers_for(leader_b)) == [] and list(selectors.plans_for(leader_b)) == []
    for reader, pk in ((selectors.barrier_for, barrier.pk), (selectors.plan_for, plan.pk),
                       (selectors.plan_item_for, item.pk)):
        with pytest.raises(Http404):
            reader(leader_b, pk)
    with pytest.raises(Http404):
        selectors.plan_items_for(leader_b, plan_id=plan.pk)
    assert list(selectors.barriers_for(world.a.users["peer"])) == [barrier]


def test_peers_and_clinicians_see_only_their_own_items(world, ref):
    leader, peer, clinician = (world.a.users[r] for r in ("leader", "peer", "clinician"))
    plan, other_plan = PlanFactory(created_by=leader), PlanFactory(created_by=leader)
    mine = PlanItemFactory(plan=plan, owner=peer)
    PlanItemFactory(plan=plan, owner=leader)
    PlanItemFactory(plan=other_plan, owner=leader)
    assert list(selectors.plan_items_for(peer)) == [mine]
    assert [p.pk for p in selectors.plans_for(peer)] == [plan.pk]
    assert list(selectors.plans_for(clinician)) == []
    with pytest.raises(Http404):
        selectors.plan_for(peer, other_plan.pk)
    assert selectors.plan_items_for(world.a.users["evaluator"]).count() == 3


def test_status_summary_and_overdue(world, ref):
    leader, peer = world.a.users["leader"], world.a.users["peer"]
    plan = PlanFactory(created_by=leader)
    late = overdue_item(plan, peer, days=3)
    later = overdue_item(plan, leader, days=9, status="in_progress")
    overdue_item(plan, leader, days=20, status="done", completed_on=timezone.localdate())
    overdue_item(plan, leader, days=20, status="dropped")
    PlanItemFactory(plan=plan, owner=leader, status="in_progress")
    assert list(selectors.overdue_plan_items(leader)) == [later, late]
    assert selectors.plan_status_summary(leader) == {
        "not_started": 1, "in_progress": 2, "done": 1, "dropped": 1, "total": 5, "overdue": 2}
    assert selectors.plan_status_summary(peer)["total"] == 1
    assert list(selectors.overdue_plan_items(leader, today=timezone.localdate() - timedelta(days=5))) == [later]
    [annotated] = selectors.plans_for(leader)
    assert (annotated.item_total, annotated.item_done, annotated.item_dropped) == (5, 1, 1)


# ------------------------------------------------------------------ plans

def test_plan_from_checklist_links_open_barriers_on_the_same_construct(world, ref):
    leader = world.a.users["leader"]
    role_barrier = services.barrier_from_template(actor=leader, template=ref.templates["role-unclear"])
    plan = services.plan_create_from_checklist(actor=leader, title="Getting peer support right")
    items = list(plan.items.order_by("order"))
    assert [i.title for i in items] == ["Leadership commitment", "Role defined with peers and staff",
                                        "Ongoing supervision"]
    assert items[1].strategy == ref.strategies["Revise professional roles"]
    assert list(items[1].barriers.all()) == [role_barrier] and items[0].barriers.count() == 0
    assert all(i.checklist_template_id for i in items)
    assert _events(AuditAction.CREATE, "implementationplan").get().detail == {"from_checklist": True, "items": 3}


def test_item_validation_owner_due_date_strategy(world, ref):
    leader = world.a.users["leader"]
    plan = services.plan_create(actor=leader, title="Plan")
    yesterday = timezone.localdate() - timedelta(days=1)
    for kwargs, field in [({"owner": world.b.users["peer"]}, "owner"), ({"due_on": yesterday}, "due_on"),
                          ({"strategy": "Revise"}, "strategy"), ({"status": "finished"}, "status"),
                          ({"barriers": [BarrierFactory(recorded_by=world.b.users["leader"],
                                                        construct=ref.constructs["III.F"])]}, "barriers")]:
        with pytest.raises(ServiceError) as error:
            services.plan_item_create(actor=leader, plan=plan, title="Do it", **kwargs)
        assert error.value.field == field
    assert not PlanItem.objects.exists()
    item = services.plan_item_create(actor=leader, plan=plan, title="Do it", owner=world.a.users["peer"],
                                     due_on=timezone.localdate(), strategy=ref.strategies["Access new funding"])
    assert item.owner == world.a.users["peer"] and item.status == "not_started"
    # an existing overdue date may stay when other fields change
    PlanItem.objects.filter(pk=item.pk).update(due_on=yesterday - timedelta(days=30))
    item.refresh_from_db()
    services.plan_item_update(actor=leader, item=item, title="Do it now", due_on=item.due_on)
    with pytest.raises(ServiceError):
        services.plan_item_update(actor=leader, item=item, due_on=yesterday - timedelta(days=10))


def test_status_done_sets_completed_on_and_owner_may_change_it(world, ref):
    leader, peer = world.a.users["leader"], world.a.users["peer"]
    plan = PlanFactory(created_by=leader)
    item = PlanItemFactory(plan=plan, owner=peer)
    services.plan_item_set_status(actor=peer, item=item, status="done")
    item.refresh_from_db()
    assert item.status == "done" and item.completed_on == timezone.localdate()
    event = _events(AuditAction.UPDATE, "planitem").get(actor=peer)
    assert event.detail == {"status": ["not_started", "done"]}
    services.plan_item_set_status(actor=leader, item=item, status="in_progress")
    item.refresh_from_db()
    assert item.status == "in_progress" and item.completed_on is None
    other = PlanItemFactory(plan=plan, owner=leader)
    for role in ("peer", "clinician", "evaluator"):
        with pytest.raises(NotAllowed):
            services.plan_item_set_status(actor=world.a.users[role], item=other, status="done")
    with pytest.raises(NotAllowed):
        services.plan_item_set_status(actor=world.b.users["leader"], item=other, status="done")
    other.refresh_from_db()
    assert other.status == "not_started" and other.completed_on is None


def test_adding_strategies_links_barriers_and_skips_duplicates(world, ref):
    leader = world.a.users["leader"]
    barrier = services.barrier_from_template(actor=leader, template=ref.templates["role-unclear"])
    plan = services.plan_create(actor=leader, title="Plan")
    roles = ref.strategies["Revise professional roles"]
    [item] = services.plan_add_strategies(actor=leader, plan=plan, picks=[(roles, [barrier])])
    assert (item.title, item.strategy, list(item.barriers.all())) == (roles.name, roles, [barrier])
    assert services.plan_add_strategies(actor=leader, plan=plan, picks=[(roles, [barrier])]) == []
    with pytest.raises(NotAllowed):
        services.plan_add_strategies(actor=world.a.users["evaluator"], plan=plan, picks=[(roles, [])])
    assert plan.items.count() == 1


# ------------------------------------------------------------------ the table and recommendations

def test_recommendations_use_crosswalk_own_rows_and_skip_retired_rows(world, ref):
    leader, admin = world.a.users["leader"], world.a.users["admin"]
    role = services.barrier_from_template(actor=leader, template=ref.templates["role-unclear"])
    culture = services.barrier_from_template(actor=leader, template=ref.templates["colleague-beliefs"])
    result = recommend.recommendations_for(leader)
    assert [b.pk for b in result.barriers] == [culture.pk, role.pk]
    names = [r.strategy.name for r in result.recommendations]
    assert names == ["Revise professional roles", "Conduct educational meetings"]
    top = result.recommendations[0]
    assert top.score == Decimal("0.62") * Decimal("0.723")
    counted = top.barriers[0].rows[0]
    assert counted.row.source == "Waltz et al. 2019" and counted.crosswalk_source == "CFIR 2.0 crosswalk (2022)"
    own = services.strategy_match_create(actor=admin, construct=ref.constructs["III.D"],
                                         strategy=ref.strategies["Access new funding"], level=1,
                                         source="Our staff survey 2026", note="Paid time for training.")
    services.strategy_match_retire(actor=admin, match=ref.matches["roles-compat"])
    result = recommend.recommendations_for(leader, barrier_ids=[role.pk, culture.pk])
    scores = {r.strategy.name: r.score for r in result.recommendations}
    assert scores == {"Access new funding": Decimal("0.5") * Decimal("0.75"),
                      "Conduct educational meetings": Decimal("0.30") * Decimal("0.83"),
                      "Revise professional roles": Decimal("0.25") * Decimal("0.723")}
    assert _events(AuditAction.CREATE, "strategymatch").filter(target_id=str(own.pk)).exists()
    assert _events(AuditAction.UPDATE, "strategymatch").get().detail == {"retired": True}
    # organisation B still uses the shipped row and never sees A's own row
    b_barrier = services.barrier_from_template(actor=world.b.users["leader"], template=ref.templates["role-unclear"])
    b_result = recommend.recommendations_for(world.b.users["leader"], barrier_ids=[b_barrier.pk])
    assert [r.strategy.name for r in b_result.recommendations] == ["Revise professional roles"]
    assert b_result.recommendations[0].score == Decimal("0.62") * Decimal("0.723")


def test_recommendations_refuse_foreign_barriers_in_strict_mode(world, ref):
    other = services.barrier_from_template(actor=world.b.users["leader"], template=ref.templates["role-unclear"])
    with pytest.raises(ServiceError) as error:
        recommend.recommendations_for(world.a.users["leader"], barrier_ids=[other.pk], strict=True)
    assert error.value.field == "barrier_ids"
    assert recommend.recommendations_for(world.a.users["leader"], barrier_ids=[other.pk]).recommendations == []


def test_table_edits_are_for_admins_only(world, ref):
    leader, admin = world.a.users["leader"], world.a.users["admin"]
    with pytest.raises(NotAllowed):
        services.strategy_match_create(actor=leader, construct=ref.constructs["III.D"],
                                       strategy=ref.strategies["Access new funding"], level=1, source="x")
    with pytest.raises(NotAllowed):
        services.strategy_match_retire(actor=leader, match=ref.matches["roles-compat"])
    assert StrategyMatch.objects.filter(organisation__isnull=False).count() == 0
    assert ref.matches["roles-compat"].retired_by.count() == 0
    for kwargs, field in [({"construct": None, "construct_2009": None}, "construct"),
                          ({"construct": ref.constructs["III.D"], "construct_2009": ref.old["II.C"]}, "construct"),
                          ({"construct": ref.constructs["III.D"], "level": 3}, "level"),
                          ({"construct": ref.constructs["III.D"], "source": ""}, "source"),
                          ({"construct": ref.constructs["III.D"], "strategy": None}, "strategy")]:
        data = {"strategy": ref.strategies["Access new funding"], "level": 1, "source": "Own", **kwargs}
        with pytest.raises(ServiceError) as error:
            services.strategy_match_create(actor=admin, **data)
        assert error.value.field == field
    own = services.strategy_match_create(actor=admin, construct_2009=ref.old["II.C"],
                                         strategy=ref.strategies["Access new funding"], level=2, source="Own")
    with pytest.raises(ServiceError):
        services.strategy_match_retire(actor=admin, match=own)
    with pytest.raises(NotAllowed):
        services.strategy_match_deactivate(actor=world.b.users["admin"], match=own)
    services.strategy_match_deactivate(actor=admin, match=own)
    own.refresh_from_db()
    assert not own.is_active
    template = services.barrier_template_create(actor=admin, kind="barrier", title="No peer space",
                                                construct=ref.constructs["III.K"], source="Our peer team, 2026")
    from peerpath.implementation.reference import selectors as reference

    assert template in reference.barrier_templates(organisation_id=world.a.organisation.pk)
    assert template not in reference.barrier_templates(organisation_id=world.b.organisation.pk)
