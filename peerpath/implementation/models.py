"""Implementation readiness and integration: reference data (CFIR 2.0 and 2009, ERIC, readiness
instruments, templates), readiness rounds, CFIR ratings, barriers, and the implementation plan.

Each area keeps its models in ``<area>/models.py``: ``reference`` (shipped, versioned data an admin
can extend), ``readiness`` (survey rounds and answers), ``ratings`` (CFIR construct ratings),
``planning`` (barriers, plan items). They are imported here so Django registers them under the one
``implementation`` app label (no migration follows a move between areas)."""

from peerpath.implementation.planning.models import (
    Barrier,
    BarrierKind,
    ImplementationPlan,
    PlanItem,
    PlanItemStatus,
)
from peerpath.implementation.ratings.models import CfirRating, CfirRatingRound, RatingValue
from peerpath.implementation.readiness.models import (
    ReadinessAnswer,
    ReadinessInvitation,
    ReadinessResponse,
    ReadinessRound,
    RoundStatus,
)
from peerpath.implementation.reference.models import (
    BarrierTemplate,
    Cfir2009Construct,
    CfirConstruct,
    CfirCrosswalk,
    ChecklistTemplate,
    EricStrategy,
    ProcurementRequirement,
    ReadinessInstrument,
    ReadinessItem,
    ReferenceDataset,
    StrategyMatch,
)

__all__ = [
    "Barrier", "BarrierKind", "BarrierTemplate", "Cfir2009Construct", "CfirConstruct", "CfirCrosswalk", "CfirRating",
    "CfirRatingRound", "ChecklistTemplate", "EricStrategy", "ImplementationPlan", "PlanItem", "PlanItemStatus",
    "ProcurementRequirement", "RatingValue", "ReadinessAnswer", "ReadinessInstrument", "ReadinessInvitation",
    "ReadinessItem", "ReadinessResponse", "ReadinessRound", "ReferenceDataset", "RoundStatus", "StrategyMatch",
]
