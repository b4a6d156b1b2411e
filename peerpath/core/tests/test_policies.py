"""Access policies: one rule used by page, API, menu and service."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.test import RequestFactory

from peerpath.accounts.tests.factories import StaffFactory
from peerpath.core.access import Policy, allow, require
from peerpath.core.choices import Role
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.models import Team
from peerpath.core.nav import NavItem, items_for
from peerpath.core.resolve import resolve
from peerpath.core.system import system_actor
from peerpath.core.tests.factories import TeamFactory

OWN_TEAM = Policy("test.own_team", {Role.PEER, Role.SUPERVISOR},
                  scope=lambda user, team: team.pk in {t.pk for t in user.teams.all()})


@pytest.mark.parametrize(("role", "same_org", "in_team", "expected"), [
    (Role.PEER, True, True, True),
    (Role.SUPERVISOR, True, True, True),
    (Role.PEER, True, False, False),       # scope predicate refuses
    (Role.PEER, False, True, False),       # another organisation's object
    (Role.CLINICIAN, True, True, False),   # role not named
    (Role.ADMIN, True, True, False),
])
def test_policy_allows_matrix(world, role, same_org, in_team, expected):
    org = world.a if same_org else world.b
    team = org.team if in_team else org.other_team
    user = StaffFactory(organisation=world.a.organisation, role=role, teams=[world.a.team, world.b.team])
    assert OWN_TEAM.allows(user, team) is expected
    if expected:
        OWN_TEAM.check(user, team)
    else:
        with pytest.raises(NotAllowed):
            OWN_TEAM.check(user, team)
        with pytest.raises(NotAllowed):
            require(user, OWN_TEAM, team)


def test_policy_refuses_inactive_anonymous_and_missing_users(world):
    peer = world.a.users["peer"]
    assert OWN_TEAM.allows(peer) is True  # no object: the role decides
    peer.is_active = False
    assert OWN_TEAM.allows(peer) is False
    assert OWN_TEAM.allows(None) is False
    assert OWN_TEAM.allows(SimpleNamespace(is_authenticated=False, is_active=True, role=Role.PEER)) is False


def test_allow_decorator_uses_the_policy_and_refuses_the_system_account(world):
    view = allow(Policy("test.page", {Role.PEER, Role.SYSTEM}))(lambda request: "opened")
    request = RequestFactory().get("/x/")
    request.user = world.a.users["peer"]
    assert view(request) == "opened"
    request.user = world.a.users["clinician"]
    with pytest.raises(NotAllowed):
        view(request)
    request.user = system_actor(world.a.organisation.pk)
    with pytest.raises(NotAllowed):
        view(request)
    assert view.peerpath_policy.name == "test.page"


def test_allow_still_accepts_a_role_set_while_apps_convert(world):
    view = allow({Role.ADMIN})(lambda request: "opened")
    request = RequestFactory().get("/x/")
    request.user = world.a.users["admin"]
    assert view(request) == "opened"
    request.user = world.a.users["peer"]
    with pytest.raises(NotAllowed):
        view(request)


def test_menu_shows_an_item_iff_its_policy_allows(world):
    item = NavItem("Audit", "core:audit_search", Policy("test.audit", {Role.ADMIN}))
    assert item.policy.allows(world.a.users["admin"]) and not item.policy.allows(world.a.users["peer"])
    labels = [entry["label"] for entry in items_for(world.a.users["admin"])]
    assert "Audit trail" in [str(label) for label in labels]
    assert "Audit trail" not in [str(entry["label"]) for entry in items_for(world.a.users["peer"])]


def test_menu_fails_loudly_on_a_url_name_that_does_not_resolve():
    item = NavItem("Ghost", "core:no_such_page", {Role.ADMIN})
    with pytest.raises(ImproperlyConfigured, match="core:no_such_page"):
        item.url()


def test_every_menu_entry_resolves():
    from peerpath.core.nav import all_items

    assert [item.url() for item in all_items()]  # raises if any entry names a missing URL


@pytest.mark.parametrize("bad", [None, "", "abc", "-1", 0, True, 2**63, str(2**64), "1.5", 1.0])
def test_resolve_refuses_bad_ids_on_the_field(world, bad):
    with pytest.raises(ServiceError) as caught:
        resolve(Team.objects.filter(organisation=world.a.organisation), bad, field="team")
    assert (caught.value.field, caught.value.code) == ("team", "not_found")
    with pytest.raises(Http404):
        resolve(Team.objects.all(), bad, field="team", path=True)


def test_resolve_treats_out_of_scope_like_missing(world):
    scoped = Team.objects.filter(organisation=world.a.organisation)
    assert resolve(scoped, str(world.a.team.pk), field="team") == world.a.team
    with pytest.raises(ServiceError) as caught:
        resolve(scoped, world.b.team.pk, field="team")
    assert caught.value.reason == "No such record, or not one you may use."
    with pytest.raises(Http404):
        resolve(scoped, world.b.team.pk, field="team", path=True)


def test_service_error_carries_reason_field_and_code():
    error = ServiceError("Too long.", field="note", code="too_long")
    assert (error.reason, error.field, error.code) == ("Too long.", "note", "too_long")
    assert ServiceError("No.").code == "invalid"


def test_api_error_body_carries_the_code(world, api_client):
    # An id in the path of a record outside the reader's scope: same 404 as a missing one.
    response = api_client(world.a.users["peer"]).get("/api/v1/clients/999999999")
    assert response.status_code == 404
    assert response.json()["errors"] == []


def test_team_factory_in_other_org_is_not_in_scope(world):
    team = TeamFactory(organisation=world.b.organisation)
    assert not OWN_TEAM.allows(world.a.users["peer"], team)
