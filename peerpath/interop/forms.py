import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class SystemClientForm(forms.Form):
    name = forms.CharField(label=_("System name"), max_length=200)
    jwks = forms.CharField(label=_("Public keys (JWK Set, JSON)"), widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_('The system\'s public keys, e.g. {"keys": [{"kty": "RSA", ...}]}.'))
    scopes = forms.CharField(label=_("Allowed scopes"), max_length=500, initial="system/*.read",
                             help_text=_("Separated by spaces, e.g. system/*.read system/Patient.write"))

    def clean_jwks(self) -> Any:
        try:
            return json.loads(self.cleaned_data["jwks"])
        except ValueError as exc:
            raise forms.ValidationError(_("This is not valid JSON.")) from exc
