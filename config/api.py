"""The JSON API at /api/v1/: every route requires a bearer token unless it says otherwise."""

from ninja import NinjaAPI

from peerpath.accounts.api import router as accounts_router
from peerpath.care.api import router as care_router
from peerpath.clients.api import router as clients_router
from peerpath.core.api_support import ApiTokenAuth, install_error_handlers
from peerpath.implementation.api import router as implementation_router
from peerpath.measures.api import router as measures_router
from peerpath.outcomes.api import router as outcomes_router
from peerpath.workforce.api import router as workforce_router

api = NinjaAPI(
    title="Peerpath API",
    version="1",
    urls_namespace="api",
    auth=ApiTokenAuth(),
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/", accounts_router)
api.add_router("/", clients_router)
api.add_router("/", care_router)
api.add_router("/workforce/", workforce_router)
api.add_router("/measures/", measures_router)
api.add_router("/outcomes/", outcomes_router)
api.add_router("/implementation/", implementation_router)
