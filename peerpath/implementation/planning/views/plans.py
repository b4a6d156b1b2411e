"""Pages for implementation plans and their items."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerpath.core.access import AuthedRequest, allow
from peerpath.core.choices import Role
from peerpath.core.exceptions import ServiceError
from peerpath.implementation.models import (
    PlanItemStatus,
)
from peerpath.implementation.planning import forms, selectors, services
from peerpath.implementation.planning.rules import (
    EVERYONE,
    WRITERS,
    can_write_scope,
)
from peerpath.implementation.planning.views.common import ITEM_OWNERS, _form_error, _with_days_overdue, progress


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
