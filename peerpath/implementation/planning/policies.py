"""Who may change the barrier register and the plans of one scope: leaders and admins everywhere in
their organisation, supervisors for their own teams (``rules.can_write_scope``). The object checked is
the team, or the organisation for the organisation-wide register."""

from __future__ import annotations

from typing import Any

from peerpath.core.access import Policy
from peerpath.core.models import Team
from peerpath.implementation.planning.rules import WRITERS, can_write_scope


def _scope(user: Any, obj: Any) -> bool:
    return can_write_scope(user, obj.pk if isinstance(obj, Team) else None)


WRITE_SCOPE = Policy("implementation.planning.write_scope", WRITERS, scope=_scope)


def scope_of(actor: Any, team: Team | None) -> Any:
    """The object WRITE_SCOPE checks: the team, or the actor's organisation (organisation-wide)."""
    return team if team is not None else actor.organisation
