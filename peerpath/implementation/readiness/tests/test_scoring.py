"""Scoring by the shipped instruments' own rules (ORIC subscale means, AIM/IAM/FIM means, one missing item
per (sub)scale allowed), item by item."""

from __future__ import annotations

import pytest

from peerpath.implementation.readiness import scoring
from peerpath.implementation.reference.selectors import readiness_instruments

pytestmark = pytest.mark.django_db

COMMITMENT = [2, 4, 6, 9, 11]  # Shea et al. 2014
EFFICACY = [1, 3, 5, 7, 8, 10, 12]


def _instrument(code):
    return next(i for i in readiness_instruments() if i.code == code)


def _score(instrument, answers):
    return scoring.score(scoring=instrument.scoring, missing_rule=instrument.missing_rule,
                         items=[(i.number, i.subscale) for i in instrument.items.all()], answers=answers)


def test_shipped_oric_items_belong_to_the_published_subscales():
    oric = _instrument("oric")
    assert [i.number for i in oric.items.all() if i.subscale == "change_commitment"] == COMMITMENT
    assert [i.number for i in oric.items.all() if i.subscale == "change_efficacy"] == EFFICACY
    assert oric.missing_rule["max_missing_per_subscale"] == 1


@pytest.mark.parametrize("number", range(1, 13))
def test_each_oric_item_counts_in_its_own_subscale_only(number):
    oric = _instrument("oric")
    answers = {n: 3 for n in range(1, 13)}
    answers[number] = 5
    result = _score(oric, answers)
    own, other = (("change_commitment", "change_efficacy") if number in COMMITMENT
                  else ("change_efficacy", "change_commitment"))
    assert result[own] == round(3 + 2 / (5 if number in COMMITMENT else 7), 4)
    assert result[other] == 3.0


@pytest.mark.parametrize("number", range(1, 13))
def test_one_missing_oric_item_is_scored_from_the_rest_of_its_subscale(number):
    oric = _instrument("oric")
    answers = {n: (5 if n in COMMITMENT else 2) for n in range(1, 13) if n != number}
    assert _score(oric, answers) == {"change_commitment": 5.0, "change_efficacy": 2.0}


def test_two_missing_items_of_a_subscale_leave_only_that_subscale_unscored():
    oric = _instrument("oric")
    answers = {n: 4 for n in range(1, 13) if n not in (2, 4)}
    assert _score(oric, answers) == {"change_commitment": None, "change_efficacy": 4.0}
    answers = {n: 4 for n in range(1, 13) if n not in (1, 3)}
    assert _score(oric, answers) == {"change_commitment": 4.0, "change_efficacy": None}


@pytest.mark.parametrize("code", ["aim", "iam", "fim"])
def test_four_item_scales_mean_of_four_one_missing_allowed(code):
    instrument = _instrument(code)
    assert [i.number for i in instrument.items.all()] == [1, 2, 3, 4]
    assert _score(instrument, {1: 5, 2: 4, 3: 4, 4: 2}) == {"total": 3.75}
    for missing in (1, 2, 3, 4):
        answers = {n: 4 for n in (1, 2, 3, 4) if n != missing}
        assert _score(instrument, answers) == {"total": 4.0}
    assert _score(instrument, {1: 4, 2: 5}) == {"total": None}
    assert _score(instrument, {}) == {"total": None}


def test_nothing_answered_gives_no_scores():
    assert _score(_instrument("oric"), {}) == {"change_commitment": None, "change_efficacy": None}


def test_rule_of_zero_missing_items_is_respected():
    assert scoring.score(scoring="mean", missing_rule={"max_missing_per_subscale": 0},
                         items=[(1, ""), (2, "")], answers={1: 4}) == {"total": None}
