"""The client's one-time link: no account, first name only, once, expires, English or Spanish."""

from datetime import timedelta

import pytest
from django.test import Client as Browser
from django.utils import timezone

from peerpath.measures.models import Administration, SurveyLink
from peerpath.measures.tests.factories import PHQ_ALL_ONES, link

pytestmark = pytest.mark.django_db


def _post(token, answers, lang="en"):
    return Browser().post(f"/measures/s/{token}/", {"lang": lang, **{f"item_{k}": v for k, v in answers.items()}})


def test_link_shows_only_the_first_name_and_the_questions(world):
    client = world.a.client
    client.record_number = "RV-123456"
    client.phone = "555-0199"
    client.save()
    _link, token = link(world.a)
    page = Browser().get(f"/measures/s/{token}/")
    body = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "no-store" and page["Referrer-Policy"] == "same-origin"
    assert "Hello ClientA" in body and "Little interest or pleasure in doing things" in body
    for private in ("Matched", "RV-123456", "555-0199", world.a.team.name, world.a.users["peer"].username):
        assert private not in body
    assert SurveyLink.objects.get().token_hash != token  # only a hash is stored
    assert token not in SurveyLink.objects.values_list("token_hash", flat=True)


def test_link_works_once(world):
    _link, token = link(world.a)
    done = _post(token, {**PHQ_ALL_ONES, 9: 0})
    assert done.status_code == 200 and "Your answers were sent" in done.content.decode()
    adm = Administration.objects.get()
    assert (adm.status, adm.mode, adm.entered_by, str(adm.total_score)) == ("completed", "self", None, "8.00")
    again = Browser().get(f"/measures/s/{token}/")
    assert again.status_code == 410
    body = again.content.decode()
    assert "no longer open" in body and "ClientA" not in body and "Little interest" not in body
    second = _post(token, {**PHQ_ALL_ONES, 9: 3})
    assert second.status_code == 410
    adm.refresh_from_db()
    assert (str(adm.total_score), adm.safety_flag) == ("8.00", False)


def test_expired_link_is_closed_and_says_nothing_about_the_client(world):
    link_row, token = link(world.a)
    SurveyLink.objects.filter(pk=link_row.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    page = Browser().get(f"/measures/s/{token}/")
    assert page.status_code == 410 and "ClientA" not in page.content.decode()
    assert _post(token, PHQ_ALL_ONES).status_code == 410
    assert Administration.objects.get().status == "due"


def test_link_expires_after_72_hours(world):
    link_row, _token = link(world.a)
    assert timedelta(hours=71, minutes=59) < link_row.expires_at - timezone.now() <= timedelta(hours=72)


def test_wrong_token_is_404(world):
    link(world.a)
    assert Browser().get("/measures/s/not-a-real-token/").status_code == 404
    assert _post("not-a-real-token", PHQ_ALL_ONES).status_code == 404


def test_language_is_chosen_on_the_page(world):
    _link, token = link(world.a, language="en")
    spanish = Browser().get(f"/measures/s/{token}/?lang=es").content.decode()
    assert "Poco interés o placer en hacer cosas" in spanish and 'lang="es"' in spanish and "Hola ClientA" in spanish
    assert "Ningún día" in spanish
    english = Browser().get(f"/measures/s/{token}/?lang=en").content.decode()
    assert "Little interest" in english and "Not at all" in english
    _post(token, {**PHQ_ALL_ONES, 9: 0}, lang="es")
    assert Administration.objects.get().language == "es"


def test_link_opens_in_the_language_it_was_made_for(world):
    _link, token = link(world.a, language="es")
    assert "Poco interés" in Browser().get(f"/measures/s/{token}/").content.decode()


def test_self_entry_with_a_safety_answer_shows_helplines_not_clinical_details(world):
    _link, token = link(world.a)
    page = _post(token, {**PHQ_ALL_ONES, 9: 1}).content.decode()
    assert "988" in page and "You are not alone" in page
    assert "protocol" not in page.lower() and "score" not in page.lower()
    adm = Administration.objects.get()
    assert adm.safety_flag and adm.alerts.count() == 1


def test_bad_answer_on_the_link_page_is_shown_and_the_link_stays_open(world):
    _link, token = link(world.a)
    page = _post(token, {**PHQ_ALL_ONES, 2: 9})
    assert page.status_code == 400
    assert SurveyLink.objects.get().used_at is None and Administration.objects.get().status == "due"


def test_cancelling_a_measure_closes_its_links(world, login):
    link_row, token = link(world.a)
    login(world.a.users["peer"]).post(f"/measures/administrations/{link_row.administration_id}/cancel/")
    assert Browser().get(f"/measures/s/{token}/").status_code == 410


def test_the_clients_own_answers_are_recorded_as_the_client_not_the_peer_who_made_the_link(world):
    """Issue 10 point 6: the trail said the peer who made the link had entered the client's answers."""
    from peerpath.core.models import AuditEvent

    made, token = link(world.a)
    assert _post(token, PHQ_ALL_ONES).status_code == 200
    event = AuditEvent.objects.filter(action="update", target_type="measures.administration").get()
    client = world.a.client
    assert (event.actor_id, event.actor_username, event.client_id) == (None, f"client:{client.pk}", client.pk)
    assert event.detail["via"] == "one-time link" and event.detail["link_made_by"] == world.a.users["peer"].pk
    assert event.organisation_id == client.organisation_id
