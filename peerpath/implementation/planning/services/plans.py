"""Writes for implementation plans and their items (owners, due dates, status, linked barriers)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.accounts.models import StaffMember
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.models import Team
from peerpath.core.validation import clean_text
from peerpath.implementation.models import (
    Barrier,
    BarrierKind,
    EricStrategy,
    ImplementationPlan,
    PlanItem,
    PlanItemStatus,
)
from peerpath.implementation.planning.rules import WRITERS
from peerpath.implementation.planning.selectors import can_update_item_status
from peerpath.implementation.planning.services.common import (
    MAX_TITLE,
    _date,
    _require,
    _require_scope,
    _same_org,
    _strategy,
    _team,
)
from peerpath.implementation.reference import selectors as reference


def plan_create(*, actor: Any, title: str, team: Any = None) -> ImplementationPlan:
    _require(actor, WRITERS)
    _require_scope(actor, team if isinstance(team, Team) else None)
    title = clean_text(title, "title", max_length=MAX_TITLE)
    team = _team(actor, team)
    with transaction.atomic():
        plan = ImplementationPlan.objects.create(organisation_id=actor.organisation_id, title=title, team=team,
                                                 created_by=actor)
        audit_record(actor=actor, action=AuditAction.CREATE, target=plan)
    return plan


def plan_create_from_checklist(*, actor: Any, title: str, team: Any = None) -> ImplementationPlan:
    """A new plan whose items are the best-practice checklist (Mutschler et al. 2022); each item keeps
    its suggested ERIC strategy and is linked to the open barriers of the plan's scope on the same construct."""
    _require(actor, WRITERS)
    _require_scope(actor, team if isinstance(team, Team) else None)
    templates = list(reference.checklist_templates().order_by("order"))
    if not templates:
        raise ServiceError(_("The best-practice checklist is not loaded."), field="title")
    title = clean_text(title, "title", max_length=MAX_TITLE)
    team = _team(actor, team)
    with transaction.atomic():
        plan = ImplementationPlan.objects.create(organisation_id=actor.organisation_id, title=title, team=team,
                                                 created_by=actor)
        open_barriers = Barrier.objects.filter(organisation_id=actor.organisation_id, is_active=True,
                                               kind=BarrierKind.BARRIER, resolved_on__isnull=True)
        if plan.team_id:
            open_barriers = open_barriers.filter(team_id=plan.team_id)
        by_construct: dict[int, list[Barrier]] = {}
        for barrier in open_barriers:
            by_construct.setdefault(barrier.construct_id, []).append(barrier)
        for position, template in enumerate(templates):
            item = PlanItem.objects.create(
                organisation_id=actor.organisation_id, plan=plan, title=template.localized("title")[:MAX_TITLE],
                description=template.localized("description"), strategy=template.strategy,
                checklist_template=template, order=position)
            item.barriers.set(by_construct.get(template.construct_id or 0, []))
        audit_record(actor=actor, action=AuditAction.CREATE, target=plan,
                     detail={"from_checklist": True, "items": len(templates)})
    return plan


def _owner(actor: Any, owner: Any) -> StaffMember | None:
    if owner is None or owner == "":
        return None
    if not isinstance(owner, StaffMember) or owner.organisation_id != actor.organisation_id or not owner.is_active:
        raise ServiceError(_("Choose a person from your organisation."), field="owner")
    return owner


def _barriers(actor: Any, barriers: Iterable[Any]) -> list[Barrier]:
    chosen = list(barriers or [])
    for barrier in chosen:
        if (not isinstance(barrier, Barrier) or barrier.organisation_id != actor.organisation_id
                or not barrier.is_active):
            raise ServiceError(_("Choose barriers from your register."), field="barriers")
    return chosen


def _status(value: Any) -> str:
    if value not in PlanItemStatus.values:
        raise ServiceError(_("Choose a status."), field="status")
    return str(value)


def _check_due(plan: ImplementationPlan, due_on: date | None) -> None:
    created = timezone.localdate(plan.created_at)
    if due_on is not None and due_on < created:
        raise ServiceError(_("The due date cannot be before the plan was made (%(date)s).")
                           % {"date": created.isoformat()}, field="due_on")


def _completed(status: str, completed_on: Any, previous: date | None = None) -> date | None:
    if status != PlanItemStatus.DONE:
        return None
    completed_on = _date(completed_on, "completed_on") or previous or timezone.localdate()
    if completed_on > timezone.localdate():
        raise ServiceError(_("The completion date cannot be in the future."), field="completed_on")
    return completed_on


def plan_item_create(*, actor: Any, plan: ImplementationPlan, title: str, description: str = "", owner: Any = None,
                     due_on: Any = None, status: str = PlanItemStatus.NOT_STARTED, strategy: Any = None,
                     barriers: Iterable[Any] = (), completed_on: Any = None) -> PlanItem:
    _require(actor, WRITERS)
    _same_org(actor, plan)
    _require_scope(actor, plan.team)
    title = clean_text(title, "title", max_length=MAX_TITLE)
    description = clean_text(description, "description", required=False, max_length=5000)
    owner, strategy = _owner(actor, owner), _strategy(strategy)
    due_on = _date(due_on, "due_on")
    _check_due(plan, due_on)
    status = _status(status)
    chosen = _barriers(actor, barriers)
    with transaction.atomic():
        last = plan.items.order_by("-order").values_list("order", flat=True).first()
        item = PlanItem.objects.create(
            organisation_id=actor.organisation_id, plan=plan, title=title, description=description, owner=owner,
            due_on=due_on, status=status, completed_on=_completed(status, completed_on), strategy=strategy,
            order=(last or 0) + 1 if last is not None else 0)
        item.barriers.set(chosen)
        audit_record(actor=actor, action=AuditAction.CREATE, target=item)
    return item


ITEM_FIELDS = ("title", "description", "owner", "due_on", "status", "strategy", "barriers", "completed_on")


def plan_item_update(*, actor: Any, item: PlanItem, **changes: Any) -> PlanItem:
    """Change an item (writers of the plan's scope). A new due date may not be before the plan was made."""
    _require(actor, WRITERS)
    _same_org(actor, item)
    _require_scope(actor, item.plan.team)
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise ServiceError(_("Unknown field."), field=sorted(unknown)[0])
    values: dict[str, Any] = {}
    if "title" in changes:
        values["title"] = clean_text(changes["title"], "title", max_length=MAX_TITLE)
    if "description" in changes:
        values["description"] = clean_text(changes["description"], "description", required=False, max_length=5000)
    if "owner" in changes:
        values["owner"] = _owner(actor, changes["owner"])
    if "strategy" in changes:
        values["strategy"] = _strategy(changes["strategy"])
    if "due_on" in changes:
        values["due_on"] = _date(changes["due_on"], "due_on")
        if values["due_on"] != item.due_on:
            _check_due(item.plan, values["due_on"])
    status = _status(changes.get("status", item.status))
    values["status"] = status
    values["completed_on"] = _completed(status, changes.get("completed_on"),
                                        item.completed_on if item.status == PlanItemStatus.DONE else None)
    chosen = _barriers(actor, changes["barriers"]) if "barriers" in changes else None
    with transaction.atomic():
        changed = sorted(name for name, value in values.items() if getattr(item, name) != value)
        for name, value in values.items():
            setattr(item, name, value)
        item.save()
        if chosen is not None:
            item.barriers.set(chosen)
            changed.append("barriers")
        audit_record(actor=actor, action=AuditAction.UPDATE, target=item, detail={"changed": changed})
    return item


def plan_item_set_status(*, actor: Any, item: PlanItem, status: str, completed_on: Any = None) -> PlanItem:
    """Change only the status (writers of the plan's scope, and the item's owner). Done records the
    completion date (today unless given); any other status clears it."""
    if not actor.is_active or actor.organisation_id != item.organisation_id or not can_update_item_status(actor, item):
        raise NotAllowed(_("Only the owner or the plan's leaders can change this item."))
    status = _status(status)
    previous = item.completed_on if item.status == PlanItemStatus.DONE else None
    done_on = _completed(status, completed_on, previous)
    with transaction.atomic():
        old = item.status
        item.status, item.completed_on = status, done_on
        item.save(update_fields=["status", "completed_on", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, target=item, detail={"status": [old, status]})
    return item


def plan_item_deactivate(*, actor: Any, item: PlanItem) -> PlanItem:
    _require(actor, WRITERS)
    _same_org(actor, item)
    _require_scope(actor, item.plan.team)
    with transaction.atomic():
        item.is_active = False
        item.save(update_fields=["is_active", "updated_at"])
        audit_record(actor=actor, action=AuditAction.DEACTIVATE, target=item)
    return item


def plan_add_strategies(*, actor: Any, plan: ImplementationPlan,
                        picks: Iterable[tuple[EricStrategy, Iterable[Barrier]]]) -> list[PlanItem]:
    """Add chosen strategies to a plan, one item each, linked to the barriers the strategy addresses.
    A strategy already in the plan (an active item) is not added twice."""
    _require(actor, WRITERS)
    _same_org(actor, plan)
    _require_scope(actor, plan.team)
    checked: list[tuple[EricStrategy | None, list[Barrier]]] = [
        (_strategy(strategy, "strategies", required=True), _barriers(actor, barriers)) for strategy, barriers in picks]
    if not checked:
        raise ServiceError(_("Choose at least one strategy."), field="strategies")
    present = set(plan.items.filter(is_active=True, strategy__isnull=False).values_list("strategy_id", flat=True))
    created = []
    with transaction.atomic():
        last = plan.items.order_by("-order").values_list("order", flat=True).first() or 0
        for strategy, barriers in checked:
            assert strategy is not None
            if strategy.pk in present:
                continue
            present.add(strategy.pk)
            last += 1
            item = PlanItem.objects.create(
                organisation_id=actor.organisation_id, plan=plan, title=strategy.localized("name")[:MAX_TITLE],
                description=strategy.localized("definition"), strategy=strategy, order=last)
            item.barriers.set(barriers)
            audit_record(actor=actor, action=AuditAction.CREATE, target=item, detail={"from_recommendation": True})
            created.append(item)
    return created
