"""Fixed vocabularies of the measures module."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Licence(models.TextChoices):
    FREE_TEXT = "free_text", _("Item text may be shown (free to use)")
    SCORING_ONLY = "scoring_only", _("Scoring only: the organisation adds its licensed item text")


class ScoringMethod(models.TextChoices):
    SUM = "sum", _("Sum of items")
    MEAN = "mean", _("Mean of items")


class Timepoint(models.TextChoices):
    INTAKE = "intake", _("Intake")
    FOLLOWUP = "followup", _("Follow-up")
    DISCHARGE = "discharge", _("Discharge")


class AdministrationStatus(models.TextChoices):
    DUE = "due", _("Due")
    COMPLETED = "completed", _("Completed")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


class Mode(models.TextChoices):
    WITH_PEER = "with_peer", _("Entered with a staff member")
    SELF = "self", _("Completed by the client alone")


class Language(models.TextChoices):
    EN = "en", "English"
    ES = "es", "Español"


class ReminderKind(models.TextChoices):
    DUE = "due", _("Window open")
    OVERDUE = "overdue", _("Past the due date")


class SafetyAlertKind(models.TextChoices):
    ANSWER = "answer", _("A safety answer")
    UNANSWERED = "unanswered", _("A safety question left unanswered on the client's own link")
