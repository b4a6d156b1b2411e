"""CFIR 2.0 ratings by the implementation team (Damschroder & Lowery 2013 rating rules: −2..+2,
with "mixed" and "missing" kept apart from 0), each with its evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import OrganisationScoped, Team, TimeStamped
from peerpath.implementation.reference.models import CfirConstruct, ReferenceDataset

STAFF = settings.AUTH_USER_MODEL


class RatingValue(models.TextChoices):
    """What a rating says: a valence (with ``score``), mixed influence, or not enough data."""

    RATED = "rated", _("Rated")
    MIXED = "mixed", _("Mixed")
    MISSING = "missing", _("Missing (not enough data)")


class CfirRatingRound(OrganisationScoped):
    """One rating of every construct for the organisation or a team, at one point in time."""

    title = models.CharField(_("title"), max_length=200)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("team (empty: whole organisation)"))
    rated_on = models.DateField(_("rated on"))
    dataset = models.ForeignKey(ReferenceDataset, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-rated_on", "-id"]

    def __str__(self) -> str:
        return self.title


class CfirRating(TimeStamped):
    """The rating of one construct (for Individuals characteristics: of one role) in a round."""

    rating_round = models.ForeignKey(CfirRatingRound, on_delete=models.CASCADE, related_name="ratings")
    construct = models.ForeignKey(CfirConstruct, on_delete=models.PROTECT, related_name="+")
    role = models.ForeignKey(CfirConstruct, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("rating"), max_length=8, choices=RatingValue.choices)
    score = models.SmallIntegerField(_("valence"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    rated_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rating_round", "construct", "role"], name="impl_rating_once",
                                    nulls_distinct=False),
            models.CheckConstraint(
                condition=(models.Q(value="rated", score__gte=-2, score__lte=2)
                           | (~models.Q(value="rated") & models.Q(score__isnull=True))),
                name="impl_rating_score_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.construct_id}: {self.score if self.value == RatingValue.RATED else self.value}"
