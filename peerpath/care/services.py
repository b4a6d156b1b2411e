"""Writes for encounters, recovery plans and team meetings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.accounts.models import StaffMember
from peerpath.care.choices import PEER_SPECIFIC_ACTIVITIES, Activity, Chime, GoalStatus, LifeArea, Setting
from peerpath.care.models import (
    Encounter,
    EncounterAttendance,
    Goal,
    GoalStep,
    PeerConsultation,
    RecoveryPlan,
    TeamMeeting,
    TeamMeetingAttendance,
)
from peerpath.clients.choices import Modality
from peerpath.clients.models import Client, Match
from peerpath.clients.permissions import can_edit_care, visible_clients
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.models import Team


def peer_specific_minutes_for(activities: Iterable[str], duration_minutes: int) -> int:
    """Minutes of an encounter spent on peer-specific work, split evenly across its activities."""
    acts = list(dict.fromkeys(activities))
    if not acts:
        return 0
    peer_specific = sum(1 for a in acts if a in PEER_SPECIFIC_ACTIVITIES)
    return round(duration_minutes * peer_specific / len(acts))


MAX_GROUP_SIZE = 15
MAX_DURATION_MINUTES = 8 * 60
"""
Encounters may be recorded up to this far in the future (a visit planned later today);
anything later is almost certainly a typo in the date.
"""
FUTURE_TOLERANCE = timedelta(hours=12)


def _validate_encounter(
    *, clients: list[Client], started_at: datetime, duration_minutes: int, modality: str, setting: str,
    activities: list[str],
) -> list[str]:
    if not clients:
        raise ServiceError("Choose at least one client.", field="client_ids")
    if len(clients) > MAX_GROUP_SIZE:
        raise ServiceError(f"A group can have at most {MAX_GROUP_SIZE} clients.", field="client_ids")
    if timezone.is_naive(started_at):
        raise ServiceError("Give the start time with a time zone.", field="started_at")
    if started_at > timezone.now() + FUTURE_TOLERANCE:
        raise ServiceError("The start time is in the future.", field="started_at")
    if not 1 <= duration_minutes <= MAX_DURATION_MINUTES:
        raise ServiceError(f"Duration must be between 1 and {MAX_DURATION_MINUTES} minutes.", field="duration_minutes")
    if modality not in Modality.values:
        raise ServiceError("Choose in person, phone, video or text.", field="modality")
    if setting not in Setting.values:
        raise ServiceError("Choose a setting from the list.", field="setting")
    unknown = [a for a in activities if a not in Activity.values]
    if unknown:
        raise ServiceError(f"Unknown activity: {', '.join(unknown)}.", field="activities")
    if not activities:
        raise ServiceError("Tick at least one activity.", field="activities")
    return list(dict.fromkeys(activities))


def encounter_record(
    *, actor: StaffMember, clients: list[Client], started_at: datetime, duration_minutes: int, modality: str,
    setting: str, activities: list[str], self_disclosure_used: bool = False, note: str = "",
    next_contact_on: date | None = None,
) -> Encounter:
    """A peer records a contact with one client, or with several for a group. The note lands
    in every attendee's record; the peer's caseload shows the contact at once."""
    if actor.role != Role.PEER:
        raise NotAllowed("Only peer support workers record encounters.")
    activities = _validate_encounter(
        clients=clients, started_at=started_at, duration_minutes=duration_minutes, modality=modality,
        setting=setting, activities=activities,
    )
    client_ids = {c.pk for c in clients}
    if next_contact_on and next_contact_on < timezone.localdate():
        raise ServiceError("The next contact date is in the past.", field="next_contact_on")
    with transaction.atomic():
        matches = list(
            Match.objects.select_for_update().filter(peer=actor, client_id__in=client_ids, is_active=True)
        )
        if {m.client_id for m in matches} != client_ids:
            raise NotAllowed("You can only record encounters with clients on your caseload.")
        organisation_id: int = actor.organisation_id  # type: ignore[assignment]  # set for every staff member
        encounter = Encounter.objects.create(
            organisation_id=organisation_id, peer=actor, started_at=started_at,
            duration_minutes=duration_minutes, modality=modality, setting=setting, activities=activities,
            peer_specific_minutes=peer_specific_minutes_for(activities, duration_minutes),
            is_group=len(client_ids) > 1, self_disclosure_used=self_disclosure_used, note=note.strip(),
        )
        EncounterAttendance.objects.bulk_create(
            [EncounterAttendance(encounter=encounter, client_id=cid, started_at=started_at,
                                 duration_minutes=duration_minutes) for cid in sorted(client_ids)]
        )
        for match in matches:
            fields = []
            if match.last_contact_at is None or match.last_contact_at < started_at:
                match.last_contact_at = started_at
                fields.append("last_contact_at")
            if next_contact_on:
                match.next_contact_on = next_contact_on
                fields.append("next_contact_on")
            if fields:
                match.save(update_fields=[*fields, "updated_at"])
        for client in clients:
            audit_record(actor=actor, action=AuditAction.CREATE, target=encounter, client=client)
    return encounter


def _check_plan_editor(actor: StaffMember, client: Client) -> None:
    if not can_edit_care(actor, client):
        raise NotAllowed("Only the client's peer and care team write the recovery plan.")


def recovery_plan_start(*, actor: StaffMember, client: Client, client_vision: str = "", review_on: date | None = None) -> RecoveryPlan:
    _check_plan_editor(actor, client)
    with transaction.atomic():
        # Lock the client's row: with no plan yet there is no plan row to lock, and two first goals at once
        # would both create one (the second failing on plan_one_active).
        type(client).objects.select_for_update().filter(pk=client.pk).values_list("pk").first()
        existing = RecoveryPlan.objects.select_for_update().filter(client=client, is_active=True).first()
        if existing:
            raise ServiceError("This client already has a recovery plan.", field="client")
        plan = RecoveryPlan.objects.create(
            organisation_id=client.organisation_id, client=client, written_with=actor,
            client_vision=client_vision.strip(), review_on=review_on,
        )
        audit_record(actor=actor, action=AuditAction.CREATE, target=plan, client=client)
    return plan


def recovery_plan_update(*, actor: StaffMember, plan: RecoveryPlan, client_vision: str, review_on: date | None) -> RecoveryPlan:
    _check_plan_editor(actor, plan.client)
    with transaction.atomic():
        plan.client_vision = client_vision.strip()
        plan.review_on = review_on
        plan.save(update_fields=["client_vision", "review_on", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, target=plan, client=plan.client, detail={"fields": ["client_vision", "review_on"]})
    return plan


def goal_add(
    *, actor: StaffMember, plan: RecoveryPlan, own_words: str, life_area: str, chime: str, target_on: date | None = None,
    steps: list[tuple[str, date | None]] | None = None,
) -> Goal:
    _check_plan_editor(actor, plan.client)
    own_words = (own_words or "").strip()
    if not own_words:
        raise ServiceError("Write the goal as the client says it.", field="own_words")
    if life_area not in LifeArea.values:
        raise ServiceError("Choose a life area.", field="life_area")
    if chime not in Chime.values:
        raise ServiceError("Choose a CHIME dimension.", field="chime")
    with transaction.atomic():
        goal = Goal.objects.create(plan=plan, own_words=own_words, life_area=life_area, chime=chime, target_on=target_on)
        for description, due_on in steps or []:
            if description.strip():
                GoalStep.objects.create(goal=goal, description=description.strip()[:300], due_on=due_on)
        audit_record(actor=actor, action=AuditAction.CREATE, target=goal, client=plan.client)
    return goal


def goal_update(*, actor: StaffMember, goal: Goal, progress: int, status: str) -> Goal:
    _check_plan_editor(actor, goal.plan.client)
    if not 0 <= progress <= 100:
        raise ServiceError("Progress is a percentage from 0 to 100.", field="progress")
    if status not in GoalStatus.values:
        raise ServiceError("Choose a status.", field="status")
    with transaction.atomic():
        goal.progress = progress
        goal.status = status
        goal.save(update_fields=["progress", "status", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, target=goal, client=goal.plan.client,
                     detail={"progress": progress, "status": status})
    return goal


def goal_step_add(*, actor: StaffMember, goal: Goal, description: str, due_on: date | None) -> GoalStep:
    _check_plan_editor(actor, goal.plan.client)
    description = (description or "").strip()
    if not description:
        raise ServiceError("Describe the step.", field="description")
    with transaction.atomic():
        step = GoalStep.objects.create(goal=goal, description=description[:300], due_on=due_on)
        audit_record(actor=actor, action=AuditAction.CREATE, target=step, client=goal.plan.client)
    return step


def goal_step_mark_done(*, actor: StaffMember, step: GoalStep, done: bool = True) -> GoalStep:
    _check_plan_editor(actor, step.goal.plan.client)
    with transaction.atomic():
        step.done_on = timezone.localdate() if done else None
        step.save(update_fields=["done_on", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, target=step, client=step.goal.plan.client, detail={"done": done})
    return step


def team_meeting_record(
    *, actor: StaffMember, team: Team, held_at: datetime, duration_minutes: int, topic: str = "", notes: str = "",
    attendance: dict[int, bool] | None = None,
) -> TeamMeeting:
    """Record a team meeting and who of the invited staff attended (peers included)."""
    if actor.role not in {Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER, Role.PEER}:
        raise NotAllowed("Only care-team members record team meetings.")
    if team.organisation_id != actor.organisation_id or (
        actor.role != Role.LEADER and not actor.teams.filter(pk=team.pk).exists()
    ):
        raise NotAllowed("You can only record meetings of your own teams.")
    if held_at > timezone.now() + FUTURE_TOLERANCE:
        raise ServiceError("The meeting time is in the future.", field="held_at")
    if not 1 <= duration_minutes <= MAX_DURATION_MINUTES:
        raise ServiceError(f"Duration must be between 1 and {MAX_DURATION_MINUTES} minutes.", field="duration_minutes")
    attendance = attendance or {}
    members = set(team.members.filter(is_active=True).values_list("pk", flat=True))
    strangers = set(attendance) - members
    if strangers:
        raise ServiceError("Attendance can only list members of the team.", field="attendance")
    with transaction.atomic():
        meeting = TeamMeeting.objects.create(
            organisation_id=team.organisation_id, team=team, held_at=held_at, duration_minutes=duration_minutes,
            topic=topic.strip(), notes=notes.strip(), recorded_by=actor,
        )
        TeamMeetingAttendance.objects.bulk_create([
            TeamMeetingAttendance(meeting=meeting, staff_id=staff_id, attended=attendance.get(staff_id, False))
            for staff_id in sorted(members)
        ])
        audit_record(actor=actor, action=AuditAction.CREATE, target=meeting,
                     detail={"attended": sum(1 for v in attendance.values() if v), "invited": len(members)})
    return meeting



# ------------------------------------------------------------------ peer consultations

# Everyone on the care side may record a consultation; evaluators only read figures.
CONSULTING_ROLES = frozenset({Role.PEER, Role.CLINICIAN, Role.SUPERVISOR, Role.LEADER, Role.ADMIN})
CONSULTATION_FUTURE_TOLERANCE = timedelta(minutes=5)  # the form's minute precision and clock drift


def _is_colleague(actor: StaffMember, staff: StaffMember | None) -> bool:
    return staff is not None and staff.organisation_id == actor.organisation_id and staff.is_active


def consultation_record(
    *, actor: StaffMember, peer: StaffMember | None, held_at: datetime, topic: str, client: Client | None = None,
    asked_by: StaffMember | None = None,
) -> PeerConsultation:
    """A colleague (clinician, supervisor, leader or another peer) asked a peer support worker for their view,
    about a client or in general. Whoever asked records it (``asked_by`` defaults to the actor); the peer who
    was asked may record it too, naming the colleague in ``asked_by``. Counted per team and month in the
    integration metrics."""
    if actor.role not in CONSULTING_ROLES:
        raise NotAllowed(_("Consultations are recorded by the people who asked or were asked."))
    if peer is None or not _is_colleague(actor, peer) or peer.role != Role.PEER:
        raise ServiceError(_("Choose an active peer support worker of your organisation."), field="peer")
    named_asker = asked_by is not None
    if asked_by is None:
        asked_by = actor
    elif asked_by.pk != actor.pk:
        # Only the peer who was asked records a consultation on someone else's behalf.
        if peer.pk != actor.pk:
            raise ServiceError(_("Record the consultations you asked for, or those you were asked."), field="asked_by")
        if not _is_colleague(actor, asked_by):
            raise ServiceError(_("Choose the colleague of your organisation who asked you."), field="asked_by")
    if asked_by.pk == peer.pk:
        raise ServiceError(_("A peer cannot consult themselves: choose a colleague."),
                           field="asked_by" if named_asker else "peer")
    if client is not None and not visible_clients(actor).filter(pk=client.pk).exists():
        raise ServiceError(no_client_message(), field="client")
    if timezone.is_naive(held_at):
        raise ServiceError(_("Give the time with a time zone."), field="held_at")
    if held_at > timezone.now() + CONSULTATION_FUTURE_TOLERANCE:
        raise ServiceError(_("A consultation cannot be in the future."), field="held_at")
    topic = (topic or "").strip()
    if not topic:
        raise ServiceError(_("Say in a few words what the consultation was about."), field="topic")
    if len(topic) > 200:
        raise ServiceError(_("Keep the topic under 200 characters."), field="topic")
    organisation_id: int = actor.organisation_id  # type: ignore[assignment]  # set for every staff member
    with transaction.atomic():
        consultation = PeerConsultation.objects.create(
            organisation_id=organisation_id, peer=peer, asked_by=asked_by, client=client, held_at=held_at,
            topic=topic)
        audit_record(actor=actor, action=AuditAction.CREATE, target=consultation, client=client)
    return consultation


def no_client_message() -> str:
    """The same words for a client that does not exist and one the actor may not see."""
    return _("No such client among those you can see.")
