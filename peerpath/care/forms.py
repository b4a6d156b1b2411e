from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.models import StaffMember
from peerpath.care.choices import (
    GENERIC_ACTIVITIES,
    PEER_SPECIFIC_ACTIVITIES,
    Activity,
    Chime,
    GoalStatus,
    LifeArea,
    Setting,
)
from peerpath.clients.choices import Modality
from peerpath.clients.models import Client
from peerpath.core.choices import Role
from peerpath.core.models import Team

PEER_SPECIFIC_CHOICES = [(a.value, a.label) for a in Activity if a in PEER_SPECIFIC_ACTIVITIES]
GENERIC_CHOICES = [(a.value, a.label) for a in Activity if a in GENERIC_ACTIVITIES]


class EncounterForm(forms.Form):
    clients = forms.ModelMultipleChoiceField(queryset=Client.objects.none(), widget=forms.CheckboxSelectMultiple, label=_("Client(s)"),
                                             help_text=_("Tick several for a group session."))
    started_at = forms.DateTimeField(label=_("Start"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=480, initial=45,
                                          widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    modality = forms.ChoiceField(label=_("How you met"), choices=Modality.choices, widget=forms.RadioSelect, initial=Modality.IN_PERSON)
    setting = forms.ChoiceField(label=_("Setting"), choices=[("", _("Follows how you met"))] + list(Setting.choices),
                                required=False, initial="",
                                help_text=_("Left as it is: phone, video or text → Remote; in person → Community."))
    peer_activities = forms.MultipleChoiceField(label=_("Peer-specific work"), choices=PEER_SPECIFIC_CHOICES, required=False,
                                                widget=forms.CheckboxSelectMultiple)
    generic_activities = forms.MultipleChoiceField(label=_("Other tasks"), choices=GENERIC_CHOICES, required=False,
                                                   widget=forms.CheckboxSelectMultiple)
    self_disclosure_used = forms.BooleanField(label=_("I shared some of my own experience"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Plain, strengths-based words; link to the person's own goals."))
    next_contact_on = forms.DateField(label=_("Next planned contact"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, caseload_clients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clients"].queryset = caseload_clients  # type: ignore[attr-defined]
        if not self.is_bound:
            # Now, in the organisation's time zone (activated per request by core's middleware).
            self.initial.setdefault("started_at", timezone.localtime().replace(second=0, microsecond=0))
        zone = timezone.localtime().strftime("%Z")
        self.fields["started_at"].help_text = _("Time in %(zone)s (%(abbr)s).") % {
            "zone": timezone.get_current_timezone_name(), "abbr": zone}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        activities = list(data.get("peer_activities") or []) + list(data.get("generic_activities") or [])
        if not activities:
            self.add_error("peer_activities", _("Tick at least one activity."))
        data["activities"] = activities
        if not data.get("setting") and data.get("modality"):
            data["setting"] = setting_for_modality(data["modality"])
        return data


REMOTE_MODALITIES = frozenset({Modality.PHONE, Modality.VIDEO, Modality.TEXT})


def setting_for_modality(modality: str) -> str:
    """The setting a peer means when they leave it alone: a call, video or text is remote."""
    return Setting.REMOTE if modality in REMOTE_MODALITIES else Setting.COMMUNITY


class PlanForm(forms.Form):
    client_vision = forms.CharField(label=_("What recovery means to the client, in their words"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))
    review_on = forms.DateField(label=_("Review date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class GoalForm(forms.Form):
    own_words = forms.CharField(label=_("Goal, in the client's own words"), widget=forms.Textarea(attrs={"rows": 2}))
    life_area = forms.ChoiceField(label=_("Life area"), choices=LifeArea.choices)
    chime = forms.ChoiceField(label=_("CHIME dimension"), choices=Chime.choices)
    target_on = forms.DateField(label=_("Target date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    first_step = forms.CharField(label=_("A first step"), required=False, max_length=300)
    first_step_due = forms.DateField(label=_("First step due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class GoalProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)


class StepForm(forms.Form):
    description = forms.CharField(label=_("Step"), max_length=300)
    due_on = forms.DateField(label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class TeamMeetingForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), label=_("Team"))
    held_at = forms.DateTimeField(label=_("Held at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=480, initial=60)
    topic = forms.CharField(label=_("Topic"), required=False, max_length=200)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attended = forms.ModelMultipleChoiceField(queryset=StaffMember.objects.none(), label=_("Who attended"), required=False,
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, teams: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["attended"].queryset = staff  # type: ignore[attr-defined]
        self.fields["attended"].label_from_instance = lambda s: f"{s.display_name} ({s.get_role_display()})"  # type: ignore[attr-defined]


class ConsultationForm(forms.Form):
    """A consultation. Whoever asked names the peer they asked; a peer names the colleague who asked them."""

    peer = forms.ModelChoiceField(queryset=StaffMember.objects.none(), label=_("Peer support worker you asked"))
    asked_by = forms.ModelChoiceField(queryset=StaffMember.objects.none(), label=_("Who asked you"))
    held_at = forms.DateTimeField(label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                               format="%Y-%m-%dT%H:%M"))
    topic = forms.CharField(label=_("What about"), max_length=200,
                            help_text=_("A few words, no clinical detail."))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        colleagues = (StaffMember.objects.filter(organisation_id=user.organisation_id, is_active=True)
                      .exclude(pk=user.pk).order_by("first_name", "last_name", "pk"))
        if user.role == Role.PEER:
            del self.fields["peer"]
            self.fields["asked_by"].queryset = colleagues  # type: ignore[attr-defined]
            self.fields["asked_by"].label_from_instance = (  # type: ignore[attr-defined]
                lambda s: f"{s.display_name} ({s.get_role_display()})")
        else:
            del self.fields["asked_by"]
            self.fields["peer"].queryset = colleagues.filter(role=Role.PEER)  # type: ignore[attr-defined]
            self.fields["peer"].label_from_instance = lambda s: s.display_name  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("held_at", timezone.localtime().replace(second=0, microsecond=0))
