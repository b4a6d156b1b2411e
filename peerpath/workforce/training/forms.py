"""The training catalogue, required courses per role and team, completions with certificates, and coverage."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.models import StaffMember
from peerpath.core.choices import Role
from peerpath.core.models import Team
from peerpath.workforce.models import (
    Course,
    CourseTopic,
)
from peerpath.workforce.staff.forms import DATE, StaffChoiceField


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    topic = forms.ChoiceField(label=_("Topic"), choices=CourseTopic.choices)
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_value=1000, decimal_places=1)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RequirementForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    team = forms.ModelChoiceField(label=_("Team (leave empty for every team)"), queryset=Team.objects.none(),
                                  required=False)

    def __init__(self, *args: Any, organisation_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(Any, self.fields["course"]).queryset = Course.objects.filter(organisation_id=organisation_id, is_active=True)
        cast(Any, self.fields["team"]).queryset = Team.objects.filter(organisation_id=organisation_id, is_active=True)


class CompletionForm(forms.Form):
    staff = StaffChoiceField(label=_("Staff member"), queryset=StaffMember.objects.none())
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.none())
    completed_on = forms.DateField(label=_("Completed on"), widget=DATE)
    hours = forms.DecimalField(label=_("Hours (leave empty for the course's hours)"), min_value=0, max_value=1000,
                               decimal_places=1, required=False)
    certificate = forms.FileField(label=_("Certificate (PDF, PNG or JPEG, up to 5 MB)"), required=False)

    def __init__(self, *args: Any, staff_queryset: Any, organisation_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(Any, self.fields["staff"]).queryset = staff_queryset
        cast(Any, self.fields["course"]).queryset = Course.objects.filter(organisation_id=organisation_id, is_active=True)
