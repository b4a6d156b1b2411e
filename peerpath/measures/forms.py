"""Forms of the measures pages. Validation of answers and of the builder lives in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerpath.measures.choices import Language, ScoringMethod, Timepoint
from peerpath.measures.selectors import Question


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


class LinkForm(forms.Form):
    language = forms.ChoiceField(label=_("Language the link opens in"), choices=Language.choices)


class EnrolForm(forms.Form):
    schedule = forms.ModelChoiceField(queryset=None, label=_("Schedule"))  # type: ignore[arg-type]
    start_on = forms.DateField(label=_("Start of peer support"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, schedules: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["schedule"].queryset = schedules  # type: ignore[attr-defined]
        self.fields["start_on"].initial = timezone.localdate()


class InstrumentForm(forms.Form):
    code = forms.SlugField(label=_("Short code"), max_length=40, help_text=_("e.g. hope-check"))
    name = forms.CharField(label=_("Name"), max_length=200)
    name_es = forms.CharField(label=_("Name in Spanish"), max_length=200, required=False)
    instructions = forms.CharField(label=_("Instructions shown above the questions"), widget=forms.Textarea(attrs={"rows": 2}),
                                   required=False)
    instructions_es = forms.CharField(label=_("Instructions in Spanish"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    recall_period = forms.CharField(label=_("Recall period"), max_length=100, required=False, help_text=_("e.g. the last 2 weeks"))
    scoring_method = forms.ChoiceField(label=_("Scoring"), choices=ScoringMethod.choices)
    max_missing = forms.IntegerField(label=_("Unanswered questions allowed (prorated)"), min_value=0, max_value=50, initial=0)
    higher_is_better = forms.BooleanField(label=_("Higher scores are better"), required=False)
    citation = forms.CharField(label=_("Citation or source"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    attribution = forms.CharField(label=_("Copyright and attribution"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class OptionForm(forms.Form):
    value = forms.IntegerField(label=_("Value"), min_value=-100, max_value=100)
    label = forms.CharField(label=_("Answer"), max_length=120)
    label_es = forms.CharField(label=_("Answer in Spanish"), max_length=120, required=False)


class ItemForm(forms.Form):
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)
    text_es = forms.CharField(label=_("Question in Spanish"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
                              required=False)
    reverse_scored = forms.BooleanField(label=_("Reverse scored"), required=False)
    subscale = forms.CharField(label=_("Subscale"), max_length=60, required=False)


class BandForm(forms.Form):
    low = forms.DecimalField(label=_("From score"), max_digits=7, decimal_places=2)
    high = forms.DecimalField(label=_("To score"), max_digits=7, decimal_places=2)
    label = forms.CharField(label=_("Band"), max_length=60)
    label_es = forms.CharField(label=_("Band in Spanish"), max_length=60, required=False)


class SafetyRuleForm(forms.Form):
    item_number = forms.IntegerField(label=_("Question number"), min_value=1, max_value=500)
    above = forms.IntegerField(label=_("Alert when the answer is above"), min_value=-100, max_value=100, initial=0)
    label = forms.CharField(label=_("What the alert says"), max_length=200)


class ItemTextForm(forms.Form):
    text = forms.CharField(label=_("Licensed text"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)
    text_es = forms.CharField(label=_("Licensed text in Spanish"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
                              required=False)


class ScheduleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    team = forms.ModelChoiceField(queryset=None, label=_("Program (team)"), required=False)  # type: ignore[arg-type]
    instruments = forms.ModelMultipleChoiceField(queryset=None, label=_("Instruments"),  # type: ignore[arg-type]
                                                 widget=forms.CheckboxSelectMultiple)
    target_followup_rate = forms.IntegerField(label=_("Target follow-up rate (%)"), min_value=0, max_value=100, initial=80)

    def __init__(self, *args: Any, teams: Any, instruments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["instruments"].queryset = instruments  # type: ignore[attr-defined]


class TimepointForm(forms.Form):
    kind = forms.ChoiceField(label=_("Time point"), choices=Timepoint.choices)
    day_offset = forms.IntegerField(label=_("Due on day"), min_value=0, max_value=3650, initial=30)
    window_before_days = forms.IntegerField(label=_("Window opens days before"), min_value=0, max_value=3650, initial=7)
    window_after_days = forms.IntegerField(label=_("Window closes days after"), min_value=0, max_value=3650, initial=14)
