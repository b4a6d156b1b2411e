"""Peer certification credentials, their expiry status, and the daily reminders before they lapse."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.models import StaffMember
from peerpath.workforce.staff.forms import DATE, StaffChoiceField


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
