"""Who may do what with the barrier register and the implementation plan.

* Leaders and admins read and change everything of their organisation.
* Supervisors read everything and change the barriers and plans of their own teams (not the
  organisation-wide ones, which belong to the leadership).
* Evaluators read the register and the plans (organisational, not client data) but change nothing.
* Peer workers and clinicians read the register (it is about their work, and many barriers are
  raised by them) and see the plan items they own, whose status they may update; nothing else.
* Only admins edit the organisation's barrier → strategy table and add barrier templates.
"""

from __future__ import annotations

from typing import Any

from peerpath.core.choices import Role
from peerpath.core.tenancy import active_team_ids

ORG_WRITERS = frozenset({Role.LEADER, Role.ADMIN})
WRITERS = frozenset({Role.LEADER, Role.ADMIN, Role.SUPERVISOR})
READERS = frozenset({Role.LEADER, Role.ADMIN, Role.SUPERVISOR, Role.EVALUATOR})
OWNERS_ONLY = frozenset({Role.PEER, Role.CLINICIAN})
TABLE_EDITORS = frozenset({Role.ADMIN})
EVERYONE = frozenset(Role.values)


def team_ids(user: Any) -> set[int]:
    """The user's active teams (core.tenancy: active team and active membership)."""
    return set(active_team_ids(user))


def can_write_scope(user: Any, team_id: int | None) -> bool:
    """May the user change a barrier or plan of this scope (a team, or None = whole organisation)?"""
    if not user.is_active or user.organisation_id is None:
        return False
    if user.role in ORG_WRITERS:
        return True
    return user.role == Role.SUPERVISOR and team_id is not None and team_id in team_ids(user)


def writable_team_choices(user: Any) -> tuple[bool, set[int] | None]:
    """(may choose "whole organisation", allowed team ids or None for all teams of the organisation)."""
    if user.role in ORG_WRITERS:
        return True, None
    if user.role == Role.SUPERVISOR:
        return False, team_ids(user)
    return False, set()
