"""Administrations: a measure given to a client (in session or by link), its answers, score and safety alerts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import OrganisationScoped
from peerpath.measures.choices import (
    AdministrationStatus,
    Language,
    Mode,
    ReminderKind,
    SafetyAlertKind,
    Timepoint,
)
from peerpath.measures.instruments.models import Instrument, InstrumentItem
from peerpath.measures.schedules.models import Enrolment

STAFF = settings.AUTH_USER_MODEL


class Administration(OrganisationScoped):
    """One use of an instrument with a client: due (scheduled), then completed, missed or cancelled."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey(Enrolment, null=True, blank=True, on_delete=models.PROTECT, related_name="administrations")
    timepoint = models.CharField(_("time point"), max_length=10, choices=Timepoint.choices, default=Timepoint.INTAKE)
    followup_day = models.PositiveIntegerField(_("follow-up day"), null=True, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    window_start = models.DateField(_("window opens"), null=True, blank=True)
    window_end = models.DateField(_("window closes"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=AdministrationStatus.choices,
                              default=AdministrationStatus.DUE)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    raw_score = models.DecimalField(_("raw score"), max_digits=7, decimal_places=2, null=True, blank=True)
    total_score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    band = models.CharField(_("band"), max_length=60, blank=True)
    subscale_scores = models.JSONField(_("subscale scores"), default=dict, blank=True)
    missing_items = models.PositiveSmallIntegerField(_("unanswered items"), default=0)
    safety_flag = models.BooleanField(_("safety rule triggered"), default=False)
    # A safety item (e.g. PHQ-9 item 9) was left unanswered: confirmed by the staff member entering the answers,
    # or left blank by the client on their own link (which raises a follow-up alert).
    safety_unanswered = models.BooleanField(_("safety question left unanswered"), default=False)
    entered_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.EN)

    class Meta:
        ordering = ["-completed_at", "due_on", "-id"]
        indexes = [
            models.Index(fields=["organisation", "client", "status"], name="measures_adm_client_idx"),
            models.Index(fields=["status", "window_end"], name="measures_adm_window_idx"),
            models.Index(fields=["organisation", "status", "completed_at"], name="measures_adm_scored_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.code} {self.get_timepoint_display()} ({self.get_status_display()})"

    def band_display(self) -> str:
        return self.instrument.band_label(self.band) if self.band else ""

    def window_state(self, today: Any) -> str:
        """due (window open, not yet past due), overdue (past due, window open), upcoming, missed, or the status."""
        if self.status != AdministrationStatus.DUE:
            return str(self.status)
        if self.window_end and today > self.window_end:
            return "missed"
        if self.window_start and today < self.window_start:
            return "upcoming"
        if self.due_on and today > self.due_on:
            return "overdue"
        return "due"


class ItemAnswer(models.Model):
    """The answer to one item; ``value`` empty when the item was skipped."""

    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(InstrumentItem, on_delete=models.PROTECT, related_name="+")
    value = models.SmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["administration", "item__number"]
        constraints = [models.UniqueConstraint(fields=["administration", "item"], name="measures_answer_once")]

    def __str__(self) -> str:
        return f"{self.administration_id}:{self.item_id}={self.value}"


class SafetyAlert(OrganisationScoped):
    """A safety rule an answer triggered (e.g. PHQ-9 item 9 above 0), and who was told.

    ``kind`` ``unanswered``: the client left a safety item blank on their own link (nobody could ask again), a
    same-day follow-up for the peer and supervisors; ``worst_band`` says the total was in the severe band."""

    administration = models.ForeignKey(Administration, on_delete=models.PROTECT, related_name="alerts")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=SafetyAlertKind.choices, default=SafetyAlertKind.ANSWER)
    item_number = models.PositiveSmallIntegerField(_("question"), null=True, blank=True)
    worst_band = models.BooleanField(_("total in the severe band"), default=False)
    rule = models.CharField(_("rule"), max_length=200)
    notified = models.JSONField(default=list, blank=True)  # staff ids told at once
    acknowledged_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["administration", "item_number"],
                                               condition=models.Q(kind="unanswered"),
                                               name="measures_unanswered_alert_once")]

    def __str__(self) -> str:
        return f"alert {self.pk}: {self.rule}"

    @property
    def is_unanswered(self) -> bool:
        return self.kind == SafetyAlertKind.UNANSWERED

    def reason_display(self) -> str:
        """What the alert is about, in the reader's language (an answer's rule label is the instrument's own)."""
        if self.kind != SafetyAlertKind.UNANSWERED:
            return self.rule
        if self.worst_band:
            return _("Question %(number)s not answered, total in the severe band") % {"number": self.item_number}
        return _("Question %(number)s not answered") % {"number": self.item_number}


class MeasureReminder(models.Model):
    """One reminder for one administration and stage (window open / past due); unique, so never sent twice."""

    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["administration", "kind"], name="measures_reminder_once")]

    def __str__(self) -> str:
        return f"{self.administration_id}:{self.kind}"
