from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import AuditEvent
from peerpath.core.widgets import TypeaheadSelect

# Core imports no domain app: the client model is whatever the audit trail's ``client`` points at.
Client: Any = AuditEvent._meta.get_field("client").related_model


class AuditSearchForm(forms.Form):
    client = forms.ModelChoiceField(queryset=Client.objects.none(), required=False, label=_("Client"),
                                    widget=TypeaheadSelect(search_url="clients:client_search"))
    actor = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False, label=_("Staff member"),
                                   widget=TypeaheadSelect(search_url="accounts:staff_search"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.filter(organisation_id=user.organisation_id)  # type: ignore[attr-defined]
        self.fields["actor"].queryset = get_user_model().objects.filter(organisation_id=user.organisation_id).exclude(role="system")  # type: ignore[attr-defined]
