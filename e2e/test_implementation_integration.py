"""Integration in a browser, on the demo organisation: a leader goes from the implementation home to the
integration page, reads the two-gradients chart and its tables (the ACT team's integration rises), narrows
the period, and the page works on a phone; every page passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.conftest import serious_axe_violations, sign_in
from peerpath.demo.seed import demo_password, seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_reads_integration_trends_on_desktop_and_phone(live_server, desktop, phone, tmp_path):
    seed_demo(clients=120)
    sign_in(desktop, live_server, "leader", demo_password())
    desktop.goto(f"{live_server.url}/implementation/")
    desktop.click("nav[aria-label='Implementation sections'] >> text=Integration")
    expect(desktop.locator("h1", has_text="Integration of peer workers")).to_be_visible()
    chart = desktop.locator("svg[role=img]", has_text="The two gradients of peer work")
    expect(chart).to_be_visible()
    expect(chart.locator("text", has_text="Riverside ACT Team")).to_be_visible()
    expect(desktop.locator("caption", has_text="Riverside ACT Team").first).to_contain_text("integration rising")
    desktop.screenshot(path=str(tmp_path / "integration.png"), full_page=True)
    assert serious_axe_violations(desktop) == []

    desktop.select_option("#id_months", "6")
    desktop.click("button:has-text('Show')")
    expect(desktop.locator("caption", has_text="Integration index per team and month")).to_be_visible()
    assert desktop.locator("table:has(caption:has-text('Integration index per team and month')) tbody tr").count() == 6

    sign_in(phone, live_server, "leader", demo_password())
    phone.goto(f"{live_server.url}/implementation/integration/")
    expect(phone.locator("h1", has_text="Integration of peer workers")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.locator("summary", has_text="Riverside ACT Team").click()
    expect(phone.locator("caption", has_text="Riverside ACT Team: integration figures by month")).to_be_visible()
    assert serious_axe_violations(phone) == []
