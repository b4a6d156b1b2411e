"""Who may see and change which clients and referrals: the one table of rules, used by the
selectors (reads), the services (writes), the pages, the API and the menu alike.

* peer: the clients on their own caseload (an active match); the referrals assigned to them and
  the open (new or accepted) referrals offered to their teams — nothing else, reasons included.
* supervisor, clinician: clients and referrals of their active teams (clinicians also the
  referrals they made).
* leader, admin: every client and referral of their organisation.
* evaluator: no identifiable client records at all (aggregates only, elsewhere).

Closing or reassigning a referral that has a peer: the assigned peer (their own), a supervisor
of that peer (sharing an active team with them), or the program leader.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from peerpath.clients.choices import ReferralStatus
from peerpath.clients.models import Client, Referral
from peerpath.core.access import Policy
from peerpath.core.choices import Role
from peerpath.core.tenancy import active_team_ids

TEAM_ROLES = frozenset({Role.SUPERVISOR, Role.CLINICIAN})
ORG_WIDE_ROLES = frozenset({Role.LEADER, Role.ADMIN})
CLIENT_READERS = frozenset({Role.PEER, Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER, Role.ADMIN})
REFERRERS = frozenset({Role.CLINICIAN, Role.SUPERVISOR, Role.LEADER})
REFERRAL_HANDLERS = frozenset({Role.PEER, Role.SUPERVISOR, Role.LEADER})
OPEN_STATUSES = (ReferralStatus.NEW, ReferralStatus.ACCEPTED)


def _team_ids(user: Any) -> list[int]:
    return active_team_ids(user)


def visible_clients(user: Any) -> QuerySet[Client]:
    if not getattr(user, "is_authenticated", False) or not user.organisation_id:
        return Client.objects.none()
    base = Client.objects.filter(organisation_id=user.organisation_id, is_active=True)
    if user.role in ORG_WIDE_ROLES:
        return base
    if user.role in TEAM_ROLES:
        return base.filter(team_id__in=_team_ids(user))
    if user.role == Role.PEER:
        return base.filter(matches__peer=user, matches__is_active=True).distinct()
    return Client.objects.none()


def visible_referrals(user: Any) -> QuerySet[Referral]:
    if not getattr(user, "is_authenticated", False) or not user.organisation_id:
        return Referral.objects.none()
    base = Referral.objects.filter(organisation_id=user.organisation_id, is_active=True)
    if user.role in ORG_WIDE_ROLES:
        return base
    if user.role == Role.CLINICIAN:
        return base.filter(Q(team_id__in=_team_ids(user)) | Q(referred_by=user))
    if user.role == Role.SUPERVISOR:
        return base.filter(team_id__in=_team_ids(user))
    if user.role == Role.PEER:  # minimum necessary: offered to their team and still open, or assigned to them
        return base.filter(Q(assigned_peer=user) | Q(team_id__in=_team_ids(user), status__in=OPEN_STATUSES,
                                                     assigned_peer__isnull=True))
    return Referral.objects.none()


def referral_team_ids(user: Any) -> set[int] | None:
    """Teams the user may refer clients to or register clients on (None: any team of the organisation)."""
    if user.role == Role.LEADER:
        return None
    return set(_team_ids(user))


def may_use_team(user: Any, team: Any) -> bool:
    allowed = referral_team_ids(user)
    return team.organisation_id == user.organisation_id and (allowed is None or team.pk in allowed)


def can_edit_care(user: Any, client: Client) -> bool:
    """Recovery plans and care records: the matched peer, and the client's team's supervisors/clinicians."""
    if user.organisation_id != client.organisation_id:
        return False
    if user.role == Role.PEER:
        return client.matches.filter(peer=user, is_active=True).exists()
    if user.role in TEAM_ROLES:
        return client.team_id in _team_ids(user)
    return user.role == Role.LEADER


def _may_end_assignment(user: Any, referral: Referral) -> bool:
    """Closing or reassigning a referral that has a peer is for that peer, their supervisor or the leader."""
    peer = referral.assigned_peer
    if peer is None or user.role == Role.LEADER:
        return True
    if user.role == Role.PEER:
        return peer.pk == user.pk
    return user.role == Role.SUPERVISOR and bool(set(active_team_ids(peer)) & set(_team_ids(user)))


READ_CLIENTS = Policy("clients.read", CLIENT_READERS)
# The client list in the menu is for those who search across clients; peers reach theirs from "My caseload".
BROWSE_CLIENTS = Policy("clients.browse", {Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER, Role.ADMIN})
READ_REFERRALS = Policy("clients.read_referrals", CLIENT_READERS)
REFER = Policy("clients.refer", REFERRERS)
REGISTER_CLIENT = Policy("clients.register", REFERRERS, scope=may_use_team)  # obj: the client's team
HANDLE_REFERRAL = Policy("clients.handle_referral", REFERRAL_HANDLERS)  # accept, decline
ASSIGN_REFERRAL = Policy("clients.assign_referral", {Role.SUPERVISOR, Role.LEADER, Role.PEER}, scope=_may_end_assignment)
CLOSE_REFERRAL = Policy("clients.close_referral", REFERRAL_HANDLERS, scope=_may_end_assignment)
SUGGEST_PEERS = Policy("clients.suggest_peers", {Role.SUPERVISOR, Role.LEADER})
# Declining or assigning many referrals at once is a supervisor's triage, not a peer's (each referral is still
# checked by its own policy inside the batch).
BULK_HANDLE_REFERRALS = Policy("clients.bulk_handle_referrals", {Role.SUPERVISOR, Role.LEADER})
EDIT_CARE = Policy("clients.edit_care", {Role.PEER, Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER}, scope=can_edit_care)
