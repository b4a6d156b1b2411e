"""Instruments: the shipped library and an organisation's own, built without code by an admin (options, items, bands, safety rules, per-organisation item text)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import Organisation, OrganisationScoped, TimeStamped
from peerpath.measures.choices import (
    Licence,
    ScoringMethod,
)


def _spanish() -> bool:
    return (get_language() or "en").startswith("es")


class Instrument(TimeStamped):
    """A questionnaire and its scoring rules. ``organisation`` empty = shipped with Peerpath, read-only."""

    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    version = models.CharField(_("version"), max_length=40, blank=True)
    instructions = models.TextField(_("instructions shown above the questions"), blank=True)
    instructions_es = models.TextField(_("instructions (Spanish)"), blank=True)
    recall_period = models.CharField(_("recall period"), max_length=100, blank=True)
    citation = models.TextField(_("citation"), blank=True)
    attribution = models.TextField(_("copyright and attribution"), blank=True)
    source_note = models.TextField(_("where the text and rules come from"), blank=True)
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices, default=Licence.FREE_TEXT)
    scoring_method = models.CharField(_("scoring"), max_length=10, choices=ScoringMethod.choices, default=ScoringMethod.SUM)
    min_score = models.DecimalField(_("lowest possible score"), max_digits=7, decimal_places=2, default=Decimal(0))
    max_score = models.DecimalField(_("highest possible score"), max_digits=7, decimal_places=2, default=Decimal(0))
    max_missing = models.PositiveSmallIntegerField(
        _("unanswered items allowed"), default=0,
        help_text=_("With this many unanswered items or fewer the score is prorated; with more there is no score."))
    missing_rule_note = models.TextField(_("missing-item rule and its source"), blank=True)
    bands = models.JSONField(_("score bands"), default=list, blank=True)  # [{"min", "max", "label", "label_es"}]
    safety_rules = models.JSONField(_("safety rules"), default=list, blank=True)  # [{"item", "above", "label"}]
    conversion = models.JSONField(_("raw-to-metric conversion table"), default=dict, blank=True)  # {"7": "7.00", ...}
    higher_is_better = models.BooleanField(_("higher scores are better"), default=False)
    is_published = models.BooleanField(_("published"), default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=models.Q(organisation__isnull=True),
                                    name="measures_shipped_code_unique"),
            models.UniqueConstraint(fields=["organisation", "code"], condition=models.Q(organisation__isnull=False),
                                    name="measures_org_code_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return (self.name_es if _spanish() and self.name_es else self.name)

    @property
    def is_shipped(self) -> bool:
        return self.organisation_id is None

    def instructions_in(self, language: str) -> str:
        return self.instructions_es if language == "es" and self.instructions_es else self.instructions

    def band_label(self, label: str, language: str | None = None) -> str:
        language = language or ("es" if _spanish() else "en")
        for band in self.bands:
            if band.get("label") == label:
                return str(band.get("label_es") or label) if language == "es" else label
        return label


class ResponseOption(TimeStamped):
    """One answer an item of this instrument offers (value + label). Items name their ``option_set``."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="options")
    option_set = models.CharField(_("option set"), max_length=20, default="default")
    value = models.SmallIntegerField(_("value"))
    label = models.CharField(_("label"), max_length=120)
    label_es = models.CharField(_("label (Spanish)"), max_length=120, blank=True)

    class Meta:
        ordering = ["option_set", "value"]
        constraints = [models.UniqueConstraint(fields=["instrument", "option_set", "value"],
                                               name="measures_option_unique_value")]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"

    def label_in(self, language: str) -> str:
        return self.label_es if language == "es" and self.label_es else self.label


class InstrumentItem(TimeStamped):
    """One question. ``text`` is blank for instruments shipped as scoring only (the organisation adds it)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"), blank=True)
    text_es = models.TextField(_("text (Spanish)"), blank=True)
    option_set = models.CharField(_("option set"), max_length=20, default="default")
    reverse_scored = models.BooleanField(_("reverse scored"), default=False)
    subscale = models.CharField(_("subscale"), max_length=60, blank=True)

    class Meta:
        ordering = ["instrument", "number"]
        constraints = [models.UniqueConstraint(fields=["instrument", "number"], name="measures_item_unique_number")]

    def __str__(self) -> str:
        return f"{self.instrument.code} {self.number}"


class ItemTextOverride(OrganisationScoped):
    """An organisation's own (licensed) wording of an item, e.g. for an instrument shipped as scoring only."""

    item = models.ForeignKey(InstrumentItem, on_delete=models.CASCADE, related_name="overrides")
    text = models.TextField(_("text"))
    text_es = models.TextField(_("text (Spanish)"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "item"], name="measures_override_once")]

    def __str__(self) -> str:
        return f"{self.item} ({self.organisation_id})"
