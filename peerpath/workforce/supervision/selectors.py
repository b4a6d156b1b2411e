"""Supervision sessions, each organisation's supervision policy, who supervises whom, and overdue alerts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from peerpath.accounts.models import StaffMember
from peerpath.core.choices import Role
from peerpath.workforce.models import (
    SupervisionPolicy,
    SupervisionSession,
)
from peerpath.workforce.staff.selectors import ORG_WIDE, visible_staff


def supervisors_of(peer: Any) -> QuerySet[StaffMember]:
    """The supervisors of the peer's team(s)."""
    team_ids = peer.memberships.filter(is_active=True).values("team_id")
    return (StaffMember.objects.filter(organisation_id=peer.organisation_id, role=Role.SUPERVISOR, is_active=True,
                                       memberships__team_id__in=team_ids, memberships__is_active=True)
            .exclude(pk=peer.pk).distinct())


def is_supervisor_of(user: Any, peer: StaffMember) -> bool:
    return (user.role == Role.SUPERVISOR and user.organisation_id == peer.organisation_id
            and supervisors_of(peer).filter(pk=user.pk).exists())


def policy_days(organisation_id: Any) -> int:
    policy = SupervisionPolicy.objects.filter(organisation_id=organisation_id, is_active=True).first()
    return policy.max_days_between_sessions if policy else 31


@dataclass
class SupervisionRow:
    peer: StaffMember
    last_session: date | None
    due_on: date
    overdue: bool


def _status_rows(peers: QuerySet[StaffMember], organisation_id: Any, today: date) -> list[SupervisionRow]:
    days = policy_days(organisation_id)
    peers = peers.annotate(last_session=Max("supervision_sessions__held_on",
                                            filter=Q(supervision_sessions__is_active=True)))
    rows = []
    for peer in peers:
        start = peer.last_session or timezone.localdate(peer.date_joined)
        due = start + timedelta(days=days)
        rows.append(SupervisionRow(peer, peer.last_session, due, due < today))
    return sorted(rows, key=lambda r: (not r.overdue, r.due_on))


def supervision_status_for_org(organisation_id: Any, *, today: date | None = None) -> list[SupervisionRow]:
    peers = StaffMember.objects.filter(organisation_id=organisation_id, role=Role.PEER, is_active=True)
    return _status_rows(peers, organisation_id, today or timezone.localdate())


def supervision_status_for(user: Any, *, today: date | None = None) -> list[SupervisionRow]:
    peers = visible_staff(user).filter(role=Role.PEER)
    return _status_rows(peers, user.organisation_id, today or timezone.localdate())


def sessions_for(user: Any) -> QuerySet[SupervisionSession]:
    qs = SupervisionSession.objects.filter(organisation_id=user.organisation_id, is_active=True)
    if user.role not in ORG_WIDE:
        qs = qs.filter(Q(led_by=user) | Q(attendees=user)).distinct()
    return qs.select_related("led_by").prefetch_related("attendees").order_by("-held_on", "-id")


def session_for(user: Any, pk: int) -> SupervisionSession:
    session = sessions_for(user).filter(pk=pk).first()
    if session is None:
        raise Http404
    return session
