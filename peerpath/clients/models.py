"""Clients, referrals to peer support, and peer–client matches."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.models import ExperienceArea
from peerpath.clients.choices import (
    ContactMethod,
    DiagnosisGroup,
    Modality,
    PeerGenderPreference,
    ReferralStatus,
    Sex,
    Urgency,
)
from peerpath.core.models import OrganisationScoped, Team
from peerpath.lib.search import search_text


class ClientManager(models.Manager["Client"]):
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Client]:  # type: ignore[override]
        objs = list(objs)
        for obj in objs:
            obj.search_text = obj.build_search_text()
        return super().bulk_create(objs, *args, **kwargs)


class Client(OrganisationScoped):
    """A person who uses the service and may receive peer support.

    ``search_text`` is derived (names, record number, birth date, phone digits, folded by
    ``lib.search``) and kept in step on every ``save`` and ``bulk_create``; a queryset ``update`` of
    those fields must call ``refresh_search_text`` (see docs/search.md)."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    record_number = models.CharField(_("record number"), max_length=40, blank=True)
    language = models.CharField(_("preferred language"), max_length=8, default="en")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="clients", verbose_name=_("team"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    preferred_contact_method = models.CharField(_("preferred contact method"), max_length=12, choices=ContactMethod.choices,
                                                blank=True)
    preferred_contact_times = models.CharField(_("best times to reach"), max_length=120, blank=True)
    text_consent = models.BooleanField(_("agreed to receive text messages"), default=False)
    # Optional baseline characteristics (blank = not recorded): the evaluation's balance table and adjusted comparison.
    sex = models.CharField(_("sex (as recorded)"), max_length=12, choices=Sex.choices, blank=True)
    diagnosis_group = models.CharField(_("primary diagnosis group"), max_length=16, choices=DiagnosisGroup.choices,
                                       blank=True)
    search_text = models.TextField(editable=False, default="")

    objects = ClientManager()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["organisation", "team"], name="client_org_team_idx")]

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}".strip()

    def __str__(self) -> str:
        return self.display_name

    def build_search_text(self) -> str:
        return search_text(names=[self.first_name, self.last_name, self.preferred_name], record_number=self.record_number,
                           date_of_birth=self.date_of_birth, phones=[self.phone])

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


class Referral(OrganisationScoped):
    """A request, usually from a clinician, that a client be offered peer support."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="referrals")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="referrals")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason for referral"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)
    preferred_peer_gender = models.CharField(
        _("preferred gender of peer"), max_length=20, choices=PeerGenderPreference.choices, blank=True
    )
    preferred_experiences = models.ManyToManyField(
        ExperienceArea, blank=True, related_name="+", verbose_name=_("experiences the client would like a peer to share")
    )
    preferred_modality = models.CharField(_("preferred modality"), max_length=12, choices=Modality.choices, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.NEW)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    close_reason = models.TextField(_("reason for closing"), blank=True)
    assigned_peer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "team", "status"], name="referral_inbox_idx")]

    def __str__(self) -> str:
        return f"Referral of {self.client} ({self.get_status_display()})"


class Match(OrganisationScoped):
    """A peer working with a client: the peer's caseload is their active matches."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="matches")
    peer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="matches")
    referral = models.ForeignKey(Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="matches")
    started_on = models.DateField(_("started"))
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    # The first contact closes the referral's loop: the referrer sees when their client was first seen.
    first_contact_at = models.DateTimeField(_("first contact"), null=True, blank=True)
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    next_contact_on = models.DateField(_("next planned contact"), null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]
        indexes = [
            models.Index(fields=["peer", "is_active", "next_contact_on"], name="match_peer_next_idx"),
            models.Index(fields=["client", "is_active"], name="match_client_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "peer"], condition=models.Q(is_active=True), name="match_one_active_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.peer} ↔ {self.client}"
