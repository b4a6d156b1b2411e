"""Boundary consultations: a peer asks about a boundary question, a supervisor answers; the quarterly trend."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import OrganisationScoped

STAFF = settings.AUTH_USER_MODEL


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
