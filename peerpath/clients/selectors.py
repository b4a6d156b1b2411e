"""Reads of clients and referrals, always through the access rules in ``policies``.
A client or referral that does not exist and one the reader may not see raise the same 404.
Other apps reach clients through these functions (``visible_clients`` included)."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, Min, Q, QuerySet, Value, When
from django.utils import timezone

from peerpath.accounts.models import StaffMember
from peerpath.clients.choices import ReferralStatus, Urgency
from peerpath.clients.deadlines import AWAITING_ACTION, due_by, is_overdue
from peerpath.clients.models import Client, Match, Referral
from peerpath.clients.policies import referral_team_ids, visible_clients, visible_referrals
from peerpath.core.audit import audit_record, audit_shown
from peerpath.core.choices import AuditAction, Role
from peerpath.core.models import Team
from peerpath.core.resolve import resolve
from peerpath.core.tenancy import organisation_teams
from peerpath.lib.search import digits, query_terms, search_text

__all__ = ["visible_clients", "visible_referrals"]  # the visibility table, for other apps

INBOX_ORDER = [ReferralStatus.NEW, ReferralStatus.ACCEPTED, ReferralStatus.ASSIGNED, ReferralStatus.CLOSED, ReferralStatus.DECLINED]


def referral_teams_for(user: Any) -> QuerySet[Team]:
    """Teams the user may refer to (and register clients on): the same list for page and API."""
    teams = organisation_teams(user.organisation_id)
    allowed = referral_team_ids(user)
    return teams if allowed is None else teams.filter(pk__in=allowed)


def referral_team_get(user: Any, team_id: Any, *, field: str = "team") -> Team:
    return resolve(organisation_teams(user.organisation_id), team_id, field=field)


def assignable_peer_get(user: Any, peer_id: Any, *, field: str = "peer") -> StaffMember:
    peers = StaffMember.objects.filter(organisation_id=user.organisation_id, role=Role.PEER)
    return resolve(peers, peer_id, field=field)


def client_referrals(client: Client, user: Any) -> QuerySet[Referral]:
    """The client's referrals the reader may see (reasons included only for those)."""
    return (visible_referrals(user).filter(client=client).select_related("referred_by", "assigned_peer")
            .order_by("-created_at"))


def is_matched_peer(user: Any, client: Client) -> bool:
    return Match.objects.filter(client=client, peer_id=user.pk, is_active=True).exists()


def client_list_for(user: Any, *, search: str = "", team_id: int | None = None) -> QuerySet[Client]:
    clients = visible_clients(user).select_related("team")
    if search:
        clients = matching_search(clients, search)
    if team_id:
        clients = clients.filter(team_id=team_id)
    return clients.order_by("last_name", "first_name", "pk")


def matching_search(clients: QuerySet[Client], query: str) -> QuerySet[Client]:
    """Every term of the query appears in the folded search text ("smith olga" finds Olga Smith,
    "zoe" finds Zoë, "0134" finds 555-0134, "12/04/1985" the birth date); no terms, no rows."""
    terms = query_terms(query)
    if not terms:
        return clients.none()
    for term in terms:
        clients = clients.filter(search_text__contains=term)
    return clients


def client_search_for(user: Any, query: str, *, limit: int = 10) -> list[Client]:
    """The type-ahead's results: scoped like the client list and audited as a search."""
    rows = client_list_for(user, search=query)[:limit] if query_terms(query) else []
    return clients_shown(user, rows, search=True)


def likely_duplicates(user: Any, *, first_name: str, last_name: str, date_of_birth: Any = None, phone: str = "",
                      limit: int = 5) -> list[Client]:
    """Clients the reader may see who look like the person about to be registered: the same folded
    name and birth date, or the same phone digits. Audited (it shows client names)."""
    name = search_text(names=[first_name, last_name]).strip()
    if not name:
        return []
    conditions = []
    if date_of_birth:
        same_name = visible_clients(user).filter(date_of_birth=date_of_birth)
        for term in name.split():
            same_name = same_name.filter(search_text__contains=f" {term} ")
        conditions.append(Q(pk__in=same_name.values("pk")))
    phone_digits = digits(phone)
    if len(phone_digits) >= 7:
        conditions.append(Q(search_text__contains=f" {phone_digits} "))
    if not conditions:
        return []
    condition = conditions[0] if len(conditions) == 1 else conditions[0] | conditions[1]
    rows = visible_clients(user).filter(condition).select_related("team").order_by("last_name", "first_name", "pk")[:limit]
    return clients_shown(user, rows, search=True)


def clients_shown(user: Any, clients: Any, *, search: bool = False) -> list[Client]:
    """A list of clients about to be shown (a page of results): audited here, so page and API agree."""
    rows = list(clients)
    audit_record(actor=user, action=AuditAction.LIST, target_type="clients.client",
                 detail={"ids": [c.pk for c in rows], "search": search}, client_ids=[c.pk for c in rows])
    return rows


def client_choices_shown(user: Any, clients: QuerySet[Client], *, purpose: str) -> None:
    """The clients offered as choices in a form (who an encounter was with, whom to refer): audited
    as shown, one event for the list."""
    audit_shown(actor=user, target_type=purpose, client_ids=clients.values_list("pk", flat=True))


def referrals_shown(user: Any, referrals: Any) -> list[Referral]:
    """A page of referrals about to be shown, audited, each with ``due_by``, ``is_overdue`` and
    ``first_contact_at`` (when the assigned peer first saw the client: the referrer's closed loop)."""
    rows = list(referrals)
    audit_record(actor=user, action=AuditAction.LIST, target_type="clients.referral", detail={"ids": [r.pk for r in rows]},
                 client_ids=[r.client_id for r in rows])
    with_deadlines(user, rows)
    return rows


def with_deadlines(user: Any, rows: list[Referral]) -> list[Referral]:
    """Sets ``due_by``, ``is_overdue`` and ``first_contact_at`` on each referral (page and API alike)."""
    organisation = user.organisation
    today = timezone.localdate()
    first = dict(Match.objects.filter(referral__in=[r.pk for r in rows], first_contact_at__isnull=False)
                 .values_list("referral_id").annotate(first=Min("first_contact_at")))
    for referral in rows:
        referral.due_by = due_by(referral, organisation)  # type: ignore[attr-defined]
        referral.is_overdue = is_overdue(referral, organisation, today=today)  # type: ignore[attr-defined]
        referral.first_contact_at = first.get(referral.pk)  # type: ignore[attr-defined]
    return rows


def overdue_referral_count(user: Any) -> int:
    """Referrals the user may see that are past their urgency's time limit and still wait for action."""
    organisation, today = user.organisation, timezone.localdate()
    waiting = visible_referrals(user).filter(status__in=AWAITING_ACTION).only("created_at", "urgency", "status")
    return sum(1 for referral in waiting if is_overdue(referral, organisation, today=today))


def client_get_for(user: Any, client_id: int, *, audit: bool = True) -> Client:
    """One client the user may see; the read is written to the audit trail."""
    client = resolve(visible_clients(user).select_related("team"), client_id, field="client", path=True)
    if audit:
        audit_record(actor=user, action=AuditAction.VIEW, target=client, client=client)
    return client


#: The inbox's default view: what still waits for a decision or a peer.
NEEDS_ACTION = "needs_action"


def referral_inbox_for(user: Any, *, status: str | None = None) -> QuerySet[Referral]:
    """Referrals the user may see; ``status`` is a status, ``NEEDS_ACTION`` (new or accepted) or None (all)."""
    referrals = visible_referrals(user).select_related("client", "team", "referred_by", "assigned_peer")
    if status == NEEDS_ACTION:
        referrals = referrals.filter(status__in=AWAITING_ACTION)
    elif status:
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
    )
    referral = resolve(referral, referral_id, field="referral", path=True)
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
