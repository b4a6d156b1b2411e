"""Who may do what with CFIR 2.0 ratings.

* The implementation team rates: leaders and admins for the organisation or any of its teams,
  supervisors for their own teams (organisation-wide rounds belong to the leadership).
* Leaders, admins and evaluators read every round and the heat-map of their organisation;
  supervisors read organisation-wide rounds and their own teams' rounds.
* Peer workers and clinicians take part in the conversations the ratings come from, but the
  ratings pages are for the implementation team (they see the barrier register instead).
"""

from __future__ import annotations

from typing import Any

from peerpath.core.choices import Role
from peerpath.core.tenancy import active_team_ids

ORG_RATERS = frozenset({Role.LEADER, Role.ADMIN})
RATERS = frozenset({Role.LEADER, Role.ADMIN, Role.SUPERVISOR})
READERS = frozenset({Role.LEADER, Role.ADMIN, Role.SUPERVISOR, Role.EVALUATOR})


def team_ids(user: Any) -> set[int]:
    """The user's active teams (core.tenancy: active team and active membership)."""
    return set(active_team_ids(user))


def may_rate(user: Any, team_id: int | None) -> bool:
    """May the user open or change a rating round of this scope (a team, or None = whole organisation)?"""
    if not user.is_active or user.organisation_id is None:
        return False
    if user.role in ORG_RATERS:
        return True
    return user.role == Role.SUPERVISOR and team_id is not None and team_id in team_ids(user)


def may_rate_somewhere(user: Any) -> bool:
    return bool(user.is_active and user.organisation_id and
                (user.role in ORG_RATERS or (user.role == Role.SUPERVISOR and team_ids(user))))
