"""Who may see and change which clients and referrals. One table of rules, used by the
selectors (reads) and the services (writes), so pages and API cannot disagree.

* peer: the clients on their own caseload (an active match); referrals to their teams.
* supervisor, clinician: clients and referrals of the teams they belong to.
* leader, admin: every client and referral of their organisation.
* evaluator: no identifiable client records at all (aggregates only, elsewhere).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from peerpath.clients.models import Client, Referral
from peerpath.core.choices import Role

TEAM_ROLES = {Role.SUPERVISOR, Role.CLINICIAN}
ORG_WIDE_ROLES = {Role.LEADER, Role.ADMIN}
REFERRERS = {Role.CLINICIAN, Role.SUPERVISOR, Role.LEADER}
REFERRAL_HANDLERS = {Role.PEER, Role.SUPERVISOR, Role.LEADER}


def _team_ids(user: Any) -> list[int]:
    cached = getattr(user, "_peerpath_team_ids", None)
    if cached is None:
        cached = list(user.teams.filter(is_active=True).values_list("pk", flat=True))
        user._peerpath_team_ids = cached
    return cached


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
    if user.role in {Role.SUPERVISOR, Role.PEER}:
        return base.filter(team_id__in=_team_ids(user))
    return Referral.objects.none()


def can_edit_care(user: Any, client: Client) -> bool:
    """Recovery plans and care records: the matched peer, and the client's team's supervisors/clinicians."""
    if user.organisation_id != client.organisation_id:
        return False
    if user.role == Role.PEER:
        return client.matches.filter(peer=user, is_active=True).exists()
    if user.role in TEAM_ROLES:
        return client.team_id in _team_ids(user)
    return user.role == Role.LEADER
