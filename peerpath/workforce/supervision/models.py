"""Supervision sessions, each organisation's supervision policy, who supervises whom, and overdue alerts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import OrganisationScoped

STAFF = settings.AUTH_USER_MODEL


class SupervisionOverdueAlert(models.Model):
    """One overdue-supervision alert per peer and due date (idempotent)."""

    peer = models.ForeignKey(STAFF, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["peer", "due_on"], name="workforce_overdue_alert_once")]

    def __str__(self) -> str:
        return f"{self.peer_id}@{self.due_on}"


class SupervisionPolicy(OrganisationScoped):
    """How often each peer must be supervised (e.g. at least every 31 days)."""

    max_days_between_sessions = models.PositiveSmallIntegerField(_("maximum days between supervision sessions"),
                                                                 default=31)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation"], name="workforce_one_policy_per_org")]


class SupervisionKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Group")
    PEER = "peer", _("Peer supervision")


class SupervisionTopic(models.TextChoices):
    BOUNDARIES = "boundaries", _("Boundaries")
    SELF_DISCLOSURE = "self_disclosure", _("Self-disclosure")
    POWER = "power", _("Power")
    STRESS = "stress", _("Stress")
    ROLE_DRIFT = "role_drift", _("Role drift")
    ETHICS = "ethics", _("Ethics")


class SupervisionSession(OrganisationScoped):
    kind = models.CharField(_("kind"), max_length=20, choices=SupervisionKind.choices)
    held_on = models.DateField(_("held on"))
    led_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    attendees: models.ManyToManyField = models.ManyToManyField(STAFF, related_name="supervision_sessions",
                                                                through="SupervisionAttendance")
    topics = models.JSONField(_("topics"), default=list)
    notes = models.TextField(_("notes"), blank=True)
    action_items = models.TextField(_("action items"), blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]


class SupervisionAttendance(models.Model):
    """Who attended a supervision session. An explicit model over the original many-to-many table so that
    every table of this app is a registered model (the demo wipe and row-count checks see it)."""

    supervisionsession = models.ForeignKey(SupervisionSession, on_delete=models.CASCADE)
    staffmember = models.ForeignKey(STAFF, on_delete=models.CASCADE)

    class Meta:
        db_table = "workforce_supervisionsession_attendees"
        unique_together = [("supervisionsession", "staffmember")]  # as the original many-to-many table

    def __str__(self) -> str:
        return f"{self.supervisionsession_id}:{self.staffmember_id}"
