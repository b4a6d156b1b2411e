"""Reads for barriers and the implementation plan. Always scoped to the reader's organisation; a
missing object and one the reader may not see raise the same Http404.

Shared with the report area: ``barriers_for``, ``plans_for``, ``plan_items_for``,
``plan_status_summary`` and ``overdue_plan_items``."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from peerpath.core.choices import Role
from peerpath.implementation.models import Barrier, BarrierKind, ImplementationPlan, PlanItem, PlanItemStatus
from peerpath.implementation.planning.rules import OWNERS_ONLY, can_write_scope

OPEN_STATUSES = (PlanItemStatus.NOT_STARTED, PlanItemStatus.IN_PROGRESS)
DUE_SOON_DAYS = 14


# ------------------------------------------------------------------ barriers

def barriers_for(user: Any, *, team_id: int | None = None, include_addressed: bool = True) -> QuerySet[Barrier]:
    """Active barriers and facilitators of the user's organisation (every role may read the register).

    ``team_id`` keeps only that team's entries (not the organisation-wide ones);
    ``include_addressed=False`` drops entries marked addressed."""
    barriers = (Barrier.objects.filter(organisation_id=user.organisation_id, is_active=True)
                .select_related("construct", "construct__parent", "team", "template", "recorded_by"))
    if team_id:
        barriers = barriers.filter(team_id=team_id)
    if not include_addressed:
        barriers = barriers.filter(resolved_on__isnull=True)
    return barriers.order_by("kind", "-created_at", "-id")


def barrier_for(user: Any, barrier_id: Any) -> Barrier:
    barrier = barriers_for(user).filter(pk=_int(barrier_id)).first()
    if barrier is None:
        raise Http404("No such barrier.")
    return barrier


def open_barriers_for(user: Any, *, team_id: int | None = None) -> QuerySet[Barrier]:
    """Barriers (not facilitators) not yet addressed: the default choice for recommendations."""
    return barriers_for(user, team_id=team_id, include_addressed=False).filter(kind=BarrierKind.BARRIER)


def barrier_filter(user: Any, *, kind: str = "", domain: str = "", team: str = "",
                   state: str = "") -> QuerySet[Barrier]:
    """The register page's filters: kind, CFIR domain, team ("org" = organisation-wide), open/addressed."""
    barriers = barriers_for(user)
    if kind:
        barriers = barriers.filter(kind=kind)
    if domain:
        barriers = barriers.filter(construct__domain=domain)
    if team == "org":
        barriers = barriers.filter(team__isnull=True)
    elif team:
        barriers = barriers.filter(team_id=_int(team))
    if state == "open":
        barriers = barriers.filter(resolved_on__isnull=True)
    elif state == "addressed":
        barriers = barriers.filter(resolved_on__isnull=False)
    return barriers


# ------------------------------------------------------------------ plans

def plans_for(user: Any) -> QuerySet[ImplementationPlan]:
    """Active plans the user may open, with ``item_total``, ``item_done`` and ``item_dropped`` counts.

    Peer workers and clinicians see only the plans in which they own an item."""
    plans = ImplementationPlan.objects.filter(organisation_id=user.organisation_id, is_active=True)
    if user.role in OWNERS_ONLY:
        owned = PlanItem.objects.filter(plan=OuterRef("pk"), owner_id=user.pk, is_active=True)
        plans = plans.filter(Exists(owned))
    active = Q(items__is_active=True)
    return (plans.select_related("team", "created_by")
            .annotate(item_total=Count("items", filter=active),
                      item_done=Count("items", filter=active & Q(items__status=PlanItemStatus.DONE)),
                      item_dropped=Count("items", filter=active & Q(items__status=PlanItemStatus.DROPPED)))
            .order_by("-created_at", "-id"))


def plan_for(user: Any, plan_id: Any) -> ImplementationPlan:
    plan = plans_for(user).filter(pk=_int(plan_id)).first()
    if plan is None:
        raise Http404("No such plan.")
    return plan


def plan_items_for(user: Any, *, plan_id: int | None = None) -> QuerySet[PlanItem]:
    """Active items of active plans; peer workers and clinicians get only the items they own.
    With ``plan_id``, the plan must be one the user may open (else Http404)."""
    items = PlanItem.objects.filter(organisation_id=user.organisation_id, is_active=True, plan__is_active=True)
    if user.role in OWNERS_ONLY:
        items = items.filter(owner_id=user.pk)
    if plan_id is not None:
        plan_for(user, plan_id)
        items = items.filter(plan_id=plan_id)
    return (items.select_related("plan", "plan__team", "owner", "strategy")
            .prefetch_related("barriers")
            .order_by("plan_id", "order", "due_on", "id"))


def plan_item_for(user: Any, item_id: Any) -> PlanItem:
    item = plan_items_for(user).filter(pk=_int(item_id)).first()
    if item is None:
        raise Http404("No such plan item.")
    return item


def plan_status_summary(user: Any, today: date | None = None) -> dict[str, int]:
    """Counts of the user's visible plan items per status, plus ``total`` and ``overdue``."""
    today = today or timezone.localdate()
    rows = plan_items_for(user).order_by().values("status").annotate(n=Count("pk"))
    summary = {status: 0 for status in PlanItemStatus.values}
    summary.update({row["status"]: row["n"] for row in rows})
    summary["total"] = sum(summary[status] for status in PlanItemStatus.values)
    summary["overdue"] = overdue_plan_items(user, today=today).count()
    return summary


def overdue_plan_items(user: Any, today: date | None = None) -> QuerySet[PlanItem]:
    """Items past their due date that are neither done nor dropped, most overdue first."""
    today = today or timezone.localdate()
    return plan_items_for(user).filter(due_on__lt=today, status__in=OPEN_STATUSES).order_by("due_on", "id")


def due_soon_plan_items(user: Any, today: date | None = None, days: int = DUE_SOON_DAYS) -> QuerySet[PlanItem]:
    """Open items due from today to ``days`` ahead."""
    today = today or timezone.localdate()
    return (plan_items_for(user).filter(due_on__gte=today, due_on__lte=today + timedelta(days=days),
                                        status__in=OPEN_STATUSES).order_by("due_on", "id"))


def can_change_item(user: Any, item: PlanItem) -> bool:
    return can_write_scope(user, item.plan.team_id)


def can_update_item_status(user: Any, item: PlanItem) -> bool:
    """Writers of the plan's scope, and the item's owner (not evaluators)."""
    if can_change_item(user, item):
        return True
    return bool(user.is_active and item.owner_id == user.pk and user.role != Role.EVALUATOR)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None
