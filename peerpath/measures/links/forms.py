"""One-time survey links: a client answers an administration on their own device, without signing in."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.measures.choices import Language


class LinkForm(forms.Form):
    language = forms.ChoiceField(label=_("Language the link opens in"), choices=Language.choices)
