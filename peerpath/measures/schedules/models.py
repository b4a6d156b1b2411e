"""Measure schedules: which instruments at which timepoints, client enrolments, the daily due/overdue/missed scan and follow-up rates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import OrganisationScoped, Team, TimeStamped
from peerpath.measures.choices import (
    Timepoint,
)
from peerpath.measures.instruments.models import Instrument

STAFF = settings.AUTH_USER_MODEL


class MeasureSchedule(OrganisationScoped):
    """A program's measurement plan: which instruments, at intake, follow-ups and discharge."""

    name = models.CharField(_("name"), max_length=200)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("program (team)"))
    instruments = models.ManyToManyField(Instrument, through="ScheduleInstrument", related_name="+")
    target_followup_rate = models.PositiveSmallIntegerField(_("target follow-up rate (%)"), default=80)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ScheduleInstrument(models.Model):
    """An instrument given at every time point of a schedule."""

    schedule = models.ForeignKey(MeasureSchedule, on_delete=models.CASCADE, related_name="schedule_instruments")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["schedule", "instrument"], name="measures_schedule_instrument_once")]

    def __str__(self) -> str:
        return f"{self.schedule_id}:{self.instrument_id}"


class ScheduleTimepoint(TimeStamped):
    """When a measure is due, counted from the start of peer support, and the window in which it still counts."""

    schedule = models.ForeignKey(MeasureSchedule, on_delete=models.CASCADE, related_name="timepoints")
    kind = models.CharField(_("kind"), max_length=10, choices=Timepoint.choices)
    day_offset = models.PositiveIntegerField(_("days after start"), default=0)
    window_before_days = models.PositiveIntegerField(_("window opens (days before)"), default=0)
    window_after_days = models.PositiveIntegerField(_("window closes (days after)"), default=14)

    class Meta:
        ordering = ["schedule", "day_offset", "kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day_offset}"


class Enrolment(OrganisationScoped):
    """A client following a schedule from ``start_on`` (usually the start of peer support)."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    schedule = models.ForeignKey(MeasureSchedule, on_delete=models.PROTECT, related_name="enrolments")
    start_on = models.DateField(_("start"))
    enrolled_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    discharged_on = models.DateField(_("discharged"), null=True, blank=True)

    class Meta:
        ordering = ["-start_on"]
        constraints = [models.UniqueConstraint(fields=["client", "schedule"], condition=models.Q(is_active=True),
                                               name="measures_one_active_enrolment")]

    def __str__(self) -> str:
        return f"{self.client_id} in {self.schedule_id}"
