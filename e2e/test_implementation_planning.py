"""Barriers, strategies and the plan in a browser: a leader adds two literature barriers in one click
each, gets strategy recommendations with their reasons, adds one strategy to a new plan and marks the
action done; the home, register, recommendations and plan pages pass axe-core on a desktop and on a
360 px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.conftest import serious_axe_violations, sign_in
from peerpath.accounts.tests.factories import TEST_PASSWORD
from peerpath.implementation.models import Barrier, ImplementationPlan, PlanItem
from peerpath.implementation.reference import selectors as reference
from peerpath.testing.fixtures import build_org_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _template(organisation_id, key):
    return reference.barrier_templates(organisation_id=organisation_id).get(key=key)


def test_leader_registers_barriers_gets_strategies_and_runs_the_plan(live_server, desktop):
    world = build_org_world("p")
    leader = world.users["leader"]
    role = _template(world.organisation.pk, "role_unclear")
    funding = _template(world.organisation.pk, "no_funding_billing")
    sign_in(desktop, live_server, leader.username, TEST_PASSWORD)
    assert desktop.url.endswith("/implementation/")  # the leader's start page
    expect(desktop.locator("h1", has_text="Implementation of peer support")).to_be_visible()
    assert serious_axe_violations(desktop) == []

    desktop.goto(f"{live_server.url}/implementation/barriers/templates/")
    assert serious_axe_violations(desktop) == []
    desktop.click(f"button[name=template][value='{role.pk}']")
    expect(desktop.locator("text=“The peer role is unclear” added to the register.")).to_be_visible()
    desktop.click(f"button[name=template][value='{funding.pk}']")
    expect(desktop.locator(f"text=“{funding.title}” added to the register.")).to_be_visible()
    desktop.click(f"button[name=template][value='{role.pk}']")
    expect(desktop.locator("text=is already in the register for the whole organisation")).to_be_visible()
    assert Barrier.objects.filter(organisation=world.organisation).count() == 2

    desktop.goto(f"{live_server.url}/implementation/barriers/")
    expect(desktop.locator("h2", has_text="2 entries")).to_be_visible()
    assert serious_axe_violations(desktop) == []

    desktop.goto(f"{live_server.url}/implementation/recommendations/")
    strategy = reference.eric_strategies().get(name="Revise professional roles")
    card = desktop.locator(f"#strategy-{strategy.pk}")
    expect(card).to_be_visible()
    expect(card.locator("text=Why: it addresses 1 of your barriers")).to_be_visible()
    card.locator("summary", has_text="Why: it addresses").click()  # the reasons fold away under each strategy
    expect(card.locator("text=The peer role is unclear").first).to_be_visible()
    expect(card.locator("text=counts").first).to_be_visible()
    assert serious_axe_violations(desktop) == []
    desktop.check(f"#pick-{strategy.pk}")
    desktop.check("#plan-new")
    desktop.fill("#id_new-title", "Getting the peer role right")
    desktop.click("button:has-text('Add chosen strategies to the plan')")
    expect(desktop.locator("text=1 strategy added to the plan.")).to_be_visible()
    plan = ImplementationPlan.objects.get(title="Getting the peer role right")
    item = PlanItem.objects.get(plan=plan)
    assert item.strategy == strategy and [b.pk for b in item.barriers.all()] == [
        Barrier.objects.get(template=role).pk]
    assert serious_axe_violations(desktop) == []

    desktop.select_option(f"#status-{item.pk}", "done")
    desktop.click(f"#item-{item.pk} button:has-text('Update')")
    desktop.locator(f"#item-{item.pk} .badge-ok").wait_for()
    expect(desktop.locator("text=1 of 1 actions done (100%)")).to_be_visible()
    item.refresh_from_db()
    assert item.status == "done" and item.completed_on is not None
    assert serious_axe_violations(desktop) == []


def test_planning_pages_on_a_phone(live_server, phone):
    from peerpath.implementation.planning import services

    world = build_org_world("q")
    leader = world.users["leader"]
    for key in ("role_unclear", "colleagues_beliefs", "peers_speak_in_meetings"):
        services.barrier_from_template(actor=leader, template=_template(world.organisation.pk, key))
    plan = services.plan_create_from_checklist(actor=leader, title="Peer support plan")
    sign_in(phone, live_server, leader.username, TEST_PASSWORD)
    for path in ("/implementation/", "/implementation/barriers/", "/implementation/recommendations/",
                 f"/implementation/plans/{plan.pk}/", "/implementation/barriers/templates/",
                 "/implementation/strategy-table/"):
        phone.goto(f"{live_server.url}{path}")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, path
        assert serious_axe_violations(phone) == [], path
