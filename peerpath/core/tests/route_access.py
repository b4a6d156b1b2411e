
from peerpath.testing.access import Route

ALL = {"peer", "supervisor", "clinician", "leader", "evaluator", "admin"}

ROUTES = [
    Route("core:home", allowed=ALL, ok=frozenset({302})),
    Route("core:healthz", allowed=ALL, public=True),
    Route("core:healthz_session", allowed=ALL),
    Route("core:audit_search", allowed={"admin"}),
    Route("core:favicon", allowed=ALL, public=True),
    Route("core:service_worker", allowed=ALL, public=True),
    Route("core:manifest", allowed=ALL, public=True),
    Route("core:offline", allowed=ALL, public=True),
    # A live route (server-sent events from an async view): every person follows their own count.
    Route("core:notification_stream", allowed=ALL, org_bound=False),
    Route("api:openapi-json", allowed=ALL, public=True),
    Route("api:openapi-view", allowed=ALL, public=True),
    Route("api:api-root", allowed=ALL, public=True, ok=frozenset({404})),
]

