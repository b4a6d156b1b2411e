"""Peer role definitions (drafted, reviewed, approved, versioned, printed) and pay equity against employment terms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.core.choices import Role, TeamType
from peerpath.workforce.models import (
    ReviewerGroup,
    RoleDefinition,
)
from peerpath.workforce.roles.services import ROLE_TEMPLATE
from peerpath.workforce.staff.forms import StaffMultipleField, _staff


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
