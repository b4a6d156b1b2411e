"""Issue 13 point 5: reach the client — tel:/sms: links (texts only with consent), preferred method and
times on the client page and Today; one-time survey links with copy, text, email and QR; 988/911 tap-to-call."""

import pytest
from django.urls import reverse

from peerpath.measures.tests import factories as measure_factories

pytestmark = pytest.mark.django_db


def _client_with(world, **fields):
    client = world.a.client
    for name, value in fields.items():
        setattr(client, name, value)
    client.save()
    return client


def test_client_page_shows_call_and_text_links_when_the_client_agreed_to_texts(world, login):
    _client_with(world, phone="(555) 013-4477", text_consent=True, preferred_contact_method="text",
                 preferred_contact_times="Weekday mornings")
    html = login(world.a.users["peer"]).get(reverse("clients:client_detail", args=[world.a.client.pk])).content.decode()

    assert 'href="tel:5550134477"' in html and 'href="sms:5550134477"' in html
    assert "Text message" in html and "Weekday mornings" in html


def test_client_page_offers_no_text_link_without_consent(world, login):
    _client_with(world, phone="+1 555 013 4477", text_consent=False)
    html = login(world.a.users["peer"]).get(reverse("clients:client_detail", args=[world.a.client.pk])).content.decode()

    assert 'href="tel:+15550134477"' in html and "sms:" not in html
    assert "no — do not text" in html


def test_today_shows_call_link_for_who_i_see_today(world, login):
    from django.utils import timezone

    _client_with(world, phone="555-0134", text_consent=False)
    match = world.a.client.matches.get(is_active=True)
    match.next_contact_on = timezone.localdate()
    match.save()
    html = login(world.a.users["peer"]).get(reverse("care:peer_home")).content.decode()

    assert 'href="tel:5550134"' in html and "sms:5550134" not in html


def _created_link_page(world, login, language="en"):
    administration = measure_factories.administration(world.a, client=world.a.client)
    return login(world.a.users["peer"]).post(reverse("measures:link_create", args=[administration.pk]),
                                             {"language": language}).content.decode()


def test_link_page_has_copy_qr_and_text_only_with_consent(world, login):
    _client_with(world, phone="555-0134", text_consent=True, email="olga@example.org")
    html = _created_link_page(world, login)

    assert 'data-copy="#survey-url"' in html and "<svg" in html
    assert 'href="sms:5550134?&amp;body=' in html and 'href="mailto:olga@example.org?body=' in html


def test_link_page_without_text_consent_offers_no_text(world, login):
    _client_with(world, phone="555-0134", text_consent=False)
    html = _created_link_page(world, login)

    assert "sms:" not in html and "has not agreed to texts" in html


def test_survey_page_makes_988_and_911_tap_to_call(world, client):
    _link, token = measure_factories.link(world.a, client=world.a.client)
    html = client.get(reverse("measures:survey", kwargs={"token": token})).content.decode()

    assert 'href="tel:988"' in html and 'href="sms:988"' in html and 'href="tel:911"' in html
