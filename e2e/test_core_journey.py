"""Clinician refers → peer accepts → peer records an encounter on a phone → clinician sees the note.
Plus axe-core on the pages peers and clinicians live in."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.conftest import serious_axe_violations, sign_in
from peerpath.accounts.tests.factories import TEST_PASSWORD
from peerpath.testing.fixtures import build_org_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_refer_accept_record_and_read_the_note(live_server, browser):
    world = build_org_world("e")
    clinician, peer = world.users["clinician"], world.users["peer"]

    clinician_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = clinician_ctx.new_page()
    sign_in(desk, live_server, clinician.username, TEST_PASSWORD)
    desk.goto(f"{live_server.url}/clients/referrals/new/")
    desk.fill("#id_new_first_name", "Jamie")
    desk.fill("#id_new_last_name", "Okoro")
    desk.select_option("#id_team", str(world.team.pk))
    desk.fill("#id_reason", "Just discharged and wants someone who has been there.")
    desk.select_option("#id_urgency", "soon")
    desk.click("text=Send referral")
    desk.wait_for_url("**/clients/referrals/*/")
    expect(desk.locator("text=Referral sent to the peer support team.")).to_be_visible()
    referral_url = desk.url

    phone_ctx = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    phone = phone_ctx.new_page()
    sign_in(phone, live_server, peer.username, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/clients/referrals/?status=new")
    phone.click("text=Jamie Okoro")
    phone.click("text=Accept and take on this client")
    expect(phone.locator("text=Referral accepted.")).to_be_visible()

    from peerpath.clients.models import Client

    jamie = Client.objects.get(first_name="Jamie", last_name="Okoro")
    phone.goto(f"{live_server.url}/care/encounters/new/?client={jamie.pk}")
    # The form fits a 360 px screen: nothing wider than the viewport.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.check("input[name=modality][value=phone]")
    phone.check("input[name=peer_activities][value=sharing_experience]")
    phone.fill("#id_note", "Talked about the first week home; agreed to try the Tuesday group.")
    phone.click("text=Save encounter")  # one tap
    phone.wait_for_url(f"**/clients/{jamie.pk}/")
    expect(phone.locator("text=Encounter saved.")).to_be_visible()

    desk.goto(f"{live_server.url}/clients/{jamie.pk}/")
    expect(desk.locator("text=Talked about the first week home; agreed to try the Tuesday group.")).to_be_visible()
    desk.goto(referral_url)
    expect(desk.locator(".badge", has_text="Assigned to a peer")).to_be_visible()
    clinician_ctx.close()
    phone_ctx.close()


@pytest.mark.parametrize("path_of", [
    lambda w: "/care/",
    lambda w: f"/clients/{w.client.pk}/",
    lambda w: "/clients/referrals/",
    lambda w: f"/care/encounters/new/?client={w.client.pk}",
    lambda w: f"/care/clients/{w.client.pk}/plan/",
    lambda w: "/staff/my-experience/",
], ids=["peer-home", "client", "referral-inbox", "encounter-form", "plan", "my-experience"])
def test_core_pages_have_no_serious_accessibility_violations(live_server, phone, path_of):
    world = build_org_world("x")
    sign_in(phone, live_server, world.users["peer"].username, TEST_PASSWORD)
    phone.goto(f"{live_server.url}{path_of(world)}")
    assert phone.locator("main h1").count() == 1
    assert serious_axe_violations(phone) == []


def test_sign_in_page_is_accessible(live_server, desktop):
    desktop.goto(f"{live_server.url}/accounts/login/")
    assert serious_axe_violations(desktop) == []


def test_keyboard_reaches_the_main_content_first(live_server, desktop):
    world = build_org_world("k")
    sign_in(desktop, live_server, world.users["peer"].username, TEST_PASSWORD)
    desktop.goto(f"{live_server.url}/care/")
    desktop.keyboard.press("Tab")
    assert desktop.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    desktop.keyboard.press("Enter")
    assert desktop.evaluate("location.hash") == "#main"


def test_the_accessibility_check_itself_catches_a_broken_page(desktop):
    desktop.set_content('<html lang="en"><body><main><h1>x</h1><input type="text"><a href="#"></a></main></body></html>')
    assert {v["id"] for v in serious_axe_violations(desktop)} >= {"label"}
