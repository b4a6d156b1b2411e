"""Sensible defaults on the encounter form: the setting follows how the peer met the person, and
the start time is now in the organisation's time zone, shown with the zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from peerpath.care.models import Encounter

pytestmark = pytest.mark.django_db


def _form(client_id, **overrides):
    data = {
        "clients": [client_id], "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "duration_minutes": "20",
        "modality": "phone", "peer_activities": ["hope_goals"], "note": "Checked in by phone.",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(("modality", "setting"), [("phone", "remote"), ("text", "remote"), ("video", "remote"),
                                                    ("in_person", "community")])
def test_a_setting_left_alone_follows_how_the_peer_met_the_person(world, login, modality, setting):
    response = login(world.a.users["peer"]).post("/care/encounters/new/", _form(world.a.client.pk, modality=modality))
    assert response.status_code == 302
    assert Encounter.objects.latest("id").setting == setting


def test_a_setting_the_peer_chose_is_kept(world, login):
    login(world.a.users["peer"]).post("/care/encounters/new/", _form(world.a.client.pk, setting="home"))
    assert Encounter.objects.latest("id").setting == "home"


def test_the_form_no_longer_preselects_community(world, login):
    body = login(world.a.users["peer"]).get(f"/care/encounters/new/?client={world.a.client.pk}").content.decode()
    assert '<option value="" selected>Follows how you met</option>' in body
    assert '<option value="community" selected>' not in body


def test_start_time_is_now_in_the_organisations_zone_and_names_it(world, login, settings):
    settings.TIME_ZONE = "America/New_York"
    before = datetime.now(ZoneInfo("America/New_York")).replace(second=0, microsecond=0, tzinfo=None)
    body = login(world.a.users["peer"]).get("/care/encounters/new/").content.decode()
    after = datetime.now(ZoneInfo("America/New_York")).replace(second=0, microsecond=0, tzinfo=None)
    shown = {before.strftime("%Y-%m-%dT%H:%M"), after.strftime("%Y-%m-%dT%H:%M")}
    assert any(f'value="{value}"' in body for value in shown)
    assert "Time in America/New_York (E" in body  # EST or EDT
    assert "Times are shown in America/New_York time" in body


def test_a_known_organisation_zone_wins_over_the_deployment_zone(world, settings):
    from peerpath.core.timezones import zone_for

    settings.TIME_ZONE = "UTC"
    organisation = world.a.organisation
    organisation.time_zone = "Europe/Madrid"  # when the model carries one
    assert zone_for(world.a.users["peer"]) == ZoneInfo("Europe/Madrid")
    organisation.time_zone = "Not/AZone"
    assert zone_for(world.a.users["peer"]) == ZoneInfo("UTC")
