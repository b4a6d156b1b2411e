"""Who may do what with readiness rounds.

* Leaders and admins open and close rounds for their organisation or any of its teams.
* Everyone answers the rounds they are invited to, once, while the round is open.
* Results are aggregates only: leaders, admins and evaluators see every round of their organisation,
  supervisors the whole-organisation rounds and their own teams' rounds. No page or API returns one
  person's answers — not even to admins.
"""

from __future__ import annotations

from typing import Any

from peerpath.core.choices import Role

OPENERS = frozenset({Role.LEADER, Role.ADMIN})
RESULT_READERS = frozenset({Role.LEADER, Role.ADMIN, Role.EVALUATOR, Role.SUPERVISOR})
EVERYONE = frozenset(Role)
MIN_GROUP = 5  # smallest group shown separately (anonymity)


def may_open(user: Any) -> bool:
    return bool(user.is_active and user.organisation_id and user.role in OPENERS)
