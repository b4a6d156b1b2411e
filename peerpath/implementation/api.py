from ninja import Router

from peerpath.implementation.integration.api import router as integration_router
from peerpath.implementation.planning.api import router as planning_router
from peerpath.implementation.ratings.api import router as ratings_router
from peerpath.implementation.readiness.api import router as readiness_router

router = Router(tags=["implementation"])
router.add_router("/readiness", readiness_router)
router.add_router("/cfir", ratings_router)
router.add_router("/integration", integration_router)
router.add_router("/", planning_router)
