"""Reads of clients and referrals, always through the access rules in ``permissions``.
A client or referral that does not exist and one the reader may not see raise the same 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import Http404

from peerpath.accounts.models import StaffMember
from peerpath.clients.choices import ReferralStatus, Urgency
from peerpath.clients.models import Client, Match, Referral
from peerpath.clients.permissions import visible_clients, visible_referrals
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction

INBOX_ORDER = [ReferralStatus.NEW, ReferralStatus.ACCEPTED, ReferralStatus.ASSIGNED, ReferralStatus.CLOSED, ReferralStatus.DECLINED]


def client_list_for(user: Any, *, search: str = "", team_id: int | None = None) -> QuerySet[Client]:
    clients = visible_clients(user).select_related("team")
    if search:
        clients = clients.filter(
            Q(first_name__icontains=search) | Q(last_name__icontains=search)
            | Q(preferred_name__icontains=search) | Q(record_number__iexact=search)
        )
    if team_id:
        clients = clients.filter(team_id=team_id)
    return clients.order_by("last_name", "first_name", "pk")


def client_get_for(user: Any, client_id: int, *, audit: bool = True) -> Client:
    """One client the user may see; the read is written to the audit trail."""
    client = visible_clients(user).select_related("team").filter(pk=client_id).first()
    if client is None:
        raise Http404("No such client.")
    if audit:
        audit_record(actor=user, action=AuditAction.VIEW, target=client, client=client)
    return client


def referral_inbox_for(user: Any, *, status: str | None = None) -> QuerySet[Referral]:
    referrals = visible_referrals(user).select_related("client", "team", "referred_by", "assigned_peer")
    if status:
        referrals = referrals.filter(status=status)
    # What needs a decision comes first: new, then accepted (waiting for a peer), then the rest.
    # Within new referrals, urgent ones first.
    stage = Case(*(When(status=value, then=Value(rank)) for rank, value in enumerate(INBOX_ORDER)), default=Value(9))
    urgency = Case(When(urgency=Urgency.URGENT, then=Value(0)), When(urgency=Urgency.SOON, then=Value(1)), default=Value(2))
    return referrals.order_by(stage, urgency, "-created_at", "-pk")


def referral_status_counts(user: Any) -> dict[str, int]:
    rows = visible_referrals(user).values("status").annotate(n=Count("pk"))
    counts = {status: 0 for status in ReferralStatus.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def referral_get_for(user: Any, referral_id: int, *, audit: bool = True) -> Referral:
    referral = (
        visible_referrals(user)
        .select_related("client", "team", "referred_by", "assigned_peer", "status_changed_by")
        .prefetch_related("preferred_experiences")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404("No such referral.")
    if audit:
        audit_record(actor=user, action=AuditAction.VIEW, target=referral, client=referral.client)
    return referral


def active_peer_for(client: Client) -> StaffMember | None:
    match = Match.objects.filter(client=client, is_active=True).select_related("peer").first()
    return match.peer if match else None


def caseload_counts(*, organisation_id: int) -> dict[int, int]:
    rows = (
        Match.objects.filter(organisation_id=organisation_id, is_active=True)
        .values("peer_id").annotate(n=Count("pk"))
    )
    return {row["peer_id"]: row["n"] for row in rows}
