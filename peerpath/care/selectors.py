"""Reads for the caseload, client records, plans and meetings. Access is decided by the
client rules in ``peerpath.clients.policies``: whoever may see the client sees its care record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from peerpath.care.models import Encounter, Goal, GoalStep, PeerConsultation, RecoveryPlan, TeamMeeting
from peerpath.clients.models import Client, Match
from peerpath.clients.selectors import visible_clients
from peerpath.core.audit import audit_record, audit_shown
from peerpath.core.choices import AuditAction, Role
from peerpath.core.models import Team
from peerpath.core.resolve import resolve
from peerpath.core.tenancy import active_team_ids, organisation_teams


@dataclass
class PeerHome:
    """What a peer needs between visits: who today, who drifted, what is overdue."""

    today: date
    see_today: list[Match]
    not_seen: list[Match]
    overdue_contacts: list[Match]
    overdue_steps: list[GoalStep]
    plans_due_review: list[RecoveryPlan]
    caseload_size: int
    capacity: int


# Only what the home page shows: a peer's caseload is small (<= capacity, ~25-30), so it is read
# once and sorted into the lists in Python instead of re-running the caseload query per list
# (issue 11: 9 statements, five of them the same caseload subquery).
_MATCH_FIELDS = ("id", "client_id", "started_on", "last_contact_at", "next_contact_on",
                 "client__id", "client__first_name", "client__last_name", "client__preferred_name",
                 # how to reach the client, shown beside each name on Today
                 "client__phone", "client__email", "client__preferred_contact_method",
                 "client__preferred_contact_times", "client__text_consent")
HOME_LIST_LIMIT = 50


def _not_seen_since(match: Match, cutoff: Any) -> bool:
    if match.last_contact_at is not None:
        return match.last_contact_at < cutoff
    return match.started_on < cutoff.date()


def peer_home_for(peer: Any) -> PeerHome:
    today = timezone.localdate()
    cutoff = timezone.now() - timedelta(days=settings.PEERPATH_NOT_SEEN_DAYS)
    caseload = list(
        Match.objects.filter(peer=peer, is_active=True, organisation_id=peer.organisation_id)
        .select_related("client").only(*_MATCH_FIELDS).order_by("pk")
    )
    clients = {m.client_id: m.client for m in caseload}
    see_today = sorted((m for m in caseload if m.next_contact_on == today), key=lambda m: m.client.last_name)
    # never-contacted matches first (nothing to compare), then the longest since the last contact
    not_seen = sorted((m for m in caseload if _not_seen_since(m, cutoff)),
                      key=lambda m: (m.last_contact_at is not None, m.last_contact_at or cutoff))[:HOME_LIST_LIMIT]
    overdue_contacts = sorted((m for m in caseload if m.next_contact_on is not None and m.next_contact_on < today),
                              key=lambda m: m.next_contact_on or today)[:HOME_LIST_LIMIT]
    overdue_steps: list[GoalStep] = []
    plans_due_review: list[RecoveryPlan] = []
    if clients:
        overdue_steps = list(
            GoalStep.objects.filter(
                goal__plan__client_id__in=list(clients), goal__plan__is_active=True, goal__status="active",
                due_on__lt=today, done_on__isnull=True, is_active=True,
            ).select_related("goal__plan").only("id", "description", "due_on", "goal__id", "goal__plan__id",
                                                "goal__plan__client_id").order_by("due_on", "pk")[:HOME_LIST_LIMIT]
        )
        plans_due_review = list(
            RecoveryPlan.objects.filter(client_id__in=list(clients), is_active=True, review_on__lte=today)
            .only("id", "client_id", "review_on").order_by("review_on", "pk")[:HOME_LIST_LIMIT]
        )
        for step in overdue_steps:  # the client objects are the caseload's: no second read of clients
            step.goal.plan.client = clients[step.goal.plan.client_id]
        for plan in plans_due_review:
            plan.client = clients[plan.client_id]
    shown = [m.client_id for m in (*see_today, *not_seen, *overdue_contacts)]
    shown += [s.goal.plan.client_id for s in overdue_steps] + [p.client_id for p in plans_due_review]
    audit_shown(actor=peer, target_type="care.peer_home", client_ids=shown)
    return PeerHome(
        today=today, see_today=see_today, not_seen=not_seen, overdue_contacts=overdue_contacts,
        overdue_steps=overdue_steps, plans_due_review=plans_due_review,
        caseload_size=len(caseload), capacity=peer.caseload_capacity,
    )


def caseload_for(peer: Any) -> QuerySet[Match]:
    return Match.objects.filter(peer=peer, is_active=True).select_related("client", "client__team").order_by("client__last_name")


def client_timeline(*, user: Any, client: Client, limit: int = 50) -> list[Encounter]:
    """Encounters of a client the user may already see (``client`` came from a selector)."""
    return list(
        Encounter.objects.filter(attendance__client=client, is_active=True, organisation_id=user.organisation_id)
        .select_related("peer").order_by("-started_at")[:limit]
    )


def encounter_get_for(user: Any, encounter_id: int) -> Encounter:
    """One encounter the reader may open (its author, or someone who may see an attendee).

    Minimum necessary for group sessions: ``encounter.shown_clients`` are only the attendees the
    reader may see, and ``encounter.note_shown`` is true only for the author or a reader who may
    see every attendee (the group note may be about any of them). Page and API both use these.
    """
    encounter = resolve(
        Encounter.objects.filter(organisation_id=user.organisation_id, is_active=True)
        .filter(Q(peer=user) | Q(attendance__client__in=visible_clients(user)))
        .select_related("peer").distinct(), encounter_id, field="encounter", path=True)
    attendees = list(encounter.clients.order_by("pk"))
    seen = set(visible_clients(user).filter(pk__in=[c.pk for c in attendees]).values_list("pk", flat=True))
    encounter.shown_clients = [c for c in attendees if c.pk in seen]  # type: ignore[attr-defined]
    encounter.note_shown = encounter.peer_id == user.pk or len(seen) == len(attendees)  # type: ignore[attr-defined]
    for client in encounter.shown_clients:  # type: ignore[attr-defined]
        audit_record(actor=user, action=AuditAction.VIEW, target=encounter, client=client)
    return encounter


def caseload_clients(peer: Any) -> QuerySet[Client]:
    """The clients on the peer's caseload, for choosing who an encounter was with."""
    return Client.objects.filter(pk__in=caseload_for(peer).values("client_id")).order_by("last_name", "first_name")


def consultations_shown(user: Any, rows: Any) -> tuple[list[PeerConsultation], set[int]]:
    """A page of consultations about to be shown (page and API), with the ids of the clients the reader may
    see. A consultation about a client outside the reader's scope says only that it was about a client: the
    page and the API both drop the client's id (minimum necessary), and only the clients shown are audited."""
    rows = list(rows)
    seen = visible_client_ids(user, {c.client_id for c in rows if c.client_id})
    audit_shown(actor=user, target_type="care.consultation_list", client_ids=sorted(seen))
    return rows, seen


def caseload_clients_get(peer: Any, client_ids: list[int]) -> list[Client]:
    """Clients by id, all on the peer's caseload; one the peer cannot see is "not found" like a missing one."""
    ids = sorted(set(client_ids))
    clients = list(visible_clients(peer).filter(pk__in=ids))
    if len(clients) != len(ids):
        raise Http404("No such client on your caseload.")
    return clients


def visible_client_get(user: Any, client_id: Any) -> Client | None:
    from peerpath.core.resolve import parse_id

    number = parse_id(client_id)
    return visible_clients(user).filter(pk=number).first() if number is not None else None


def visible_client_ids(user: Any, client_ids: set[int]) -> set[int]:
    return set(visible_clients(user).filter(pk__in=client_ids).values_list("pk", flat=True))


def meeting_teams_for(user: Any) -> QuerySet[Team]:
    """Teams whose meetings the user may record (a leader: any team of the organisation)."""
    teams = organisation_teams(user.organisation_id)
    return teams if user.role == Role.LEADER else teams.filter(pk__in=active_team_ids(user))


def meeting_team_get(user: Any, team_id: Any) -> Team:
    return resolve(organisation_teams(user.organisation_id), team_id, field="team_id", path=True)


def meeting_invitees(teams: QuerySet[Team]) -> QuerySet[Any]:
    from peerpath.accounts.models import StaffMember

    return (StaffMember.objects.filter(memberships__team__in=teams, memberships__is_active=True, is_active=True)
            .distinct().order_by("role", "last_name"))


def team_member_ids(team: Team) -> set[int]:
    return set(team.memberships.filter(is_active=True, staff__is_active=True).values_list("staff_id", flat=True))


def active_plan(client: Client) -> RecoveryPlan | None:
    return (
        RecoveryPlan.objects.filter(client=client, is_active=True)
        .select_related("written_with")
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.filter(is_active=True).prefetch_related(
            Prefetch("steps", queryset=GoalStep.objects.filter(is_active=True)))))
        .first()
    )


def plan_get_for(user: Any, client_id: int) -> tuple[Client, RecoveryPlan | None]:
    client = resolve(visible_clients(user), client_id, field="client", path=True)
    return client, active_plan(client)


def goal_get_for(user: Any, goal_id: int) -> Goal:
    goals = Goal.objects.filter(plan__client__in=visible_clients(user)).select_related("plan__client")
    return resolve(goals, goal_id, field="goal", path=True)


def step_get_for(user: Any, step_id: int) -> GoalStep:
    steps = GoalStep.objects.filter(goal__plan__client__in=visible_clients(user)).select_related("goal__plan__client")
    return resolve(steps, step_id, field="step", path=True)


def care_team_for(client: Client) -> dict[str, Any]:
    from peerpath.accounts.models import StaffMember

    peers = StaffMember.objects.filter(matches__client=client, matches__is_active=True).distinct()
    team_staff = (StaffMember.objects.filter(memberships__team=client.team, memberships__is_active=True, is_active=True)
                  .exclude(role__in=[Role.EVALUATOR, Role.SYSTEM]).distinct().order_by("role", "last_name"))
    return {"peers": list(peers), "team": client.team, "members": list(team_staff)}


def meetings_for(user: Any) -> QuerySet[TeamMeeting]:
    meetings = TeamMeeting.objects.filter(organisation_id=user.organisation_id, is_active=True)
    if user.role not in {Role.LEADER, Role.ADMIN}:
        meetings = meetings.filter(team_id__in=active_team_ids(user))
    return meetings.select_related("team", "recorded_by").order_by("-held_at")


def meeting_get_for(user: Any, meeting_id: int) -> TeamMeeting:
    meeting = meetings_for(user).filter(pk=meeting_id).prefetch_related("attendance__staff").first()
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def consultations_for(user: Any) -> QuerySet[PeerConsultation]:
    """Consultations the user asked for or gave, newest first; supervisors, leaders and admins see all of
    their organisation's. Nobody sees another organisation's."""
    if not getattr(user, "is_authenticated", False) or not user.organisation_id:
        return PeerConsultation.objects.none()
    rows = PeerConsultation.objects.filter(organisation_id=user.organisation_id, is_active=True)
    if user.role not in (Role.SUPERVISOR, Role.LEADER, Role.ADMIN):
        rows = rows.filter(Q(peer=user) | Q(asked_by=user))
    return rows.select_related("peer", "asked_by", "client").order_by("-held_at", "-pk")
