"""The ranking rule on a hand-made table (no database): exact scores, ties, reasons."""

from __future__ import annotations

from decimal import Decimal

from peerpath.implementation.planning.ranking import (
    BarrierInput,
    ConstructRef,
    CrosswalkLink,
    MatchRow,
    StrategyInput,
    rank_strategies,
)

D = Decimal
CULTURE = ConstructRef(10, "III.D", "Culture")
EQUALITY = ConstructRef(11, "III.D.1", "Human equality-centeredness")
COMPAT = ConstructRef(12, "III.F", "Compatibility")
FINANCING = ConstructRef(13, "II.F", "Financing")
OLD_CULTURE = ConstructRef(101, "II.C", "Culture (2009)")
OLD_COMPAT = ConstructRef(102, "II.E.2", "Compatibility (2009)")
OLD_NETWORKS = ConstructRef(103, "II.B", "Networks & communications (2009)")
OLD_COST = ConstructRef(104, "I.H", "Cost (2009)")

STRATEGIES = {
    1: StrategyInput(1, 52, "Revise professional roles", "Support clinicians", D("3.89"), D("3.34")),
    2: StrategyInput(2, 36, "Conduct educational meetings", "Train", D("3.90"), D("4.40")),
    3: StrategyInput(3, 19, "Identify and prepare champions", "Stakeholders", None, None),
    4: StrategyInput(4, 57, "Access new funding", "Financial", D("4.50"), D("3.00")),
    5: StrategyInput(5, 20, "Organize clinician implementation team meetings", "Stakeholders", D("3.00"), D("4.00")),
}
CROSSWALK = {
    CULTURE.id: [CrosswalkLink(OLD_CULTURE, "CFIR crosswalk 2022")],
    COMPAT.id: [CrosswalkLink(OLD_COMPAT, "CFIR crosswalk 2022"), CrosswalkLink(OLD_NETWORKS, "CFIR crosswalk 2022")],
    FINANCING.id: [CrosswalkLink(OLD_COST, "CFIR crosswalk 2022")],
}
ROWS = [
    MatchRow(1, strategy_id=1, level=1, endorsement=D("0.62"), source="Waltz 2019", construct_2009_id=OLD_COMPAT.id),
    MatchRow(2, strategy_id=1, level=2, endorsement=None, source="Waltz 2019", construct_2009_id=OLD_NETWORKS.id),
    MatchRow(3, strategy_id=2, level=2, endorsement=D("0.30"), source="Waltz 2019", construct_2009_id=OLD_CULTURE.id),
    MatchRow(4, strategy_id=3, level=1, endorsement=None, source="Mutschler 2022", construct_id=EQUALITY.id),
    MatchRow(5, strategy_id=2, level=2, endorsement=None, source="Own: staff survey", own=True,
             construct_id=CULTURE.id),
    MatchRow(6, strategy_id=4, level=1, endorsement=D("0.55"), source="Waltz 2019", construct_2009_id=OLD_COST.id),
    MatchRow(7, strategy_id=5, level=2, endorsement=None, source="Waltz 2019", construct_2009_id=OLD_NETWORKS.id),
]

ROLE_UNCLEAR = BarrierInput(1, "Role unclear", (COMPAT,))
CULTURE_GAP = BarrierInput(2, "No recovery-oriented culture", (EQUALITY, CULTURE))
NO_FUNDING = BarrierInput(3, "No funding route", (FINANCING,))


def _by_name(recommendations):
    return {r.strategy.name: r for r in recommendations}


def test_exact_scores_and_order_for_two_barriers():
    ranked = rank_strategies([ROLE_UNCLEAR, CULTURE_GAP], CROSSWALK, ROWS, STRATEGIES)
    names = [r.strategy.name for r in ranked]
    assert names == ["Revise professional roles", "Identify and prepare champions", "Conduct educational meetings",
                     "Organize clinician implementation team meetings"]
    scores = {r.strategy.name: r.score for r in ranked}
    # 0.62 (strongest of rows 1 and 2) × (3.89 + 3.34) / 10
    assert scores["Revise professional roles"] == D("0.62") * D("0.723")
    # Level 1 without endorsement = 0.5, no rating → neutral 0.7
    assert scores["Identify and prepare champions"] == D("0.35")
    # rows 3 (0.30) and 5 (Level 2 = 0.25) reach the same barrier: the stronger counts once
    assert scores["Conduct educational meetings"] == D("0.30") * D("0.83")
    assert scores["Organize clinician implementation team meetings"] == D("0.25") * D("0.7")


def test_weights_add_up_over_barriers():
    also_culture = BarrierInput(4, "Colleagues' beliefs", (CULTURE,))
    ranked = _by_name(rank_strategies([CULTURE_GAP, also_culture], CROSSWALK, ROWS, STRATEGIES))
    meetings = ranked["Conduct educational meetings"]
    assert meetings.barrier_count == 2
    assert meetings.evidence == D("0.60") and meetings.score == D("0.60") * D("0.83")
    assert meetings.formula == "(0.300 + 0.300) × (3.90 + 4.40) / 10 = 0.498"


def test_reasons_name_the_barrier_construct_crosswalk_and_rows():
    ranked = _by_name(rank_strategies([ROLE_UNCLEAR, CULTURE_GAP], CROSSWALK, ROWS, STRATEGIES))
    roles = ranked["Revise professional roles"]
    [reason] = roles.barriers
    assert reason.barrier.title == "Role unclear" and reason.weight == D("0.62")
    counted, supporting = reason.rows
    assert (counted.counted, counted.row.id, counted.construct, counted.construct_2009) == (
        True, 1, COMPAT, OLD_COMPAT)
    assert counted.crosswalk_source == "CFIR crosswalk 2022"
    assert (supporting.counted, supporting.row.id, supporting.construct_2009) == (False, 2, OLD_NETWORKS)
    assert roles.formula == "0.620 × (3.89 + 3.34) / 10 = 0.448"
    champions = ranked["Identify and prepare champions"]
    [row] = champions.barriers[0].rows
    # a direct 2.0 row on the subconstruct itself, no crosswalk
    assert row.construct == EQUALITY and row.construct_2009 is None and row.row.source == "Mutschler 2022"
    assert champions.formula == "0.500 × 0.7 = 0.350"
    meetings = ranked["Conduct educational meetings"]
    own = [r for r in meetings.barriers[0].rows if r.row.own]
    # the own row is keyed on the parent construct (Culture), found through the lineage
    assert own[0].construct == CULTURE and not own[0].counted


def test_ties_are_broken_by_barrier_count_then_importance_then_number():
    a, b, c = (ConstructRef(i, f"X.{i}", f"C{i}") for i in (50, 51, 52))
    strategies = {
        1: StrategyInput(1, 30, "Two barriers", importance=D("3"), feasibility=D("3")),
        2: StrategyInput(2, 10, "One barrier, heavier", importance=D("3"), feasibility=D("3")),
        3: StrategyInput(3, 40, "Important", importance=D("4"), feasibility=D("2")),
        4: StrategyInput(4, 5, "Lower number", importance=D("4"), feasibility=D("2")),
    }
    rows = [
        MatchRow(1, 1, 2, None, "s", construct_id=a.id), MatchRow(2, 1, 2, None, "s", construct_id=b.id),
        MatchRow(3, 2, 1, None, "s", construct_id=c.id),
        MatchRow(4, 3, 1, None, "s", construct_id=a.id), MatchRow(5, 4, 1, None, "s", construct_id=a.id),
    ]
    barriers = [BarrierInput(1, "A", (a,)), BarrierInput(2, "B", (b,)), BarrierInput(3, "C", (c,))]
    ranked = rank_strategies(barriers, {}, rows, strategies)
    assert [r.score for r in ranked] == [D("0.3")] * 4
    assert [r.strategy.name for r in ranked] == ["Two barriers", "Lower number", "Important", "One barrier, heavier"]


def test_nothing_matched_means_nothing_listed():
    lonely = BarrierInput(9, "Nobody mapped this", (ConstructRef(99, "V.A", "Teaming"),))
    assert rank_strategies([lonely], CROSSWALK, ROWS, STRATEGIES) == []
    assert rank_strategies([], CROSSWALK, ROWS, STRATEGIES) == []


def test_rows_with_zero_weight_or_unknown_strategy_are_ignored():
    rows = [MatchRow(1, 1, 2, D("0"), "s", construct_id=COMPAT.id), MatchRow(2, 99, 1, None, "s", construct_id=COMPAT.id)]
    assert rank_strategies([ROLE_UNCLEAR], {}, rows, STRATEGIES) == []


def test_crosswalk_of_the_nearest_parent_is_used_for_a_subconstruct():
    ranked = _by_name(rank_strategies([CULTURE_GAP], CROSSWALK, ROWS, STRATEGIES))
    [via_2009] = [r for r in ranked["Conduct educational meetings"].barriers[0].rows if r.construct_2009]
    assert via_2009.construct == CULTURE and via_2009.construct_2009 == OLD_CULTURE and via_2009.counted
