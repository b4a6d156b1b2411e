"""Strategy recommendations for chosen barriers: reads the register, the CFIR crosswalk and the
organisation's barrier → strategy table, then ranks with the pure ``ranking.rank_strategies``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from peerpath.core.exceptions import ServiceError
from peerpath.implementation.models import Barrier, BarrierKind, CfirCrosswalk, EricStrategy
from peerpath.implementation.planning import selectors
from peerpath.implementation.planning.ranking import (
    BarrierInput,
    ConstructRef,
    CrosswalkLink,
    MatchRow,
    Recommendation,
    StrategyInput,
    rank_strategies,
)
from peerpath.implementation.reference import selectors as reference

MAX_BARRIERS = 200


@dataclass
class RecommendationResult:
    barriers: list[Barrier]
    recommendations: list[Recommendation]
    strategies: dict[int, EricStrategy] = field(default_factory=dict)


def choosable_barriers(user: Any) -> list[Barrier]:
    """Barriers (not facilitators) of the register the user may choose from, open ones first."""
    return sorted(selectors.barriers_for(user).filter(kind=BarrierKind.BARRIER),
                  key=lambda b: (b.resolved_on is not None, b.construct.order, b.pk))


def chosen_barriers(user: Any, barrier_ids: Iterable[Any] | None, *, strict: bool = False) -> list[Barrier]:
    """The barriers to rank for: the given ids (only barriers the user can see), or every open barrier.
    ``strict`` (the API) refuses ids that are not barriers of the user's register."""
    if barrier_ids is None:
        return list(selectors.open_barriers_for(user).select_related("construct__parent__parent"))
    ids = []
    for value in barrier_ids:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            if strict:
                raise ServiceError(_("Choose barriers from your register."), field="barrier_ids") from None
    ids = list(dict.fromkeys(ids))[:MAX_BARRIERS]
    found = list(selectors.barriers_for(user).filter(pk__in=ids, kind=BarrierKind.BARRIER)
                 .select_related("construct__parent__parent"))
    if strict and len(found) != len(ids):
        raise ServiceError(_("Choose barriers from your register."), field="barrier_ids")
    order = {pk: position for position, pk in enumerate(ids)}
    return sorted(found, key=lambda b: order[b.pk])


def _lineage(barrier: Barrier) -> tuple[ConstructRef, ...]:
    refs: list[ConstructRef] = []
    construct: Any = barrier.construct
    while construct is not None and len(refs) < 4:
        refs.append(ConstructRef(construct.pk, construct.code, construct.localized("name")))
        construct = construct.parent
    return tuple(refs)


def recommendations_for(user: Any, *, barrier_ids: Iterable[Any] | None = None,
                        strict: bool = False) -> RecommendationResult:
    """Rank the ERIC strategies for the chosen barriers (default: every open barrier)."""
    barriers = chosen_barriers(user, barrier_ids, strict=strict)
    inputs = [BarrierInput(b.pk, b.title, _lineage(b)) for b in barriers]
    construct_ids = {ref.id for barrier in inputs for ref in barrier.lineage}
    crosswalk: dict[int, list[CrosswalkLink]] = defaultdict(list)
    current_2009 = reference.current_dataset("cfir2009")
    seen: set[tuple[int, int]] = set()
    if construct_ids and current_2009 is not None:
        links = (CfirCrosswalk.objects.filter(construct_id__in=construct_ids, construct_2009__dataset=current_2009)
                 .select_related("construct_2009", "dataset").order_by("construct_2009__id", "-dataset__created_at"))
        for link in links:
            if (link.construct_id, link.construct_2009_id) in seen:
                continue
            seen.add((link.construct_id, link.construct_2009_id))
            old = link.construct_2009
            crosswalk[link.construct_id].append(CrosswalkLink(
                ConstructRef(old.pk, old.code, old.localized("name")), link.dataset.citation(link.source)))
    ids_2009 = {link.construct_2009.id for links in crosswalk.values() for link in links}
    rows = []
    strategies: dict[int, EricStrategy] = {}
    if construct_ids:
        matches = (reference.strategy_matches(organisation_id=user.organisation_id)
                   .filter(Q(construct_id__in=construct_ids) | Q(construct_2009_id__in=ids_2009))
                   .select_related("dataset"))
        for match in matches:
            strategies[match.strategy_id] = match.strategy
            source = match.dataset.citation(match.source) if match.dataset else match.source
            rows.append(MatchRow(match.pk, match.strategy_id, match.level, match.endorsement, source, match.note,
                                 own=match.organisation_id is not None, construct_id=match.construct_id,
                                 construct_2009_id=match.construct_2009_id))
    strategy_inputs = {pk: StrategyInput(s.pk, s.number, s.localized("name"), s.localized("cluster"), s.importance,
                                         s.feasibility)
                       for pk, s in strategies.items()}
    ranked = rank_strategies(inputs, crosswalk, rows, strategy_inputs)
    return RecommendationResult(barriers, ranked, strategies)
