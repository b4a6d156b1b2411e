"""The scoring engine: pure Python, no database. An instrument is described by an ``InstrumentSpec``
(built from the database by ``Instrument``-reading code in ``library.spec_for``) and scored from a dict of
item number → answer (``None`` = skipped).

Rules, in order:
1. Every given answer must be one of the item's option values (else ``ScoringInputError`` naming the item).
2. Reverse-scored items are flipped within their option range: ``min + max − value``.
3. Missing items: with at most ``max_missing`` unanswered the score is kept — a *sum* is prorated
   (sum of answered × items ÷ answered, rounded half up to a whole number); a *mean* is the mean of the
   answered items. With more unanswered items there is no score (``total`` is None).
4. A conversion table (e.g. SWEMWBS raw → metric) is applied to the whole-number raw sum.
5. The band is the one whose inclusive [min, max] holds the total.
6. Subscales use the same method over their own items and are scored only when all their items are answered.
7. Safety rules look at the *raw* answer of one item (before reversal) and fire when it is above a value,
   whether or not there is a total. The items safety rules look at are the instrument's *safety items*; one left
   unanswered is reported (``unanswered_safety``): nobody knows whether the rule would have fired.
8. ``worst_band``: the total lies in the band at the bad end of the scale (the highest band, or the lowest when
   higher is better), e.g. PHQ-9 "Severe".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

SUM = "sum"
MEAN = "mean"
TWO_PLACES = Decimal("0.01")


class ScoringInputError(ValueError):
    """An answer that the instrument does not allow; ``item`` is the item number."""

    def __init__(self, item: int, reason: str) -> None:
        super().__init__(f"item {item}: {reason}")
        self.item = item
        self.reason = reason


@dataclass(frozen=True)
class ItemSpec:
    number: int
    values: tuple[int, ...]  # allowed answer values
    reverse: bool = False
    subscale: str = ""

    @property
    def low(self) -> int:
        return min(self.values)

    @property
    def high(self) -> int:
        return max(self.values)


@dataclass(frozen=True)
class Band:
    low: Decimal
    high: Decimal
    label: str


@dataclass(frozen=True)
class SafetyRule:
    item: int
    above: int
    label: str


@dataclass(frozen=True)
class InstrumentSpec:
    code: str
    items: tuple[ItemSpec, ...]
    method: str = SUM
    max_missing: int = 0
    bands: tuple[Band, ...] = ()
    safety_rules: tuple[SafetyRule, ...] = ()
    conversion: Mapping[int, Decimal] = field(default_factory=dict)
    higher_is_better: bool = False

    @property
    def safety_items(self) -> tuple[int, ...]:
        """The item numbers safety rules look at (e.g. PHQ-9 item 9), in order, once each."""
        return tuple(sorted({rule.item for rule in self.safety_rules}))

    def worst_band(self) -> Band | None:
        """The band at the bad end of the scale (None without bands)."""
        if not self.bands:
            return None
        if self.higher_is_better:
            return min(self.bands, key=lambda b: (b.low, b.high))
        return max(self.bands, key=lambda b: (b.high, b.low))


@dataclass
class ScoreResult:
    total: Decimal | None  # the reported score (after proration and conversion); None = not scorable
    raw: Decimal | None  # the sum (or mean) before conversion, after proration
    band: str
    subscales: dict[str, str]  # name -> score as a string (JSON friendly); absent when not scorable
    answered: int
    missing: int
    prorated: bool
    safety: list[SafetyRule]
    unanswered_safety: tuple[int, ...] = ()  # safety items left unanswered
    worst_band: bool = False  # the total is in the band at the bad end of the scale

    @property
    def scored(self) -> bool:
        return self.total is not None


def _round_whole(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _combine(values: list[int], n_items: int, method: str) -> tuple[Decimal, bool]:
    """(score, prorated) of answered values out of n_items."""
    total = Decimal(sum(values))
    if method == MEAN:
        return (total / Decimal(len(values))).quantize(TWO_PLACES, rounding=ROUND_HALF_UP), False
    if len(values) == n_items:
        return total, False
    return _round_whole(total * Decimal(n_items) / Decimal(len(values))), True


def validate(spec: InstrumentSpec, answers: Mapping[int, int | None]) -> dict[int, int | None]:
    """Answers for exactly the spec's items (absent keys count as skipped); refuses unknown items and values."""
    known = {item.number: item for item in spec.items}
    for number in answers:
        if number not in known:
            raise ScoringInputError(number, "this instrument has no such item")
    cleaned: dict[int, int | None] = {}
    for number, item in known.items():
        value = answers.get(number)
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ScoringInputError(number, "the answer must be a whole number")
            if value not in item.values:
                raise ScoringInputError(number, f"the answer must be one of {', '.join(map(str, sorted(item.values)))}")
        cleaned[number] = value
    return cleaned


def score(spec: InstrumentSpec, answers: Mapping[int, int | None]) -> ScoreResult:
    cleaned = validate(spec, answers)
    scored_values: dict[int, int] = {}
    for item in spec.items:
        value = cleaned[item.number]
        if value is not None:
            scored_values[item.number] = (item.low + item.high - value) if item.reverse else value
    answered = len(scored_values)
    missing = len(spec.items) - answered
    safety = [rule for rule in spec.safety_rules
              if cleaned.get(rule.item) is not None and cleaned[rule.item] > rule.above]  # type: ignore[operator]

    total: Decimal | None = None
    raw: Decimal | None = None
    prorated = False
    band = ""
    if answered and missing <= spec.max_missing:
        raw, prorated = _combine(list(scored_values.values()), len(spec.items), spec.method)
        total = raw
        if spec.conversion:
            total = spec.conversion.get(int(raw))
        if total is not None:
            band = next((b.label for b in spec.bands if b.low <= total <= b.high), "")

    subscales: dict[str, str] = {}
    names = sorted({item.subscale for item in spec.items if item.subscale})
    for name in names:
        members = [item.number for item in spec.items if item.subscale == name]
        if all(number in scored_values for number in members):
            subscale_value, _prorated = _combine([scored_values[n] for n in members], len(members), spec.method)
            subscales[name] = str(subscale_value)
    unanswered_safety = tuple(n for n in spec.safety_items if n in cleaned and cleaned[n] is None)
    worst = spec.worst_band()
    return ScoreResult(total=total, raw=raw, band=band, subscales=subscales, answered=answered, missing=missing,
                       prorated=prorated, safety=safety, unanswered_safety=unanswered_safety,
                       worst_band=bool(worst and total is not None and worst.low <= total <= worst.high))
