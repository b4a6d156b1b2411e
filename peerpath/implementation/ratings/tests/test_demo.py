"""The ratings demo seed on a small world, with the shipped CFIR 2.0 data."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from peerpath.demo.context import DemoContext
from peerpath.implementation.models import CfirRating, CfirRatingRound
from peerpath.implementation.ratings import demo, selectors

pytestmark = pytest.mark.django_db


def _ctx(world):
    a, b = world.a, world.b
    return DemoContext(organisations=[a.organisation, b.organisation],
                       teams={a.organisation.pk: [a.team, a.other_team], b.organisation.pk: [b.team, b.other_team]},
                       staff=dict(a.users), peers={}, all_staff={}, clients={}, today=timezone.localdate())


def test_two_rounds_six_months_apart_improve_on_peer_relevant_constructs(world, login):
    demo.seed(_ctx(world))
    spring, autumn = CfirRatingRound.objects.filter(organisation=world.a.organisation).order_by("rated_on")
    assert (autumn.rated_on - spring.rated_on).days == 180
    heat = selectors.heatmap(world.a.users["leader"])
    rows = {row.construct.code: row for domain in heat.domains for row in domain.rows}
    for code in ("III.D", "III.F", "III.K", "III.A.2", "V.F.1"):
        assert rows[code].change["kind"] == "improved", code
    deliverers = next(r for r in heat.roles if r.role.code == "IV.A.8")
    by_characteristic = dict(zip([c.code for c in heat.characteristics], deliverers.cells, strict=True))
    assert by_characteristic["IV.B.2"][2]["kind"] == "improved"
    assert by_characteristic["IV.B.3"][2]["kind"] == "improved"
    ratings = CfirRating.objects.filter(rating_round__organisation=world.a.organisation)
    assert ratings.filter(evidence="").count() == 0
    assert ratings.filter(value="missing").exists() and ratings.filter(value="mixed").exists()
    every = {c.code for c in heat.domains[0].rows[0].construct.dataset.cfir_constructs.filter(
        ratable=True, rated_per_role=False).exclude(kind="role")}
    assert {r.construct.code for r in ratings.filter(rating_round=autumn, role__isnull=True)} == every
    page = login(world.a.users["leader"]).get(reverse("implementation:ratings_heatmap")).content.decode()
    assert "CFIR rating — spring" in page and "CFIR rating — autumn" in page
    demo.seed(_ctx(world))  # a second run adds nothing
    assert CfirRatingRound.objects.filter(organisation=world.a.organisation).count() == 2
    assert not CfirRatingRound.objects.filter(organisation=world.b.organisation).exists()
