"""Supervision sessions, each organisation's supervision policy, who supervises whom, and overdue alerts."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.models import StaffMember
from peerpath.workforce.models import (
    SupervisionKind,
    SupervisionTopic,
)
from peerpath.workforce.staff.forms import DATE, StaffMultipleField


class SupervisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SupervisionKind.choices)
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    attendees = StaffMultipleField(label=_("Attendees"), queryset=StaffMember.objects.none(),
                                   widget=forms.CheckboxSelectMultiple)
    topics = forms.MultipleChoiceField(label=_("Topics"), choices=SupervisionTopic.choices,
                                       widget=forms.CheckboxSelectMultiple, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    action_items = forms.CharField(label=_("Action items"), widget=forms.Textarea(attrs={"rows": 2}),
                                   required=False)

    def __init__(self, *args: Any, staff_queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(Any, self.fields["attendees"]).queryset = staff_queryset
