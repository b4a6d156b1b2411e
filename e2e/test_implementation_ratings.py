"""CFIR ratings and the report in a browser: a leader rates the Inner setting on a phone (definitions and
guidance on the page, an invalid combination refused), then reads the heat-map and the implementation
report on a desktop and a phone; every page passes axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import serious_axe_violations, sign_in
from peerpath.accounts.tests.factories import TEST_PASSWORD
from peerpath.implementation.models import CfirRating
from peerpath.implementation.ratings.tests.factories import RatingRoundFactory, rate
from peerpath.testing.fixtures import build_org_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_rates_on_a_phone_and_reads_the_heat_map_and_report(live_server, phone, desktop):
    world = build_org_world("c")
    leader = world.users["leader"]
    spring = RatingRoundFactory(created_by=leader, title="CFIR spring", rated_on=timezone.localdate() - timedelta(180))
    for code, score in (("III.D", -1), ("III.F", -2), ("I.F", -1), ("II.F", "missing")):
        rate(spring, code, score)
    rate(spring, "IV.B.3", -2, role="IV.A.8")

    sign_in(phone, live_server, leader.username, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/implementation/cfir/")
    assert serious_axe_violations(phone) == []
    phone.fill("#id_title", "CFIR autumn")
    phone.fill("#id_rated_on", timezone.localdate().isoformat())
    phone.click("button:has-text('Start rating')")
    expect(phone.locator("h1", has_text="Rate I. Innovation")).to_be_visible()
    phone.click("nav[aria-label='CFIR domains'] >> text=III. Inner setting")
    expect(phone.locator("text=How to rate (Damschroder & Lowery 2013)")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_axe_violations(phone) == []
    phone.select_option("select[name='r-III_D']", "1")
    phone.fill("textarea[name='e-III_D']", "Managers challenge the word 'helper' since the training.")
    phone.select_option("select[name='r-III_F']", "2")
    phone.fill("textarea[name='e-III_K']", "Notes without a rating")
    phone.click("button[name=save]")
    expect(phone.locator("text=Choose a rating for the evidence you wrote")).to_be_visible()
    assert not CfirRating.objects.filter(rating_round__title="CFIR autumn").exists()  # refused as a whole
    assert serious_axe_violations(phone) == []
    phone.fill("textarea[name='e-III_K']", "")
    phone.click("button[name=save]")
    expect(phone.locator("text=2 ratings saved.")).to_be_visible()
    phone.click("nav[aria-label='CFIR domains'] >> text=IV. Individuals")
    phone.select_option("select[name='r-IV_B_3--IV_A_8']", "1")
    phone.fill("textarea[name='e-IV_B_3--IV_A_8']", "Peers attend team meetings on both teams.")
    phone.click("button[name=save]")
    expect(phone.locator("text=1 rating saved.")).to_be_visible()

    sign_in(desktop, live_server, leader.username, TEST_PASSWORD)
    desktop.goto(f"{live_server.url}/implementation/cfir/heat-map/")
    table = desktop.locator("table.heatmap").first
    culture = table.locator("tr", has=desktop.locator("th[scope=row]", has_text="III.D Culture"))
    assert culture.locator("td").all_inner_texts()[:3] == ["−1", "+1", "▲ improved (+2)"]
    assert table.locator("th[scope=row]", has_text="I.F Innovation Complexity").locator(".badge").inner_text() == \
        "reverse-rated"
    individuals = desktop.locator("table.heatmap").nth(1)
    assert "improved (+3)" in individuals.locator("tr", has_text="Innovation Deliverers").inner_text()
    assert serious_axe_violations(desktop) == []

    desktop.goto(f"{live_server.url}/implementation/report/")
    for heading in ("1. Readiness", "2. CFIR 2.0 heat-map", "6. Procurement and contract checklist"):
        expect(desktop.locator("h2", has_text=heading)).to_be_visible()
    assert serious_axe_violations(desktop) == []
    phone.goto(f"{live_server.url}/implementation/cfir/heat-map/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_axe_violations(phone) == []
    phone.goto(f"{live_server.url}/implementation/report/procurement/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_axe_violations(phone) == []
