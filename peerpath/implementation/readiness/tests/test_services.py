"""Readiness rounds: scoring by the instruments' rules, invitations, answering once, aggregates only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from peerpath.accounts.tests.factories import StaffFactory
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.models import AuditEvent
from peerpath.implementation.models import ReadinessInvitation, ReadinessResponse, ReadinessRound
from peerpath.implementation.readiness import scoring, selectors, services
from peerpath.implementation.reference.selectors import readiness_instruments

pytestmark = pytest.mark.django_db

ORIC_ITEMS = [(n, "change_commitment" if n in {1, 3, 4, 6, 9} else "change_efficacy") for n in range(1, 13)]
MISSING_ONE = {"max_missing_per_subscale": 1}


def test_oric_subscale_means_item_by_item():
    answers = {1: 5, 3: 4, 4: 3, 6: 4, 9: 5, 2: 2, 5: 3, 7: 4, 8: 2, 10: 3, 11: 3, 12: 4}
    assert scoring.score(scoring="subscale_means", missing_rule=MISSING_ONE, items=ORIC_ITEMS, answers=answers) == {
        "change_commitment": 4.2, "change_efficacy": 3.0}


def test_one_missing_item_is_scored_from_the_rest_two_are_not():
    answers = {1: 5, 3: 4, 4: 3, 6: 4, 2: 2, 5: 3, 7: 4, 8: 2, 10: 3}  # commitment misses 9; efficacy misses 11, 12
    assert scoring.score(scoring="subscale_means", missing_rule=MISSING_ONE, items=ORIC_ITEMS, answers=answers) == {
        "change_commitment": 4.0, "change_efficacy": None}


def test_four_item_scale_mean_and_missing_rule():
    items = [(n, "") for n in range(1, 5)]
    assert scoring.score(scoring="mean", missing_rule=MISSING_ONE, items=items, answers={1: 4, 2: 5, 3: 3, 4: 4}) == {"total": 4.0}
    assert scoring.score(scoring="mean", missing_rule=MISSING_ONE, items=items, answers={1: 4, 2: 5, 3: 3}) == {"total": 4.0}
    assert scoring.score(scoring="mean", missing_rule=MISSING_ONE, items=items, answers={1: 4, 2: 5}) == {"total": None}


def test_shipped_oric_has_the_published_subscale_split():
    oric = next(i for i in readiness_instruments() if i.code == "oric")
    split = {s: sum(1 for i in oric.items.all() if i.subscale == s) for s in {i.subscale for i in oric.items.all()}}
    assert sorted(split.values()) == [5, 7]


def _open(world, **extra):
    today = timezone.localdate()
    values = {"title": "Spring readiness", "opens_on": today, "closes_on": today + timedelta(days=14),
              "instrument_codes": ["oric", "aim"], "invited_roles": ["peer", "clinician", "supervisor"]}
    values.update(extra)
    return services.readiness_round_open(actor=world.a.users["leader"], **values)


def _answers(readiness_round, value=4, skip=0):
    items = [i for inst in readiness_round.instruments.all() for i in inst.items.all()]
    return {i.pk: value for i in items[skip:]}


def test_opening_a_round_invites_active_staff_of_the_chosen_roles_only(world):
    readiness_round = _open(world)
    invited = set(ReadinessInvitation.objects.filter(readiness_round=readiness_round).values_list("staff__username", flat=True))
    assert invited == {world.a.users[r].username for r in ("peer", "clinician", "supervisor")}
    assert AuditEvent.objects.filter(action="create", target_type="implementation.readinessround").count() == 1


def test_a_peer_may_not_open_a_round_and_nothing_is_written(world):
    with pytest.raises(NotAllowed):
        services.readiness_round_open(actor=world.a.users["peer"], title="x", opens_on=timezone.localdate(),
                                      closes_on=timezone.localdate(), instrument_codes=["aim"], invited_roles=["peer"])
    assert ReadinessRound.objects.count() == 0


def test_unknown_questionnaire_is_refused_with_the_field(world):
    with pytest.raises(ServiceError) as error:
        _open(world, instrument_codes=["nope"])
    assert error.value.field == "instrument_codes"


def test_invited_person_answers_once_and_missing_items_are_scored_by_the_rule(world):
    readiness_round = _open(world)
    peer = world.a.users["peer"]
    answers = _answers(readiness_round, value=4, skip=1)  # first ORIC item left out
    response = services.readiness_response_submit(actor=peer, readiness_round=readiness_round, answers=answers)
    assert response.answers.count() == len(answers)
    assert response.scores["oric"]["change_commitment"] == 4.0 and response.scores["aim"]["total"] == 4.0
    with pytest.raises(ServiceError):
        services.readiness_response_submit(actor=peer, readiness_round=readiness_round, answers=answers)
    assert ReadinessResponse.objects.count() == 1


def test_not_invited_and_out_of_range_are_refused_and_nothing_stored(world):
    readiness_round = _open(world)
    with pytest.raises(NotAllowed):
        services.readiness_response_submit(actor=world.a.users["evaluator"], readiness_round=readiness_round,
                                           answers=_answers(readiness_round))
    answers = _answers(readiness_round)
    first = next(iter(answers))
    answers[first] = 6
    with pytest.raises(ServiceError) as error:
        services.readiness_response_submit(actor=world.a.users["peer"], readiness_round=readiness_round, answers=answers)
    assert error.value.field == f"item_{first}"
    assert ReadinessResponse.objects.count() == 0


def test_closed_round_refuses_answers(world):
    readiness_round = _open(world)
    services.readiness_round_close(actor=world.a.users["leader"], readiness_round=readiness_round)
    with pytest.raises(ServiceError):
        services.readiness_response_submit(actor=world.a.users["peer"], readiness_round=readiness_round,
                                           answers=_answers(readiness_round))
    assert ReadinessResponse.objects.count() == 0


def test_results_never_show_a_group_under_five(world):
    org = world.a.organisation
    peers = [StaffFactory(organisation=org, role="peer") for _ in range(5)]
    clinicians = [StaffFactory(organisation=org, role="clinician") for _ in range(2)]
    readiness_round = _open(world, invited_roles=["peer", "clinician"])
    for person in peers:
        services.readiness_response_submit(actor=person, readiness_round=readiness_round,
                                           answers=_answers(readiness_round, value=4), comment="More peer time please")
    for person in clinicians:
        services.readiness_response_submit(actor=person, readiness_round=readiness_round,
                                           answers=_answers(readiness_round, value=1))
    while_open = selectors.round_results(world.a.users["evaluator"], readiness_round)
    assert while_open["final"] is False and while_open["respondents"] == 7
    assert while_open["overall"] is None and while_open["groups"] == {} and while_open["comments"] == []
    services.readiness_round_close(actor=world.a.users["leader"], readiness_round=readiness_round)
    results = selectors.round_results(world.a.users["evaluator"], readiness_round)
    # 2 clinicians cannot be shown; showing the 5 peers beside "Everyone" would give them away by
    # subtraction, so no group is shown on its own.
    assert results["groups"] == {}
    assert results["suppressed_respondents"] == 7
    assert results["overall"]["respondents"] == 7
    assert results["overall"]["scores"]["aim.total"]["mean"] == round((5 * 4 + 2 * 1) / 7, 2)
    assert results["comments"] == ["More peer time please"] * 5


def test_results_of_another_organisation_are_not_found(world):
    readiness_round = _open(world)
    with pytest.raises(Http404):
        selectors.round_for(world.b.users["leader"], readiness_round.pk)
    with pytest.raises(Http404):
        selectors.round_for(world.a.users["peer"], readiness_round.pk)
