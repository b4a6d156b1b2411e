"""Scope inside an organisation (issue 10, points 7, 8 and 10)."""

from __future__ import annotations

import json

import pytest

from peerpath.accounts.tests.factories import StaffFactory
from peerpath.clients import services
from peerpath.clients.models import Client, Match, Referral
from peerpath.clients.tests.factories import ClientFactory, MatchFactory, ReferralFactory
from peerpath.core.exceptions import NotAllowed
from peerpath.core.models import Notification
from peerpath.core.tests.factories import TeamFactory
from peerpath.testing.parity import assert_page_and_api_agree


def _assigned_to(world, peer, client=None):
    client = client or ClientFactory(team=world.a.team)
    referral = ReferralFactory(client=client, team=world.a.team, referred_by=world.a.users["clinician"])
    services.referral_accept(actor=world.a.users["supervisor"], referral_id=referral.pk)
    services.referral_assign(actor=world.a.users["supervisor"], referral_id=referral.pk, peer=peer)
    return referral


def test_a_peer_cannot_close_another_peers_referral(world, login):
    own_peer = world.a.users["peer"]
    other_peer = StaffFactory(organisation=world.a.organisation, role="peer", teams=[world.a.team])
    referral = _assigned_to(world, own_peer)
    response = login(other_peer).post(f"/clients/referrals/{referral.pk}/close/", {"reason": "Not mine"})
    assert response.status_code == 404  # not one of theirs: the same as missing
    with pytest.raises(Exception):  # noqa: B017  # Http404 or NotAllowed, both refusals
        services.referral_close(actor=other_peer, referral_id=referral.pk, reason="Not mine")
    referral.refresh_from_db()
    assert (referral.status, referral.close_reason) == ("assigned", "")
    assert Match.objects.filter(referral=referral, peer=own_peer, is_active=True).count() == 1


def test_only_a_supervisor_of_the_assigned_peer_closes_it(world):
    peer = world.a.users["peer"]
    referral = _assigned_to(world, peer)
    stranger_supervisor = StaffFactory(organisation=world.a.organisation, role="supervisor",
                                       teams=[world.a.team, world.a.other_team])
    peer_elsewhere = StaffFactory(organisation=world.a.organisation, role="peer", teams=[world.a.other_team])
    referral_elsewhere = _assigned_to(world, peer_elsewhere, ClientFactory(team=world.a.team))
    # The supervisor shares a team with the peer of the second referral only through other_team: allowed.
    services.referral_close(actor=stranger_supervisor, referral_id=referral_elsewhere.pk, reason="Moved away")
    # A supervisor who shares no active team with the assigned peer is refused, and nothing changes.
    lone_supervisor = StaffFactory(organisation=world.a.organisation, role="supervisor", teams=[world.a.team])
    from peerpath.accounts.models import TeamMembership

    TeamMembership.objects.filter(staff=peer, team=world.a.team).update(is_active=False)
    peer.__dict__.pop("_peerpath_active_team_ids", None)
    with pytest.raises(NotAllowed):
        services.referral_close(actor=lone_supervisor, referral_id=referral.pk, reason="Tidy up")
    referral.refresh_from_db()
    assert referral.status == "assigned"


def test_the_peer_who_loses_a_client_is_notified_after_commit(world, django_capture_on_commit_callbacks):
    peer = world.a.users["peer"]
    referral = _assigned_to(world, peer)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_close(actor=world.a.users["supervisor"], referral_id=referral.pk, reason="Moved away")
    note = Notification.objects.get(recipient=peer)
    assert note.kind == "referral.closed_for_peer"
    assert note.text == (f"A referral of a client on your caseload ({referral.client.display_name}) was closed; "
                         "the client left your caseload.")


def test_a_peer_closing_their_own_referral_gets_no_notice(world, django_capture_on_commit_callbacks):
    peer = world.a.users["peer"]
    referral = _assigned_to(world, peer)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_close(actor=peer, referral_id=referral.pk, reason="Goals met")
    assert Notification.objects.filter(recipient=peer).count() == 0


def test_peers_see_only_referrals_offered_or_assigned_to_them(world, login, api_client):
    peer = world.a.users["peer"]
    other_peer = StaffFactory(organisation=world.a.organisation, role="peer", teams=[world.a.team])
    theirs = _assigned_to(world, other_peer)
    Referral.objects.filter(pk=theirs.pk).update(reason="Released from prison three weeks ago")
    mine = _assigned_to(world, peer)
    offered = world.a.referral  # new, to the peer's team, nobody assigned
    inbox = login(peer).get("/clients/referrals/").content.decode()
    assert "Released from prison" not in inbox
    assert login(peer).get(f"/clients/referrals/{theirs.pk}/").status_code == 404
    api = api_client(peer)
    assert {r["id"] for r in api.get("/api/v1/referrals").json()} == {mine.pk, offered.pk}
    assert api.get(f"/api/v1/referrals/{theirs.pk}").status_code == 404


def _refer_by_page(login, user, team, client):
    return lambda: login(user).post("/clients/referrals/new/", {
        "client": client.pk, "team": team.pk, "reason": "Lonely after discharge", "urgency": "routine"})


def _refer_by_api(api_client, user, team, client):
    body = {"client_id": client.pk, "team_id": team.pk, "reason": "Lonely after discharge"}
    return lambda: api_client(user).post("/api/v1/referrals", json.dumps(body), content_type="application/json")


def test_page_and_api_share_the_refer_to_team_rule(world, login, api_client):
    clinician = world.a.users["clinician"]  # on world.a.team only
    foreign_team = TeamFactory(organisation=world.a.organisation, name="Crisis team")
    outcome = assert_page_and_api_agree(page=_refer_by_page(login, clinician, foreign_team, world.a.client),
                                        api=_refer_by_api(api_client, clinician, foreign_team, world.a.client),
                                        models=[Referral, Client], same_reasons=False)  # the page's form offers only own teams
    assert outcome.result == "refused"
    assert outcome.written == (("Referral", 0), ("Client", 0))
    done = assert_page_and_api_agree(page=_refer_by_page(login, clinician, world.a.team, world.a.client),
                                     api=_refer_by_api(api_client, clinician, world.a.team, world.a.client),
                                     models=[Referral])
    assert (done.result, done.written) == ("done", (("Referral", 1),))


def test_api_refusal_names_the_field_with_a_code(world, api_client):
    foreign_team = TeamFactory(organisation=world.a.organisation, name="Crisis team")
    response = _refer_by_api(api_client, world.a.users["clinician"], foreign_team, world.a.client)()
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "team_id", "reason": "Choose one of your own teams.",
                                          "code": "not_found"}]
    assert Referral.objects.filter(team=foreign_team).count() == 0


def test_match_factory_unused_guard(world):
    assert MatchFactory  # imported for readers extending these scenarios
