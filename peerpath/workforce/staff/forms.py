"""The workforce home, staff profiles, who may see whom, notices and background job runs (shared by every area)."""

from __future__ import annotations

from typing import Any

from django import forms

from peerpath.accounts.models import StaffMember

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
