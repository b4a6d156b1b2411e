"""Administrations: a measure given to a client (in session or by link), its answers, score and safety alerts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.measures.choices import Language, Timepoint
from peerpath.measures.instruments.selectors import Question


class AnswerForm(forms.Form):
    """One radio group per question (``item_<n>``); a question may be left unanswered."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            self.fields[f"item_{q.item.number}"] = forms.TypedChoiceField(
                label=f"{q.item.number}. {q.text}", choices=[(str(v), label) for v, label in q.options],
                coerce=int, empty_value=None, required=False, widget=forms.RadioSelect)

    def answers(self) -> dict[str, int | None]:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class StartForm(forms.Form):
    instrument = forms.ModelChoiceField(queryset=None, label=_("Instrument"))  # type: ignore[arg-type]
    timepoint = forms.ChoiceField(label=_("Time point"), choices=Timepoint.choices, initial=Timepoint.INTAKE)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)

    def __init__(self, *args: Any, instruments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments  # type: ignore[attr-defined]
