"""Instruments: the shipped library and an organisation's own, built without code by an admin (options, items, bands, safety rules, per-organisation item text)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.measures.choices import ScoringMethod


class InstrumentForm(forms.Form):
    code = forms.SlugField(label=_("Short code"), max_length=40, help_text=_("e.g. hope-check"))
    name = forms.CharField(label=_("Name"), max_length=200)
    name_es = forms.CharField(label=_("Name in Spanish"), max_length=200, required=False)
    instructions = forms.CharField(label=_("Instructions shown above the questions"), widget=forms.Textarea(attrs={"rows": 2}),
                                   required=False)
    instructions_es = forms.CharField(label=_("Instructions in Spanish"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    recall_period = forms.CharField(label=_("Recall period"), max_length=100, required=False, help_text=_("e.g. the last 2 weeks"))
    scoring_method = forms.ChoiceField(label=_("Scoring"), choices=ScoringMethod.choices)
    max_missing = forms.IntegerField(label=_("Unanswered questions allowed (prorated)"), min_value=0, max_value=50, initial=0)
    higher_is_better = forms.BooleanField(label=_("Higher scores are better"), required=False)
    citation = forms.CharField(label=_("Citation or source"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    attribution = forms.CharField(label=_("Copyright and attribution"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class OptionForm(forms.Form):
    value = forms.IntegerField(label=_("Value"), min_value=-100, max_value=100)
    label = forms.CharField(label=_("Answer"), max_length=120)
    label_es = forms.CharField(label=_("Answer in Spanish"), max_length=120, required=False)


class ItemForm(forms.Form):
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)
    text_es = forms.CharField(label=_("Question in Spanish"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
                              required=False)
    reverse_scored = forms.BooleanField(label=_("Reverse scored"), required=False)
    subscale = forms.CharField(label=_("Subscale"), max_length=60, required=False)


class BandForm(forms.Form):
    low = forms.DecimalField(label=_("From score"), max_digits=7, decimal_places=2)
    high = forms.DecimalField(label=_("To score"), max_digits=7, decimal_places=2)
    label = forms.CharField(label=_("Band"), max_length=60)
    label_es = forms.CharField(label=_("Band in Spanish"), max_length=60, required=False)


class SafetyRuleForm(forms.Form):
    item_number = forms.IntegerField(label=_("Question number"), min_value=1, max_value=500)
    above = forms.IntegerField(label=_("Alert when the answer is above"), min_value=-100, max_value=100, initial=0)
    label = forms.CharField(label=_("What the alert says"), max_length=200)


class ItemTextForm(forms.Form):
    text = forms.CharField(label=_("Licensed text"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)
    text_es = forms.CharField(label=_("Licensed text in Spanish"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
                              required=False)
