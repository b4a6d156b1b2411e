"""Access rules of the planning routes (see peerpath/testing/access.py and planning/rules.py).

Readers of aggregates and the plan: leaders, admins, supervisors, evaluators. Writers: leaders and
admins everywhere, supervisors for their own team (the objects below are on ``world.a.team``, which
every user of organisation A belongs to). Peers and clinicians read the register and the items they
own; the peer owns the item used here. Only admins edit the barrier → strategy table."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from peerpath.implementation.models import BarrierTemplate, CfirConstruct, EricStrategy, StrategyMatch
from peerpath.implementation.planning.tests.factories import (
    BarrierFactory,
    PlanFactory,
    PlanItemFactory,
    reference_world,
)
from peerpath.testing.access import Route

ALL = {"peer", "supervisor", "clinician", "leader", "evaluator", "admin"}
READERS = {"leader", "admin", "supervisor", "evaluator"}
WRITERS = {"leader", "admin", "supervisor"}
ORG_WRITERS = {"leader", "admin"}
OWNERS = ALL - {"evaluator"}
REDIRECT = frozenset({302})
CREATED = frozenset({201})


def _ref(w: Any) -> Any:
    if "ref" not in w.a.extra:
        w.a.extra["ref"] = reference_world()
    return w.a.extra["ref"]


def _barrier(w: Any) -> Any:
    if "barrier" not in w.a.extra:
        ref = _ref(w)
        w.a.extra["barrier"] = BarrierFactory(recorded_by=w.a.users["leader"], team=w.a.team,
                                              construct=ref.constructs["III.F"], template=ref.templates["role-unclear"])
    return w.a.extra["barrier"]


def _plan(w: Any) -> Any:
    if "plan" not in w.a.extra:
        _ref(w)
        plan = PlanFactory(created_by=w.a.users["leader"], team=w.a.team)
        w.a.extra["plan"] = plan
        w.a.extra["item"] = PlanItemFactory(plan=plan, owner=w.a.users["peer"])
    return w.a.extra["plan"]


def _item(w: Any) -> Any:
    _plan(w)
    return w.a.extra["item"]


def _own_match(w: Any) -> Any:
    ref = _ref(w)
    return StrategyMatch.objects.create(organisation=w.a.organisation, construct=ref.constructs["III.D"],
                                        strategy=ref.strategies["Access new funding"], level=2, source="Own review")


def _own_template(w: Any) -> Any:
    ref = _ref(w)
    return BarrierTemplate.objects.create(organisation=w.a.organisation, key="own-x", kind="barrier",
                                          title="No quiet room for peers", construct=ref.constructs["III.K"],
                                          source="Peer team meeting")


def _template_pk() -> int:
    return BarrierTemplate.objects.filter(key="colleague-beliefs").order_by("-id").values_list("pk", flat=True)[0]


def _construct_pk(code: str) -> int:
    return CfirConstruct.objects.filter(code=code).order_by("-id").values_list("pk", flat=True)[0]


def _strategy_pk(name: str) -> int:
    return EricStrategy.objects.filter(name=name).order_by("-id").values_list("pk", flat=True)[0]


def _with_ref(w: Any) -> dict[str, Any]:
    _ref(w)
    return {}


def _plan_and_barrier(w: Any) -> dict[str, Any]:
    _plan(w), _barrier(w)  # made before the calls (each call is rolled back)
    return {}


def _recommend_data(w: Any) -> dict[str, Any]:
    return {"barrier": [_barrier(w).pk], "strategy": [_strategy_pk("Revise professional roles")],
            "plan": _plan(w).pk}


PAGES = [
    Route("implementation:planning_home", allowed=READERS, kwargs=_with_ref),
    Route("implementation:planning_my_items", allowed=OWNERS),
    Route("implementation:planning_barrier_list", allowed=ALL, kwargs=_with_ref),
    Route("implementation:planning_barrier_create", allowed=WRITERS, kwargs=_with_ref),
    Route("implementation:planning_barrier_edit", allowed=WRITERS, kwargs=lambda w: {"pk": _barrier(w).pk}),
    Route("implementation:planning_barrier_deactivate", allowed=WRITERS, method="POST",
          kwargs=lambda w: {"pk": _barrier(w).pk}, data=lambda w: {}, ok=REDIRECT),
    Route("implementation:planning_templates", allowed=WRITERS, kwargs=_with_ref),
    # The whole organisation's register: supervisors may add only to their team's.
    Route("implementation:planning_template_add", allowed=ORG_WRITERS, method="POST", kwargs=_with_ref,
          data=lambda w: {"template": _template_pk(), "team": "org"}, ok=REDIRECT),
    Route("implementation:planning_template_create", allowed={"admin"}, method="POST", kwargs=_with_ref,
          data=lambda w: {"kind": "barrier", "title": "No quiet room", "construct": _construct_pk("III.K"),
                          "source": "Peer team meeting, May"}, ok=REDIRECT),
    Route("implementation:planning_template_deactivate", allowed={"admin"}, method="POST",
          kwargs=lambda w: {"pk": _own_template(w).pk}, data=lambda w: {}, ok=REDIRECT),
    Route("implementation:planning_recommendations", allowed=READERS, kwargs=_with_ref),
    Route("implementation:planning_recommendations_add", allowed=WRITERS, method="POST", kwargs=_plan_and_barrier,
          data=_recommend_data, ok=REDIRECT, org_bound=True),
    Route("implementation:planning_strategy_table", allowed=READERS, kwargs=_with_ref),
    Route("implementation:planning_match_retire", allowed={"admin"}, method="POST",
          kwargs=lambda w: {"pk": _own_match(w).pk}, data=lambda w: {}, ok=REDIRECT),
    Route("implementation:planning_plan_list", allowed=ALL),
    Route("implementation:planning_plan_create", allowed=WRITERS, kwargs=_with_ref),
    # The peer owns an item of this plan; the clinician owns none.
    Route("implementation:planning_plan_detail", allowed=READERS | {"peer"}, kwargs=lambda w: {"pk": _plan(w).pk}),
    Route("implementation:planning_item_create", allowed=WRITERS, kwargs=lambda w: {"pk": _plan(w).pk}),
    Route("implementation:planning_item_edit", allowed=WRITERS, kwargs=lambda w: {"pk": _item(w).pk}),
    Route("implementation:planning_item_status", allowed=WRITERS | {"peer"}, method="POST",
          kwargs=lambda w: {"pk": _item(w).pk}, data=lambda w: {"status": "in_progress"}, ok=REDIRECT),
]

def _item_data(w: Any) -> dict[str, Any]:
    return {"title": "Agree record access", "description": "With IT.", "owner_id": w.a.users["peer"].pk,
            "due_on": timezone.localdate().isoformat(), "status": "in_progress",
            "strategy_id": _strategy_pk("Revise professional roles"), "barrier_ids": [_barrier(w).pk]}


API = [
    Route("api:planning_barrier_list", allowed=ALL, kwargs=_plan_and_barrier),
    # Organisation-wide: supervisors may add only to their own team's register (tested in test_planning_api).
    Route("api:planning_barrier_create", allowed=ORG_WRITERS, method="POST", kwargs=_with_ref,
          data=lambda w: {"kind": "barrier", "title": "Peers left out of handover", "construct_code": "III.F",
                          "evidence": "Ward observation", "raised_by": "Peer team meeting, March"}, ok=CREATED),
    # Every open barrier of the caller's own register (foreign ids: test_planning_api).
    Route("api:planning_recommendations", allowed=READERS, method="POST", kwargs=_plan_and_barrier,
          data=lambda w: {}),
    Route("api:planning_plan_list", allowed=ALL, kwargs=_plan_and_barrier),
    Route("api:planning_plan_create", allowed=ORG_WRITERS, method="POST", kwargs=_with_ref,
          data=lambda w: {"title": "Peer support plan", "from_checklist": True}, ok=CREATED),
    Route("api:planning_item_list", allowed=ALL, kwargs=_plan_and_barrier),
    Route("api:planning_item_create", allowed=WRITERS, method="POST",
          kwargs=lambda w: (_barrier(w), {"plan_id": _plan(w).pk})[1], data=_item_data, ok=CREATED),
    Route("api:planning_item_status", allowed=WRITERS | {"peer"}, method="POST",
          kwargs=lambda w: {"item_id": _item(w).pk}, data=lambda w: {"status": "done"}),
]

ROUTES: list[Route] = [*PAGES, *API]
