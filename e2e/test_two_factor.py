"""Issue 10 point 1: an organisation admin requires two-factor sign-in; a peer then sets up an
authenticator app as a real person would (the browser also fetches the favicon and the page is
reloaded) and reaches the app."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import hotp_value, yield_hotp_counters_from_time
from playwright.sync_api import expect

from e2e.conftest import sign_in
from peerpath.accounts.tests.factories import TEST_PASSWORD
from peerpath.testing.fixtures import build_org_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(secret: str) -> str:
    return f"{hotp_value(secret, next(iter(yield_hotp_counters_from_time()))):06d}"


def test_require_two_factor_then_a_peer_activates_and_reaches_the_app(live_server, browser):
    world = build_org_world("m")
    admin, peer = world.users["admin"], world.users["peer"]

    admin_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = admin_ctx.new_page()
    sign_in(desk, live_server, admin.username, TEST_PASSWORD)
    desk.goto(f"{live_server.url}/staff/organisation/")
    desk.check("#id_require_mfa")
    desk.locator("form:has(#id_require_mfa) button[type=submit]").click()
    desk.wait_for_load_state("networkidle")
    world.organisation.refresh_from_db()
    assert world.organisation.require_mfa is True
    admin_ctx.close()

    phone_ctx = browser.new_context(viewport={"width": 360, "height": 740})
    phone = phone_ctx.new_page()
    phone.set_default_timeout(15_000)
    sign_in(phone, live_server, peer.username, TEST_PASSWORD)
    if "/reauthenticate/" in phone.url:  # allauth asks for the password again before adding a factor
        phone.fill("input[name=password]", TEST_PASSWORD)
        phone.click("form:has(input[name=password]) button[type=submit]")
        phone.wait_for_load_state("networkidle")
    assert "/accounts/2fa/totp/activate/" in phone.url, phone.content()[:1500]
    secret = phone.input_value("#authenticator_secret")
    # What broke it: the browser's own requests (favicon) and a reload made a new secret.
    phone.evaluate("fetch('/favicon.ico').then(r => r.status)")
    phone.reload()
    phone.wait_for_load_state("networkidle")
    assert phone.input_value("#authenticator_secret") == secret
    phone.fill("input[name=code]", _code(secret))
    phone.click("form:has(input[name=code]) button[type=submit]")
    phone.wait_for_load_state("networkidle")
    expect(phone.locator("text=Incorrect code")).to_have_count(0)
    phone.goto(f"{live_server.url}/care/")
    assert phone.url.rstrip("/").endswith("/care")
    assert "/2fa/" not in phone.url
    phone_ctx.close()
