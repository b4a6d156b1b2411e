from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.models import ExperienceArea
from peerpath.core.choices import Role
from peerpath.core.models import Team

PERSON_ROLE_CHOICES = [(value, label) for value, label in Role.choices if value != Role.SYSTEM]


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100, help_text=_("For example: phone app"))


class PeerExperienceForm(forms.Form):
    area = forms.ModelChoiceField(queryset=ExperienceArea.objects.all(), label=_("Area of lived experience"))
    use_for_matching = forms.BooleanField(
        required=False, label=_("Matching may use this"),
        help_text=_("Supervisors and admins then see this area when Peerpath suggests you for a client."),
    )
    share_with_clients = forms.BooleanField(required=False, label=_("Clients may see this"))
    private_note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Private note (only you can read it)")
    )


class StaffCreateForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=PERSON_ROLE_CHOICES)
    teams = forms.ModelMultipleChoiceField(queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Teams"))
    caseload_capacity = forms.IntegerField(label=_("Caseload capacity (peers)"), min_value=0, max_value=200, initial=20)
    password = forms.CharField(label=_("First password"), widget=forms.PasswordInput, help_text=_("At least 10 characters; ask them to change it."))

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = teams  # type: ignore[attr-defined]


class StaffEditForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PERSON_ROLE_CHOICES)
    teams = forms.ModelMultipleChoiceField(queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Teams"))
    caseload_capacity = forms.IntegerField(label=_("Caseload capacity (peers)"), min_value=0, max_value=200)
    is_active = forms.BooleanField(label=_("Account active"), required=False)

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = teams  # type: ignore[attr-defined]


class OrganisationSettingsForm(forms.Form):
    require_mfa = forms.BooleanField(label=_("Require two-factor sign-in for all staff"), required=False)
    safety_protocol = forms.CharField(label=_("Safety protocol"), widget=forms.Textarea(attrs={"rows": 5}), required=False,
                                      help_text=_("Shown to staff when a client reports thoughts of self-harm."))
    # The limits (1–10, 1–30, 1–90) are the model's validators, checked again by the service; left empty,
    # a limit keeps its value.
    referral_urgent_working_days = forms.IntegerField(
        label=_("Urgent referrals: working days to act"), min_value=1, max_value=10, required=False)
    referral_soon_days = forms.IntegerField(label=_("Soon referrals: days to act"), min_value=1, max_value=30,
                                            required=False)
    referral_routine_days = forms.IntegerField(
        label=_("Routine referrals: days to act"), min_value=1, max_value=90, required=False)
