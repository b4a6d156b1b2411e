"""Encounters between peers and clients, recovery plans and team meetings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.care.choices import Chime, GoalStatus, LifeArea, Setting
from peerpath.clients.choices import Modality
from peerpath.clients.models import Client
from peerpath.core.models import OrganisationScoped, Team, TimeStamped


class Encounter(OrganisationScoped):
    """A contact between a peer and one client, or several for a group."""

    peer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="encounters")
    clients = models.ManyToManyField(Client, through="EncounterAttendance", related_name="encounters")
    started_at = models.DateTimeField(_("start"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    modality = models.CharField(_("modality"), max_length=12, choices=Modality.choices)
    setting = models.CharField(_("setting"), max_length=20, choices=Setting.choices)
    activities = models.JSONField(_("activities"), default=list)
    # Derived once when recorded, so integration reports do not re-read JSON for millions of rows.
    peer_specific_minutes = models.PositiveSmallIntegerField(default=0)
    is_group = models.BooleanField(default=False)
    self_disclosure_used = models.BooleanField(_("self-disclosure used"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["peer", "-started_at"], name="encounter_peer_time_idx"),
            models.Index(fields=["organisation", "started_at"], name="encounter_org_time_idx"),
            # The evaluation's peer minutes leave out deactivated encounters: this finds the few of them
            # without scanning the organisation's millions of active ones (issue 11).
            models.Index(fields=["organisation"], condition=models.Q(is_active=False), name="encounter_inactive_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_modality_display()} {self.started_at:%Y-%m-%d}"


class EncounterAttendance(models.Model):
    """A client present at an encounter; a group note lands in every attendee's record."""

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="attendance")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="attendance")
    started_at = models.DateTimeField()  # copied from the encounter for the client's timeline index
    # Copied from the encounter too: the evaluation sums peer minutes per client without joining millions of
    # encounters. Required (no default), so a write path that forgets it fails loudly instead of counting 0.
    duration_minutes = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["encounter", "client"], name="attendance_unique")]
        indexes = [models.Index(fields=["client", "-started_at"], name="attendance_timeline_idx")]

    def __str__(self) -> str:
        return f"{self.client_id} at {self.encounter_id}"


class RecoveryPlan(OrganisationScoped):
    """A client's recovery plan, written with the client; one active plan per client."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="recovery_plans")
    written_with = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client_vision = models.TextField(_("what recovery means to me"), blank=True)
    review_on = models.DateField(_("review date"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["client"], condition=models.Q(is_active=True), name="plan_one_active")
        ]


class Goal(TimeStamped):
    """A goal in the client's own words, tagged by life area and CHIME dimension."""

    plan = models.ForeignKey(RecoveryPlan, on_delete=models.CASCADE, related_name="goals")
    own_words = models.TextField(_("goal, in the client's own words"))
    life_area = models.CharField(_("life area"), max_length=20, choices=LifeArea.choices)
    chime = models.CharField(_("CHIME dimension"), max_length=20, choices=Chime.choices)
    status = models.CharField(_("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    target_on = models.DateField(_("target date"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]


class GoalStep(TimeStamped):
    """A small step towards a goal, with a date."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    description = models.CharField(_("step"), max_length=300)
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_on = models.DateField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["due_on", "done_on"], name="step_due_idx")]


class TeamMeeting(OrganisationScoped):
    """A care-team meeting; attendance lets peer participation be counted."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="meetings")
    held_at = models.DateTimeField(_("held at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="TeamMeetingAttendance", related_name="team_meetings"
    )

    class Meta:
        ordering = ["-held_at"]
        indexes = [models.Index(fields=["team", "held_at"], name="meeting_team_time_idx")]


class TeamMeetingAttendance(models.Model):
    """Whether an invited staff member attended a team meeting."""

    meeting = models.ForeignKey(TeamMeeting, on_delete=models.CASCADE, related_name="attendance")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attended = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "staff"], name="meeting_attendance_unique")]

    def __str__(self) -> str:
        return f"{self.staff_id} at {self.meeting_id}: {'attended' if self.attended else 'absent'}"


class PeerConsultation(OrganisationScoped):
    """A colleague asking a peer worker for their view: about a client, or about the service in general.

    Counted per team and month in the integration metrics: integrated peers are consulted more (Davis &
    Pilgrim 2015, in seed 002). The question is recorded, never the client's answers."""

    peer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultations_given")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultations_asked")
    client = models.ForeignKey(Client, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("client"))
    held_at = models.DateTimeField(_("when"))
    topic = models.CharField(_("topic"), max_length=200)

    class Meta:
        ordering = ["-held_at"]
        indexes = [models.Index(fields=["peer", "held_at"], name="consultation_peer_time_idx")]

    def __str__(self) -> str:
        return f"{self.topic} ({self.held_at:%Y-%m-%d})"
