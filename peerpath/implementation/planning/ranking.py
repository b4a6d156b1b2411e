"""Ranking ERIC strategies for a set of barriers: a pure function, no database.

The score is meant to be read, not trusted blindly; every number on the recommendations page comes
from here.

For each chosen barrier (a CFIR 2.0 construct):

1. **Constructs considered.** The barrier's construct and its parents (a subconstruct such as
   "III.D.1 Human equality-centeredness" also counts as "III.D Culture").
2. **Crosswalk.** The nearest of those constructs that has crosswalk rows gives the CFIR 2009
   construct(s) it corresponds to.
3. **Matching rows.** Rows of the organisation's barrier → strategy table keyed on one of those 2009
   constructs, or directly on one of the 2.0 constructs of step 1.
4. **Evidence weight of a row.** The published endorsement fraction when the row has one (Waltz et
   al. 2019: share of experts who chose the strategy for that barrier); otherwise by level:
   Level 1 (≥ 50 % endorsement) = 0.5, Level 2 (20–49.9 %) = 0.25 — the lower bound of each band.
5. **One barrier counts once per strategy.** When several rows link the same barrier to the same
   strategy (through two 2009 constructs, or a 2009 row and a direct 2.0 row), the strongest row
   counts and the others are shown as supporting. Otherwise a construct that maps to several 2009
   constructs would weigh more only because the crosswalk splits it.

Per strategy: ``evidence`` = sum over barriers of the counted weight; ``prior`` = (importance +
feasibility) / 10 from the expert ratings of Waltz et al. 2015 (1–5 each, so 0.2–1.0), or a neutral
0.7 when the strategy has no rating; ``score`` = evidence × prior. Strategies with a score above 0 are
ranked by score, then by the number of barriers addressed, then by importance, then ERIC number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

LEVEL_WEIGHTS: dict[int, Decimal] = {1: Decimal("0.5"), 2: Decimal("0.25")}
NEUTRAL_PRIOR = Decimal("0.7")
PRIOR_DIVISOR = Decimal(10)
THREE_PLACES = Decimal("0.001")


@dataclass(frozen=True)
class ConstructRef:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class BarrierInput:
    """A chosen barrier: its construct first, then the construct's parents (nearest first)."""

    id: int
    title: str
    lineage: tuple[ConstructRef, ...]


@dataclass(frozen=True)
class CrosswalkLink:
    construct_2009: ConstructRef
    source: str


@dataclass(frozen=True)
class MatchRow:
    """One row of the barrier → strategy table, keyed on a 2009 construct or a 2.0 construct."""

    id: int
    strategy_id: int
    level: int
    endorsement: Decimal | None
    source: str
    note: str = ""
    own: bool = False  # added by the organisation (not shipped)
    construct_id: int | None = None
    construct_2009_id: int | None = None

    @property
    def weight(self) -> Decimal:
        if self.endorsement is not None:
            return Decimal(self.endorsement)
        return LEVEL_WEIGHTS.get(self.level, Decimal(0))


@dataclass(frozen=True)
class StrategyInput:
    id: int
    number: int
    name: str
    cluster: str = ""
    importance: Decimal | None = None
    feasibility: Decimal | None = None

    @property
    def prior(self) -> Decimal:
        if self.importance is None or self.feasibility is None:
            return NEUTRAL_PRIOR
        return (Decimal(self.importance) + Decimal(self.feasibility)) / PRIOR_DIVISOR

    @property
    def rated(self) -> bool:
        return self.importance is not None and self.feasibility is not None


@dataclass(frozen=True)
class RowReason:
    """How one table row ties a barrier to the strategy."""

    row: MatchRow
    construct: ConstructRef  # the 2.0 construct the match went through (the barrier's or a parent)
    construct_2009: ConstructRef | None  # set when the row is keyed on a 2009 construct (via the crosswalk)
    crosswalk_source: str
    counted: bool  # the strongest row for this barrier; the others are supporting


@dataclass
class BarrierReason:
    barrier: BarrierInput
    weight: Decimal  # the counted row's weight
    rows: list[RowReason] = field(default_factory=list)


@dataclass
class Recommendation:
    strategy: StrategyInput
    evidence: Decimal
    prior: Decimal
    score: Decimal
    barriers: list[BarrierReason]

    @property
    def barrier_count(self) -> int:
        return len(self.barriers)

    @property
    def weights(self) -> list[Decimal]:
        return [reason.weight for reason in self.barriers]

    @property
    def formula(self) -> str:
        """The computation with its numbers, e.g. ``(0.620 + 0.500) × (4.25 + 3.88) / 10 = 0.911``."""
        summed = " + ".join(_fmt(w) for w in self.weights)
        evidence = f"({summed})" if len(self.weights) > 1 else summed
        if self.strategy.rated:
            prior = f"({_fmt(self.strategy.importance, 2)} + {_fmt(self.strategy.feasibility, 2)}) / 10"
        else:
            prior = _fmt(NEUTRAL_PRIOR, 1)
        return f"{evidence} × {prior} = {_fmt(self.score)}"


def _fmt(value: Decimal | None, places: int = 3) -> str:
    if value is None:
        return "–"
    return str(Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def rank_strategies(
    barriers: Sequence[BarrierInput],
    crosswalk: Mapping[int, Sequence[CrosswalkLink]],
    rows: Iterable[MatchRow],
    strategies: Mapping[int, StrategyInput],
) -> list[Recommendation]:
    """Rank strategies for the barriers; see the module docstring for the rule."""
    by_construct: dict[int, list[MatchRow]] = defaultdict(list)
    by_construct_2009: dict[int, list[MatchRow]] = defaultdict(list)
    for row in rows:
        if row.strategy_id not in strategies or row.weight <= 0:
            continue
        if row.construct_id is not None:
            by_construct[row.construct_id].append(row)
        elif row.construct_2009_id is not None:
            by_construct_2009[row.construct_2009_id].append(row)

    per_strategy: dict[int, list[BarrierReason]] = defaultdict(list)
    for barrier in barriers:
        found: dict[int, list[RowReason]] = defaultdict(list)
        for construct in barrier.lineage:
            for row in by_construct.get(construct.id, ()):
                found[row.strategy_id].append(RowReason(row, construct, None, "", False))
        mapped = _crosswalk_for(barrier, crosswalk)
        if mapped:
            construct, links = mapped
            for link in links:
                for row in by_construct_2009.get(link.construct_2009.id, ()):
                    found[row.strategy_id].append(RowReason(row, construct, link.construct_2009, link.source, False))
        for strategy_id, reasons in found.items():
            strongest = min(reasons, key=lambda r: (-r.row.weight, r.row.level, r.row.id))
            ordered = [RowReason(r.row, r.construct, r.construct_2009, r.crosswalk_source, r is strongest)
                       for r in sorted(reasons, key=lambda r: (r is not strongest, -r.row.weight, r.row.id))]
            per_strategy[strategy_id].append(BarrierReason(barrier, strongest.row.weight, ordered))

    recommendations = []
    for strategy_id, barrier_reasons in per_strategy.items():
        strategy = strategies[strategy_id]
        evidence = sum((reason.weight for reason in barrier_reasons), Decimal(0))
        score = evidence * strategy.prior
        if score > 0:
            recommendations.append(Recommendation(strategy, evidence, strategy.prior, score, barrier_reasons))
    recommendations.sort(key=lambda r: (-r.score, -r.barrier_count, -(r.strategy.importance or Decimal(0)),
                                        r.strategy.number))
    return recommendations


def _crosswalk_for(barrier: BarrierInput, crosswalk: Mapping[int, Sequence[CrosswalkLink]],
                   ) -> tuple[ConstructRef, Sequence[CrosswalkLink]] | None:
    """The nearest construct of the lineage that the crosswalk maps, with its 2009 constructs."""
    for construct in barrier.lineage:
        links = crosswalk.get(construct.id)
        if links:
            return construct, links
    return None
