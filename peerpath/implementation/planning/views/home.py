"""The implementation home page and a person's own plan items."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from peerpath.core.access import AuthedRequest, allow
from peerpath.implementation.models import (
    BarrierKind,
    CfirRatingRound,
    PlanItemStatus,
    ReadinessInvitation,
    ReadinessRound,
)
from peerpath.implementation.planning import selectors
from peerpath.implementation.planning.rules import (
    READERS,
    WRITERS,
)
from peerpath.implementation.planning.views.common import (
    ITEM_OWNERS,
    _with_days_overdue,
    progress,
)
from peerpath.implementation.readiness.models import RoundStatus


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
        "readiness_url": (reverse("implementation:readiness_round_detail", args=[readiness.pk]) if readiness
                          else reverse("implementation:readiness_round_list")),
        "ratings_url": (reverse("implementation:ratings_round_detail", args=[ratings.pk]) if ratings
                        else reverse("implementation:ratings_round_list")),
        "surveys_url": reverse("implementation:readiness_my_surveys"),
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
