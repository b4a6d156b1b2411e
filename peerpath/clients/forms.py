from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.models import ExperienceArea, StaffMember
from peerpath.clients.choices import DiagnosisGroup, Modality, PeerGenderPreference, Sex, Urgency
from peerpath.clients.models import Client
from peerpath.core.models import Team
from peerpath.core.widgets import TypeaheadSelect

LANGUAGE_CHOICES = [("", _("No preference")), ("en", _("English")), ("es", _("Spanish"))]


class ReferralForm(forms.Form):
    """Refer an existing client, or register a new one in the same step."""

    client = forms.ModelChoiceField(
        queryset=Client.objects.none(), required=False, label=_("Existing client"),
        help_text=_("Leave empty to register a new client below."),
        widget=TypeaheadSelect(search_url="clients:client_search"),
    )
    new_first_name = forms.CharField(required=False, max_length=100, label=_("New client: first name"))
    new_last_name = forms.CharField(required=False, max_length=100, label=_("New client: last name"))
    new_date_of_birth = forms.DateField(required=False, label=_("New client: date of birth"),
                                        widget=forms.DateInput(attrs={"type": "date"}))
    new_phone = forms.CharField(required=False, max_length=40, label=_("New client: phone"),
                                widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    new_sex = forms.ChoiceField(choices=[("", _("Not recorded")), *Sex.choices], required=False,
                                label=_("New client: sex (as in the health record)"))
    new_diagnosis_group = forms.ChoiceField(
        choices=[("", _("Not recorded")), *DiagnosisGroup.choices], required=False,
        label=_("New client: primary diagnosis group"),
        help_text=_("Optional. Used only for the program evaluation's comparison of groups."),
    )
    not_a_duplicate = forms.BooleanField(required=False, label=_("This is a different person: register them anyway"))
    team = forms.ModelChoiceField(queryset=Team.objects.none(), label=_("Team"))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label=_("Why could peer support help?"))
    urgency = forms.ChoiceField(choices=Urgency.choices, initial=Urgency.ROUTINE, label=_("Urgency"))
    preferred_language = forms.ChoiceField(choices=LANGUAGE_CHOICES, required=False, label=_("Language the client prefers"))
    preferred_peer_gender = forms.ChoiceField(choices=PeerGenderPreference.choices, required=False, label=_("Gender of peer the client prefers"))
    preferred_modality = forms.ChoiceField(choices=[("", _("No preference")), *Modality.choices], required=False, label=_("How the client would like to meet"))
    preferred_experiences = forms.ModelMultipleChoiceField(
        queryset=ExperienceArea.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Experiences the client would like a peer to share"),
    )

    def __init__(self, *args: Any, clients: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients  # type: ignore[attr-defined]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("client"):
            if not data.get("new_first_name"):
                self.add_error("new_first_name", _("Choose an existing client or enter the new client's first name."))
            if not data.get("new_last_name"):
                self.add_error("new_last_name", _("Enter the new client's last name."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Reason"))


class AssignForm(forms.Form):
    peer = forms.ModelChoiceField(queryset=StaffMember.objects.none(), label=_("Peer support worker"))

    def __init__(self, *args: Any, peers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["peer"].queryset = peers  # type: ignore[attr-defined]


class ClientSearchForm(forms.Form):
    q = forms.CharField(required=False, label=_("Search by name or record number"))


class BulkReferralForm(forms.Form):
    """Decline or assign the ticked referrals of the inbox (the ticks arrive as ``referral`` values)."""

    action = forms.ChoiceField(label=_("With the ticked referrals"),
                               choices=[("assign", _("Assign to a peer")), ("decline", _("Decline"))])
    peer = forms.ModelChoiceField(queryset=StaffMember.objects.none(), label=_("Peer support worker"), required=False)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason (needed to decline)"),
                             required=False, max_length=2000)

    def __init__(self, *args: Any, peers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["peer"].queryset = peers  # type: ignore[attr-defined]
