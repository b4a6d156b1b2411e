"""Administrations: a measure given to a client (in session or by link), its answers, score and safety alerts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.measures.choices import Language, Timepoint
from peerpath.measures.instruments.selectors import Question

CONFIRM_FIELD = "confirm_safety_unanswered"


class AnswerForm(forms.Form):
    """One radio group per question (``item_<n>``); a question may be left unanswered.

    ``safety_items``: the numbers of the instrument's safety questions (marked on the page). When the service
    refuses a blank one (code ``safety_item_unanswered``) the page asks once more and offers the confirmation box
    (``confirm_safety_unanswered``), which a staff member ticks to save it unanswered."""

    def __init__(self, *args: Any, questions: list[Question], safety_items: tuple[int, ...] = (),
                 confirm: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.safety_field_names = [f"item_{n}" for n in safety_items]
        for q in questions:
            self.fields[f"item_{q.item.number}"] = forms.TypedChoiceField(
                label=f"{q.item.number}. {q.text}", choices=[(str(v), label) for v, label in q.options],
                coerce=int, empty_value=None, required=False, widget=forms.RadioSelect)
        self.offers_confirm = confirm
        if confirm:
            self.fields[CONFIRM_FIELD] = forms.BooleanField(
                required=False, label=_("I asked once more: save with this question unanswered."))

    def question_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name != CONFIRM_FIELD]

    def answers(self) -> dict[str, int | None]:
        return {name: self.cleaned_data.get(name) for name in self.fields if name != CONFIRM_FIELD}

    def confirmed(self) -> bool:
        return bool(self.offers_confirm and self.cleaned_data.get(CONFIRM_FIELD))

    def asks_again(self) -> bool:
        """The service refused a blank safety question: show the confirmation."""
        return any(self.has_error(name, "safety_item_unanswered") for name in self.safety_field_names)


class StartForm(forms.Form):
    instrument: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label=_("Instrument"))  # type: ignore[arg-type]
    timepoint = forms.ChoiceField(label=_("Time point"), choices=Timepoint.choices, initial=Timepoint.INTAKE)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)

    def __init__(self, *args: Any, instruments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments  # type: ignore[attr-defined]
