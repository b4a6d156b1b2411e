"""One-time survey links: a client answers an administration on their own device, without signing in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import OrganisationScoped
from peerpath.measures.administrations.models import Administration
from peerpath.measures.choices import (
    Language,
)

STAFF = settings.AUTH_USER_MODEL


class SurveyLink(OrganisationScoped):
    """A one-time link for a client to complete an administration alone. Only a SHA-256 hash of the token is kept;
    the link works once and expires."""

    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.EN)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"link {self.pk} for {self.administration_id}"
