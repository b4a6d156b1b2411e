from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.core.choices import Role
from peerpath.core.models import Team
from peerpath.implementation.reference.selectors import readiness_instruments


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    team = forms.ModelChoiceField(label=_("Team (leave empty for the whole organisation)"),
                                  queryset=Team.objects.none(), required=False)
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}))
    instrument_codes = forms.MultipleChoiceField(label=_("Questionnaires"), widget=forms.CheckboxSelectMultiple)
    invited_roles = forms.MultipleChoiceField(label=_("Invite staff in these roles"), choices=Role.choices,
                                              widget=forms.CheckboxSelectMultiple)
    free_text_prompt = forms.CharField(label=_("Optional free-text question"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(organisation_id=user.organisation_id, is_active=True)  # type: ignore[attr-defined]
        self.fields["instrument_codes"].choices = [(i.code, i.localized("name")) for i in readiness_instruments()]  # type: ignore[attr-defined]
