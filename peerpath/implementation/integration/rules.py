"""Who may see integration metrics: the people who run and evaluate the programme. The figures are
aggregates per team and month (no client, no single encounter), so evaluators see them too."""

from __future__ import annotations

from peerpath.core.choices import Role

READERS = frozenset({Role.LEADER, Role.ADMIN, Role.SUPERVISOR, Role.EVALUATOR})
