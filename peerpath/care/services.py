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
from peerpath.care.policies import (
    CONSULT,
    CONSULTING_ROLES,  # noqa: F401  # re-exported for older callers
    EDIT_PLAN,
    RECORD_ENCOUNTER,
    RECORD_MEETING,
)
from peerpath.clients.choices import Modality
from peerpath.clients.models import Client, Match
from peerpath.clients.selectors import visible_clients
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.events import publish_on_commit
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
        raise ServiceError(_("Choose at least one client."), field="clients", code="required")
    if len(clients) > MAX_GROUP_SIZE:
        raise ServiceError(_("A group can have at most %(n)d clients.") % {"n": MAX_GROUP_SIZE}, field="clients",
                           code="too_many")
    if timezone.is_naive(started_at):
        raise ServiceError(_("Give the start time with a time zone."), field="started_at")
    if started_at > timezone.now() + FUTURE_TOLERANCE:
        raise ServiceError(_("The start time is in the future."), field="started_at", code="out_of_range")
    if not 1 <= duration_minutes <= MAX_DURATION_MINUTES:
        raise ServiceError(_("Duration must be between 1 and %(n)d minutes.") % {"n": MAX_DURATION_MINUTES},
                           field="duration_minutes", code="out_of_range")
    if modality not in Modality.values:
        raise ServiceError(_("Choose in person, phone, video or text."), field="modality")
    if setting not in Setting.values:
        raise ServiceError(_("Choose a setting from the list."), field="setting")
    unknown = [a for a in activities if a not in Activity.values]
    if unknown:
        raise ServiceError(_("Unknown activity: %(names)s.") % {"names": ", ".join(unknown)}, field="activities")
    if not activities:
        raise ServiceError(_("Tick at least one activity."), field="activities", code="required")
    return list(dict.fromkeys(activities))


def encounter_record(
    *, actor: StaffMember, clients: list[Client], started_at: datetime, duration_minutes: int, modality: str,
    setting: str, activities: list[str], self_disclosure_used: bool = False, note: str = "",
    next_contact_on: date | None = None,
) -> Encounter:
    """A peer records a contact with one client, or with several for a group. The note lands
    in every attendee's record; the peer's caseload shows the contact at once."""
    RECORD_ENCOUNTER.check(actor)
    activities = _validate_encounter(
        clients=clients, started_at=started_at, duration_minutes=duration_minutes, modality=modality,
        setting=setting, activities=activities,
    )
    client_ids = {c.pk for c in clients}
    if next_contact_on and next_contact_on < timezone.localdate():
        raise ServiceError(_("The next contact date is in the past."), field="next_contact_on", code="out_of_range")
    with transaction.atomic():
        matches = list(
            Match.objects.select_for_update().filter(peer=actor, client_id__in=client_ids, is_active=True)
        )
        if {m.client_id for m in matches} != client_ids:  # RECORD_ENCOUNTER's scope, checked under the lock
            raise NotAllowed(_("One or more clients are not on your caseload."))
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
            if match.first_contact_at is None or match.first_contact_at > started_at:
                match.first_contact_at = started_at
                fields.append("first_contact_at")
            if next_contact_on:
                match.next_contact_on = next_contact_on
                fields.append("next_contact_on")
            if fields:
                match.save(update_fields=[*fields, "updated_at"])
        for client in clients:
            audit_record(actor=actor, action=AuditAction.CREATE, target=encounter, client=client)
        publish_on_commit("encounter.recorded", organisation_id,
                          {"encounter_id": encounter.pk, "peer_id": actor.pk, "client_ids": sorted(client_ids),
                           "is_group": encounter.is_group})
    return encounter


def _check_plan_editor(actor: StaffMember, client: Client) -> None:
    EDIT_PLAN.check(actor, client)


def recovery_plan_start(*, actor: StaffMember, client: Client, client_vision: str = "", review_on: date | None = None) -> RecoveryPlan:
    _check_plan_editor(actor, client)
    with transaction.atomic():
        # Lock the client's row: with no plan yet there is no plan row to lock, and two first goals at once
        # would both create one (the second failing on plan_one_active).
        type(client).objects.select_for_update().filter(pk=client.pk).values_list("pk").first()
        existing = RecoveryPlan.objects.select_for_update().filter(client=client, is_active=True).first()
        if existing:
            raise ServiceError(_("This client already has a recovery plan."), field="client", code="conflict")
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


def goal_add_to_active_plan(
    *, actor: StaffMember, client: Client, own_words: str, life_area: str, chime: str, target_on: date | None = None,
    steps: list[tuple[str, date | None]] | None = None,
) -> Goal:
    """Add a goal to the client's active plan. No plan yet: refused ("Start the plan first") — a
    goal never starts a plan by itself, through the page or the API."""
    _check_plan_editor(actor, client)
    plan = RecoveryPlan.objects.filter(client=client, is_active=True).first()
    if plan is None:
        raise ServiceError(_("Start the plan first."), field="plan", code="no_plan")
    return goal_add(actor=actor, plan=plan, own_words=own_words, life_area=life_area, chime=chime,
                    target_on=target_on, steps=steps)


def goal_add(
    *, actor: StaffMember, plan: RecoveryPlan, own_words: str, life_area: str, chime: str, target_on: date | None = None,
    steps: list[tuple[str, date | None]] | None = None,
) -> Goal:
    _check_plan_editor(actor, plan.client)
    own_words = (own_words or "").strip()
    if not own_words:
        raise ServiceError(_("Write the goal as the client says it."), field="own_words", code="required")
    if life_area not in LifeArea.values:
        raise ServiceError(_("Choose a life area."), field="life_area")
    if chime not in Chime.values:
        raise ServiceError(_("Choose a CHIME dimension."), field="chime")
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
        raise ServiceError(_("Progress is a percentage from 0 to 100."), field="progress", code="out_of_range")
    if status not in GoalStatus.values:
        raise ServiceError(_("Choose a status."), field="status")
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
        raise ServiceError(_("Describe the step."), field="description", code="required")
    with transaction.atomic():
        step = GoalStep.objects.create(goal=goal, description=description[:300], due_on=due_on)
        audit_record(actor=actor, action=AuditAction.CREATE, target=step, client=goal.plan.client)
        _progress_from_steps(actor=actor, goal=goal)
    return step


def _progress_from_steps(*, actor: StaffMember, goal: Goal) -> None:
    """A goal with steps shows the share of its steps done (its only step done is 100%, not 0%); inside the
    caller's transaction. A goal without steps keeps the progress set by hand."""
    steps = list(goal.steps.values_list("done_on", flat=True))
    if not steps:
        return
    progress = round(100 * sum(1 for done_on in steps if done_on) / len(steps))
    if progress == goal.progress:
        return
    goal.progress = progress
    goal.save(update_fields=["progress", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, target=goal, client=goal.plan.client,
                 detail={"progress": progress, "from_steps": True})


def goal_step_mark_done(*, actor: StaffMember, step: GoalStep, done: bool = True) -> GoalStep:
    _check_plan_editor(actor, step.goal.plan.client)
    with transaction.atomic():
        step.done_on = timezone.localdate() if done else None
        step.save(update_fields=["done_on", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, target=step, client=step.goal.plan.client, detail={"done": done})
        _progress_from_steps(actor=actor, goal=step.goal)
    return step


def team_meeting_record(
    *, actor: StaffMember, team: Team, held_at: datetime, duration_minutes: int, topic: str = "", notes: str = "",
    attendance: dict[int, bool] | None = None,
) -> TeamMeeting:
    """Record a team meeting and who of the invited staff attended (peers included)."""
    RECORD_MEETING.check(actor, team)
    if held_at > timezone.now() + FUTURE_TOLERANCE:
        raise ServiceError(_("The meeting time is in the future."), field="held_at", code="out_of_range")
    if not 1 <= duration_minutes <= MAX_DURATION_MINUTES:
        raise ServiceError(_("Duration must be between 1 and %(n)d minutes.") % {"n": MAX_DURATION_MINUTES},
                           field="duration_minutes", code="out_of_range")
    attendance = attendance or {}
    members = set(team.memberships.filter(is_active=True, staff__is_active=True).values_list("staff_id", flat=True))
    strangers = set(attendance) - members
    if strangers:
        raise ServiceError(_("Attendance can only list members of the team."), field="attendance")
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
    CONSULT.check(actor)
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
