"""Planning pages: what users see, what their clicks change, and query-count ceilings on lists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from peerpath.implementation.models import Barrier, ImplementationPlan, PlanItem, StrategyMatch
from peerpath.implementation.planning import services
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


def _page(http, name, *args, **query):
    response = http.get(reverse(f"implementation:{name}", args=args), query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# ------------------------------------------------------------------ home

def test_leader_home_shows_overdue_items_with_owner_and_days(world, ref, login):
    leader, supervisor = world.a.users["leader"], world.a.users["supervisor"]
    supervisor.first_name, supervisor.last_name = "Sam", "Rivera"
    supervisor.save()
    plan = PlanFactory(created_by=leader, title="Peer support 2026")
    overdue_item(plan, supervisor, days=12, title="Agree record access")
    overdue_item(plan, leader, days=3, title="Fair pay review", status="done", completed_on=timezone.localdate())
    PlanItemFactory(plan=plan, owner=leader, title="Train the ward staff",
                    due_on=timezone.localdate() + timedelta(days=5))
    PlanItemFactory(plan=plan, owner=leader, title="Later thing", due_on=timezone.localdate() + timedelta(days=40))
    services.barrier_from_template(actor=leader, template=ref.templates["role-unclear"])
    services.barrier_from_template(actor=leader, template=ref.templates["peer-network"])
    http = login(leader)
    assert http.get("/").url == reverse("implementation:planning_home")
    page = _page(http, "planning_home")
    assert "1 overdue action" in page and "Agree record access" in page and "12 days overdue" in page
    assert "Owner: Sam Rivera" in page
    assert "Fair pay review" not in page  # done: not overdue
    assert "Train the ward staff" in page and "in 5 days" in page and "Later thing" not in page
    assert "1 open barrier" in page and "1 facilitator" in page
    assert "1 of 4 actions done (25%)" in page
    assert "Surveys waiting for you: 0" in page
    evaluator_page = _page(login(world.a.users["evaluator"]), "planning_home")
    assert "Agree record access" in evaluator_page and "Start a plan" not in evaluator_page
    assert "Agree record access" not in _page(login(world.b.users["leader"]), "planning_home")


def test_home_query_count_does_not_grow_with_items(world, ref, login, django_assert_max_num_queries):
    leader = world.a.users["leader"]
    http = login(leader)
    plan = PlanFactory(created_by=leader)
    for _ in range(3):
        overdue_item(plan, leader)
    http.get(reverse("implementation:planning_home"))
    with django_assert_max_num_queries(16) as few:
        http.get(reverse("implementation:planning_home"))
    for _ in range(20):
        overdue_item(plan, world.a.users["peer"])
        PlanItemFactory(plan=PlanFactory(created_by=leader), owner=leader)
    with django_assert_max_num_queries(len(few.captured_queries)):
        http.get(reverse("implementation:planning_home"))


# ------------------------------------------------------------------ register

def test_register_filters_and_shows_evidence(world, ref, login):
    leader = world.a.users["leader"]
    BarrierFactory(recorded_by=leader, title="Role unclear", construct=ref.constructs["III.F"],
                   evidence="Three peers said so.", raised_by="Peer team meeting, March")
    BarrierFactory(recorded_by=leader, title="No funding", construct=ref.constructs["II.F"], team=world.a.team,
                   resolved_on=timezone.localdate())
    BarrierFactory(recorded_by=leader, title="Strong peer network", kind="facilitator",
                   construct=ref.constructs["V.A"])
    http = login(world.a.users["peer"])
    page = _page(http, "planning_barrier_list")
    assert "3 entries" in page and "Three peers said so." in page and "Raised by: Peer team meeting, March" in page
    assert "III.F Compatibility (Inner setting)" in page
    assert "Edit" not in page and "Add from the literature" not in page  # peers read only
    assert "1 entry" in _page(http, "planning_barrier_list", kind="facilitator")
    filtered = _page(http, "planning_barrier_list", domain="III")
    assert "Role unclear" in filtered and "No funding" not in filtered
    assert "No funding" in _page(http, "planning_barrier_list", state="addressed")
    assert "No funding" not in _page(http, "planning_barrier_list", state="open")
    assert "No funding" in _page(http, "planning_barrier_list", team=world.a.team.pk)
    assert "Role unclear" in _page(http, "planning_barrier_list", team="org")
    assert "0 entries" in _page(login(world.b.users["leader"]), "planning_barrier_list")


def test_register_query_count_is_flat(world, ref, login, django_assert_max_num_queries):
    leader = world.a.users["leader"]
    http = login(leader)
    BarrierFactory(recorded_by=leader, construct=ref.constructs["III.D.1"], template=ref.templates["role-unclear"])
    with django_assert_max_num_queries(12) as few:
        http.get(reverse("implementation:planning_barrier_list"))
    for i in range(25):
        BarrierFactory(recorded_by=leader, construct=ref.constructs["III.D.1"], team=world.a.team if i % 2 else None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        http.get(reverse("implementation:planning_barrier_list"))


def test_add_edit_and_remove_a_barrier(world, ref, login):
    leader = world.a.users["leader"]
    http = login(leader)
    form = _page(http, "planning_barrier_create")
    assert '<optgroup label="III Inner setting">' in form and "III.D.1 Human Equality-Centeredness" in form
    bad = http.post(reverse("implementation:planning_barrier_create"), {"kind": "barrier", "title": "",
                                                                        "construct": "", "team": "org"})
    assert bad.status_code == 400 and "This field is required." in bad.content.decode()
    assert not Barrier.objects.exists()
    response = http.post(reverse("implementation:planning_barrier_create"), {
        "kind": "barrier", "title": "Peers not in handover", "construct": ref.constructs["III.F"].pk,
        "evidence": "Observed on the ward.", "raised_by": "Peer team meeting, March", "team": world.a.team.pk})
    barrier = Barrier.objects.get()
    assert response.status_code == 302 and barrier.team == world.a.team and barrier.recorded_by == leader
    http.post(reverse("implementation:planning_barrier_edit", args=[barrier.pk]), {
        "kind": "barrier", "title": "Peers not in handover", "construct": ref.constructs["III.F"].pk,
        "team": world.a.team.pk, "resolved_on": timezone.localdate().isoformat()})
    barrier.refresh_from_db()
    assert barrier.resolved_on == timezone.localdate()
    http.post(reverse("implementation:planning_barrier_deactivate", args=[barrier.pk]))
    barrier.refresh_from_db()
    assert not barrier.is_active


def test_supervisor_cannot_edit_an_organisation_wide_barrier(world, ref, login):
    barrier = BarrierFactory(recorded_by=world.a.users["leader"], title="Org-wide", construct=ref.constructs["III.F"])
    http = login(world.a.users["supervisor"])
    response = http.post(reverse("implementation:planning_barrier_edit", args=[barrier.pk]), {
        "kind": "barrier", "title": "Hijacked", "construct": ref.constructs["III.F"].pk, "team": world.a.team.pk})
    assert response.status_code == 403
    barrier.refresh_from_db()
    assert barrier.title == "Org-wide" and barrier.team is None
    assert "Edit" not in _page(http, "planning_barrier_list").split("Org-wide")[1]


def test_templates_add_in_one_click_and_refuse_a_duplicate(world, ref, login):
    http = login(world.a.users["leader"])
    page = _page(http, "planning_templates")
    assert "The peer role is unclear" in page and "Source: Mutschler et al. 2022" in page
    template = ref.templates["role-unclear"]
    first = http.post(reverse("implementation:planning_template_add"), {"template": template.pk, "team": "org"},
                      follow=True)
    assert "“The peer role is unclear” added to the register." in first.content.decode()
    second = http.post(reverse("implementation:planning_template_add"), {"template": template.pk, "team": "org"},
                       follow=True)
    assert ("“The peer role is unclear” is already in the register for the whole organisation."
            in second.content.decode())
    barrier = Barrier.objects.get()
    assert (barrier.title, barrier.construct, barrier.template) == ("The peer role is unclear",
                                                                    ref.constructs["III.F"], template)
    assert "In your register (whole organisation)" in _page(http, "planning_templates")


def test_admin_adds_an_own_template(world, ref, login):
    http = login(world.a.users["admin"])
    response = http.post(reverse("implementation:planning_template_create"), {
        "kind": "barrier", "title": "No quiet room for peers", "construct": ref.constructs["III.K"].pk,
        "source": "Peer team meeting, May"}, follow=True)
    assert "Template “No quiet room for peers” added." in response.content.decode()
    assert "No quiet room for peers" in _page(login(world.a.users["leader"]), "planning_templates")
    assert "No quiet room for peers" not in _page(login(world.b.users["leader"]), "planning_templates")
    assert login(world.a.users["leader"]).post(reverse("implementation:planning_template_create"), {
        "kind": "barrier", "title": "X", "construct": ref.constructs["III.K"].pk, "source": "Y"}).status_code == 403


# ------------------------------------------------------------------ recommendations

def test_recommendations_explain_the_score_and_add_to_a_plan(world, ref, login):
    leader = world.a.users["leader"]
    role = services.barrier_from_template(actor=leader, template=ref.templates["role-unclear"])
    culture = services.barrier_from_template(actor=leader, template=ref.templates["colleague-beliefs"])
    http = login(leader)
    page = _page(http, "planning_recommendations")
    assert "2 recommended strategies" in page
    assert page.index("1. Revise professional roles") < page.index("2. Conduct educational meetings")
    # The score in the strategy's heading line; its formula in the folded reasons below it.
    assert "Score 0.448</strong>" in page
    assert "Score 0.448 = <code>0.620 × (3.89 + 3.34) / 10 = 0.448</code>" in page
    assert ("CFIR 2.0 III.F Compatibility → CFIR 2009 II.E.2 Compatibility (crosswalk: CFIR 2.0 crosswalk (2022))"
            in page)
    assert "Level 1, endorsed by 62% of experts" in page and "source: Waltz et al. 2019" in page
    assert "counts 0.620" in page and "supporting, not counted twice" in page
    assert "Expert ratings (Waltz et al. 2015): importance 3.89, feasibility 3.34 of 5." in page
    only_culture = _page(http, "planning_recommendations", chosen="1", barrier=culture.pk)
    assert "1 recommended strategy" in only_culture and "Revise professional roles" not in only_culture
    response = http.post(reverse("implementation:planning_recommendations_add"), {
        "barrier": [role.pk, culture.pk], "strategy": [ref.strategies["Revise professional roles"].pk],
        "plan": "new", "new-title": "Getting the role right", "new-team": "org"})
    plan = ImplementationPlan.objects.get(title="Getting the role right")
    assert response.status_code == 302 and response.url == reverse("implementation:planning_plan_detail",
                                                                   args=[plan.pk])
    item = plan.items.get()
    assert item.strategy == ref.strategies["Revise professional roles"] and list(item.barriers.all()) == [role]
    again = http.post(reverse("implementation:planning_recommendations_add"), {
        "barrier": [role.pk], "strategy": [ref.strategies["Revise professional roles"].pk], "plan": plan.pk},
        follow=True)
    assert "These strategies are already in the plan." in again.content.decode() and plan.items.count() == 1
    nothing = http.post(reverse("implementation:planning_recommendations_add"), {
        "barrier": [role.pk], "plan": plan.pk}, follow=True)
    assert "Choose at least one strategy." in nothing.content.decode()


def test_evaluator_sees_recommendations_without_the_add_form(world, ref, login):
    services.barrier_from_template(actor=world.a.users["leader"], template=ref.templates["role-unclear"])
    page = _page(login(world.a.users["evaluator"]), "planning_recommendations")
    assert "Revise professional roles" in page and "Add chosen strategies" not in page


# ------------------------------------------------------------------ the barrier → strategy table

def test_admin_edits_the_table_and_leader_only_reads_it(world, ref, login):
    admin = login(world.a.users["admin"])
    page = _page(admin, "planning_strategy_table")
    assert "Waltz et al. 2019" in page and "Add your own row" in page and "Retire" in page
    response = admin.post(reverse("implementation:planning_strategy_table"), {
        "construct": ref.constructs["III.D"].pk, "strategy": ref.strategies["Access new funding"].pk, "level": 2,
        "source": "Our staff survey 2026", "note": "Paid training time."}, follow=True)
    assert "Row added to your table." in response.content.decode()
    own = StrategyMatch.objects.get(organisation=world.a.organisation)
    both = admin.post(reverse("implementation:planning_strategy_table"), {
        "construct": ref.constructs["III.D"].pk, "construct_2009": ref.old["II.C"].pk,
        "strategy": ref.strategies["Access new funding"].pk, "level": 1, "source": "x"})
    assert both.status_code == 400 and "Choose one construct: CFIR 2.0 or CFIR 2009." in both.content.decode()
    shipped = ref.matches["roles-compat"]
    admin.post(reverse("implementation:planning_match_retire", args=[shipped.pk]))
    assert list(shipped.retired_by.all()) == [world.a.organisation]
    assert "Retired here" in _page(admin, "planning_strategy_table")
    admin.post(reverse("implementation:planning_match_retire", args=[shipped.pk]), {"restore": "1"})
    assert shipped.retired_by.count() == 0
    leader = login(world.a.users["leader"])
    leader_page = _page(leader, "planning_strategy_table")
    assert "Our staff survey 2026" in leader_page and "Add your own row" not in leader_page
    assert leader.post(reverse("implementation:planning_strategy_table"), {
        "construct": ref.constructs["III.D"].pk, "strategy": ref.strategies["Access new funding"].pk, "level": 2,
        "source": "x"}).status_code == 403
    assert StrategyMatch.objects.filter(organisation__isnull=False).count() == 1
    assert "Our staff survey 2026" not in _page(login(world.b.users["admin"]), "planning_strategy_table")
    assert login(world.b.users["admin"]).post(
        reverse("implementation:planning_match_retire", args=[own.pk])).status_code == 404


def test_table_query_count_is_flat(world, ref, login, django_assert_max_num_queries):
    http = login(world.a.users["admin"])
    with django_assert_max_num_queries(14) as few:
        http.get(reverse("implementation:planning_strategy_table"))
    for _ in range(20):
        StrategyMatch.objects.create(organisation=world.a.organisation, construct=ref.constructs["III.D"],
                                     strategy=ref.strategies["Access new funding"], level=2, source="Own")
    with django_assert_max_num_queries(len(few.captured_queries)):
        http.get(reverse("implementation:planning_strategy_table"))


# ------------------------------------------------------------------ plans

def test_plan_from_the_checklist_then_items_and_status(world, ref, login):
    leader = world.a.users["leader"]
    http = login(leader)
    response = http.post(reverse("implementation:planning_plan_create"), {
        "title": "Peer support plan", "team": "org", "from_checklist": "on"})
    plan = ImplementationPlan.objects.get()
    assert response.status_code == 302 and plan.items.count() == 3
    page = _page(http, "planning_plan_detail", plan.pk)
    assert "3 actions" in page and "Leadership commitment" in page and "0 of 3 actions done (0%)" in page
    assert "ERIC strategy: Revise professional roles" in page
    url = reverse("implementation:planning_item_create", args=[plan.pk])
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    bad = http.post(url, {"title": "Buy laptops", "status": "not_started", "due_on": yesterday})
    assert bad.status_code == 400
    assert "The due date cannot be before the plan was made" in bad.content.decode()
    foreign = http.post(url, {"title": "Buy laptops", "status": "not_started", "owner": world.b.users["peer"].pk})
    assert foreign.status_code == 400 and "Select a valid choice" in foreign.content.decode()
    assert plan.items.count() == 3
    http.post(url, {"title": "Buy laptops", "status": "in_progress", "owner": world.a.users["peer"].pk,
                    "due_on": timezone.localdate().isoformat(), "strategy": ref.strategies["Access new funding"].pk})
    item = plan.items.get(title="Buy laptops")
    assert item.owner == world.a.users["peer"] and item.status == "in_progress"
    done = http.post(reverse("implementation:planning_item_status", args=[item.pk]), {"status": "done"},
                     HTTP_HX_REQUEST="true")
    fragment = done.content.decode()
    item.refresh_from_db()
    assert item.status == "done" and item.completed_on == timezone.localdate()
    assert fragment.startswith(f'<li id="item-{item.pk}"') and "Done " + timezone.localdate().isoformat() in fragment
    assert 'id="plan-progress" hx-swap-oob="true"' in fragment and "1 of 4 actions done (25%)" in fragment
    edit = http.post(reverse("implementation:planning_item_edit", args=[item.pk]), {
        "title": "Buy two laptops", "status": "dropped", "owner": world.a.users["peer"].pk})
    item.refresh_from_db()
    assert edit.status_code == 302 and item.title == "Buy two laptops" and item.status == "dropped"
    assert item.completed_on is None
    assert "0 of 3 actions done (0%) · 1 dropped" in _page(http, "planning_plan_detail", plan.pk)


def test_plan_list_query_count_is_flat(world, ref, login, django_assert_max_num_queries):
    leader = world.a.users["leader"]
    http = login(leader)
    PlanItemFactory(plan=PlanFactory(created_by=leader), owner=leader)
    with django_assert_max_num_queries(12) as few:
        http.get(reverse("implementation:planning_plan_list"))
    for _ in range(15):
        PlanItemFactory(plan=PlanFactory(created_by=leader, team=world.a.team), owner=leader, status="done")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = http.get(reverse("implementation:planning_plan_list")).content.decode()
    assert "16 plans" in page


def test_plan_detail_query_count_is_flat(world, ref, login, django_assert_max_num_queries):
    leader = world.a.users["leader"]
    http = login(leader)
    plan = PlanFactory(created_by=leader)
    barrier = BarrierFactory(recorded_by=leader, construct=ref.constructs["III.F"])
    PlanItemFactory(plan=plan, owner=leader, strategy=ref.strategies["Access new funding"]).barriers.add(barrier)
    url = reverse("implementation:planning_plan_detail", args=[plan.pk])
    with django_assert_max_num_queries(14) as few:
        http.get(url)
    for _ in range(15):
        PlanItemFactory(plan=plan, owner=world.a.users["peer"],
                        strategy=ref.strategies["Revise professional roles"]).barriers.add(barrier)
    with django_assert_max_num_queries(len(few.captured_queries)):
        http.get(url)


def test_peer_sees_and_updates_only_own_actions(world, ref, login):
    leader, peer = world.a.users["leader"], world.a.users["peer"]
    plan = PlanFactory(created_by=leader, title="Team plan")
    mine = overdue_item(plan, peer, days=2, title="Write the peer role draft")
    theirs = PlanItemFactory(plan=plan, owner=leader, title="Secure funding")
    http = login(peer)
    page = _page(http, "planning_my_items")
    assert "1 action" in page and "Write the peer role draft" in page and "Overdue by 2 days" in page
    assert "Secure funding" not in page
    detail = _page(http, "planning_plan_detail", plan.pk)
    assert "Write the peer role draft" in detail and "Secure funding" not in detail and "Add an action" not in detail
    response = http.post(reverse("implementation:planning_item_status", args=[mine.pk]),
                         {"status": "in_progress", "next": "mine"})
    assert response.status_code == 302 and response.url == reverse("implementation:planning_my_items")
    mine.refresh_from_db()
    assert mine.status == "in_progress"
    assert http.post(reverse("implementation:planning_item_status", args=[theirs.pk]),
                     {"status": "done"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "not_started"
    assert http.get(reverse("implementation:planning_home")).status_code == 403
    other_plan = PlanFactory(created_by=leader)
    assert http.get(reverse("implementation:planning_plan_detail", args=[other_plan.pk])).status_code == 404


def test_spanish_pages_use_the_spanish_reference_texts(world, ref, login):
    leader = world.a.users["leader"]
    http = login(leader)
    http.post(reverse("accounts:language"), {"language": "es", "next": "/"})
    services.barrier_from_template(actor=leader, template=ref.templates["role-unclear"])
    page = http.get(reverse("implementation:planning_templates"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "El rol de par no está claro" in page
    recs = http.get(reverse("implementation:planning_recommendations"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Revisar los roles profesionales" in recs


def test_item_status_refuses_a_bad_status(world, ref, login):
    leader = world.a.users["leader"]
    item = PlanItemFactory(plan=PlanFactory(created_by=leader), owner=leader)
    response = login(leader).post(reverse("implementation:planning_item_status", args=[item.pk]),
                                  {"status": "finished"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "Choose a status." in response.content.decode()
    item.refresh_from_db()
    assert item.status == "not_started"
    assert PlanItem.objects.filter(status="finished").count() == 0
