"""Lived experience stays the peer's: only the owner reads the private list."""

from __future__ import annotations

import pytest
from django.contrib import admin

from peerpath.accounts import selectors, services
from peerpath.accounts.models import PeerExperience
from peerpath.accounts.tests.factories import ExperienceAreaFactory, PeerExperienceFactory
from peerpath.core.exceptions import NotAllowed
from peerpath.core.models import AuditEvent


def test_owner_records_an_area_with_consent_choices(world, login):
    peer = world.a.users["peer"]
    area = ExperienceAreaFactory(code="homelessness", name="Homelessness")
    response = login(peer).post("/staff/my-experience/", {"area": area.pk, "use_for_matching": "on", "private_note": "2009–2011"})
    assert response.status_code == 302
    experience = PeerExperience.objects.get(owner=peer, area=area)
    assert (experience.use_for_matching, experience.share_with_clients, experience.private_note) == (True, False, "2009–2011")
    event = AuditEvent.objects.get(target_type="accounts.peerexperience")
    assert event.detail == {"use_for_matching": True, "share_with_clients": False}  # never the area or the note


def test_owner_page_lists_everything_including_private_notes(world, login):
    peer = world.a.users["peer"]
    PeerExperienceFactory(owner=peer, area=ExperienceAreaFactory(name="Trauma survivor"), use_for_matching=False, private_note="only mine")
    content = login(peer).get("/staff/my-experience/").content.decode()
    assert "Trauma survivor" in content and "only mine" in content


@pytest.mark.parametrize("role", ["supervisor", "clinician", "leader", "evaluator", "admin"])
def test_nobody_else_can_open_the_private_list(world, login, role):
    assert login(world.a.users[role]).get("/staff/my-experience/").status_code == 403


def test_others_only_ever_see_consented_areas(world):
    peer = world.a.users["peer"]
    shown = PeerExperienceFactory(owner=peer, area=ExperienceAreaFactory(name="Shown"), use_for_matching=True)
    PeerExperienceFactory(owner=peer, area=ExperienceAreaFactory(name="Hidden"), use_for_matching=False, share_with_clients=False)
    client_side = PeerExperienceFactory(owner=peer, area=ExperienceAreaFactory(name="ForClients"), use_for_matching=False, share_with_clients=True)
    assert list(selectors.matching_experiences(organisation_id=world.a.organisation.pk)) == [shown]
    assert list(selectors.client_visible_experiences(peer=peer)) == [client_side]


def test_experience_is_not_in_the_platform_admin():
    assert PeerExperience not in admin.site._registry


def test_only_peers_record_lived_experience(world):
    with pytest.raises(NotAllowed):
        services.peer_experience_save(actor=world.a.users["admin"], area=ExperienceAreaFactory(), use_for_matching=True, share_with_clients=True)
    assert PeerExperience.objects.count() == 0


def test_removing_an_area_wipes_its_consent_and_note(world):
    peer = world.a.users["peer"]
    experience = PeerExperienceFactory(owner=peer, private_note="secret", use_for_matching=True)
    services.peer_experience_remove(actor=peer, experience_id=experience.pk)
    experience.refresh_from_db()
    assert (experience.is_active, experience.use_for_matching, experience.private_note) == (False, False, "")
    assert list(selectors.matching_experiences(organisation_id=world.a.organisation.pk)) == []
