"""Staff surveys (peer role agreement and workplace stigma), answered anonymously, shown for groups of at least five."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import OrganisationScoped, Team

STAFF = settings.AUTH_USER_MODEL


class SurveyRound(OrganisationScoped):
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")),
                                              name="workforce_round_dates_ordered")]

    def __str__(self) -> str:
        return self.title


class SurveyReceipt(models.Model):
    """That a person has responded to a round (for reminders). Holds nothing that leads to the answers."""

    survey_round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="receipts")
    staff = models.ForeignKey(STAFF, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey_round", "staff"], name="workforce_receipt_once")]

    def __str__(self) -> str:
        return f"receipt {self.survey_round_id}"


class SurveyResponse(models.Model):
    """Anonymous answers. Random UUID key (no order), no person, no time: only the round and the team
    (results are shown only for cells of five or more)."""

    id = models.UUIDField(primary_key=True)
    survey_round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="responses")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answers = models.JSONField()

    def __str__(self) -> str:
        return f"response {self.survey_round_id}"
