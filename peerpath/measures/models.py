"""Measures: an instrument library held as data, scheduled administrations, item answers, one-time
survey links, safety alerts and follow-up reminders.

Shipped instruments (PHQ-9, GAD-7, K10, QPR-15, SWEMWBS) have no organisation; an organisation's own
instruments (built without code by an admin) carry its id. Scores are computed by the pure-Python
engine in ``scoring.py`` from ``Instrument.spec()``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import Organisation, OrganisationScoped, Team, TimeStamped
from peerpath.measures.choices import (
    AdministrationStatus,
    Language,
    Licence,
    Mode,
    ReminderKind,
    ScoringMethod,
    Timepoint,
)

STAFF = settings.AUTH_USER_MODEL


def _spanish() -> bool:
    return (get_language() or "en").startswith("es")


class Instrument(TimeStamped):
    """A questionnaire and its scoring rules. ``organisation`` empty = shipped with Peerpath, read-only."""

    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    version = models.CharField(_("version"), max_length=40, blank=True)
    instructions = models.TextField(_("instructions shown above the questions"), blank=True)
    instructions_es = models.TextField(_("instructions (Spanish)"), blank=True)
    recall_period = models.CharField(_("recall period"), max_length=100, blank=True)
    citation = models.TextField(_("citation"), blank=True)
    attribution = models.TextField(_("copyright and attribution"), blank=True)
    source_note = models.TextField(_("where the text and rules come from"), blank=True)
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices, default=Licence.FREE_TEXT)
    scoring_method = models.CharField(_("scoring"), max_length=10, choices=ScoringMethod.choices, default=ScoringMethod.SUM)
    min_score = models.DecimalField(_("lowest possible score"), max_digits=7, decimal_places=2, default=Decimal(0))
    max_score = models.DecimalField(_("highest possible score"), max_digits=7, decimal_places=2, default=Decimal(0))
    max_missing = models.PositiveSmallIntegerField(
        _("unanswered items allowed"), default=0,
        help_text=_("With this many unanswered items or fewer the score is prorated; with more there is no score."))
    missing_rule_note = models.TextField(_("missing-item rule and its source"), blank=True)
    bands = models.JSONField(_("score bands"), default=list, blank=True)  # [{"min", "max", "label", "label_es"}]
    safety_rules = models.JSONField(_("safety rules"), default=list, blank=True)  # [{"item", "above", "label"}]
    conversion = models.JSONField(_("raw-to-metric conversion table"), default=dict, blank=True)  # {"7": "7.00", ...}
    higher_is_better = models.BooleanField(_("higher scores are better"), default=False)
    is_published = models.BooleanField(_("published"), default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=models.Q(organisation__isnull=True),
                                    name="measures_shipped_code_unique"),
            models.UniqueConstraint(fields=["organisation", "code"], condition=models.Q(organisation__isnull=False),
                                    name="measures_org_code_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return (self.name_es if _spanish() and self.name_es else self.name)

    @property
    def is_shipped(self) -> bool:
        return self.organisation_id is None

    def instructions_in(self, language: str) -> str:
        return self.instructions_es if language == "es" and self.instructions_es else self.instructions

    def band_label(self, label: str, language: str | None = None) -> str:
        language = language or ("es" if _spanish() else "en")
        for band in self.bands:
            if band.get("label") == label:
                return str(band.get("label_es") or label) if language == "es" else label
        return label


class ResponseOption(TimeStamped):
    """One answer an item of this instrument offers (value + label). Items name their ``option_set``."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="options")
    option_set = models.CharField(_("option set"), max_length=20, default="default")
    value = models.SmallIntegerField(_("value"))
    label = models.CharField(_("label"), max_length=120)
    label_es = models.CharField(_("label (Spanish)"), max_length=120, blank=True)

    class Meta:
        ordering = ["option_set", "value"]
        constraints = [models.UniqueConstraint(fields=["instrument", "option_set", "value"],
                                               name="measures_option_unique_value")]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"

    def label_in(self, language: str) -> str:
        return self.label_es if language == "es" and self.label_es else self.label


class InstrumentItem(TimeStamped):
    """One question. ``text`` is blank for instruments shipped as scoring only (the organisation adds it)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"), blank=True)
    text_es = models.TextField(_("text (Spanish)"), blank=True)
    option_set = models.CharField(_("option set"), max_length=20, default="default")
    reverse_scored = models.BooleanField(_("reverse scored"), default=False)
    subscale = models.CharField(_("subscale"), max_length=60, blank=True)

    class Meta:
        ordering = ["instrument", "number"]
        constraints = [models.UniqueConstraint(fields=["instrument", "number"], name="measures_item_unique_number")]

    def __str__(self) -> str:
        return f"{self.instrument.code} {self.number}"


class ItemTextOverride(OrganisationScoped):
    """An organisation's own (licensed) wording of an item, e.g. for an instrument shipped as scoring only."""

    item = models.ForeignKey(InstrumentItem, on_delete=models.CASCADE, related_name="overrides")
    text = models.TextField(_("text"))
    text_es = models.TextField(_("text (Spanish)"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "item"], name="measures_override_once")]

    def __str__(self) -> str:
        return f"{self.item} ({self.organisation_id})"


# ------------------------------------------------------------------ schedules

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


# ------------------------------------------------------------------ administrations

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


class SurveyLink(OrganisationScoped):
    """A one-time link for a client to complete an administration alone. Only a SHA-256 hash of the token is kept;
    the link works once and expires."""

    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.EN)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"link {self.pk} for {self.administration_id}"


class SafetyAlert(OrganisationScoped):
    """A safety rule an answer triggered (e.g. PHQ-9 item 9 above 0), and who was told."""

    administration = models.ForeignKey(Administration, on_delete=models.PROTECT, related_name="alerts")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(_("rule"), max_length=200)
    notified = models.JSONField(default=list, blank=True)  # staff ids told at once
    acknowledged_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"alert {self.pk}: {self.rule}"


class MeasureReminder(models.Model):
    """One reminder for one administration and stage (window open / past due); unique, so never sent twice."""

    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["administration", "kind"], name="measures_reminder_once")]

    def __str__(self) -> str:
        return f"{self.administration_id}:{self.kind}"
