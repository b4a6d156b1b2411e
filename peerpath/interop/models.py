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


class SystemAccount(OrganisationScoped):
    """The organisation's system actor: the staff record that imports, exports and EHR systems act as.

    Core has no system actor yet; this one is a ``StaffMember`` with the leader role (organisation-wide reads,
    may register clients and referrals), no usable password and no teams, and it is never listed as a
    practitioner. Named ``system-<organisation slug>``."""

    staff = models.OneToOneField("accounts.StaffMember", on_delete=models.PROTECT, related_name="system_account")

    def __str__(self) -> str:
        return self.staff.username


class SystemClient(OrganisationScoped):
    """An outside system (an EHR, the funder's warehouse) registered by an admin for SMART Backend Services:
    its public keys (JWK Set) and the scopes it may ask for. It acts as the organisation's system account."""

    name = models.CharField(_("name"), max_length=200)
    client_id = models.CharField(_("client id"), max_length=64, unique=True)
    jwks = models.JSONField(_("public keys (JWK Set)"))
    scopes = models.CharField(_("allowed scopes"), max_length=500, default="system/*.read")
    registered_by = models.ForeignKey("accounts.StaffMember", on_delete=models.PROTECT, related_name="+")
    last_token_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SystemAccessToken(models.Model):
    """A short-lived access token issued to a system client; only its SHA-256 hash is stored."""

    client = models.ForeignKey(SystemClient, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.CharField(max_length=500)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"token of {self.client_id} until {self.expires_at:%H:%M}"


class UsedAssertion(models.Model):
    """A client assertion's ``jti``, kept until the assertion expires so it cannot be replayed."""

    client = models.ForeignKey(SystemClient, on_delete=models.CASCADE, related_name="+")
    jti = models.CharField(max_length=200)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "jti"], name="interop_assertion_once")]

    def __str__(self) -> str:
        return self.jti


class BulkExport(OrganisationScoped):
    """One FHIR Bulk Data ``$export`` request: what was asked, how far the job got, and the NDJSON files it wrote
    (one per resource type), which expire and are served only to the requester with a token."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Completed")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    requested_by = models.ForeignKey("accounts.StaffMember", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("level"), max_length=10)  # system, patient, group
    group_team = models.ForeignKey("core.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    types = models.JSONField(_("resource types"), default=list)
    since = models.DateTimeField(_("changed since"), null=True, blank=True)
    request_url = models.CharField(max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.CharField(_("progress"), max_length=100, blank=True)
    transaction_time = models.DateTimeField(null=True, blank=True)
    output = models.JSONField(default=list, blank=True)  # [{"type", "count"}]
    error = models.TextField(blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"$export {self.level} ({self.get_status_display()})"
