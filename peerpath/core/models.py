"""Tenancy, shared base models, the audit trail and notifications."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerpath.core.choices import AuditAction, TeamType


class TimeStamped(models.Model):
    """Creation/update times for every record; records are deactivated, never deleted."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        abstract = True


class Organisation(TimeStamped):
    """A service (or network) that runs peer support: the tenant boundary for all data."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(unique=True)
    require_mfa = models.BooleanField(
        _("require two-factor sign-in"), default=False,
        help_text=_("Staff must set up an authenticator app before using Peerpath."),
    )
    safety_protocol = models.TextField(
        _("safety protocol"), blank=True,
        help_text=_("Shown to staff when a client reports thoughts of self-harm."),
    )
    # How long a referral may wait for a decision, by urgency (the inbox flags those past it).
    referral_urgent_working_days = models.PositiveSmallIntegerField(
        _("urgent referrals: working days to act"), default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)])
    referral_soon_days = models.PositiveSmallIntegerField(
        _("soon referrals: days to act"), default=3, validators=[MinValueValidator(1), MaxValueValidator(30)])
    referral_routine_days = models.PositiveSmallIntegerField(
        _("routine referrals: days to act"), default=14, validators=[MinValueValidator(1), MaxValueValidator(90)])
    currency = models.CharField(
        _("currency"), max_length=3, default="USD",
        help_text=_("ISO 4217 code (USD, EUR, GBP, ...) used for amounts in reports and the cost model."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationScoped(TimeStamped):
    """A record that belongs to exactly one organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class Team(OrganisationScoped):
    """A care team (ACT, inpatient, ...) that clients and staff belong to."""

    name = models.CharField(_("name"), max_length=200)
    team_type = models.CharField(_("team type"), max_length=20, choices=TeamType.choices)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name_per_org")]

    def __str__(self) -> str:
        return self.name


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit trail cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail cannot be deleted.")


class AuditEvent(models.Model):
    """Who read or changed what, when and from where. Append-only.

    Sensitive values are never copied here: events say *that* a field changed, not to what.
    """

    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=40, blank=True)
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    path = models.CharField(max_length=300, blank=True)
    # Set by audit_record before hashing (not auto_now_add, which would overwrite it after).
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    detail = models.JSONField(default=dict, blank=True)
    # Tamper evidence: each event's hash covers its fields and the previous event's hash in
    # the same organisation's chain (see peerpath.core.audit_chain, `peerpath audit verify`).
    previous_hash = models.CharField(max_length=64, blank=True)
    chain_hash = models.CharField(max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "client", "-occurred_at"], name="audit_client_idx"),
            models.Index(fields=["organisation", "actor", "-occurred_at"], name="audit_actor_idx"),
            models.Index(fields=["organisation", "-id"], name="audit_chain_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.target_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Integrity guard, not business logic: an event once written never changes.
        if self.pk is not None:
            raise PermissionError("The audit trail cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail cannot be deleted.")


class AuditEventSubject(models.Model):
    """Each client an event showed (a list read shows many): the admin's search by client finds
    list reads too, not only events whose single ``client`` is set. Append-only like the event."""

    event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="subjects")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "client"], name="audit_subject_unique")]
        indexes = [models.Index(fields=["client", "event"], name="audit_subject_client_idx")]

    def __str__(self) -> str:
        return f"event {self.event_id} client {self.client_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit trail cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail cannot be deleted.")


class Notification(OrganisationScoped):
    """A message for one staff member, shown in the reader's own language.

    Stored as ``kind`` + ``params`` and rendered when read (``text``), never in the sender's
    language. ``message`` keeps the English rendering (for search) and the text of notifications
    written before kinds existed. The table kept its old name when the model moved from workforce.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=80, blank=True)
    params = models.JSONField(default=dict, blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)
    link = models.CharField(max_length=200, blank=True)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "workforce_notification"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return f"{self.kind or 'message'} → {self.recipient_id}"

    @property
    def text(self) -> str:
        from peerpath.core.notifications import render

        return render(self)
from peerpath.core.idempotency import IdempotencyKey  # noqa: E402,F401 - the model lives beside its mechanism
