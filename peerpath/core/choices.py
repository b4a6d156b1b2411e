from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a staff member does; decides what they may see and do."""

    PEER = "peer", _("Peer support worker")
    SUPERVISOR = "supervisor", _("Supervisor")
    CLINICIAN = "clinician", _("Clinician")
    LEADER = "leader", _("Program leader")
    EVALUATOR = "evaluator", _("Evaluator")
    ADMIN = "admin", _("Administrator")
    SYSTEM = "system", _("System (imports and scheduled jobs)")


class TeamType(models.TextChoices):
    ACT = "act", _("Assertive community treatment (ACT)")
    INPATIENT = "inpatient", _("Inpatient")
    OUTPATIENT = "outpatient", _("Outpatient")
    COMMUNITY = "community", _("Community")
    PRIMARY_CARE = "primary_care", _("Primary care")
    CRISIS = "crisis", _("Crisis")
    EMERGENCY = "emergency", _("Emergency department")


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DEACTIVATE = "deactivate", _("Deactivated")
    EXPORT = "export", _("Exported")
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Sign-in failed")
    TOKEN = "token", _("API token")
