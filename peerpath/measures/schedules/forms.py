"""Measure schedules: which instruments at which timepoints, client enrolments, the daily due/overdue/missed scan and follow-up rates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerpath.measures.choices import Timepoint


class EnrolForm(forms.Form):
    schedule = forms.ModelChoiceField(queryset=None, label=_("Schedule"))  # type: ignore[arg-type]
    start_on = forms.DateField(label=_("Start of peer support"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, schedules: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["schedule"].queryset = schedules  # type: ignore[attr-defined]
        self.fields["start_on"].initial = timezone.localdate()


class ScheduleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    team = forms.ModelChoiceField(queryset=None, label=_("Program (team)"), required=False)  # type: ignore[arg-type]
    instruments = forms.ModelMultipleChoiceField(queryset=None, label=_("Instruments"),  # type: ignore[arg-type]
                                                 widget=forms.CheckboxSelectMultiple)
    target_followup_rate = forms.IntegerField(label=_("Target follow-up rate (%)"), min_value=0, max_value=100, initial=80)

    def __init__(self, *args: Any, teams: Any, instruments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["instruments"].queryset = instruments  # type: ignore[attr-defined]


class TimepointForm(forms.Form):
    kind = forms.ChoiceField(label=_("Time point"), choices=Timepoint.choices)
    day_offset = forms.IntegerField(label=_("Due on day"), min_value=0, max_value=3650, initial=30)
    window_before_days = forms.IntegerField(label=_("Window opens days before"), min_value=0, max_value=3650, initial=7)
    window_after_days = forms.IntegerField(label=_("Window closes days after"), min_value=0, max_value=3650, initial=14)
