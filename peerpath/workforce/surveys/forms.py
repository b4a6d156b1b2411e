"""Staff surveys (peer role agreement and workplace stigma), answered anonymously, shown for groups of at least five."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.workforce.staff.forms import DATE
from peerpath.workforce.surveys import questions as survey


class SurveyRoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    opens_on = forms.DateField(label=_("Opens on"), widget=DATE)
    closes_on = forms.DateField(label=_("Closes on"), widget=DATE)


class SurveyForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, text, _group in survey.AGREEMENT_ITEMS:
            self.fields[key] = forms.TypedChoiceField(label=text, choices=survey.SCALE, coerce=int,
                                                      widget=forms.RadioSelect)
        for key, label in survey.STIGMA_SOURCES:
            self.fields[key] = forms.BooleanField(
                label=_("In the last three months I experienced stigma or discrimination from: %(who)s")
                % {"who": label}, required=False)
        for key, label in survey.STIGMA_FORMS:
            self.fields[key] = forms.BooleanField(
                label=_("It affected: %(what)s") % {"what": label}, required=False)
