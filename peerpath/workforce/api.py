"""The workforce API: each area keeps its own router; paths and operation names are unchanged."""

from ninja import Router

from peerpath.workforce.boundaries.api import router as boundaries_router
from peerpath.workforce.credentials.api import router as credentials_router
from peerpath.workforce.roles.api import router as roles_router
from peerpath.workforce.staff.api import router as staff_router
from peerpath.workforce.supervision.api import router as supervision_router
from peerpath.workforce.surveys.api import router as surveys_router

router = Router(tags=["workforce"])
for area_router in (credentials_router, supervision_router, boundaries_router, surveys_router, staff_router,
                    roles_router):
    router.add_router("", area_router)
