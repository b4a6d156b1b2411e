"""Issue 13 point 6 in the browser: on a 360 px phone, the referral form's client type-ahead finds
"Olga Smith" by typing "smith olga", showing birth date and record number; no serious axe violation."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from e2e.conftest import serious_axe_violations, sign_in
from peerpath.accounts.tests.factories import TEST_PASSWORD
from peerpath.testing.fixtures import build_org_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_smith_olga_finds_olga_smith_on_a_phone(live_server, phone):
    from peerpath.clients.tests.factories import ClientFactory

    world = build_org_world("a")
    olga = ClientFactory(team=world.team, first_name="Olga", last_name="Smith", record_number="RI100482",
                         date_of_birth=dt.date(1979, 3, 14))
    ClientFactory(team=world.team, first_name="Olga", last_name="Petrova")
    sign_in(phone, live_server, world.users["clinician"].username, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/clients/referrals/new/")

    phone.fill("#id_client", "smith olga")
    option = phone.locator(f'input[type=radio][name=client][value="{olga.pk}"]')
    expect(option).to_be_attached()
    results = phone.locator("#id_client-options")
    expect(results).to_contain_text("Olga Smith")
    expect(results).to_contain_text("RI100482")
    expect(results).not_to_contain_text("Petrova")
    option.check()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_axe_violations(phone) == []
