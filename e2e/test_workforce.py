"""Workforce in a browser: a peer asks a boundary question and answers the anonymous survey on a phone;
a supervisor answers the question; a bad certificate is refused with a message; the pages pass axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from e2e.conftest import serious_axe_violations, sign_in
from peerpath.accounts.tests.factories import TEST_PASSWORD
from peerpath.testing.fixtures import build_org_world
from peerpath.workforce.models import BoundaryConsultation, SurveyReceipt, SurveyResponse, TrainingCompletion
from peerpath.workforce.tests.factories import CourseFactory, CredentialFactory, SurveyRoundFactory, today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_peer_on_a_phone_boundary_question_and_anonymous_survey(live_server, phone, browser):
    world = build_org_world("w")
    CredentialFactory(staff=world.users["peer"], expires_on=today() - timedelta(days=3),
                      issued_on=today() - timedelta(days=700))
    survey_round = SurveyRoundFactory(organisation=world.organisation, title="Autumn pulse")
    sign_in(phone, live_server, world.users["peer"].username, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/workforce/")
    expect(phone.locator("text=One of your credentials has lapsed.")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_axe_violations(phone) == []

    phone.goto(f"{live_server.url}/workforce/boundaries/")
    assert serious_axe_violations(phone) == []
    phone.select_option("#id_category", "gift")
    phone.fill("#id_question", "Someone I support gave me a scarf she knitted.")
    phone.click("button:has-text('Send')")
    expect(phone.locator("text=Your supervisor has been asked.")).to_be_visible()
    assert BoundaryConsultation.objects.count() == 1

    phone.goto(f"{live_server.url}/workforce/surveys/{survey_round.pk}/answer/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_axe_violations(phone) == []
    for name in ("responsibility", "respected_colleagues", "respected_served", "enough_training", "setting",
                 "training_hours", "skills_used", "burnout", "stress", "invited_meetings"):
        phone.check(f"input[name='{name}'][value='4']")
    phone.check("#id_stigma_coworkers")
    phone.click("button:has-text('Send anonymously')")
    expect(phone.locator("text=Your answers were saved without your name.")).to_be_visible()
    assert SurveyReceipt.objects.count() == 1 and SurveyResponse.objects.count() == 1

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    desktop = context.new_page()
    sign_in(desktop, live_server, world.users["supervisor"].username, TEST_PASSWORD)
    item = BoundaryConsultation.objects.get()
    desktop.goto(f"{live_server.url}/workforce/boundaries/{item.pk}/")
    expect(desktop.locator("text=Someone I support gave me a scarf")).to_be_visible()
    assert serious_axe_violations(desktop) == []
    desktop.fill("#id_response", "A hand-made gift of small value is fine; mention it at supervision.")
    desktop.check("#id_close")  # closing is a choice, never pre-ticked (issue 14)
    desktop.click("button:has-text('Save response')")
    expect(desktop.locator("text=Response saved.")).to_be_visible()
    item.refresh_from_db()
    assert item.closed_at is not None
    context.close()


def test_bad_certificate_is_refused_with_a_message(live_server, desktop, tmp_path):
    world = build_org_world("c")
    course = CourseFactory(organisation=world.organisation, title="Boundaries and self-disclosure")
    bad = tmp_path / "certificate.pdf"
    bad.write_bytes(b"MZ\x90\x00 not really a pdf")
    sign_in(desktop, live_server, world.users["peer"].username, TEST_PASSWORD)
    desktop.goto(f"{live_server.url}/workforce/training/")
    assert serious_axe_violations(desktop) == []
    desktop.select_option("#id_course", str(course.pk))
    desktop.fill("#id_completed_on", today().isoformat())
    desktop.set_input_files("#id_certificate", str(bad))
    desktop.click("button:has-text('Save')")
    expect(desktop.locator("text=The certificate must be a PDF, PNG or JPEG file.")).to_be_visible()
    assert TrainingCompletion.objects.count() == 0
