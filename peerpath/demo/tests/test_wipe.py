"""Re-seeding the demo starts from empty tables, including many-to-many link tables."""

from __future__ import annotations

import pytest

from peerpath.accounts.models import ExperienceArea
from peerpath.clients.models import Client, Referral
from peerpath.demo.seed import _wipe


@pytest.mark.django_db(transaction=True)
def test_wipe_empties_auto_created_link_tables(world):
    area = ExperienceArea.objects.create(code="housing-test", name="Housing")
    world.a.referral.preferred_experiences.add(area)
    link_table = Referral.preferred_experiences.through
    assert link_table.objects.count() == 1

    _wipe()

    assert link_table.objects.count() == 0
    assert Client.objects.count() == 0
