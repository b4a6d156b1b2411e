"""Peer certification credentials, their expiry status, and the daily reminders before they lapse."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import OrganisationScoped

STAFF = settings.AUTH_USER_MODEL


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
