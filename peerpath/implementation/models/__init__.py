"""Implementation readiness and integration: reference data (CFIR 2.0 and 2009, ERIC, readiness
instruments, templates), readiness rounds, CFIR ratings, barriers, and the implementation plan.

Split by aggregate: ``reference`` (shipped, versioned data an admin can extend), ``readiness``
(survey rounds and answers), ``cfir`` (construct ratings), ``planning`` (barriers, plan items)."""

from peerpath.implementation.models.cfir import CfirRating, CfirRatingRound, RatingValue
from peerpath.implementation.models.planning import (
    Barrier,
    BarrierKind,
    ImplementationPlan,
    PlanItem,
    PlanItemStatus,
)
from peerpath.implementation.models.readiness import (
    ReadinessAnswer,
    ReadinessInvitation,
    ReadinessResponse,
    ReadinessRound,
    RoundStatus,
)
from peerpath.implementation.models.reference import (
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
