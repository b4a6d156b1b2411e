"""Access rules of the integration routes: leaders, admins, supervisors and evaluators (aggregates per team
and month). The page is about the caller's own organisation, so it takes no arguments."""

from peerpath.testing.access import Route

READERS = {"leader", "admin", "supervisor", "evaluator"}

ROUTES: list[Route] = [
    Route("implementation:integration_page", allowed=READERS, org_bound=False),
    Route("api:integration_metrics", allowed=READERS, org_bound=False),
]
