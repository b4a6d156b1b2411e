from __future__ import annotations

import pytest

from peerpath.accounts.models import TeamMembership
from peerpath.accounts.tests.factories import StaffFactory, make_token
from peerpath.core.choices import Role
from peerpath.core.system import system_actor
from peerpath.core.tenancy import active_team_ids, forget_active_teams, organisation_teams
from peerpath.core.tests.factories import TeamFactory


def test_active_teams_need_an_active_team_and_an_active_membership(world):
    closed_team = TeamFactory(organisation=world.a.organisation, is_active=False)
    left_team = TeamFactory(organisation=world.a.organisation)
    peer = StaffFactory(organisation=world.a.organisation, teams=[world.a.team, closed_team, left_team])
    TeamMembership.objects.filter(staff=peer, team=left_team).update(is_active=False)
    assert active_team_ids(peer) == [world.a.team.pk]


def test_active_teams_are_cached_on_the_user_until_forgotten(world, django_assert_num_queries):
    peer = world.a.users["peer"]
    with django_assert_num_queries(1):
        assert active_team_ids(peer) == active_team_ids(peer) == [world.a.team.pk]
    TeamMembership.objects.filter(staff=peer).update(is_active=False)
    assert active_team_ids(peer) == [world.a.team.pk]
    forget_active_teams(peer)
    assert active_team_ids(peer) == []


def test_organisation_teams_are_the_organisations_active_teams(world):
    TeamFactory(organisation=world.a.organisation, is_active=False)
    assert set(organisation_teams(world.a.organisation.pk)) == {world.a.team, world.a.other_team}


def test_system_actor_is_one_account_per_organisation_that_cannot_sign_in(world, client):
    actor = system_actor(world.a.organisation.pk)
    assert system_actor(world.a.organisation.pk).pk == actor.pk
    assert system_actor(world.b.organisation.pk).pk != actor.pk
    assert (actor.role, actor.organisation_id, actor.has_usable_password()) == (
        Role.SYSTEM, world.a.organisation.pk, False)
    assert not client.login(username=actor.username, password="")
    response = client.post("/accounts/login/", {"login": actor.username, "password": "anything"})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/caseload", "/api/v1/clients"])
def test_system_actor_cannot_use_the_api_even_with_a_token(world, client, path):
    token = make_token(system_actor(world.a.organisation.pk))
    assert client.get(path, headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_system_actor_gets_no_page(world, client):
    client.force_login(system_actor(world.a.organisation.pk))
    assert client.get("/workforce/").status_code == 403
    assert client.get("/clients/").status_code == 403
