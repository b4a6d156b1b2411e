"""The measures API: each area keeps its own router; paths and operation names are unchanged."""

from ninja import Router

from peerpath.measures.administrations.api import router as administrations_router
from peerpath.measures.instruments.api import router as instruments_router

router = Router(tags=["measures"])
router.add_router("", instruments_router)
router.add_router("", administrations_router)
