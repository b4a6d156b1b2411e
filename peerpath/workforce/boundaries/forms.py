"""Boundary consultations: a peer asks about a boundary question, a supervisor answers; the quarterly trend."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.workforce.models import (
    BoundaryCategory,
)


class BoundaryForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=BoundaryCategory.choices)
    question = forms.CharField(label=_("Your question or what happened"), widget=forms.Textarea(attrs={"rows": 4}),
                               max_length=5000)


class BoundaryResponseForm(forms.Form):
    response = forms.CharField(label=_("Response"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    close = forms.BooleanField(label=_("Close the consultation"), required=False, initial=True)
