"""Forms of the ratings area: a new rating round, and the rating sheet of one domain (built from the
constructs to rate, one choice and one evidence box per construct, or per role and characteristic)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import Team
from peerpath.implementation.models import RatingValue
from peerpath.implementation.ratings import rules
from peerpath.implementation.ratings.selectors import SheetEntry
from peerpath.implementation.ratings.validation import EVIDENCE_MAX

RATING_CHOICES = [
    ("", _("Not rated yet")),
    ("2", _("+2: strong positive influence")),
    ("1", _("+1: weak or general positive influence")),
    ("0", _("0: neutral or balanced")),
    ("-1", _("−1: weak or general negative influence")),
    ("-2", _("−2: strong negative influence")),
    (RatingValue.MIXED.value, _("Mixed: informants disagree")),
    (RatingValue.MISSING.value, _("Missing: not enough data")),
]


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    rated_on = forms.DateField(label=_("Rated on"), widget=forms.DateInput(attrs={"type": "date"}))
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False,
                                  empty_label=_("Whole organisation"))
    notes = forms.CharField(label=_("Notes (who rated, which sources)"), required=False, max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(organisation_id=user.organisation_id, is_active=True).order_by("name")
        if user.role not in rules.ORG_RATERS:
            teams = teams.filter(pk__in=rules.team_ids(user))
            self.fields["team"].required = True
            self.fields["team"].empty_label = None  # type: ignore[attr-defined]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


def field_key(entry: SheetEntry) -> str:
    """A form field suffix without dots (codes such as "III.D.1" have them; error fields use dots)."""
    return entry.key.replace(".", "_")


class SheetForm(forms.Form):
    """One choice (``r-<key>``) and one evidence box (``e-<key>``) per entry of a domain's sheet."""

    def __init__(self, *args: Any, entries: list[SheetEntry], **kwargs: Any) -> None:
        initial: dict[str, Any] = kwargs.pop("initial", None) or {}
        for entry in entries:
            current = entry.current
            if current is not None:
                initial[f"r-{field_key(entry)}"] = (str(current.score) if current.value == RatingValue.RATED
                                                    else current.value)
                initial[f"e-{field_key(entry)}"] = current.evidence
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.entries = entries
        for entry in entries:
            self.fields[f"r-{field_key(entry)}"] = forms.ChoiceField(
                label=_("Rating"), choices=RATING_CHOICES, required=False)
            self.fields[f"e-{field_key(entry)}"] = forms.CharField(
                label=_("Evidence"), required=False, max_length=EVIDENCE_MAX,
                widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[f"r-{field_key(entry)}"].widget.attrs["aria-describedby"] = f"def-{field_key(entry)}"

    def rows(self) -> list[dict[str, Any]]:
        return [{"entry": e, "key": field_key(e), "rating": self[f"r-{field_key(e)}"],
                 "evidence": self[f"e-{field_key(e)}"]} for e in self.entries]
