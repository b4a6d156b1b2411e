"""Readiness in a browser: a clinician answers the survey on a 360 px phone (one item left out, scored by
the missing-item rule), then a leader closes the round and reads the results page, which shows role groups of five or more,
pools the small ones and passes axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import serious_axe_violations, sign_in
from peerpath.accounts.tests.factories import TEST_PASSWORD, StaffFactory
from peerpath.implementation.models import ReadinessResponse
from peerpath.implementation.readiness import services
from peerpath.testing.fixtures import build_org_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clinician_answers_on_a_phone_and_leader_reads_the_results(live_server, phone, desktop):
    world = build_org_world("r")
    org, leader, clinician = world.organisation, world.users["leader"], world.users["clinician"]
    peers = [StaffFactory(organisation=org, role="peer") for _ in range(5)]
    others = [StaffFactory(organisation=org, role="clinician") for _ in range(4)]
    today = timezone.localdate()
    readiness_round = services.readiness_round_open(
        actor=leader, title="Readiness this month", opens_on=today, closes_on=today + timedelta(days=14),
        instrument_codes=["oric", "aim"], invited_roles=["peer", "clinician"],
        free_text_prompt="What would make peer support work better here?")
    items = [i for inst in readiness_round.instruments.all() for i in inst.items.all()]
    for person in peers:
        services.readiness_response_submit(actor=person, readiness_round=readiness_round,
                                           answers={i.pk: 4 for i in items})
    for person in others:
        services.readiness_response_submit(actor=person, readiness_round=readiness_round,
                                           answers={i.pk: 2 for i in items})

    sign_in(phone, live_server, clinician.username, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/implementation/readiness/mine/")
    assert serious_axe_violations(phone) == []
    phone.click("text=Readiness this month")
    expect(phone.locator("h1", has_text="Readiness this month")).to_be_visible()
    assert serious_axe_violations(phone) == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    first = items[0]
    for item in items[1:]:  # the first ORIC item is left out
        phone.check(f"input[name=item_{item.pk}][value='5']")
    phone.fill("#comment", "Peers should be at the Monday meeting.")
    phone.click("button:has-text('Send my answers')")
    expect(phone.locator("text=Thank you — your answers are saved.")).to_be_visible()
    expect(phone.locator("text=Nothing waiting for you. Thank you.")).to_be_visible()
    response = ReadinessResponse.objects.get(respondent=clinician)
    assert response.answers.count() == len(items) - 1 and not response.answers.filter(item=first).exists()
    assert response.scores["oric"] == {"change_efficacy": 5.0, "change_commitment": 5.0}

    sign_in(desktop, live_server, leader.username, TEST_PASSWORD)
    desktop.goto(f"{live_server.url}/implementation/readiness/")
    assert serious_axe_violations(desktop) == []
    desktop.click("text=Readiness this month")
    expect(desktop.locator("text=10 of 11 invited staff have answered so far.")).to_be_visible()
    assert serious_axe_violations(desktop) == []
    desktop.click("button:has-text('Close this round')")  # results appear once no more answers can come in
    expect(desktop.locator("text=The round is closed.")).to_be_visible()
    table = desktop.locator("table").first
    expect(table.locator("th[scope=row]", has_text="Peer support worker")).to_be_visible()
    expect(table.locator("th[scope=row]", has_text="Clinician")).to_be_visible()  # five clinicians answered
    expect(desktop.locator("caption", has_text="10 of 11 invited staff answered")).to_be_visible()
    expect(desktop.locator("text=Peers should be at the Monday meeting.")).to_be_visible()
    assert serious_axe_violations(desktop) == []

    # the results page on the leader's phone: the wide table scrolls inside its own box
    phone.context.clear_cookies()
    sign_in(phone, live_server, leader.username, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/implementation/readiness/{readiness_round.pk}/")
    expect(phone.locator("h2", has_text="Results by role group")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_axe_violations(phone) == []
