"""Phone-first, offline-tolerant: an encounter typed with no signal is kept on the phone, queued,
and sent exactly once when the connection returns; a draft survives a reload; sign-out clears it.
Plus the installable app: manifest, icons and a service worker controlling the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in
from peerpath.accounts.tests.factories import TEST_PASSWORD
from peerpath.testing.fixtures import build_org_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "Talked in the car park; agreed to phone the housing office together on Friday."


def _phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(45_000)
    return context, page


def test_an_encounter_typed_offline_is_sent_once_when_the_connection_returns(live_server, browser):
    from peerpath.care.models import Encounter

    world = build_org_world("o")
    peer, client = world.users["peer"], world.client
    before = Encounter.objects.count()
    context, page = _phone(browser)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and "/care/encounters/new/" in r.url else None)
    sign_in(page, live_server, peer.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/care/encounters/new/?client={client.pk}")
    key = page.input_value("input[name=idempotency_key]")
    assert len(key) >= 32

    context.set_offline(True)
    expect(page.locator("#offline-status")).to_contain_text("You are offline")
    page.check("input[name=modality][value=phone]")
    page.check("input[name=peer_activities][value=sharing_experience]")
    page.fill("#id_note", NOTE)
    expect(page.locator(".draft-note")).to_contain_text("Draft kept on this phone only")
    page.click("text=Save encounter")
    expect(page.locator(".draft-note")).to_contain_text("saved on this phone only")
    expect(page.locator("#offline-status")).to_contain_text("Saved on this phone only, not yet on the server")
    expect(page.locator("#offline-status")).to_contain_text("Encounter")
    page.click("text=Save encounter")  # an impatient second tap while offline
    assert page.evaluate("JSON.parse(localStorage.getItem('pp:outbox')).length") == 1
    assert Encounter.objects.count() == before and posts == []
    page.wait_for_timeout(600)  # longer than the draft's typing pause: no late draft write after the queueing
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('pp:draft:'))") == []  # only in the outbox

    context.set_offline(False)
    expect(page.locator("#offline-status")).to_contain_text("Reached the server", timeout=15_000)
    assert page.evaluate("JSON.parse(localStorage.getItem('pp:outbox') || '[]').length") == 0
    page.reload()
    page.wait_for_load_state("networkidle")
    assert Encounter.objects.count() == before + 1
    assert len(posts) == 1  # sent once, never twice
    saved = Encounter.objects.latest("pk")
    assert saved.note == NOTE and saved.modality == "phone"
    assert list(saved.clients.all()) == [client]
    # The sent encounter's device draft is gone: the form opens empty, nothing of it left on the phone.
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('pp:draft:'))") == []
    assert page.input_value("#id_note") == ""
    context.close()


def test_a_draft_survives_a_reload_and_sign_out_clears_it(live_server, browser):
    world = build_org_world("d")
    peer, client = world.users["peer"], world.client
    context, page = _phone(browser)
    sign_in(page, live_server, peer.username, TEST_PASSWORD)
    url = f"{live_server.url}/care/encounters/new/?client={client.pk}"
    page.goto(url)
    page.fill("#id_note", "Half-written note")
    expect(page.locator(".draft-note")).to_contain_text("Draft kept on this phone only")
    page.reload()
    assert page.input_value("#id_note") == "Half-written note"
    expect(page.locator(".draft-note")).to_contain_text("not on the server until you save")
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('pp:draft:'))")
    assert len(stored) == 1
    draft = page.evaluate(f"localStorage.getItem({stored[0]!r})")
    assert "csrfmiddlewaretoken" not in draft and "Half-written note" in draft  # only the form's own fields

    page.click("summary.menu-button")
    page.click("text=Sign out")
    page.wait_for_url("**/accounts/login/**")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('pp:')).length") == 0
    context.close()


def test_another_person_signing_in_on_the_same_phone_never_sees_the_earlier_drafts(live_server, browser):
    world = build_org_world("s")
    peer, client = world.users["peer"], world.client
    context, page = _phone(browser)
    sign_in(page, live_server, peer.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/care/encounters/new/?client={client.pk}")
    page.fill("#id_note", "Left behind when the session ran out")
    expect(page.locator(".draft-note")).to_contain_text("Draft kept on this phone only")
    context.clear_cookies()  # the peer's session ends without signing out (expired, or the phone was handed on)
    sign_in(page, live_server, world.users["supervisor"].username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/care/")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('pp:draft:') || k === 'pp:outbox')") == []
    assert "Left behind" not in page.evaluate("JSON.stringify(localStorage)")
    context.close()


def test_peerpath_installs_to_the_home_screen(live_server, browser):
    world = build_org_world("i")
    context, page = _phone(browser)
    sign_in(page, live_server, world.users["peer"].username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/care/")
    manifest_url = page.get_attribute("link[rel=manifest]", "href")
    manifest = page.request.get(f"{live_server.url}{manifest_url}").json()
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    assert any(icon["sizes"] == "512x512" and icon["purpose"] == "maskable" for icon in manifest["icons"])
    # The service worker takes control of the whole site (the installability check browsers make).
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("!!navigator.serviceWorker.controller")
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith("/sw.js")
    # With no connection, a page opens the offline page instead of the browser's error.
    context.set_offline(True)
    page.goto(f"{live_server.url}/care/caseload/", wait_until="domcontentloaded")
    expect(page.locator("h1")).to_have_text("No connection")
    context.set_offline(False)
    # Compact header: the menu sits behind one button on a phone.
    page.goto(f"{live_server.url}/care/")
    assert page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height") <= 64
    expect(page.locator("nav[aria-label=Main]")).to_be_hidden()
    page.click("summary.menu-button")
    expect(page.locator("nav[aria-label=Main]")).to_be_visible()
    context.close()
