"""Pages for recommended ERIC strategies and the strategy-matching table."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from peerpath.core.access import AuthedRequest, allow
from peerpath.core.exceptions import ServiceError
from peerpath.implementation.models import (
    StrategyMatch,
)
from peerpath.implementation.planning import forms, recommend, selectors, services
from peerpath.implementation.planning.rules import (
    READERS,
    TABLE_EDITORS,
    WRITERS,
    can_write_scope,
)
from peerpath.implementation.planning.views.common import _form_error, _int
from peerpath.implementation.reference import selectors as reference


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
