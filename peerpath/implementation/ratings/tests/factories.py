"""Factories for CFIR rating rounds and ratings, on the shipped CFIR 2.0 data (loaded by migration 0002)."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from peerpath.implementation.models import CfirConstruct, CfirRating, CfirRatingRound, RatingValue
from peerpath.implementation.reference.selectors import current_dataset


class RatingRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CfirRatingRound

    organisation = factory.LazyAttribute(lambda o: o.created_by.organisation)
    title = factory.Sequence(lambda n: f"CFIR rating {n}")
    rated_on = factory.LazyFunction(timezone.localdate)
    dataset = factory.LazyFunction(lambda: current_dataset("cfir2"))


def construct(code: str, rating_round: CfirRatingRound | None = None) -> CfirConstruct:
    dataset_id = rating_round.dataset_id if rating_round else current_dataset("cfir2").pk  # type: ignore[union-attr]
    return CfirConstruct.objects.get(dataset_id=dataset_id, code=code)


def rate(rating_round: CfirRatingRound, code: str, score: int | str, *, role: str | None = None,
         evidence: str = "Team meeting notes", by: Any = None) -> CfirRating:
    """``score`` is −2..+2, or "mixed" / "missing"."""
    value, number = (score, None) if isinstance(score, str) else (RatingValue.RATED, score)
    return CfirRating.objects.create(
        rating_round=rating_round, construct=construct(code, rating_round),
        role=construct(role, rating_round) if role else None, value=value, score=number, evidence=evidence,
        rated_by=by or rating_round.created_by)
