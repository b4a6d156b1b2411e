"""Outcomes in a browser: a peer records a hospital stay on a phone; an evaluator reads the evaluation
(charts with tables, suppression, downloads) and it passes axe-core; the import page reports bad rows."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.conftest import serious_axe_violations, sign_in
from peerpath.accounts.tests.factories import TEST_PASSWORD
from peerpath.outcomes.models import ServiceEvent
from peerpath.outcomes.tests.factories import build_cohorts
from peerpath.testing.fixtures import build_org_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_peer_records_a_hospital_stay_on_a_phone(live_server, phone):
    world = build_org_world("p")
    sign_in(phone, live_server, world.users["peer"].username, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/outcomes/clients/{world.client.pk}/service-use/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_axe_violations(phone) == []
    phone.select_option("#id_kind", "admission")
    phone.fill("#id_occurred_on", "2026-01-05")
    phone.fill("#id_ended_on", "2026-01-02")
    phone.click("button:has-text('Save')")
    expect(phone.locator("text=Discharge cannot be before admission.")).to_be_visible()
    assert ServiceEvent.objects.count() == 0
    phone.fill("#id_ended_on", "2026-01-12")
    phone.fill("#id_facility", "Ward 4")
    phone.click("button:has-text('Save')")
    expect(phone.locator("text=Service use recorded.")).to_be_visible()
    expect(phone.locator("td", has_text="discharged 2026-01-12")).to_be_visible()
    assert ServiceEvent.objects.get().ended_on.isoformat() == "2026-01-12"


def test_evaluator_reads_the_evaluation(live_server, desktop, phone):
    world = build_org_world("v")
    build_cohorts(world, n_peer=14, n_comparison=14, peer_readmit_days=[15, 40],
                  comparison_readmit_days=list(range(5, 75, 5)))
    sign_in(desktop, live_server, world.users["evaluator"].username, TEST_PASSWORD)
    desktop.goto(f"{live_server.url}/outcomes/evaluation/")
    expect(desktop.locator("h1", has_text="Evaluation of peer support")).to_be_visible()
    assert desktop.locator("svg.chart").count() == 3
    expect(desktop.locator("caption", has_text="Numbers at risk")).to_be_visible()
    # The peer group's 2 re-admissions are a small cell: hidden.
    expect(desktop.locator("abbr[title^='Fewer than 11 people']").first).to_be_visible()
    assert "Peerclient" not in desktop.content()
    assert serious_axe_violations(desktop) == []
    # Issue 12: a download is never richer than the page. The page hides the peer group's re-admission
    # count, so the km file (which would reveal it) is refused rather than handed over.
    href = desktop.locator("a", has_text="km.csv").get_attribute("href")
    refused = desktop.request.get(f"{live_server.url}{href}")
    assert refused.status == 409
    # A cohort with a filter, on a phone.
    sign_in(phone, live_server, world.users["evaluator"].username, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/outcomes/evaluation/")
    phone.select_option("#id_program", "act")
    phone.click("text=Show evaluation")
    phone.wait_for_url("**program=act**")
    # The comparison clients are on another (inpatient) team: none in the ACT program.
    expect(phone.locator("p", has_text="Peer support: 15 people. Comparison (usual care): 0 people.")).to_be_visible()
    expect(phone.locator("text=No log-rank test: one of the groups is too small.")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_import_reports_bad_rows(live_server, desktop, tmp_path):
    world = build_org_world("i")
    world.client.record_number = "R-1"
    world.client.save()
    path = tmp_path / "adt.csv"
    path.write_text("record_number,kind,occurred_on\nR-1,emergency,2026-01-05\nR-1,emergency,yesterday\n")
    sign_in(desktop, live_server, world.users["clinician"].username, TEST_PASSWORD)
    desktop.goto(f"{live_server.url}/outcomes/service-use/import/")
    desktop.set_input_files("#id_file", str(path))
    desktop.click("button:has-text('Import')")
    expect(desktop.locator("text=1 of 2 rows imported; 1 rows refused.")).to_be_visible()
    row = desktop.locator("tr", has_text="Not a date")
    assert row.locator("td").nth(0).inner_text() == "3"
    assert serious_axe_violations(desktop) == []
