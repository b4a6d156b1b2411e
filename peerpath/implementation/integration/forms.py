"""The integration page's filter: period and team (a team of the reader's own organisation only)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from peerpath.core.models import Team
from peerpath.implementation.integration.selectors import DEFAULT_MONTHS, PERIODS


class IntegrationFilterForm(forms.Form):
    months = forms.TypedChoiceField(label=_("Period"), coerce=int, initial=DEFAULT_MONTHS, required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False,
                                  empty_label=_("All teams"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Built per form, in the reader's language ("%" on a lazy string translates it at once).
        self.fields["months"].choices = [  # type: ignore[attr-defined]
            (n, ngettext("Last %(n)d month", "Last %(n)d months", n) % {"n": n}) for n in PERIODS]
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = Team.objects.filter(organisation_id=user.organisation_id, is_active=True)
