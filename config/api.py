"""The JSON API at /api/v1/: every route requires a bearer token unless it says otherwise."""

from typing import Any

from ninja import NinjaAPI

from peerpath.accounts.api import router as accounts_router
from peerpath.care.api import router as care_router
from peerpath.clients.api import router as clients_router
from peerpath.core.api_support import ApiTokenAuth, install_error_handlers, signed_in_in_production
from peerpath.implementation.api import router as implementation_router
from peerpath.measures.api import router as measures_router
from peerpath.outcomes.api import router as outcomes_router
from peerpath.workforce.api import router as workforce_router

ERROR_REF = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
# The answers the shared error handlers (peerpath.core.api_support) can give to any operation.
STANDARD_ERRORS = {
    "401": "Missing, expired or revoked token.",
    "403": "Not allowed for this person.",
    "409": "A database rule refused the write (usually the same change made at the same time).",
    "413": "The request body is over the size limit.",
    "422": "Invalid input: the errors name each field.",
}


class PeerpathApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Document the structured errors every operation can answer, as well as its own."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for status, description in STANDARD_ERRORS.items():
                    if status == "413" and method == "get":
                        continue
                    if status == "401" and not operation.get("security"):
                        continue
                    responses.setdefault(status, {"description": description, **ERROR_REF})
        return schema


api = PeerpathApi(
    title="Peerpath API",
    version="1",
    urls_namespace="api",
    auth=ApiTokenAuth(),
    docs_url="/docs",
    docs_decorator=signed_in_in_production,
)
install_error_handlers(api)
api.add_router("/", accounts_router)
api.add_router("/", clients_router)
api.add_router("/", care_router)
api.add_router("/workforce/", workforce_router)
api.add_router("/measures/", measures_router)
api.add_router("/outcomes/", outcomes_router)
api.add_router("/implementation/", implementation_router)
