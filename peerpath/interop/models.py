"""Records of the interoperability module: the EHR's identifiers for Peerpath's records."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import OrganisationScoped


class ExternalIdentifier(OrganisationScoped):
    """Another system's identifier (system + value) for one of Peerpath's records, per organisation.

    Imports look records up by it first, so re-sending the same Bundle updates instead of duplicating."""

    system = models.CharField(_("identifier system"), max_length=255)
    value = models.CharField(_("identifier value"), max_length=255)
    resource_type = models.CharField(_("FHIR resource type"), max_length=40)
    target_id = models.PositiveBigIntegerField(_("Peerpath record id"))

    class Meta:
        ordering = ["system", "value"]
        constraints = [models.UniqueConstraint(fields=["organisation", "system", "value", "resource_type"],
                                               name="interop_external_identifier_unique")]
        indexes = [models.Index(fields=["organisation", "resource_type", "target_id"], name="interop_extid_target_idx")]

    def __str__(self) -> str:
        return f"{self.system}|{self.value} → {self.resource_type}/{self.target_id}"


class BundleImport(OrganisationScoped):
    """One transaction or batch Bundle an EHR sent: how many entries, how many were written, and the
    OperationOutcome of every refused entry (kept so an admin can see what was rejected and why)."""

    submitted_by = models.ForeignKey("accounts.StaffMember", on_delete=models.PROTECT, related_name="+")
    bundle_type = models.CharField(_("bundle type"), max_length=20)
    entries_total = models.PositiveIntegerField(_("entries"), default=0)
    entries_written = models.PositiveIntegerField(_("entries written"), default=0)
    succeeded = models.BooleanField(_("succeeded"), default=False)
    outcomes = models.JSONField(_("refused entries"), default=list, blank=True)  # [{"entry", "outcome"}]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.bundle_type} of {self.entries_total} ({self.created_at:%Y-%m-%d %H:%M})"
