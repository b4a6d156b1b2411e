from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerpath.core.choices import TeamType
from peerpath.core.models import Team
from peerpath.outcomes.analysis import COST_DEFAULTS
from peerpath.outcomes.choices import EmploymentStatus, EventKind, HousingStatus
from peerpath.outcomes.services import IMPORT_MAX_BYTES


class DateInput(forms.DateInput):
    input_type = "date"


class ServiceEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=EventKind.choices)
    occurred_on = forms.DateField(label=_("Date (admission date for a hospital stay)"), widget=DateInput)
    ended_on = forms.DateField(label=_("Discharge date (hospital stays only)"), required=False, widget=DateInput,
                               help_text=_("Leave empty while the person is still in hospital."))
    status = forms.ChoiceField(
        label=_("New status (employment or housing changes only)"), required=False,
        choices=[("", "—"), (_("Employment"), EmploymentStatus.choices), (_("Housing"), HousingStatus.choices)],
    )
    facility = forms.CharField(label=_("Facility or service"), required=False, max_length=200)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_(
        "Columns: record_number, kind, occurred_on (YYYY-MM-DD), and optionally ended_on, status, facility, external_id."))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB; split it into smaller files."))
        return upload


class CohortForm(forms.Form):
    program = forms.ChoiceField(label=_("Program"), required=False, choices=[("", _("All programs")), *TeamType.choices])
    team = forms.ModelChoiceField(label=_("Team"), required=False, queryset=Team.objects.none(), empty_label=_("All teams"))
    start = forms.DateField(label=_("Started from"), required=False, widget=DateInput)
    end = forms.DateField(label=_("Started until"), required=False, widget=DateInput,
                          help_text=_("Dates count in whole months (from the 1st, until the month's last day)."))
    age_min = forms.IntegerField(label=_("Age from"), required=False, min_value=0, max_value=120)
    age_max = forms.IntegerField(label=_("Age to"), required=False, min_value=0, max_value=120,
                                 help_text=_("Ages count in five-year bands (to 31 means to 34)."))
    language = forms.ChoiceField(label=_("Preferred language"), required=False,
                                 choices=[("", _("Any")), ("en", _("English")), ("es", _("Spanish"))])
    inpatient_day_cost = forms.DecimalField(
        label=_("Cost of one inpatient day"), min_value=Decimal(0), max_value=Decimal(1_000_000), decimal_places=2,
        initial=Decimal(str(COST_DEFAULTS["inpatient_day_cost"])), required=False)
    ed_visit_cost = forms.DecimalField(
        label=_("Cost of one emergency visit"), min_value=Decimal(0), max_value=Decimal(1_000_000), decimal_places=2,
        initial=Decimal(str(COST_DEFAULTS["ed_visit_cost"])), required=False)
    peer_hour_cost = forms.DecimalField(
        label=_("Cost of one peer support hour"), min_value=Decimal(0), max_value=Decimal(100_000), decimal_places=2,
        initial=Decimal(str(COST_DEFAULTS["peer_hour_cost"])), required=False)

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(organisation_id=organisation_id, is_active=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        from peerpath.outcomes.services import EARLIEST_DATE

        for name in ("start", "end"):
            if data.get(name) and data[name] < EARLIEST_DATE:
                self.add_error(name, _("The date is before %(d)s; check the year.") % {"d": EARLIEST_DATE.isoformat()})
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end date is before the start date."))
        if data.get("age_min") is not None and data.get("age_max") is not None and data["age_min"] > data["age_max"]:
            self.add_error("age_max", _("The upper age is below the lower age."))
        return data
