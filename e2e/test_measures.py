"""Measures in a browser: a peer enters a PHQ-9 with a client on a 360 px phone; a client completes a one-time link
in Spanish on their own phone (no account), and the link refuses a second use. Pages pass axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.conftest import serious_axe_violations, sign_in
from peerpath.accounts.tests.factories import TEST_PASSWORD
from peerpath.measures.library import load_shipped
from peerpath.measures.links import services as links_services
from peerpath.measures.models import Administration, SafetyAlert
from peerpath.measures.tests.factories import administration
from peerpath.testing.fixtures import build_org_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_peer_enters_a_phq9_on_a_phone(live_server, phone):
    load_shipped()
    world = build_org_world("m")
    adm = administration(world)
    sign_in(phone, live_server, world.users["peer"].username, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/measures/")
    expect(phone.locator("h1:has-text('Measures due')")).to_be_visible()
    assert serious_axe_violations(phone) == []
    phone.goto(f"{live_server.url}/measures/administrations/{adm.pk}/enter/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_axe_violations(phone) == []
    for number in range(1, 10):
        phone.check(f"input[name='item_{number}'][value='{2 if number < 9 else 1}']")
    phone.click("button:has-text('Save answers')")
    expect(phone.locator("text=Answers saved.")).to_be_visible()
    expect(phone.locator("text=Safety: act on this now")).to_be_visible()  # item 9 above 0: the protocol at once
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_axe_violations(phone) == []
    adm.refresh_from_db()
    assert (adm.status, str(adm.total_score), adm.band) == ("completed", "17.00", "Moderately severe")
    assert SafetyAlert.objects.count() == 1


def test_client_completes_a_one_time_link_in_spanish(live_server, browser):
    load_shipped()
    world = build_org_world("n")
    _link, token = links_services.link_create(actor=world.users["peer"], administration=administration(world), language="en")
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="es-ES")
    page = context.new_page()
    page.set_default_timeout(10_000)
    url = f"{live_server.url}/measures/s/{token}/"
    page.goto(url)
    page.click("a:has-text('Español')")
    expect(page.locator("h1:has-text('Hola ClientN')")).to_be_visible()
    expect(page.locator("text=Poco interés o placer en hacer cosas")).to_be_visible()
    assert "Matched" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_axe_violations(page) == []
    for number in range(1, 10):
        page.check(f"input[name='item_{number}'][value='{1 if number < 9 else 0}']")
    page.click("button:has-text('Enviar mis respuestas')")
    expect(page.locator("h1:has-text('Gracias')")).to_be_visible()
    assert serious_axe_violations(page) == []
    adm = Administration.objects.get()
    assert (adm.status, adm.mode, adm.language, str(adm.total_score)) == ("completed", "self", "es", "8.00")
    page.goto(url)
    expect(page.locator("h1:has-text('This link is no longer open')")).to_be_visible()
    assert "ClientN" not in page.content()
    assert serious_axe_violations(page) == []
    context.close()
