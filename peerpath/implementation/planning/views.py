"""Pages of the planning area: the implementation home, the barrier register with its templates,
strategy recommendations, the barrier → strategy table and the implementation plans.
Views parse input, call selectors and services, and render."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from peerpath.core.access import AuthedRequest, allow
from peerpath.core.choices import Role
from peerpath.core.exceptions import ServiceError
from peerpath.core.models import Team
from peerpath.implementation import reference
from peerpath.implementation.models import (
    BarrierKind,
    BarrierTemplate,
    CfirRatingRound,
    PlanItemStatus,
    ReadinessInvitation,
    ReadinessRound,
    StrategyMatch,
)
from peerpath.implementation.models.readiness import RoundStatus
from peerpath.implementation.planning import forms, recommend, selectors, services
from peerpath.implementation.planning.rules import (
    EVERYONE,
    READERS,
    TABLE_EDITORS,
    WRITERS,
    can_write_scope,
)

ITEM_OWNERS = EVERYONE - {Role.EVALUATOR}
# URL names other areas provide; the first that resolves is linked (they may not exist yet).
READINESS_LIST = ("implementation:readiness_round_list",)
READINESS_DETAIL = ("implementation:readiness_round_detail", "implementation:readiness_round_results")
RATINGS_LIST = ("implementation:ratings_round_list",)
RATINGS_DETAIL = ("implementation:ratings_round_detail", "implementation:ratings_heatmap")
MY_SURVEYS = ("implementation:readiness_my_surveys", "implementation:readiness_inbox",
              "implementation:readiness_round_list")


def _first_url(names: tuple[str, ...], *args: Any) -> str:
    for name in names:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return ""


def _form_error(form: Any, exc: ServiceError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.reason)


def progress(total: int, done: int, dropped: int) -> dict[str, int]:
    """Done out of the items still meant to happen (dropped items do not count)."""
    planned = max(total - dropped, 0)
    return {"done": done, "planned": planned, "dropped": dropped,
            "percent": round(100 * done / planned) if planned else 0}


def _with_days_overdue(items: list[Any], today: date) -> list[Any]:
    for item in items:
        item.days_overdue = (today - item.due_on).days if item.due_on else 0
        item.days_left = (item.due_on - today).days if item.due_on else None
    return items


# ------------------------------------------------------------------ home

@allow(READERS)
def home(request: AuthedRequest) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    summary = selectors.plan_status_summary(user, today=today)
    open_register = selectors.barriers_for(user, include_addressed=False)
    readiness = (ReadinessRound.objects.filter(organisation_id=user.organisation_id, is_active=True)
                 .select_related("team").order_by("-opens_on", "-id").first())
    ratings = (CfirRatingRound.objects.filter(organisation_id=user.organisation_id, is_active=True)
               .select_related("team").order_by("-rated_on", "-id").first())
    waiting = ReadinessInvitation.objects.filter(staff=user, responded_at__isnull=True, is_active=True,
                                                 readiness_round__status=RoundStatus.OPEN,
                                                 readiness_round__is_active=True).count()
    plans: list[Any] = list(selectors.plans_for(user)[:5])
    for plan in plans:
        plan.progress = progress(plan.item_total, plan.item_done, plan.item_dropped)
    context = {
        "today": today, "summary": summary,
        "overall": progress(summary["total"], summary[PlanItemStatus.DONE], summary[PlanItemStatus.DROPPED]),
        "overdue": _with_days_overdue(list(selectors.overdue_plan_items(user, today=today)[:50]), today),
        "due_soon": _with_days_overdue(list(selectors.due_soon_plan_items(user, today=today)[:50]), today),
        "open_barriers": open_register.filter(kind=BarrierKind.BARRIER).count(),
        "facilitators": open_register.filter(kind=BarrierKind.FACILITATOR).count(),
        "plans": plans, "readiness": readiness, "ratings": ratings, "waiting": waiting,
        "readiness_url": (_first_url(READINESS_DETAIL, readiness.pk) if readiness else "")
        or _first_url(READINESS_LIST),
        "ratings_url": (_first_url(RATINGS_DETAIL, ratings.pk) if ratings else "") or _first_url(RATINGS_LIST),
        "surveys_url": _first_url(MY_SURVEYS),
        "can_write": user.role in WRITERS,
    }
    return render(request, "implementation/planning/home.html", context)


@allow(ITEM_OWNERS)
def my_items(request: AuthedRequest) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    items = _with_days_overdue(list(selectors.plan_items_for(user).filter(owner_id=user.pk)), today)
    closed = {PlanItemStatus.DONE, PlanItemStatus.DROPPED}
    items.sort(key=lambda i: (i.status in closed, i.due_on or date.max, i.pk))
    for item in items:
        item.can_status = True
    return render(request, "implementation/planning/my_items.html",
                  {"items": items, "today": today, "status_choices": PlanItemStatus.choices})


# ------------------------------------------------------------------ register

@allow(EVERYONE)
def barrier_list(request: AuthedRequest) -> HttpResponse:
    user: Any = request.user
    form = forms.BarrierFilterForm(request.GET or None, user=user)
    filters = form.cleaned_data if form.is_valid() else {}
    barriers: list[Any] = list(selectors.barrier_filter(user, **{k: v for k, v in filters.items() if v}))
    for barrier in barriers:
        barrier.can_edit = can_write_scope(user, barrier.team_id)
    context = {"form": form, "barriers": barriers, "can_write": user.role in WRITERS,
               "filtered": any(filters.values()) if filters else False}
    return render(request, "implementation/planning/barrier_list.html", context)


@allow(WRITERS)
def barrier_create(request: AuthedRequest) -> HttpResponse:
    form = forms.BarrierForm(request.POST or None, user=request.user, initial={"kind": BarrierKind.BARRIER})
    del form.fields["resolved_on"]
    if request.method == "POST" and form.is_valid():
        try:
            barrier = services.barrier_create(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("“%(title)s” added to the register.") % {"title": barrier.title})
            return redirect("implementation:planning_barrier_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "implementation/planning/barrier_form.html", {"form": form}, status=status)


@allow(WRITERS)
def barrier_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    barrier = selectors.barrier_for(request.user, pk)
    if not can_write_scope(request.user, barrier.team_id):
        raise PermissionDenied
    form = forms.BarrierForm(request.POST or None, user=request.user, initial=forms.BarrierForm.initial_from(barrier))
    if request.method == "POST" and form.is_valid():
        try:
            services.barrier_update(actor=request.user, barrier=barrier, **form.cleaned_data)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("implementation:planning_barrier_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "implementation/planning/barrier_form.html", {"form": form, "barrier": barrier},
                  status=status)


@require_POST
@allow(WRITERS)
def barrier_deactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    barrier = selectors.barrier_for(request.user, pk)
    services.barrier_deactivate(actor=request.user, barrier=barrier)
    messages.success(request, _("“%(title)s” removed from the register.") % {"title": barrier.title})
    return redirect("implementation:planning_barrier_list")


@allow(WRITERS)
def templates(request: AuthedRequest) -> HttpResponse:
    user: Any = request.user
    rows: list[Any] = list(reference.barrier_templates(organisation_id=user.organisation_id).order_by("kind", "title"))
    in_register = {(b.template_id, b.team_id) for b in selectors.barriers_for(user).exclude(template__isnull=True)}
    for template in rows:
        template.in_register_org = (template.pk, None) in in_register
    context = {"rows": rows, "form": forms.TemplateAddForm(user=user),
               "own_form": forms.OwnTemplateForm() if user.role in TABLE_EDITORS else None}
    return render(request, "implementation/planning/templates.html", context)


@require_POST
@allow(WRITERS)
def template_add(request: AuthedRequest) -> HttpResponse:
    user: Any = request.user
    team_value = request.POST.get("team", forms.ORG)
    team = None
    if team_value != forms.ORG:
        team = Team.objects.filter(organisation_id=user.organisation_id, is_active=True, pk=_int(team_value) or 0).first()
        if team is None:
            raise Http404
    if not can_write_scope(user, team.pk if team else None):
        raise PermissionDenied
    template = (reference.barrier_templates(organisation_id=user.organisation_id)
                .filter(pk=_int(request.POST.get("template")) or 0).first())
    if template is None:
        messages.error(request, _("Choose one of the templates."))
        return redirect("implementation:planning_templates")
    try:
        barrier = services.barrier_from_template(actor=user, template=template, team=team)
    except ServiceError as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, _("“%(title)s” added to the register.") % {"title": barrier.title})
    return redirect("implementation:planning_templates")


@require_POST
@allow(TABLE_EDITORS)
def template_create(request: AuthedRequest) -> HttpResponse:
    form = forms.OwnTemplateForm(request.POST)
    if form.is_valid():
        try:
            template = services.barrier_template_create(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Template “%(title)s” added.") % {"title": template.title})
            return redirect("implementation:planning_templates")
    user: Any = request.user
    rows = list(reference.barrier_templates(organisation_id=user.organisation_id).order_by("kind", "title"))
    return render(request, "implementation/planning/templates.html",
                  {"rows": rows, "form": forms.TemplateAddForm(user=user), "own_form": form}, status=400)


@require_POST
@allow(TABLE_EDITORS)
def template_deactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    template = BarrierTemplate.objects.filter(pk=pk, organisation_id=user.organisation_id,
                                              is_active=True).first()
    if template is None:
        raise Http404
    services.barrier_template_deactivate(actor=request.user, template=template)
    messages.success(request, _("Template “%(title)s” removed.") % {"title": template.title})
    return redirect("implementation:planning_templates")


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ------------------------------------------------------------------ recommendations

@allow(READERS)
def recommendations(request: AuthedRequest) -> HttpResponse:
    user: Any = request.user
    choosable = recommend.choosable_barriers(user)
    barrier_ids = request.GET.getlist("barrier") if request.GET.get("chosen") else None
    result = recommend.recommendations_for(user, barrier_ids=barrier_ids)
    chosen_ids = {b.pk for b in result.barriers}
    recs: list[Any] = result.recommendations
    for rec in recs:
        rec.db = result.strategies[rec.strategy.id]
        rec.barrier_ids = [reason.barrier.id for reason in rec.barriers]
    writable_plans = [p for p in selectors.plans_for(user) if can_write_scope(user, p.team_id)]
    context = {
        "choosable": choosable, "chosen_ids": chosen_ids, "result": result, "chosen_query": chosen_ids,
        "can_add": user.role in WRITERS, "plans": writable_plans,
        "plan_form": (forms.PlanForm(user=user, prefix="new", use_required_attribute=False)
                      if user.role in WRITERS else None),
    }
    return render(request, "implementation/planning/recommendations.html", context)


@require_POST
@allow(WRITERS)
def recommendations_add(request: AuthedRequest) -> HttpResponse:
    user: Any = request.user
    barrier_ids = request.POST.getlist("barrier")
    back = reverse("implementation:planning_recommendations") + "?" + urlencode(
        [("chosen", "1")] + [("barrier", b) for b in barrier_ids])
    plan_choice = request.POST.get("plan", "")
    plan = None if plan_choice == "new" else selectors.plan_for(user, plan_choice)
    if plan is not None and not can_write_scope(user, plan.team_id):
        raise PermissionDenied
    result = recommend.recommendations_for(user, barrier_ids=barrier_ids)
    wanted = {_int(v) for v in request.POST.getlist("strategy")}
    barriers = {b.pk: b for b in result.barriers}
    picks = [(result.strategies[rec.strategy.id], [barriers[reason.barrier.id] for reason in rec.barriers])
             for rec in result.recommendations if rec.strategy.id in wanted]
    if not picks:
        messages.error(request, _("Choose at least one strategy."))
        return redirect(back)
    try:
        with transaction.atomic():
            if plan is None:
                form = forms.PlanForm(request.POST, user=user, prefix="new")
                if not form.is_valid():
                    raise ServiceError(_("Give the new plan a title and say whom it is for."), field="plan")
                plan = services.plan_create(actor=user, title=form.cleaned_data["title"],
                                            team=form.cleaned_data["team"])
            created = services.plan_add_strategies(actor=user, plan=plan, picks=picks)
    except ServiceError as exc:
        messages.error(request, exc.reason)
        return redirect(back)
    if created:
        messages.success(request, ngettext("%(n)d strategy added to the plan.", "%(n)d strategies added to the plan.",
                                           len(created)) % {"n": len(created)})
    else:
        messages.info(request, _("These strategies are already in the plan."))
    return redirect("implementation:planning_plan_detail", pk=plan.pk)


# ------------------------------------------------------------------ the barrier → strategy table

def _table_rows(user: Any, search: str) -> list[Any]:
    retired = StrategyMatch.retired_by.through.objects.filter(strategymatch_id=OuterRef("pk"),
                                                              organisation_id=user.organisation_id)
    shipped = Q(organisation__isnull=True, dataset=reference.current_dataset("barrier_strategy"))
    rows = (StrategyMatch.objects.filter(shipped | Q(organisation_id=user.organisation_id, is_active=True))
            .filter(is_active=True)
            .select_related("strategy", "construct", "construct_2009", "dataset")
            .annotate(retired_here=Exists(retired)))
    if search:
        rows = rows.filter(Q(strategy__name__icontains=search) | Q(strategy__name_es__icontains=search)
                           | Q(construct__code__istartswith=search) | Q(construct__name__icontains=search)
                           | Q(construct_2009__code__istartswith=search)
                           | Q(construct_2009__name__icontains=search) | Q(source__icontains=search))
    result: list[Any] = list(rows.order_by("construct__order", "construct_2009__id", "level", "strategy__number", "id")[:1000])
    for row in result:
        row.citation = row.dataset.citation(row.source) if row.dataset else row.source
    return result


@allow(READERS)
def strategy_table(request: AuthedRequest) -> HttpResponse:
    user: Any = request.user
    form = forms.StrategyMatchForm(request.POST or None) if user.role in TABLE_EDITORS else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.strategy_match_create(actor=user, **form.cleaned_data)
            except ServiceError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Row added to your table."))
                return redirect("implementation:planning_strategy_table")
    search = request.GET.get("q", "").strip()[:100]
    context = {"rows": _table_rows(user, search), "form": form, "q": search,
               "can_edit": user.role in TABLE_EDITORS}
    return render(request, "implementation/planning/strategy_table.html", context,
                  status=400 if request.method == "POST" else 200)


def _match_for(user: Any, pk: int) -> StrategyMatch:
    match = reference.strategy_matches(organisation_id=user.organisation_id).filter(pk=pk).first()
    if match is None:  # a shipped row this organisation retired is still its to restore
        shipped = Q(organisation__isnull=True, dataset=reference.current_dataset("barrier_strategy"))
        match = StrategyMatch.objects.filter(shipped, pk=pk, is_active=True).first()
    if match is None:
        raise Http404
    return match


@require_POST
@allow(TABLE_EDITORS)
def match_retire(request: AuthedRequest, pk: int) -> HttpResponse:
    match = _match_for(request.user, pk)
    try:
        if request.POST.get("restore"):
            services.strategy_match_restore(actor=request.user, match=match)
            messages.success(request, _("The row is used again."))
        elif match.organisation_id:
            services.strategy_match_deactivate(actor=request.user, match=match)
            messages.success(request, _("Your row was removed."))
        else:
            services.strategy_match_retire(actor=request.user, match=match)
            messages.success(request, _("The row is no longer used in your organisation."))
    except ServiceError as exc:
        messages.error(request, exc.reason)
    return redirect("implementation:planning_strategy_table")


# ------------------------------------------------------------------ plans

@allow(EVERYONE)
def plan_list(request: AuthedRequest) -> HttpResponse:
    user: Any = request.user
    plans: list[Any] = list(selectors.plans_for(user))
    for plan in plans:
        plan.progress = progress(plan.item_total, plan.item_done, plan.item_dropped)
    form = forms.PlanForm(user=user) if user.role in WRITERS else None
    return render(request, "implementation/planning/plan_list.html", {"plans": plans, "form": form})


@allow(WRITERS)
def plan_create(request: AuthedRequest) -> HttpResponse:
    user: Any = request.user
    form = forms.PlanForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        service = services.plan_create_from_checklist if data["from_checklist"] else services.plan_create
        try:
            plan = service(actor=user, title=data["title"], team=data["team"])
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Plan “%(title)s” created.") % {"title": plan.title})
            return redirect("implementation:planning_plan_detail", pk=plan.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "implementation/planning/plan_form.html", {"form": form}, status=status)


@allow(EVERYONE)
def plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    plan: Any = selectors.plan_for(user, pk)
    items: list[Any] = _with_days_overdue(list(selectors.plan_items_for(user, plan_id=plan.pk)), today)
    can_edit = can_write_scope(user, plan.team_id)
    for item in items:
        item.can_status = can_edit or (item.owner_id == user.pk and user.role != Role.EVALUATOR)
    context = {"plan": plan, "items": items, "today": today, "can_edit": can_edit,
               "progress": progress(plan.item_total, plan.item_done, plan.item_dropped),
               "status_choices": PlanItemStatus.choices, "show_plan": False}
    return render(request, "implementation/planning/plan_detail.html", context)


@allow(WRITERS)
def item_create(request: AuthedRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    plan = selectors.plan_for(user, pk)
    if not can_write_scope(user, plan.team_id):
        raise PermissionDenied
    form = forms.PlanItemForm(request.POST or None, user=user, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_item_create(actor=user, plan=plan, **form.cleaned_data)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Action added."))
            return redirect("implementation:planning_plan_detail", pk=plan.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "implementation/planning/item_form.html", {"form": form, "plan": plan}, status=status)


@allow(WRITERS)
def item_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    item = selectors.plan_item_for(user, pk)
    if not selectors.can_change_item(user, item):
        raise PermissionDenied
    form = forms.PlanItemForm(request.POST or None, user=user, plan=item.plan,
                              initial=forms.PlanItemForm.initial_from(item))
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_item_update(actor=user, item=item, **form.cleaned_data)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("implementation:planning_plan_detail", pk=item.plan_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "implementation/planning/item_form.html", {"form": form, "plan": item.plan, "item": item},
                  status=status)


@require_POST
@allow(ITEM_OWNERS)
def item_status(request: AuthedRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    item = selectors.plan_item_for(user, pk)
    error = ""
    try:
        item = services.plan_item_set_status(actor=user, item=item, status=request.POST.get("status", ""))
    except ServiceError as exc:
        error = exc.reason
    if request.htmx:
        fresh: Any = selectors.plan_item_for(user, pk)
        _with_days_overdue([fresh], today)
        fresh.can_status = True
        plan: Any = selectors.plan_for(user, fresh.plan_id)
        context = {"item": fresh, "today": today, "status_choices": PlanItemStatus.choices, "error": error,
                   "show_plan": request.POST.get("show_plan") == "1",
                   "progress": progress(plan.item_total, plan.item_done, plan.item_dropped), "oob": True}
        return render(request, "implementation/planning/_item.html", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Status of “%(title)s”: %(status)s.")
                         % {"title": item.title, "status": item.get_status_display()})
    if request.POST.get("next") == "mine":
        return redirect("implementation:planning_my_items")
    return redirect("implementation:planning_plan_detail", pk=item.plan_id)

