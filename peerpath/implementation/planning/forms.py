"""Forms only parse and shape input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from peerpath.accounts.models import StaffMember
from peerpath.core.models import Team
from peerpath.implementation.models import (
    Barrier,
    BarrierKind,
    Cfir2009Construct,
    CfirConstruct,
    EricStrategy,
    ImplementationPlan,
    PlanItemStatus,
)
from peerpath.implementation.planning.rules import writable_team_choices
from peerpath.implementation.reference import selectors as reference
from peerpath.implementation.reference.models import CfirDomain

DATE = forms.DateInput(attrs={"type": "date"})
ORG = "org"


def construct_label(construct: CfirConstruct) -> str:
    return f"{construct.code} {construct.localized('name')}"


class ConstructField(forms.ChoiceField):
    """A CFIR 2.0 construct, chosen from a list grouped by domain; cleans to the construct."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._by_id: dict[str, CfirConstruct] = {}

    def load(self, constructs: list[CfirConstruct], *, blank: Any = "") -> None:
        self._by_id = {str(c.pk): c for c in constructs}
        labels = dict(CfirDomain.choices)
        grouped: dict[str, list[tuple[str, str]]] = {}
        for construct in constructs:
            grouped.setdefault(construct.domain, []).append((str(construct.pk), construct_label(construct)))
        choices: list[Any] = [("", blank or _("Choose a construct"))]
        choices += [(f"{domain} {labels.get(domain, domain)}", rows) for domain, rows in grouped.items()]
        self.choices = choices

    def clean(self, value: Any) -> CfirConstruct | None:
        value = super().clean(value)
        return self._by_id.get(str(value)) if value else None


class StrategyField(forms.ModelChoiceField):
    def label_from_instance(self, obj: EricStrategy) -> str:
        return f"{obj.number}. {obj.localized('name')}"


class StaffField(forms.ModelChoiceField):
    def label_from_instance(self, obj: StaffMember) -> str:
        return f"{obj.display_name} ({obj.get_role_display()})"


class BarrierChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Barrier) -> str:
        return obj.title


def _teams(user: Any) -> tuple[bool, Any]:
    org_allowed, team_ids = writable_team_choices(user)
    teams = Team.objects.filter(organisation_id=user.organisation_id, is_active=True).order_by("name")
    if team_ids is not None:
        teams = teams.filter(pk__in=team_ids)
    return org_allowed, teams


class TeamScopeField(forms.ChoiceField):
    """Whole organisation (leaders, admins) or one of the teams the user may write for."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._teams: dict[str, Team] = {}
        if user is None:  # declared on the class; the form replaces it with one for its user
            return
        org_allowed, teams = _teams(user)
        self._teams = {str(t.pk): t for t in teams}
        choices = [(ORG, _("Whole organisation"))] if org_allowed else []
        self.choices = choices + [(str(t.pk), t.name) for t in teams]

    def clean(self, value: Any) -> Team | None:
        value = super().clean(value)
        return self._teams.get(str(value))


class BarrierForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BarrierKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200)
    construct = ConstructField(label=_("CFIR 2.0 construct"),
                               help_text=_("The part of CFIR 2.0 this barrier or facilitator is about."))
    description = forms.CharField(label=_("Description"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label=_("Evidence"), required=False, max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("What you saw or heard, e.g. quotes, counts, meeting notes."))
    raised_by = forms.CharField(label=_("Raised by"), required=False, max_length=200,
                                help_text=_("Who raised it and where, e.g. “peer team meeting, March”."))
    team = TeamScopeField(label=_("Applies to"))
    resolved_on = forms.DateField(label=_("Addressed on"), required=False, widget=DATE,
                                  help_text=_("Leave empty while it is still open."))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"] = TeamScopeField(label=_("Applies to"), user=user)
        field = self.fields["construct"]
        assert isinstance(field, ConstructField)
        field.load(list(reference.cfir_constructs()))

    @classmethod
    def initial_from(cls, barrier: Barrier) -> dict[str, Any]:
        return {"kind": barrier.kind, "title": barrier.title, "construct": barrier.construct_id,
                "description": barrier.description, "evidence": barrier.evidence, "raised_by": barrier.raised_by,
                "team": barrier.team_id or ORG, "resolved_on": barrier.resolved_on}


class BarrierFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All"))] + BarrierKind.choices)
    domain = forms.ChoiceField(label=_("CFIR domain"), required=False, choices=[("", _("All"))] + CfirDomain.choices)
    team = forms.ChoiceField(label=_("Team"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("All")), ("open", _("Open")), ("addressed", _("Addressed"))])

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(organisation_id=user.organisation_id, is_active=True).order_by("name")
        team_field = self.fields["team"]
        assert isinstance(team_field, forms.ChoiceField)
        team_field.choices = [("", _("All")), (ORG, _("Whole organisation"))] + [(str(t.pk), t.name) for t in teams]


class TemplateAddForm(forms.Form):
    team = TeamScopeField(label=_("Add to the register of"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"] = TeamScopeField(label=_("Add to the register of"), user=user)


class OwnTemplateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BarrierKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200)
    construct = ConstructField(label=_("CFIR 2.0 construct"))
    description = forms.CharField(label=_("Description"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.CharField(label=_("Source"), max_length=200,
                             help_text=_("Where this comes from: a publication, a survey, a meeting."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["construct"]
        assert isinstance(field, ConstructField)
        field.load(list(reference.cfir_constructs()))


class Construct2009Field(forms.ModelChoiceField):
    def label_from_instance(self, obj: Cfir2009Construct) -> str:
        return f"{obj.code} {obj.localized('name')}"


class StrategyMatchForm(forms.Form):
    construct = ConstructField(label=_("CFIR 2.0 construct"), required=False)
    construct_2009 = Construct2009Field(label=_("or CFIR 2009 construct"), required=False,
                                        queryset=Cfir2009Construct.objects.none(), empty_label=_("None"))
    strategy = StrategyField(label=_("ERIC strategy"), queryset=EricStrategy.objects.none())
    level = forms.TypedChoiceField(label=_("Level"), coerce=int,
                                   choices=[(1, _("Level 1 (strong: weight 0.5)")), (2, _("Level 2 (weight 0.25)"))])
    source = forms.CharField(label=_("Source"), max_length=200,
                             help_text=_("Where the link comes from, e.g. a publication or your own review."))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["construct"]
        assert isinstance(field, ConstructField)
        field.load(list(reference.cfir_constructs()), blank=_("None"))
        current = reference.current_dataset("cfir2009")
        self.fields["construct_2009"].queryset = Cfir2009Construct.objects.filter(dataset=current)  # type: ignore[attr-defined]
        self.fields["strategy"].queryset = reference.eric_strategies()  # type: ignore[attr-defined]


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    team = TeamScopeField(label=_("Plan for"))
    from_checklist = forms.BooleanField(
        label=_("Start from the best-practice checklist"), required=False, initial=True,
        help_text=_("Adds one action per checklist item: leadership commitment, policy and funding, logistics, "
                    "education, culture, fair pay, role definition, training and supervision."))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"] = TeamScopeField(label=_("Plan for"), user=user)


class PlanItemForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    description = forms.CharField(label=_("Details"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    owner = StaffField(label=_("Owner"), required=False, queryset=StaffMember.objects.none(),
                       empty_label=_("Nobody yet"))
    due_on = forms.DateField(label=_("Due"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=PlanItemStatus.choices)
    completed_on = forms.DateField(label=_("Completed on"), required=False, widget=DATE,
                                   help_text=_("Filled in with today when you mark it done."))
    strategy = StrategyField(label=_("ERIC strategy"), required=False, queryset=EricStrategy.objects.none(),
                             empty_label=_("None"))
    barriers = BarrierChoices(label=_("Barriers it addresses"), required=False, queryset=Barrier.objects.none(),
                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, user: Any, plan: ImplementationPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (  # type: ignore[attr-defined]
            StaffMember.objects.filter(organisation_id=user.organisation_id, is_active=True)
            .order_by("first_name", "last_name", "username"))
        self.fields["strategy"].queryset = reference.eric_strategies()  # type: ignore[attr-defined]
        barriers = Barrier.objects.filter(organisation_id=user.organisation_id, is_active=True)
        if plan.team_id:
            barriers = barriers.filter(Q(team_id=plan.team_id) | Q(team__isnull=True))
        self.fields["barriers"].queryset = barriers.order_by("kind", "title")  # type: ignore[attr-defined]

    @classmethod
    def initial_from(cls, item: Any) -> dict[str, Any]:
        return {"title": item.title, "description": item.description, "owner": item.owner_id, "due_on": item.due_on,
                "status": item.status, "completed_on": item.completed_on, "strategy": item.strategy_id,
                "barriers": [b.pk for b in item.barriers.all()]}


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PlanItemStatus.choices)
