"""English and Spanish, chosen per user."""

from __future__ import annotations

from peerpath.accounts.models import StaffMember


def test_user_switches_to_spanish_and_it_sticks(world, login):
    peer = world.a.users["peer"]
    http = login(peer)
    response = http.post("/staff/profile/language/", {"language": "es", "next": "/care/"})
    assert response.status_code == 302 and response["Location"] == "/care/"
    assert StaffMember.objects.get(pk=peer.pk).language == "es"
    page = http.get("/care/")
    html = page.content.decode()
    assert page["Content-Language"] == "es"
    assert '<html lang="es">' in html
    assert "Who I see today" not in html
    assert "Record an encounter" not in html


def test_language_of_one_user_does_not_leak_to_another(world, login):
    world.a.users["peer"].language = "es"
    world.a.users["peer"].save()
    html = login(world.a.users["supervisor"]).get("/clients/referrals/").content.decode()
    assert '<html lang="en">' in html and "Referral inbox" in html


def test_unknown_language_is_refused(world, login):
    peer = world.a.users["peer"]
    login(peer).post("/staff/profile/language/", {"language": "xx", "next": "/"})
    peer.refresh_from_db()
    assert peer.language == "en"


def test_open_redirects_are_not_followed(world, login):
    response = login(world.a.users["peer"]).post("/staff/profile/language/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
