"""Administrators manage staff accounts and organisation settings of their own organisation only."""

from __future__ import annotations

import pytest

from peerpath.accounts import services
from peerpath.accounts.models import StaffMember
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.models import AuditEvent


def test_admin_creates_a_peer_account_that_can_sign_in(world, login):
    response = login(world.a.users["admin"]).post("/staff/staff/new/", {
        "username": "newpeer", "first_name": "Nia", "last_name": "Osei", "email": "", "role": "peer",
        "teams": [world.a.team.pk], "caseload_capacity": "15", "password": "a long first passphrase",
    })
    assert response.status_code == 302
    staff = StaffMember.objects.get(username="newpeer")
    assert (staff.organisation, staff.role, list(staff.teams.all()), staff.caseload_capacity) == (world.a.organisation, "peer", [world.a.team], 15)
    assert staff.check_password("a long first passphrase")
    assert AuditEvent.objects.filter(action="create", target_type="accounts.staffmember", target_id=str(staff.pk)).exists()


def test_weak_password_and_taken_username_are_field_errors(world, login):
    http = login(world.a.users["admin"])
    response = http.post("/staff/staff/new/", {"username": world.a.users["peer"].username, "first_name": "A", "last_name": "B",
                                              "role": "peer", "caseload_capacity": "10", "password": "short"})
    assert response.status_code == 400
    assert "That username is taken." in response.content.decode()
    response = http.post("/staff/staff/new/", {"username": "fresh", "first_name": "A", "last_name": "B", "role": "peer",
                                              "caseload_capacity": "10", "password": "12345678901"})
    assert response.status_code == 400
    assert "This password is entirely numeric." in response.content.decode()
    assert not StaffMember.objects.filter(username="fresh").exists()


def test_admin_cannot_give_teams_of_another_organisation(world):
    with pytest.raises(ServiceError):
        services.staff_update(actor=world.a.users["admin"], staff=world.a.users["peer"], role="peer",
                              teams=[world.b.team], is_active=True, caseload_capacity=20)
    assert list(world.a.users["peer"].teams.all()) == [world.a.team]


def test_admin_cannot_edit_staff_of_another_organisation(world, login):
    assert login(world.b.users["admin"]).get(f"/staff/staff/{world.a.users['peer'].pk}/").status_code == 404
    with pytest.raises(NotAllowed):
        services.staff_update(actor=world.b.users["admin"], staff=world.a.users["peer"], role="admin", teams=[],
                              is_active=True, caseload_capacity=20)
    world.a.users["peer"].refresh_from_db()
    assert world.a.users["peer"].role == "peer"


def test_deactivated_staff_can_no_longer_sign_in(world, login):
    peer = world.a.users["peer"]
    services.staff_update(actor=world.a.users["admin"], staff=peer, role="peer", teams=[world.a.team], is_active=False, caseload_capacity=20)
    from django.test import Client

    from peerpath.accounts.tests.factories import TEST_PASSWORD

    http = Client()
    http.post("/accounts/login/", {"login": peer.username, "password": TEST_PASSWORD})
    assert "_auth_user_id" not in http.session
    assert http.get("/care/").status_code == 302  # still sent to sign-in


def test_admin_cannot_lock_themselves_out(world):
    admin = world.a.users["admin"]
    with pytest.raises(ServiceError):
        services.staff_update(actor=admin, staff=admin, role="peer", teams=[], is_active=True, caseload_capacity=0)
    admin.refresh_from_db()
    assert admin.role == "admin"


def test_admin_turns_on_two_factor_for_the_organisation(world, login):
    response = login(world.a.users["admin"]).post("/staff/organisation/", {"require_mfa": "on", "safety_protocol": "Call 988."})
    assert response.status_code == 302
    world.a.organisation.refresh_from_db()
    assert (world.a.organisation.require_mfa, world.a.organisation.safety_protocol) == (True, "Call 988.")
    world.b.organisation.refresh_from_db()
    assert world.b.organisation.require_mfa is False


def test_changing_teams_deactivates_memberships_and_never_deletes_them(world):
    from peerpath.accounts.models import TeamMembership
    from peerpath.accounts.services import staff_update
    from peerpath.core.tenancy import active_team_ids

    admin, peer = world.a.users["admin"], world.a.users["peer"]
    old = TeamMembership.objects.get(staff=peer, team=world.a.team)
    staff_update(actor=admin, staff=peer, role="peer", teams=[world.a.other_team], is_active=True, caseload_capacity=20)
    old.refresh_from_db()
    assert (old.is_active, old.ended_at is not None) == (False, True)
    assert active_team_ids(peer) == [world.a.other_team.pk]
    # Re-joining starts a new membership; the ended one stays as history.
    staff_update(actor=admin, staff=peer, role="peer", teams=[world.a.team], is_active=True, caseload_capacity=20)
    rows = list(TeamMembership.objects.filter(staff=peer).order_by("pk").values_list("team_id", "is_active"))
    assert rows == [(world.a.team.pk, False), (world.a.other_team.pk, False), (world.a.team.pk, True)]
