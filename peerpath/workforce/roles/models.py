"""Peer role definitions (drafted, reviewed, approved, versioned, printed) and pay equity against employment terms."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import OrganisationScoped, TimeStamped

STAFF = settings.AUTH_USER_MODEL


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


class EmploymentTerms(TimeStamped):
    staff = models.OneToOneField(STAFF, on_delete=models.CASCADE, related_name="employment_terms")
    hourly_pay = models.DecimalField(_("pay per hour"), max_digits=8, decimal_places=2)
    weekly_hours = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1)
