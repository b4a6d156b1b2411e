"""Readiness rounds: staff invited by role answer ORIC and AIM/IAM/FIM about peer support in their
service. Answers are stored per respondent (so a person answers once and can be reminded), but
every page and export shows aggregates only, for role groups of at least five respondents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import OrganisationScoped, Team, TimeStamped
from peerpath.implementation.reference.models import ReadinessInstrument, ReadinessItem

STAFF = settings.AUTH_USER_MODEL


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ReadinessRound(OrganisationScoped):
    """One readiness assessment of the organisation (or one team), opened by a leader."""

    title = models.CharField(_("title"), max_length=200)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("team (empty: whole organisation)"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(_("status"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    instruments = models.ManyToManyField(ReadinessInstrument, related_name="+")
    invited_roles = models.JSONField(default=list)  # Role values
    free_text_prompt = models.CharField(_("free-text question"), max_length=300, blank=True)
    opened_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")),
                                              name="impl_round_dates_ordered")]

    def __str__(self) -> str:
        return self.title


class ReadinessInvitation(TimeStamped):
    """A staff member asked to answer a round; the role is kept as it was when invited."""

    readiness_round = models.ForeignKey(ReadinessRound, on_delete=models.CASCADE, related_name="invitations")
    staff = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["readiness_round", "staff"], name="impl_invitation_once")]

    def __str__(self) -> str:
        return f"invitation {self.readiness_round_id}/{self.staff_id}"


class ReadinessResponse(TimeStamped):
    """One person's answers to a round, with the scores computed by each instrument's rules
    (``scores`` = {instrument code: {subscale or "total": mean or null}})."""

    readiness_round = models.ForeignKey(ReadinessRound, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20)
    comment = models.TextField(_("anything else you want to say"), blank=True)
    scores = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["readiness_round", "respondent"], name="impl_response_once")]

    def __str__(self) -> str:
        return f"response {self.readiness_round_id}"


class ReadinessAnswer(models.Model):
    """One answered item (unanswered items have no row)."""

    response = models.ForeignKey(ReadinessResponse, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ReadinessItem, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "item"], name="impl_answer_once")]

    def __str__(self) -> str:
        return f"{self.item_id}={self.value}"
