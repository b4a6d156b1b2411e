"""CFIR 2.0 ratings: the rating rules (−2..+2, mixed and missing apart from 0, per role for Individuals),
who may rate, and that a refused save changes nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.models import AuditEvent
from peerpath.implementation.models import CfirRating, CfirRatingRound
from peerpath.implementation.ratings import services
from peerpath.implementation.ratings.tests.factories import RatingRoundFactory, rate
from peerpath.implementation.ratings.validation import parse_choice

pytestmark = pytest.mark.django_db


def _round(world, **extra):
    return RatingRoundFactory(created_by=world.a.users["leader"], **extra)


def _save(world, rating_round, *entries, actor="leader"):
    return services.cfir_ratings_save(actor=world.a.users[actor], rating_round=rating_round, ratings=list(entries))


def _state(rating_round):
    return sorted(CfirRating.objects.filter(rating_round=rating_round)
                  .values_list("construct__code", "role__code", "value", "score", "evidence", "is_active"))


def test_a_rating_round_uses_the_current_cfir_version_and_is_audited(world):
    created = services.cfir_round_create(actor=world.a.users["leader"], title=" Spring rating ",
                                         rated_on=timezone.localdate(), notes="Four interviews")
    assert (created.title, created.team_id, created.dataset.name) == ("Spring rating", None, "cfir2")
    assert AuditEvent.objects.filter(action="create", target_type="implementation.cfirratinground",
                                     target_id=str(created.pk)).count() == 1


@pytest.mark.parametrize("role", ["peer", "clinician", "evaluator", "supervisor"])
def test_only_leaders_and_admins_open_organisation_rounds(world, role):
    with pytest.raises(NotAllowed):
        services.cfir_round_create(actor=world.a.users[role], title="x", rated_on=timezone.localdate())
    assert CfirRatingRound.objects.count() == 0


def test_a_supervisor_opens_a_round_for_their_own_team_only(world):
    mine = services.cfir_round_create(actor=world.a.users["supervisor"], title="Team A", team=world.a.team,
                                      rated_on=timezone.localdate())
    assert mine.team_id == world.a.team.pk
    with pytest.raises(NotAllowed):
        services.cfir_round_create(actor=world.a.users["supervisor"], title="Other", team=world.a.other_team,
                                   rated_on=timezone.localdate())
    with pytest.raises(NotAllowed):  # another organisation's team
        services.cfir_round_create(actor=world.a.users["leader"], title="B", team=world.b.team,
                                   rated_on=timezone.localdate())
    assert CfirRatingRound.objects.count() == 1


def test_ratings_are_saved_with_evidence_and_mixed_and_missing_have_no_score(world):
    found = _round(world)
    _save(world, found,
          {"construct": "III.D", "value": "rated", "score": -2, "evidence": "Staff call peers 'helpers'."},
          {"construct": "III.F", "value": "mixed", "score": None, "evidence": "Ward A yes, ward B no."},
          {"construct": "II.F", "value": "missing", "evidence": ""},
          {"construct": "IV.B.4", "role": "IV.A.8", "value": "rated", "score": 2, "evidence": "Peers asked for more."})
    assert _state(found) == [
        ("II.F", None, "missing", None, "", True),
        ("III.D", None, "rated", -2, "Staff call peers 'helpers'.", True),
        ("III.F", None, "mixed", None, "Ward A yes, ward B no.", True),
        ("IV.B.4", "IV.A.8", "rated", 2, "Peers asked for more.", True),
    ]
    event = AuditEvent.objects.get(action="update", target_type="implementation.cfirratinground")
    assert event.detail == {"saved": 4, "cleared": 0}


def test_saving_again_updates_and_an_empty_value_clears(world):
    found = _round(world)
    rate(found, "III.D", -1)
    _save(world, found, {"construct": "III.D", "value": "rated", "score": 1, "evidence": "Better since training."})
    assert _state(found) == [("III.D", None, "rated", 1, "Better since training.", True)]
    _save(world, found, {"construct": "III.D", "value": ""})
    assert _state(found) == [("III.D", None, "rated", 1, "Better since training.", False)]


INVALID = [
    ({"construct": "III.D", "value": "rated", "score": 3}, "ratings.0.score", "3 is not a CFIR rating for III.D Culture"),
    ({"construct": "III.D", "value": "rated", "score": -3}, "ratings.0.score", "scores go from −2 to +2"),
    ({"construct": "III.D", "value": "rated", "score": None}, "ratings.0.score", "Give III.D Culture a score"),
    ({"construct": "III.D", "value": "rated", "score": True}, "ratings.0.score", "is not a CFIR rating"),
    ({"construct": "III.D", "value": "rated", "score": "2"}, "ratings.0.score", "is not a CFIR rating"),
    ({"construct": "III.D", "value": "missing", "score": 0}, "ratings.0.score", "rating has no score"),
    ({"construct": "III.D", "value": "mixed", "score": 1}, "ratings.0.score", "rating has no score"),
    ({"construct": "III.D", "value": "great", "score": 1}, "ratings.0.value", "Choose a rating"),
    ({"construct": "IV.A.8", "value": "rated", "score": 1}, "ratings.0", "is a role, not something to rate"),
    ({"construct": "IV.B.1", "value": "rated", "score": 1}, "ratings.0.role", "is rated per role"),
    ({"construct": "IV.B.1", "role": "III.D", "value": "rated", "score": 1}, "ratings.0.role",
     "is not one of the Individuals roles"),
    ({"construct": "III.F", "role": "IV.A.8", "value": "rated", "score": 1}, "ratings.0.role",
     "is rated for the whole setting, not per role"),
    ({"construct": "IX.Z", "value": "rated", "score": 1}, "ratings.0.construct", "IX.Z is not a CFIR 2.0 construct"),
    ({"construct": "III.D", "value": "rated", "score": 1, "evidence": "x" * 4001}, "ratings.0.evidence",
     "under 4000 characters"),
]


@pytest.mark.parametrize(("entry", "field", "reason"), INVALID)
def test_invalid_ratings_are_refused_with_the_field_and_nothing_changes(world, entry, field, reason):
    found = _round(world)
    rate(found, "III.D", -1, evidence="Before")
    before = _state(found)
    with pytest.raises(ServiceError) as error:
        _save(world, found, entry)
    assert error.value.field == field
    assert reason in error.value.reason
    assert _state(found) == before


def test_one_invalid_rating_refuses_the_whole_batch(world):
    found = _round(world)
    with pytest.raises(ServiceError) as error:
        _save(world, found, {"construct": "III.F", "value": "rated", "score": 2},
              {"construct": "III.D", "value": "rated", "score": 5})
    assert error.value.field == "ratings.1.score"
    assert _state(found) == []


def test_the_same_construct_twice_in_one_save_is_refused(world):
    found = _round(world)
    with pytest.raises(ServiceError) as error:
        _save(world, found, {"construct": "III.F", "value": "rated", "score": 2},
              {"construct": "III.F", "value": "rated", "score": 1})
    assert error.value.field == "ratings.1"
    assert _state(found) == []


def test_a_non_ratable_construct_is_refused(world):
    found = _round(world)
    construct = found.dataset.cfir_constructs.get(code="III.J")
    construct.ratable = False
    construct.save()
    with pytest.raises(ServiceError) as error:
        _save(world, found, {"construct": "III.J", "value": "rated", "score": 1})
    assert "is not rated itself" in error.value.reason
    assert _state(found) == []


def test_a_supervisor_rates_their_team_round_not_the_organisation_round(world):
    team_round = _round(world, team=world.a.team)
    _save(world, team_round, {"construct": "III.F", "value": "rated", "score": 1}, actor="supervisor")
    org_round = _round(world)
    with pytest.raises(NotAllowed):
        _save(world, org_round, {"construct": "III.F", "value": "rated", "score": 1}, actor="supervisor")
    assert _state(org_round) == []


@pytest.mark.parametrize("role", ["peer", "clinician", "evaluator"])
def test_others_may_not_rate(world, role):
    found = _round(world, team=world.a.team)
    with pytest.raises(NotAllowed):
        _save(world, found, {"construct": "III.F", "value": "rated", "score": 1}, actor=role)
    assert _state(found) == []


def test_another_organisation_may_not_rate(world):
    found = _round(world)
    with pytest.raises(NotAllowed):
        services.cfir_ratings_save(actor=world.b.users["leader"], rating_round=found,
                                   ratings=[{"construct": "III.F", "value": "rated", "score": 1}])
    assert _state(found) == []


@pytest.mark.parametrize(("choice", "parsed"), [("2", ("rated", 2)), ("0", ("rated", 0)), ("-2", ("rated", -2)),
                                                 ("mixed", ("mixed", None)), ("missing", ("missing", None))])
def test_form_choices_parse_to_value_and_score(choice, parsed):
    assert parse_choice(choice) == parsed


@pytest.mark.parametrize("choice", ["3", "+2", "", "x"])
def test_unknown_form_choices_are_refused(choice):
    with pytest.raises(ServiceError):
        parse_choice(choice)
