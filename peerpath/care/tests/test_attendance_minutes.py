"""Each attendance row carries its encounter's minutes: set when recorded, and backfilled by the migration."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from peerpath.care import services
from peerpath.care.models import EncounterAttendance
from peerpath.care.tests.factories import EncounterFactory

pytestmark = pytest.mark.django_db


def test_recording_a_group_encounter_copies_its_minutes_to_every_attendee(world):
    a = world.a
    encounter = services.encounter_record(actor=a.users["peer"], clients=[a.client], started_at=timezone.now(),
                                          duration_minutes=75, modality="phone", setting="remote",
                                          activities=["hope_goals"])
    assert list(EncounterAttendance.objects.filter(encounter=encounter).values_list("duration_minutes", flat=True)) == [75]


def test_the_migration_backfills_minutes_from_the_encounter(world):
    encounter = EncounterFactory(peer=world.a.users["peer"], clients=[world.a.client], duration_minutes=50)
    EncounterAttendance.objects.filter(encounter=encounter).update(duration_minutes=0)  # as before the migration
    migration = import_module("peerpath.care.migrations.0004_attendance_duration")
    migration.copy_minutes(apps, None)
    assert EncounterAttendance.objects.get(encounter=encounter).duration_minutes == 50
