"""Who may read the implementation report and export it.

The report holds aggregates only (readiness by role group with small groups suppressed, ratings,
the barrier register, plan counts, integration trends), so leaders, admins and evaluators read it and
download the PDF and the procurement checklist. Exports are audited."""

from __future__ import annotations

from peerpath.core.choices import Role

READERS = frozenset({Role.LEADER, Role.ADMIN, Role.EVALUATOR})
