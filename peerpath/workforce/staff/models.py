"""The workforce home, staff profiles, who may see whom, notices and background job runs (shared by every area)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import OrganisationScoped

STAFF = settings.AUTH_USER_MODEL


class Notification(OrganisationScoped):
    recipient = models.ForeignKey(STAFF, on_delete=models.CASCADE, related_name="workforce_notifications")
    message = models.CharField(_("message"), max_length=300)
    link = models.CharField(max_length=200, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
