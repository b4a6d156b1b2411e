"""Peer workforce: role definitions, training, credentials, supervision, boundary consultations,
anonymous pulse surveys and pay terms."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import (
    Notification,  # noqa: F401  # moved to core; re-exported during the transition
    OrganisationScoped,
    Team,
    TimeStamped,
)

STAFF = settings.AUTH_USER_MODEL


# ------------------------------------------------------------------ role definitions

class RoleDefinitionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("In consultation")
    ACTIVE = "active", _("Active")
    SUPERSEDED = "superseded", _("Superseded")


class ReviewerGroup(models.TextChoices):
    PEERS = "peers", _("Peer workers")
    TEAM_LEADERS = "team_leaders", _("Team leaders")
    STAFF = "staff", _("Other staff")


class RoleDefinition(OrganisationScoped):
    """One version of a co-designed peer role definition."""

    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=RoleDefinitionStatus.choices,
                              default=RoleDefinitionStatus.DRAFT)
    purpose = models.TextField(_("purpose"))
    peer_functions = models.TextField(_("peer-specific functions"))
    generic_duties = models.TextField(_("generic duties allowed"), blank=True)
    not_the_role = models.TextField(_("what the role is not"))
    team_type = models.CharField(_("team type"), max_length=20, blank=True)
    supervision_arrangement = models.TextField(_("supervision arrangement"))
    hours_and_flexibility = models.TextField(_("hours and flexibility"))
    pay_band = models.CharField(_("pay band"), max_length=100)
    record_access = models.TextField(_("medical-record access"))
    disclosure_control = models.TextField(_("how the worker controls disclosure of their own history"))
    drafted_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title", "-version"]
        constraints = [models.UniqueConstraint(fields=["organisation", "title", "version"],
                                               name="workforce_roledef_unique_version")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class RoleDefinitionReview(TimeStamped):
    """A named person consulted on a role definition version, for one group; they may comment and approve."""

    definition = models.ForeignKey(RoleDefinition, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    group = models.CharField(_("group"), max_length=20, choices=ReviewerGroup.choices)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["group", "id"]
        constraints = [models.UniqueConstraint(fields=["definition", "reviewer"], name="workforce_review_once")]


class RoleDefinitionComment(TimeStamped):
    definition = models.ForeignKey(RoleDefinition, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))

    class Meta:
        ordering = ["created_at", "id"]


# ------------------------------------------------------------------ training

class CourseTopic(models.TextChoices):
    PEER_ROLE = "peer_role", _("Role of the peer worker")
    COMMUNICATION = "communication", _("Communication")
    SOCIAL_SKILLS = "social_skills", _("Social skills")
    CRISIS = "crisis", _("Crisis intervention")
    RISK = "risk", _("Risk factors")
    RELAPSE = "relapse", _("Relapse prevention")
    PROFESSIONALISM = "professionalism", _("Professionalism")
    BOUNDARIES = "boundaries", _("Boundaries")
    PEER_SUPPORT_FOR_STAFF = "for_staff", _("Peer support for non-peer staff: what it is, is not, and the evidence")
    SUPERVISING_PEERS = "supervising", _("Supervising peer workers")


class Course(OrganisationScoped):
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=20, choices=CourseTopic.choices)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class CourseRequirement(OrganisationScoped):
    """A course required for a role, optionally only on one team."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="requirements")
    role = models.CharField(_("role"), max_length=20)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "role", "team"], name="workforce_requirement_once")]


def certificate_path(instance: TrainingCompletion, filename: str) -> str:
    return f"workforce/certificates/{instance.organisation_id}/{instance.staff_id}/{filename}"


class TrainingCompletion(OrganisationScoped):
    staff = models.ForeignKey(STAFF, on_delete=models.CASCADE, related_name="training_completions")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField(_("completed on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    certificate = models.FileField(_("certificate"), upload_to=certificate_path, blank=True)
    certificate_type = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-completed_on", "-id"]
        indexes = [models.Index(fields=["staff", "course"], name="workforce_completion_idx")]


# ------------------------------------------------------------------ credentials

class Credential(OrganisationScoped):
    staff = models.ForeignKey(STAFF, on_delete=models.CASCADE, related_name="credentials")
    name = models.CharField(_("credential"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=200)
    number = models.CharField(_("number"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    ce_hours_required = models.DecimalField(_("continuing-education hours required"), max_digits=6,
                                            decimal_places=1, default=0)
    ce_hours_earned = models.DecimalField(_("continuing-education hours earned"), max_digits=6,
                                          decimal_places=1, default=0)

    class Meta:
        ordering = ["expires_on", "id"]
        indexes = [models.Index(fields=["is_active", "expires_on", "id"], name="workforce_credential_scan")]
        constraints = [models.CheckConstraint(condition=models.Q(expires_on__gt=models.F("issued_on")),
                                              name="workforce_credential_dates_ordered")]

    def __str__(self) -> str:
        return self.name


class CredentialReminder(models.Model):
    """One reminder sent for one credential at one threshold; the unique constraint makes sending twice impossible."""

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="reminders")
    threshold_days = models.PositiveSmallIntegerField()
    expires_on = models.DateField()  # the expiry the reminder was about: a renewed credential is reminded again
    sent_at = models.DateTimeField(auto_now_add=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["credential", "expires_on", "threshold_days"],
                                               name="workforce_reminder_once")]

    def __str__(self) -> str:
        return f"{self.credential_id}@{self.threshold_days}d"


class SupervisionOverdueAlert(models.Model):
    """One overdue-supervision alert per peer and due date (idempotent)."""

    peer = models.ForeignKey(STAFF, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["peer", "due_on"], name="workforce_overdue_alert_once")]

    def __str__(self) -> str:
        return f"{self.peer_id}@{self.due_on}"


# ------------------------------------------------------------------ supervision

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


# ------------------------------------------------------------------ boundary consultations

class BoundaryCategory(models.TextChoices):
    SELF_DISCLOSURE = "self_disclosure", _("Planned self-disclosure")
    CROSSING = "crossing", _("Boundary crossing")
    VIOLATION = "violation", _("Possible boundary violation")
    GIFT = "gift", _("Gift")
    OUTSIDE_CONTACT = "outside_contact", _("Contact outside work")


class BoundaryConsultation(OrganisationScoped):
    raised_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("category"), max_length=20, choices=BoundaryCategory.choices)
    question = models.TextField(_("question or event"))
    response = models.TextField(_("supervisor response"), blank=True)
    responded_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


# ------------------------------------------------------------------ pulse surveys

class SurveyRound(OrganisationScoped):
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")),
                                              name="workforce_round_dates_ordered")]

    def __str__(self) -> str:
        return self.title


class SurveyReceipt(models.Model):
    """That a person has responded to a round (for reminders). Holds nothing that leads to the answers."""

    survey_round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="receipts")
    staff = models.ForeignKey(STAFF, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey_round", "staff"], name="workforce_receipt_once")]

    def __str__(self) -> str:
        return f"receipt {self.survey_round_id}"


class SurveyResponse(models.Model):
    """Anonymous answers. Random UUID key (no order), no person, no time: only the round and the team
    (results are shown only for cells of five or more)."""

    id = models.UUIDField(primary_key=True)
    survey_round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answers = models.JSONField()

    def __str__(self) -> str:
        return f"response {self.survey_round_id}"


# ------------------------------------------------------------------ pay

class EmploymentTerms(TimeStamped):
    staff = models.OneToOneField(STAFF, on_delete=models.CASCADE, related_name="employment_terms")
    hourly_pay = models.DecimalField(_("pay per hour"), max_digits=8, decimal_places=2)
    weekly_hours = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1)
