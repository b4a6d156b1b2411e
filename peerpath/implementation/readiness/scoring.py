"""Scoring readiness questionnaires by the rules stored with each instrument (pure functions).

ORIC (Shea et al. 2014): the mean of each subscale (change commitment, change efficacy); AIM, IAM,
FIM (Weiner et al. 2017): the mean of the four items. Missing items follow the instrument's
``missing_rule`` (``max_missing_per_subscale``): a (sub)scale with more unanswered items has no score."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from statistics import fmean

TOTAL = "total"


def score(*, scoring: str, missing_rule: Mapping[str, object], items: Iterable[tuple[int, str]],
          answers: Mapping[int, int]) -> dict[str, float | None]:
    """Scores keyed by subscale code (``"total"`` for single-scale instruments).

    ``items`` are (item number, subscale code) pairs; ``answers`` maps item numbers to the values given."""
    max_missing = int(str(missing_rule.get("max_missing_per_subscale", 0)))
    scales: dict[str, list[int]] = {}
    for number, subscale in items:
        key = subscale if scoring == "subscale_means" and subscale else TOTAL
        scales.setdefault(key, []).append(number)
    result: dict[str, float | None] = {}
    for key, numbers in scales.items():
        given = [answers[n] for n in numbers if n in answers]
        if not given or len(numbers) - len(given) > max_missing:
            result[key] = None
        else:
            result[key] = round(fmean(given), 4)
    return result
