from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.models import ExperienceArea


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
