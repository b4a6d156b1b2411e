"""The readiness demo seed on a world with a realistic staff: two closed rounds showing improvement and an
open round the demo peer and clinician still have to answer."""

from __future__ import annotations

import random

import pytest
from django.urls import reverse
from django.utils import timezone

from peerpath.demo.context import DemoContext
from peerpath.implementation.models import ReadinessAnswer, ReadinessResponse, ReadinessRound
from peerpath.implementation.readiness import demo, selectors
from peerpath.implementation.readiness.tests.factories import staff

pytestmark = pytest.mark.django_db


def test_demo_rounds_show_improvement_and_an_open_round_waiting(world, login):
    a = world.a
    extra = staff(a.organisation, "peer", 9) + staff(a.organisation, "clinician", 4) + staff(a.organisation, "supervisor", 2)
    everyone = list(a.users.values()) + extra
    ctx = DemoContext(organisations=[a.organisation, world.b.organisation], teams={}, staff=dict(a.users), peers={},
                      all_staff={a.organisation.pk: everyone}, clients={}, today=timezone.localdate(),
                      rng=random.Random(7))
    demo.seed(ctx)
    spring, autumn, now = ReadinessRound.objects.filter(organisation=a.organisation).order_by("opens_on")
    assert (spring.status, autumn.status, now.status) == ("closed", "closed", "open")
    assert (autumn.opens_on - spring.opens_on).days == 180
    leader = a.users["leader"]
    before = selectors.round_results(leader, spring)["overall"]["scores"]
    after = selectors.round_results(leader, autumn)["overall"]["scores"]
    for scale in ("oric.change_commitment", "oric.change_efficacy", "aim.total", "iam.total", "fim.total"):
        assert after[scale]["mean"] - before[scale]["mean"] > 0.3, scale
    assert 2.6 < before["oric.change_commitment"]["mean"] < 3.4 and 3.5 < after["oric.change_commitment"]["mean"] < 4.2
    rate = ReadinessResponse.objects.filter(readiness_round=spring).count() / len(everyone)
    assert 0.6 < rate < 0.95
    # a few responses left items out
    per_response = ReadinessAnswer.objects.filter(response__readiness_round=spring).count()
    assert per_response < 24 * ReadinessResponse.objects.filter(readiness_round=spring).count()
    assert list(selectors.waiting_for(a.users["peer"])) == [now] == list(selectors.waiting_for(a.users["clinician"]))
    page = login(leader).get(reverse("implementation:readiness_round_detail", args=[autumn.pk])).content.decode()
    assert "Change since “Readiness for peer support — spring”" in page
    assert "Peer support worker" in page
