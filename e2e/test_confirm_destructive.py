"""Destructive or irreversible actions ask once, saying what will happen; nothing destructive is
pre-selected; the destructive button is distinct from, and apart from, the one that keeps things."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in
from peerpath.accounts.tests.factories import TEST_PASSWORD
from peerpath.testing.fixtures import build_org_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(45_000)
    yield page
    context.close()


def _apart(page, keep: str, go: str) -> None:
    """The two buttons look different and do not touch (a slip of the thumb does not destroy)."""
    keep_box, go_box = page.locator(keep).bounding_box(), page.locator(go).bounding_box()
    assert keep_box and go_box
    gap_x = max(go_box["x"] - (keep_box["x"] + keep_box["width"]), keep_box["x"] - (go_box["x"] + go_box["width"]))
    gap_y = max(go_box["y"] - (keep_box["y"] + keep_box["height"]), keep_box["y"] - (go_box["y"] + go_box["height"]))
    assert max(gap_x, gap_y) >= 8
    colour = "el => getComputedStyle(el).backgroundColor"
    assert page.locator(keep).evaluate(colour) != page.locator(go).evaluate(colour)


def test_cancelling_a_measure_asks_first_and_keep_changes_nothing(live_server, browser, phone_page):
    from peerpath.measures.models import Administration
    from peerpath.measures.tests.factories import administration

    world = build_org_world("m")
    due = administration(world)
    page = phone_page
    sign_in(page, live_server, world.users["peer"].username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/measures/administrations/{due.pk}/")
    expect(page.locator("text=Yes, cancel this measure")).to_be_hidden()  # one tap never cancels
    page.click("summary:has-text('Cancel this measure')")
    expect(page.locator(".confirm-body")).to_contain_text("will no longer be due for")
    _apart(page, "button:has-text('Keep the measure')", "button:has-text('Yes, cancel this measure')")
    page.click("text=Keep the measure")
    expect(page.locator("text=Yes, cancel this measure")).to_be_hidden()
    due.refresh_from_db()
    assert due.status == "due"
    page.click("summary:has-text('Cancel this measure')")
    page.click("text=Yes, cancel this measure")
    page.wait_for_load_state("networkidle")
    assert Administration.objects.get(pk=due.pk).status == "cancelled"


def test_closing_a_referral_names_the_peer_who_loses_the_client(live_server, browser, phone_page):
    from peerpath.clients.models import Referral

    world = build_org_world("r")
    referral = world.referral
    referral.status, referral.assigned_peer = "assigned", world.users["peer"]
    referral.save()
    page = phone_page
    sign_in(page, live_server, world.users["supervisor"].username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/clients/referrals/{referral.pk}/")
    expect(page.locator("#close-reason")).to_be_hidden()
    page.click("summary:has-text('Close referral')")
    peer_name = world.users["peer"].display_name
    expect(page.locator(".confirm-body")).to_contain_text(f"{peer_name} will lose this client")
    _apart(page, "button:has-text('Keep the referral open')", "button:has-text('Yes, close the referral')")
    page.fill("#close-reason", "Moved out of the area.")
    page.click("text=Yes, close the referral")
    page.wait_for_load_state("networkidle")
    assert Referral.objects.get(pk=referral.pk).status == "closed"


def test_approving_a_role_definition_version_asks_first(live_server, browser, phone_page):
    from peerpath.workforce.models import RoleDefinitionReview
    from peerpath.workforce.tests.route_access import _in_consultation

    world = build_org_world("v")
    pk = _in_consultation(SimpleNamespace(a=world))["pk"]
    page = phone_page
    sign_in(page, live_server, world.users["peer"].username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/workforce/roles/{pk}/")
    expect(page.locator("text=Yes, approve this version")).to_be_hidden()
    page.click("summary:has-text('Approve this version')")
    expect(page.locator(".confirm-body")).to_contain_text("cannot be withdrawn")
    page.click("text=Yes, approve this version")
    page.wait_for_load_state("networkidle")
    review = RoleDefinitionReview.objects.get(definition_id=pk, reviewer=world.users["peer"])
    assert review.approved_at is not None


def test_close_the_consultation_is_not_pre_ticked(live_server, browser, phone_page):
    from peerpath.workforce.models import BoundaryConsultation
    from peerpath.workforce.tests.factories import BoundaryFactory

    world = build_org_world("b")
    item = BoundaryFactory(raised_by=world.users["peer"])
    page = phone_page
    sign_in(page, live_server, world.users["supervisor"].username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/workforce/boundaries/{item.pk}/")
    expect(page.get_by_label("Close the consultation")).not_to_be_checked()
    page.fill("textarea[name=response]", "Thank the person; a card is fine, money is not.")
    page.click("text=Save response")
    page.wait_for_load_state("networkidle")
    item = BoundaryConsultation.objects.get(pk=item.pk)
    assert item.response and item.closed_at is None  # answered, still open: closing was not chosen
