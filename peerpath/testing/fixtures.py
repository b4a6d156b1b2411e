"""Shared pytest fixtures: two organisations, each with one staff member per role.

``world.a`` and ``world.b`` are ``OrgWorld`` objects; ``world.a.users["peer"]`` is the peer of
organisation A, matched to ``world.a.client``. Use ``login(user)`` for a signed-in test client
and ``api_client(user)`` for a client that sends a bearer token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client as DjangoClient

from peerpath.accounts.tests.factories import StaffFactory, make_token
from peerpath.care.tests.factories import EncounterFactory, GoalFactory, RecoveryPlanFactory, TeamMeetingFactory
from peerpath.clients.tests.factories import ClientFactory, MatchFactory, ReferralFactory
from peerpath.core.choices import Role
from peerpath.core.tests.factories import OrganisationFactory, TeamFactory

ROLES = [role.value for role in Role if role != Role.SYSTEM]  # people; the system account never signs in


@dataclass
class OrgWorld:
    organisation: Any
    team: Any
    other_team: Any
    users: dict[str, Any]
    client: Any  # on ``team``, matched to users["peer"]
    unmatched_client: Any  # on ``other_team``: nobody here but leader/admin sees it
    referral: Any
    encounter: Any
    plan: Any
    goal: Any
    meeting: Any
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class World:
    a: OrgWorld
    b: OrgWorld


def build_org_world(label: str) -> OrgWorld:
    organisation = OrganisationFactory(name=f"Org {label.upper()}", slug=f"org-{label}")
    team = TeamFactory(organisation=organisation, name=f"Team {label}-1", team_type="act")
    other_team = TeamFactory(organisation=organisation, name=f"Team {label}-2", team_type="inpatient")
    users = {
        role: StaffFactory(username=f"{role}-{label}", organisation=organisation, role=role, teams=[team])
        for role in ROLES
    }
    client = ClientFactory(team=team, first_name=f"Client{label.upper()}", last_name="Matched")
    unmatched = ClientFactory(team=other_team, first_name=f"Client{label.upper()}", last_name="Elsewhere")
    MatchFactory(client=client, peer=users["peer"])
    referral = ReferralFactory(client=client, referred_by=users["clinician"])
    encounter = EncounterFactory(peer=users["peer"], clients=[client])
    plan = RecoveryPlanFactory(client=client, written_with=users["peer"])
    goal = GoalFactory(plan=plan)
    meeting = TeamMeetingFactory(team=team, recorded_by=users["supervisor"])
    return OrgWorld(organisation, team, other_team, users, client, unmatched, referral, encounter, plan, goal, meeting)


@pytest.fixture
def world(db) -> World:
    return World(a=build_org_world("a"), b=build_org_world("b"))


@pytest.fixture
def login():
    def _login(user: Any) -> DjangoClient:
        client = DjangoClient()
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def api_client():
    def _api(user: Any) -> DjangoClient:
        token = make_token(user)
        return DjangoClient(headers={"Authorization": f"Bearer {token}"})

    return _api
