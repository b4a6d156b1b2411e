"""The training catalogue, required courses per role and team, completions with certificates, and coverage."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import OrganisationScoped, Team

STAFF = settings.AUTH_USER_MODEL


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
