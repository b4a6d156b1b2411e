"""Who may do what in care: encounters, recovery plans, team meetings and consultations.

Whoever may see a client (``clients.policies.visible_clients``) sees its care record; these
policies add who may *write* it. Each is used by the page, the API, the menu and the service.
"""

from __future__ import annotations

from typing import Any

from peerpath.clients.policies import EDIT_CARE, can_edit_care
from peerpath.core.access import Policy
from peerpath.core.choices import Role
from peerpath.core.tenancy import active_team_ids

CARE_READERS = frozenset({Role.PEER, Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER, Role.ADMIN})
PLAN_WRITERS = frozenset({Role.PEER, Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER})
MEETING_ROLES = frozenset({Role.PEER, Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER})
# Everyone on the care side may record a consultation; evaluators only read figures.
CONSULTING_ROLES = frozenset({Role.PEER, Role.CLINICIAN, Role.SUPERVISOR, Role.LEADER, Role.ADMIN})


def on_caseload(user: Any, client: Any) -> bool:
    return client.matches.filter(peer_id=user.pk, is_active=True).exists()


def own_team(user: Any, team: Any) -> bool:
    return user.role == Role.LEADER or team.pk in active_team_ids(user)


#: Recording an encounter: peers, with clients on their own caseload — checked here only.
RECORD_ENCOUNTER = Policy("care.record_encounter", {Role.PEER}, scope=on_caseload)
PEER_WORK = Policy("care.peer_work", {Role.PEER})  # the peer's own home page and caseload
READ_CARE = Policy("care.read", CARE_READERS)
EDIT_PLAN = Policy("care.edit_plan", PLAN_WRITERS, scope=can_edit_care)  # obj: the client
READ_MEETINGS = Policy("care.read_meetings", MEETING_ROLES | {Role.ADMIN})
RECORD_MEETING = Policy("care.record_meeting", MEETING_ROLES, scope=own_team)  # obj: the team
CONSULT = Policy("care.consult", CONSULTING_ROLES)

__all__ = ["CARE_READERS", "CONSULT", "EDIT_CARE", "EDIT_PLAN", "PEER_WORK", "READ_CARE", "READ_MEETINGS",
           "RECORD_ENCOUNTER", "RECORD_MEETING", "on_caseload", "own_team"]
