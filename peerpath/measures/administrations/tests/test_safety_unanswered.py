"""Issue 12 point 9: a skipped safety question (PHQ-9 item 9) is asked once more by the peer (page and API, one rule
in the service); on the client's own link, where nobody can ask again, it raises a same-day follow-up alert."""

import json

import pytest

from peerpath.accounts.tests.factories import StaffFactory
from peerpath.core.choices import Role
from peerpath.core.exceptions import ServiceError
from peerpath.core.models import AuditEvent, Notification
from peerpath.core.notifications import render
from peerpath.measures import scoring
from peerpath.measures.administrations import services as administrations_services
from peerpath.measures.library import spec_for
from peerpath.measures.models import Administration, ItemAnswer, SafetyAlert, SurveyLink
from peerpath.measures.tests.factories import administration, link, shipped

pytestmark = pytest.mark.django_db

SEVERE_NO_9 = {n: 3 for n in range(1, 9)}  # items 1-8 "nearly every day", item 9 skipped: prorated 27, "Severe"
ASK_AGAIN = "Question 9 is a safety question and was not answered. Ask it once more if you can, or confirm that it stays unanswered."


def _form(answers, **extra):
    return {**{f"item_{k}": v for k, v in answers.items()}, **extra}


def _post_link(token, answers, lang="en"):
    from django.test import Client as Browser

    return Browser().post(f"/measures/s/{token}/", {"lang": lang, **{f"item_{k}": v for k, v in answers.items()}})


def test_scoring_reports_the_unanswered_safety_item_and_the_severe_band():
    result = scoring.score(spec_for(shipped("phq9")), SEVERE_NO_9)
    assert (result.total, result.band, result.safety, result.unanswered_safety, result.worst_band) == (27, "Severe", [], (9,), True)
    mild = scoring.score(spec_for(shipped("phq9")), {1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1})
    assert (mild.band, mild.unanswered_safety, mild.worst_band) == ("Mild", (9,), False)
    # An instrument without safety rules has no safety item to ask again.
    assert scoring.score(spec_for(shipped("gad7")), {1: 1}).unanswered_safety == ()


# --- the peer's form --------------------------------------------------------------------------------------------


def test_page_asks_once_more_before_saving_a_blank_item_9_then_saves_with_the_confirmation(world, login):
    adm = administration(world.a)
    http = login(world.a.users["peer"])
    first = http.post(f"/measures/administrations/{adm.pk}/enter/", _form(SEVERE_NO_9))
    body = first.content.decode()
    assert first.status_code == 400
    assert ASK_AGAIN in body and "I asked once more: save with this question unanswered." in body
    assert 'name="confirm_safety_unanswered"' in body
    assert body.count("checked") == 8  # the answers given are shown again
    adm.refresh_from_db()
    assert (adm.status, ItemAnswer.objects.count(), SafetyAlert.objects.count()) == ("due", 0, 0)

    saved = http.post(f"/measures/administrations/{adm.pk}/enter/", _form(SEVERE_NO_9, confirm_safety_unanswered="on"))
    assert saved.status_code == 302
    adm.refresh_from_db()
    assert (adm.status, str(adm.total_score), adm.band, adm.safety_unanswered, adm.safety_flag) == ("completed", "27.00", "Severe", True, False)
    assert ItemAnswer.objects.get(administration=adm, item__number=9).value is None
    detail = http.get(f"/measures/administrations/{adm.pk}/").content.decode()
    assert "Safety question not answered" in detail and "asked once more and confirmed it stays unanswered" in detail
    # The peer was with the client and asked again: no follow-up alert; the confirmation is on the trail.
    assert SafetyAlert.objects.count() == 0
    event = AuditEvent.objects.get(action="update", target_type="measures.administration")
    assert (event.detail["safety_unanswered"], event.detail["safety_unanswered_confirmed"]) == ([9], True)


def test_page_saves_at_once_when_item_9_is_answered_on_the_second_try(world, login):
    adm = administration(world.a)
    http = login(world.a.users["peer"])
    http.post(f"/measures/administrations/{adm.pk}/enter/", _form(SEVERE_NO_9))
    saved = http.post(f"/measures/administrations/{adm.pk}/enter/", _form({**SEVERE_NO_9, 9: 0}))
    assert saved.status_code == 302
    adm.refresh_from_db()
    assert (adm.status, str(adm.total_score), adm.safety_unanswered) == ("completed", "24.00", False)


def test_page_shows_no_confirmation_box_before_it_is_needed(world, login):
    adm = administration(world.a)
    page = login(world.a.users["peer"]).get(f"/measures/administrations/{adm.pk}/enter/").content.decode()
    assert 'name="confirm_safety_unanswered"' not in page and "Safety question" in page


def test_api_refuses_a_blank_item_9_naming_the_item_then_saves_with_the_flag(world, api_client):
    adm = administration(world.a)
    http = api_client(world.a.users["peer"])
    url = f"/api/v1/measures/administrations/{adm.pk}/answers"
    answers = {str(k): v for k, v in SEVERE_NO_9.items()}
    refused = http.post(url, json.dumps({"answers": answers}), content_type="application/json")
    assert refused.status_code == 400
    assert refused.json() == {"detail": ASK_AGAIN, "code": "safety_item_unanswered",
                              "errors": [{"field": "item_9", "reason": ASK_AGAIN, "code": "safety_item_unanswered"}]}
    adm.refresh_from_db()
    assert (adm.status, ItemAnswer.objects.count()) == ("due", 0)
    null_nine = http.post(url, json.dumps({"answers": {**answers, "9": None}}), content_type="application/json")
    assert null_nine.status_code == 400 and null_nine.json()["code"] == "safety_item_unanswered"

    saved = http.post(url, json.dumps({"answers": answers, "confirm_safety_unanswered": True}), content_type="application/json")
    assert saved.status_code == 200
    body = saved.json()
    assert (body["status"], body["total_score"], body["band"], body["safety_unanswered"], body["safety_flag"]) == (
        "completed", "27.00", "Severe", True, False)


def test_the_rule_is_the_services_own(world):
    adm = administration(world.a)
    with pytest.raises(ServiceError) as refused:
        administrations_services.administration_submit(actor=world.a.users["peer"], administration=adm, answers=SEVERE_NO_9)
    assert (refused.value.field, refused.value.code) == ("item_9", "safety_item_unanswered")
    adm.refresh_from_db()
    assert adm.status == "due"


def test_the_safety_item_comes_from_the_instruments_own_rules(world):
    """An admin's own rule on another item makes that item the one asked again (nothing hard-codes item 9)."""
    gad7 = shipped("gad7")
    gad7.safety_rules = [{"item": 2, "above": 2, "label": "worry"}]
    gad7.save()
    adm = administration(world.a, code="gad7")
    with pytest.raises(ServiceError) as refused:
        administrations_services.administration_submit(actor=world.a.users["peer"], administration=adm,
                                                       answers={1: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1})
    assert refused.value.field == "item_2"


# --- the client's own link ------------------------------------------------------------------------------------------


@pytest.fixture
def elsewhere(world):
    """A peer and a supervisor of the organisation's other team."""
    return {role: StaffFactory(organisation=world.a.organisation, role=role, teams=[world.a.other_team])
            for role in (Role.PEER, Role.SUPERVISOR)}


def test_link_with_item_9_blank_and_a_severe_total_is_a_follow_up_for_peer_and_supervisor(
        world, login, elsewhere, django_capture_on_commit_callbacks, mailoutbox):
    peer, supervisor = world.a.users["peer"], world.a.users["supervisor"]
    peer.email, supervisor.email = "peer@example.org", "sup@example.org"
    peer.save()
    supervisor.save()
    _link, token = link(world.a)
    with django_capture_on_commit_callbacks(execute=True):
        done = _post_link(token, SEVERE_NO_9)
    assert done.status_code == 200  # the client is never refused: they cannot be asked again
    page = done.content.decode()
    assert "your peer will check in with you soon" in page and 'href="tel:988"' in page
    adm = Administration.objects.get()
    assert (adm.status, str(adm.total_score), adm.band, adm.safety_unanswered, adm.safety_flag) == ("completed", "27.00", "Severe", True, False)

    alert = SafetyAlert.objects.get()
    assert (alert.kind, alert.item_number, alert.worst_band, alert.acknowledged_at) == ("unanswered", 9, True, None)
    assert sorted(alert.notified) == sorted([peer.pk, supervisor.pk])
    assert alert.reason_display() == "Question 9 not answered, total in the severe band"

    # Told at once, in the app (their own language), and by email without the client's name.
    notices = {n.recipient_id: render(n) for n in Notification.objects.filter(kind="measure.safety_unanswered_severe")}
    assert set(notices) == {peer.pk, supervisor.pk}
    assert notices[peer.pk].startswith("Follow up today: ClientA")
    assert "question 9 of PHQ9" in notices[peer.pk] and "severe band" in notices[peer.pk]
    assert sorted(m.to[0] for m in mailoutbox) == ["peer@example.org", "sup@example.org"]
    assert all(world.a.client.first_name not in m.body and world.a.client.last_name not in m.body for m in mailoutbox)

    # On both home pages: the peer's Today and the supervisor's start page (the referral inbox).
    for user, url in ((peer, "/care/"), (supervisor, "/clients/referrals/")):
        home = login(user).get(url).content.decode()
        assert "Safety alerts to follow up (1)" in home and "Follow up today" in home
        assert "Question 9 not answered, total in the severe band" in home and world.a.client.display_name in home
    # The follow-up's creation is on the audit trail, as the client's act, naming who was told.
    created = AuditEvent.objects.get(action="create", target_type="measures.safetyalert")
    assert (created.client_id, created.actor_username, created.detail["safety_alert"], created.detail["item"],
            created.detail["severe_band"]) == (world.a.client.pk, f"client:{world.a.client.pk}", "unanswered", 9, True)
    assert sorted(created.detail["notified"]) == sorted([peer.pk, supervisor.pk])

    # Another team sees nothing and was told nothing.
    for user, url in ((elsewhere[Role.PEER], "/care/"), (elsewhere[Role.SUPERVISOR], "/clients/referrals/")):
        home = login(user).get(url).content.decode()
        assert "Safety alerts to follow up" not in home and world.a.client.display_name not in home
        assert not Notification.objects.filter(recipient=user).exists()
    assert "Safety alerts to follow up" not in login(world.b.users["supervisor"]).get("/clients/referrals/").content.decode()


def test_link_result_page_shows_the_follow_up_and_acknowledging_closes_it(world, login):
    _link, token = link(world.a)
    _post_link(token, SEVERE_NO_9)
    adm = Administration.objects.get()
    alert = SafetyAlert.objects.get()
    http = login(world.a.users["peer"])
    detail = http.get(f"/measures/administrations/{adm.pk}/").content.decode()
    assert "Safety follow-up today" in detail and "Question 9 not answered, total in the severe band" in detail
    assert "I have followed the protocol" in detail and "Call the crisis line 988" in detail
    http.post(f"/measures/alerts/{alert.pk}/acknowledge/")
    alert.refresh_from_db()
    assert alert.acknowledged_by == world.a.users["peer"]
    assert "Safety alerts to follow up" not in http.get("/care/").content.decode()


def test_link_with_item_9_blank_and_a_mild_total_is_still_a_follow_up(world):
    _link, token = link(world.a)
    _post_link(token, {1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1})
    alert = SafetyAlert.objects.get()
    assert (alert.kind, alert.worst_band, alert.reason_display()) == ("unanswered", False, "Question 9 not answered")
    assert set(Notification.objects.values_list("kind", flat=True)) == {"measure.safety_unanswered"}


def test_link_with_item_9_answered_0_and_a_severe_total_raises_no_safety_alert(world):
    """Decision (docs/measures.md): a severe total with item 9 answered 0 is for the next contact, not a safety alert."""
    _link, token = link(world.a)
    _post_link(token, {**SEVERE_NO_9, 9: 0})
    assert (SafetyAlert.objects.count(), Notification.objects.count()) == (0, 0)


def test_a_repeated_link_submission_does_not_duplicate_the_follow_up(world):
    _link, token = link(world.a)
    assert _post_link(token, SEVERE_NO_9).status_code == 200
    assert _post_link(token, SEVERE_NO_9).status_code == 410
    assert (SafetyAlert.objects.count(), Notification.objects.count()) == (1, 2)
    adm = Administration.objects.get()
    # Even called again underneath, the database keeps one follow-up per question.
    assert administrations_services._raise_unanswered(adm, (9,), worst_band=True) == []
    assert SafetyAlert.objects.count() == 1 and SurveyLink.objects.get().used_at is not None


def test_the_client_link_page_points_question_9_to_crisis_lines_in_english_and_spanish(world):
    from django.test import Client as Browser

    _link, token = link(world.a)
    english = Browser().get(f"/measures/s/{token}/").content.decode()
    assert "If you leave this question unanswered, your peer will check in with you soon." in english
    question_9 = english[english.index('id="q-item_9"'):]
    assert 'href="tel:988"' in question_9 and 'href="tel:911"' in question_9
    assert "If you leave this question unanswered" not in english[:english.index('id="q-item_9"')]
    spanish = Browser().get(f"/measures/s/{token}/?lang=es").content.decode()
    assert "Si deja esta pregunta sin responder, su trabajador/a de apoyo entre pares se comunicará con usted pronto." in spanish
