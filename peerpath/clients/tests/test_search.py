"""Issue 13 point 6: find anyone fast — any part of the name in any order, partial record number,
birth date and phone, accent- and case-insensitive; scoped as the client list and audited."""

import datetime as dt

import pytest
from django.urls import reverse

from peerpath.clients import selectors
from peerpath.clients.models import Client
from peerpath.clients.tests.factories import ClientFactory
from peerpath.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def olga(world):
    return ClientFactory(team=world.a.team, first_name="Olga", last_name="Smith", record_number="RI100482",
                         date_of_birth=dt.date(1979, 3, 14), phone="(555) 013-4477")


def _names(clients):
    return [c.display_name for c in clients]


@pytest.mark.parametrize("query", ["smith olga", "Olga Smith", "SMITH, olga", "olg smi", "10048", "ri100482",
                                   "1979-03-14", "14/03/1979", "555-013-4477", "0134477"])
def test_supervisor_finds_olga_smith_by_any_part(world, olga, query):
    found = selectors.client_list_for(world.a.users["supervisor"], search=query)

    assert _names(found) == ["Olga Smith"]


def test_search_ignores_accents_and_case_both_ways(world):
    ClientFactory(team=world.a.team, first_name="Zoë", last_name="Núñez")
    ClientFactory(team=world.a.team, first_name="Zoe", last_name="Nunez")
    supervisor = world.a.users["supervisor"]

    assert sorted(_names(selectors.client_list_for(supervisor, search="zoe nunez"))) == ["Zoe Nunez", "Zoë Núñez"]
    assert sorted(_names(selectors.client_list_for(supervisor, search="ZOË NÚÑEZ"))) == ["Zoe Nunez", "Zoë Núñez"]


def test_a_term_that_is_not_in_the_name_excludes_the_client(world, olga):
    assert _names(selectors.client_list_for(world.a.users["supervisor"], search="smith anna")) == []


def test_search_is_scoped_like_the_list(world, olga):
    # the peer's caseload does not include Olga; the other organisation's supervisor does not see her
    assert _names(selectors.client_list_for(world.a.users["peer"], search="smith olga")) == []
    assert _names(selectors.client_list_for(world.b.users["supervisor"], search="smith olga")) == []


def test_search_text_follows_a_renamed_client(world, olga):
    olga.last_name = "Smyth"
    olga.save(update_fields=["last_name"])

    assert _names(selectors.client_list_for(world.a.users["supervisor"], search="smyth olga")) == ["Olga Smyth"]
    assert _names(selectors.client_list_for(world.a.users["supervisor"], search="smith olga")) == []


def test_bulk_created_clients_are_searchable(world):
    Client.objects.bulk_create([Client(organisation=world.a.organisation, team=world.a.team, first_name="Élodie",
                                       last_name="Martin")])

    assert _names(selectors.client_list_for(world.a.users["supervisor"], search="martin elodie")) == ["Élodie Martin"]


def test_client_list_page_finds_olga_and_audits_the_search(world, olga, login):
    supervisor = world.a.users["supervisor"]
    page = login(supervisor).get(reverse("clients:client_list"), {"q": "smith olga"})

    assert "Olga Smith" in page.content.decode()
    event = AuditEvent.objects.filter(actor=supervisor, target_type="clients.client", action="list").latest("pk")
    assert event.detail == {"ids": [olga.pk], "search": True}


def test_type_ahead_shows_birth_date_and_record_and_audits(world, olga, login):
    supervisor = world.a.users["supervisor"]
    page = login(supervisor).get(reverse("clients:client_search"), {"field": "client", "client__search": "smith olga"})

    html = page.content.decode()
    assert f'<input type="radio" name="client" value="{olga.pk}">' in html
    assert "Olga Smith" in html and "RI100482" in html and "03/14/1979" in html
    event = AuditEvent.objects.filter(actor=supervisor, target_type="clients.client", action="list").latest("pk")
    assert event.detail == {"ids": [olga.pk], "search": True}


def test_type_ahead_needs_two_characters_and_shows_nobody_outside_scope(world, olga, login):
    short = login(world.a.users["supervisor"]).get(reverse("clients:client_search"), {"field": "client", "client__search": "s"})
    other = login(world.b.users["supervisor"]).get(reverse("clients:client_search"), {"field": "client", "client__search": "olga"})

    assert "Type at least two letters or digits." in short.content.decode()
    assert "Olga" not in other.content.decode() and "Nobody found." in other.content.decode()


def test_type_ahead_field_name_cannot_inject_markup(world, olga, login):
    page = login(world.a.users["supervisor"]).get(reverse("clients:client_search"),
                                                  {"field": '"><script>', "pick__search": "olga"})

    assert 'name="pick"' in page.content.decode() and "<script>" not in page.content.decode()


def test_staff_type_ahead_finds_staff_of_own_organisation_only(world, login):
    admin_a = world.a.users["admin"]
    peer_a = world.a.users["peer"]
    peer_a.first_name, peer_a.last_name = "Andrés", "Peña"
    peer_a.save()
    own = login(admin_a).get(reverse("accounts:staff_search"), {"field": "actor", "actor__search": "pena andres"})
    other = login(world.b.users["admin"]).get(reverse("accounts:staff_search"), {"field": "actor", "actor__search": "pena"})

    assert f'value="{peer_a.pk}"' in own.content.decode()
    assert f'value="{peer_a.pk}"' not in other.content.decode()


def test_audit_page_filters_are_type_aheads(world, login):
    page = login(world.a.users["admin"]).get(reverse("core:audit_search"))

    html = page.content.decode()
    assert reverse("clients:client_search") in html and reverse("accounts:staff_search") in html
    assert html.count("<option") == 2  # the header's language choice only: no 725-name lists


def test_likely_duplicates_same_folded_name_and_birth_date_or_phone(world, olga):
    clinician = world.a.users["clinician"]

    by_name = selectors.likely_duplicates(clinician, first_name="OLGA", last_name="Smíth", date_of_birth=dt.date(1979, 3, 14))
    by_phone = selectors.likely_duplicates(clinician, first_name="Olya", last_name="Smith", phone="555 013 4477")
    other_birthday = selectors.likely_duplicates(clinician, first_name="Olga", last_name="Smith", date_of_birth=dt.date(1980, 1, 1))

    assert _names(by_name) == ["Olga Smith"]
    assert _names(by_phone) == ["Olga Smith"]
    assert other_birthday == []


def _referral_post(world, **extra):
    return {"team": world.a.team.pk, "reason": "Would value someone who has been there.", "urgency": "routine",
            "new_first_name": "Olga", "new_last_name": "SMITH", "new_date_of_birth": "1979-03-14", **extra}


def test_referring_a_new_person_warns_about_a_likely_duplicate_and_saves_nothing(world, olga, login):
    before = Client.objects.count()
    page = login(world.a.users["clinician"]).post(reverse("clients:referral_create"), _referral_post(world))

    html = page.content.decode()
    assert page.status_code == 400
    assert "Is this one of these people?" in html and f"?client={olga.pk}" in html and "RI100482" in html
    assert Client.objects.count() == before


def test_a_confirmed_different_person_is_registered(world, olga, login):
    page = login(world.a.users["clinician"]).post(reverse("clients:referral_create"),
                                                  _referral_post(world, not_a_duplicate="on", new_phone="555 222 1111"))

    assert page.status_code == 302
    new = Client.objects.exclude(pk=olga.pk).get(first_name="Olga", last_name="SMITH")
    assert new.phone == "555 222 1111"
