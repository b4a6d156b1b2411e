"""Access rules of the report routes: leaders, admins and evaluators (aggregates only). The pages are
about the caller's own organisation, so they take no arguments (organisation B sees its own report)."""

from __future__ import annotations

from peerpath.testing.access import Route

READERS = {"leader", "admin", "evaluator"}

ROUTES = [
    Route("implementation:report_page", allowed=READERS, org_bound=False),
    Route("implementation:report_pdf", allowed=READERS, org_bound=False),
    Route("implementation:report_procurement", allowed=READERS, org_bound=False),
    Route("implementation:report_procurement_csv", allowed=READERS, org_bound=False),
]
