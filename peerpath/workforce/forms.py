"""Forms only parse and shape input; the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.models import StaffMember
from peerpath.core.choices import Role, TeamType
from peerpath.core.models import Team
from peerpath.workforce import survey
from peerpath.workforce.models import (
    BoundaryCategory,
    Course,
    CourseTopic,
    ReviewerGroup,
    RoleDefinition,
    SupervisionKind,
    SupervisionTopic,
)
from peerpath.workforce.services import ROLE_TEMPLATE

DATE = forms.DateInput(attrs={"type": "date"})


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: StaffMember) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.get_role_display()})"


class StaffMultipleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: StaffMember) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.get_role_display()})"


def _staff(organisation_id: int) -> Any:
    return StaffMember.objects.filter(organisation_id=organisation_id, is_active=True).order_by(
        "last_name", "first_name", "username")


class RoleDefinitionForm(forms.ModelForm):
    team_type = forms.ChoiceField(label=_("team type"), choices=[("", _("Any / other"))] + TeamType.choices,
                                  required=False)

    class Meta:
        model = RoleDefinition
        fields = ["title", "team_type", "purpose", "peer_functions", "generic_duties", "not_the_role",
                  "supervision_arrangement", "hours_and_flexibility", "pay_band", "record_access",
                  "disclosure_control"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in ROLE_TEMPLATE if name != "pay_band"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("instance") is None:
            kwargs.setdefault("initial", {"title": _("Peer support worker"), **ROLE_TEMPLATE})
        super().__init__(*args, **kwargs)


class SendForm(forms.Form):
    def __init__(self, *args: Any, organisation_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = _staff(organisation_id)
        for value, label in ReviewerGroup.choices:
            queryset = staff.filter(role=Role.PEER) if value == ReviewerGroup.PEERS else staff
            self.fields[value] = StaffMultipleField(label=label, queryset=queryset,
                                                    widget=forms.CheckboxSelectMultiple)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


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


class CredentialForm(forms.Form):
    staff = StaffChoiceField(label=_("Staff member"), queryset=StaffMember.objects.none())
    name = forms.CharField(label=_("Credential"), max_length=200, initial=_("Certified peer specialist"))
    issuer = forms.CharField(label=_("Issuer"), max_length=200)
    number = forms.CharField(label=_("Number"), max_length=100, required=False)
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE)
    expires_on = forms.DateField(label=_("Expires on"), widget=DATE)
    ce_hours_required = forms.DecimalField(label=_("Continuing-education hours required"), min_value=0,
                                           max_value=1000, decimal_places=1, initial=0)
    ce_hours_earned = forms.DecimalField(label=_("Continuing-education hours earned"), min_value=0, max_value=1000,
                                         decimal_places=1, initial=0)

    def __init__(self, *args: Any, staff_queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(Any, self.fields["staff"]).queryset = staff_queryset


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


class BoundaryForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=BoundaryCategory.choices)
    question = forms.CharField(label=_("Your question or what happened"), widget=forms.Textarea(attrs={"rows": 4}),
                               max_length=5000)


class BoundaryResponseForm(forms.Form):
    response = forms.CharField(label=_("Response"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    close = forms.BooleanField(label=_("Close the consultation"), required=False, initial=True)


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
