"""Pages: the peer's phone form, the result page with the safety protocol, the client page (audited), roles."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peerpath.core.models import AuditEvent
from peerpath.measures.models import Administration, Instrument
from peerpath.measures.schedules import services as schedules_services
from peerpath.measures.tests.factories import PHQ_ALL_ONES, administration, completed, days_ago, schedule, shipped

pytestmark = pytest.mark.django_db


def _form(answers):
    return {f"item_{k}": v for k, v in answers.items()}


def test_peer_starts_enters_and_sees_the_result(world, login):
    http = login(world.a.users["peer"])
    response = http.post(f"/measures/clients/{world.a.client.pk}/start/",
                         {"instrument": shipped("phq9").pk, "timepoint": "intake", "language": "en"})
    adm = Administration.objects.get()
    assert response["Location"] == f"/measures/administrations/{adm.pk}/enter/"
    page = http.get(response["Location"]).content.decode()
    assert page.count('type="radio"') == 36 and "Over the last 2 weeks" in page
    done = http.post(f"/measures/administrations/{adm.pk}/enter/", _form({**PHQ_ALL_ONES, 9: 0}), follow=True)
    body = done.content.decode()
    assert "Answers saved." in body and "8" in body and "Mild" in body and "Safety: act on this now" not in body


def test_result_page_shows_the_protocol_at_once_after_a_safety_answer(world, login):
    world.a.organisation.safety_protocol = "Phone the duty supervisor on 555-0142."
    world.a.organisation.save()
    adm = administration(world.a)
    http = login(world.a.users["peer"])
    done = http.post(f"/measures/administrations/{adm.pk}/enter/", _form({**PHQ_ALL_ONES, 9: 3}), follow=True)
    body = done.content.decode()
    assert "Safety: act on this now" in body and "Phone the duty supervisor on 555-0142." in body
    due_page = login(world.a.users["supervisor"]).get("/measures/").content.decode()
    assert "Safety alerts to follow up" in due_page and world.a.client.display_name in due_page


def test_bad_answer_on_the_form_is_shown_beside_the_question(world, login):
    adm = administration(world.a)
    response = login(world.a.users["peer"]).post(f"/measures/administrations/{adm.pk}/enter/", _form({**PHQ_ALL_ONES, 3: 5}))
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    adm.refresh_from_db()
    assert adm.status == "due"


def test_client_page_lists_scores_and_is_audited(world, login):
    completed(world.a, answers={**PHQ_ALL_ONES, 9: 0})
    before = AuditEvent.objects.filter(client=world.a.client, action="view").count()
    page = login(world.a.users["clinician"]).get(f"/measures/clients/{world.a.client.pk}/").content.decode()
    assert "PHQ9" in page and "8" in page and "Mild" in page
    assert "Give a measure now" not in page  # clinicians read scores only
    assert AuditEvent.objects.filter(client=world.a.client, action="view").count() == before + 1


def test_answers_are_audited_and_hidden_from_clinicians(world, login):
    adm = completed(world.a, answers={**PHQ_ALL_ONES, 9: 0})
    peer_page = login(world.a.users["peer"]).get(f"/measures/administrations/{adm.pk}/").content.decode()
    assert "Little interest or pleasure" in peer_page
    assert AuditEvent.objects.filter(target_id=str(adm.pk), detail__answers=True).count() == 1
    clinician_page = login(world.a.users["clinician"]).get(f"/measures/administrations/{adm.pk}/").content.decode()
    assert "Little interest or pleasure" not in clinician_page and "Mild" in clinician_page


def test_other_organisation_and_evaluator_see_nothing(world, login):
    adm = completed(world.a, answers={**PHQ_ALL_ONES, 9: 0})
    assert login(world.b.users["leader"]).get(f"/measures/administrations/{adm.pk}/").status_code == 404
    assert login(world.b.users["leader"]).get(f"/measures/clients/{world.a.client.pk}/").status_code == 404
    assert login(world.a.users["evaluator"]).get(f"/measures/clients/{world.a.client.pk}/").status_code == 403


def test_link_page_for_staff_shows_the_url_once(world, login):
    adm = administration(world.a)
    response = login(world.a.users["peer"]).post(f"/measures/administrations/{adm.pk}/link/", {"language": "es"})
    body = response.content.decode()
    assert response.status_code == 200 and "/measures/s/" in body and response["Cache-Control"] == "no-store"
    assert adm.links.get().language == "es"


def test_due_page_lists_and_query_ceiling(world, login):
    from peerpath.clients.tests.factories import ClientFactory, MatchFactory

    sched = schedule(world.a)
    peer = world.a.users["peer"]
    for _ in range(6):
        c = ClientFactory(team=world.a.team)
        MatchFactory(client=c, peer=peer)
        schedules_services.enrolment_create(actor=peer, client=c, schedule=sched, start_on=days_ago(35))
    http = login(peer)
    with CaptureQueriesContext(connection) as queries:
        page = http.get("/measures/").content.decode()
    assert page.count("PHQ9") >= 6 and "Overdue (6)" in page
    assert len(queries) <= 15


def test_enrol_from_the_client_page(world, login):
    sched = schedule(world.a)
    response = login(world.a.users["peer"]).post(f"/measures/clients/{world.a.client.pk}/enrol/",
                                                 {"schedule": sched.pk, "start_on": "2026-01-05"}, follow=True)
    assert "now follows the schedule" in response.content.decode()
    assert Administration.objects.filter(enrolment__schedule=sched).count() == 4


def test_schedule_pages_for_leaders(world, login):
    http = login(world.a.users["leader"])
    response = http.post("/measures/schedules/", {"name": "ACT outcomes", "team": world.a.team.pk,
                                                  "instruments": [shipped("phq9").pk, shipped("qpr15").pk],
                                                  "target_followup_rate": 80})
    from peerpath.measures.models import MeasureSchedule

    sched = MeasureSchedule.objects.get(name="ACT outcomes")
    assert response["Location"] == f"/measures/schedules/{sched.pk}/"
    http.post(f"/measures/schedules/{sched.pk}/", {"kind": "followup", "day_offset": 182, "window_before_days": 30,
                                                   "window_after_days": 60})
    assert list(sched.timepoints.values_list("kind", "day_offset", "window_before_days", "window_after_days")) == [
        ("followup", 182, 30, 60)]
    assert Instrument.objects.count() >= 5
