"""Writes for the barrier register, the barrier → strategy table and the implementation plan.

Keyword-only arguments, the permission check before anything else, one transaction, an explicit
audit record for every change (these are not client records, so ``client`` stays empty)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from peerpath.accounts.models import StaffMember
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.models import Team
from peerpath.core.validation import clean_text
from peerpath.implementation import reference
from peerpath.implementation.models import (
    Barrier,
    BarrierKind,
    BarrierTemplate,
    Cfir2009Construct,
    CfirConstruct,
    EricStrategy,
    ImplementationPlan,
    PlanItem,
    PlanItemStatus,
    StrategyMatch,
)
from peerpath.implementation.planning.rules import TABLE_EDITORS, WRITERS, can_write_scope
from peerpath.implementation.planning.selectors import can_update_item_status

MAX_TITLE = 200


# ------------------------------------------------------------------ shared checks

def _require(actor: Any, roles: Iterable[str]) -> None:
    if not actor.is_active or actor.organisation_id is None or actor.role not in set(roles):
        raise NotAllowed(_("Your role cannot do this."))


def _require_scope(actor: Any, team: Team | None) -> None:
    if not can_write_scope(actor, team.pk if team else None):
        raise NotAllowed(_("You can change only the barriers and plans of your own teams."))


def _same_org(actor: Any, obj: Any) -> None:
    if obj.organisation_id != actor.organisation_id:
        raise NotAllowed


def _team(actor: Any, team: Any) -> Team | None:
    if team is None or team == "":
        return None
    if not isinstance(team, Team) or team.organisation_id != actor.organisation_id or not team.is_active:
        raise ServiceError(_("Choose a team of your organisation."), field="team")
    return team


def _kind(value: Any) -> str:
    if value not in BarrierKind.values:
        raise ServiceError(_("Choose barrier or facilitator."), field="kind")
    return str(value)


def _construct(value: Any, field: str = "construct") -> CfirConstruct:
    if not isinstance(value, CfirConstruct) or not reference.cfir_constructs().filter(pk=value.pk).exists():
        raise ServiceError(_("Choose a construct of CFIR 2.0."), field=field)
    return value


def _strategy(value: Any, field: str = "strategy", *, required: bool = False) -> EricStrategy | None:
    if value is None or value == "":
        if required:
            raise ServiceError(_("Choose an ERIC strategy."), field=field)
        return None
    if not isinstance(value, EricStrategy) or not reference.eric_strategies().filter(pk=value.pk).exists():
        raise ServiceError(_("Choose one of the ERIC strategies."), field=field)
    return value


def _date(value: Any, field: str, *, required: bool = False) -> date | None:
    if value is None or value == "":
        if required:
            raise ServiceError(_("Enter a date."), field=field)
        return None
    if not isinstance(value, date):
        raise ServiceError(_("Enter a date."), field=field)
    return value


# ------------------------------------------------------------------ barriers

BARRIER_FIELDS = ("kind", "title", "description", "evidence", "construct", "raised_by", "team", "resolved_on")


def _barrier_values(actor: Any, *, kind: Any, title: Any, description: Any, evidence: Any, construct: Any,
                    raised_by: Any, team: Any, resolved_on: Any, check_construct: bool = True) -> dict[str, Any]:
    values = {
        "kind": _kind(kind), "title": clean_text(title, "title", max_length=MAX_TITLE),
        "description": clean_text(description, "description", required=False, max_length=5000),
        "evidence": clean_text(evidence, "evidence", required=False, max_length=5000),
        "construct": _construct(construct) if check_construct else construct,
        "raised_by": clean_text(raised_by, "raised_by", required=False, max_length=200),
        "team": _team(actor, team), "resolved_on": _date(resolved_on, "resolved_on"),
    }
    addressed = _date(resolved_on, "resolved_on")
    if addressed and addressed > timezone.localdate():
        raise ServiceError(_("The date it was addressed cannot be in the future."), field="resolved_on")
    return values


def barrier_create(*, actor: Any, title: str, construct: Any, kind: str = BarrierKind.BARRIER, description: str = "",
                   evidence: str = "", raised_by: str = "", team: Any = None, resolved_on: Any = None,
                   template: BarrierTemplate | None = None) -> Barrier:
    """Record a barrier or facilitator (leaders and admins; supervisors for their own teams)."""
    _require(actor, WRITERS)
    _require_scope(actor, team if isinstance(team, Team) else None)
    values = _barrier_values(actor, kind=kind, title=title, description=description, evidence=evidence,
                             construct=construct, raised_by=raised_by, team=team, resolved_on=resolved_on)
    with transaction.atomic():
        barrier = Barrier.objects.create(organisation_id=actor.organisation_id, recorded_by=actor, template=template,
                                         **values)
        audit_record(actor=actor, action=AuditAction.CREATE, target=barrier,
                     detail={"template": template.key} if template else {})
    return barrier


def barrier_from_template(*, actor: Any, template: BarrierTemplate, team: Any = None, raised_by: str = "",
                          evidence: str = "") -> Barrier:
    """Add a literature template to the register in one click; the same template twice for the same
    team (or twice organisation-wide) is refused."""
    _require(actor, WRITERS)
    _require_scope(actor, team if isinstance(team, Team) else None)
    if not reference.barrier_templates(organisation_id=actor.organisation_id).filter(pk=template.pk).exists():
        raise ServiceError(_("Choose one of the templates."), field="template")
    team = _team(actor, team)
    duplicate = Barrier.objects.filter(organisation_id=actor.organisation_id, template=template, team=team,
                                       is_active=True)
    if duplicate.exists():
        where = team.name if team else _("the whole organisation")
        raise ServiceError(_("“%(title)s” is already in the register for %(where)s.")
                           % {"title": template.localized("title"), "where": where}, field="template")
    return barrier_create(actor=actor, kind=template.kind, title=template.localized("title")[:MAX_TITLE],
                          description=template.localized("description"), construct=template.construct,
                          evidence=evidence or _("Source: %(source)s") % {"source": template.source},
                          raised_by=raised_by, team=team, template=template)


def barrier_update(*, actor: Any, barrier: Barrier, **changes: Any) -> Barrier:
    """Change a barrier's text, construct, team or the date it was addressed (empty date: open again)."""
    _require(actor, WRITERS)
    _same_org(actor, barrier)
    _require_scope(actor, barrier.team)
    unknown = set(changes) - set(BARRIER_FIELDS)
    if unknown:
        raise ServiceError(_("Unknown field."), field=sorted(unknown)[0])
    current = {name: getattr(barrier, name) for name in BARRIER_FIELDS}
    merged = {**current, **changes}
    if "team" in changes:
        _require_scope(actor, changes["team"] if isinstance(changes["team"], Team) else None)
    values = _barrier_values(actor, **merged, check_construct=merged["construct"] != current["construct"])
    with transaction.atomic():
        changed = sorted(name for name, value in values.items() if value != current[name])
        for name, value in values.items():
            setattr(barrier, name, value)
        barrier.save()
        audit_record(actor=actor, action=AuditAction.UPDATE, target=barrier, detail={"changed": changed})
    return barrier


def barrier_deactivate(*, actor: Any, barrier: Barrier) -> Barrier:
    _require(actor, WRITERS)
    _same_org(actor, barrier)
    _require_scope(actor, barrier.team)
    with transaction.atomic():
        barrier.is_active = False
        barrier.save(update_fields=["is_active", "updated_at"])
        audit_record(actor=actor, action=AuditAction.DEACTIVATE, target=barrier)
    return barrier


# ------------------------------------------------------------------ the organisation's own reference rows

def barrier_template_create(*, actor: Any, kind: str, title: str, construct: Any, source: str,
                            description: str = "") -> BarrierTemplate:
    """An organisation's own barrier or facilitator template (admins)."""
    _require(actor, TABLE_EDITORS)
    kind, title = _kind(kind), clean_text(title, "title", max_length=MAX_TITLE)
    construct = _construct(construct)
    description = clean_text(description, "description", required=False, max_length=5000)
    source = clean_text(source, "source", max_length=200)
    with transaction.atomic():
        template = BarrierTemplate.objects.create(
            organisation_id=actor.organisation_id, key=f"own-{slugify(title)[:50]}", kind=kind, title=title,
            description=description, construct=construct, source=source)
        audit_record(actor=actor, action=AuditAction.CREATE, target=template)
    return template


def barrier_template_deactivate(*, actor: Any, template: BarrierTemplate) -> BarrierTemplate:
    _require(actor, TABLE_EDITORS)
    if template.organisation_id != actor.organisation_id:
        raise NotAllowed
    with transaction.atomic():
        template.is_active = False
        template.save(update_fields=["is_active", "updated_at"])
        audit_record(actor=actor, action=AuditAction.DEACTIVATE, target=template)
    return template


def strategy_match_create(*, actor: Any, strategy: Any, level: Any, source: str, construct: Any = None,
                          construct_2009: Any = None, note: str = "") -> StrategyMatch:
    """Add an organisation's own row to its barrier → strategy table (admins): one construct (CFIR 2.0
    or 2009), a strategy, a level and where the link comes from."""
    _require(actor, TABLE_EDITORS)
    if (construct in (None, "")) == (construct_2009 in (None, "")):
        raise ServiceError(_("Choose one construct: CFIR 2.0 or CFIR 2009."), field="construct")
    if construct not in (None, ""):
        construct = _construct(construct)
        construct_2009 = None
    else:
        current = reference.current_dataset("cfir2009")
        if (not isinstance(construct_2009, Cfir2009Construct)
                or construct_2009.dataset_id != getattr(current, "pk", None)):
            raise ServiceError(_("Choose a construct of CFIR 2009."), field="construct_2009")
        construct = None
    strategy = _strategy(strategy, required=True)
    if level not in (1, 2) or isinstance(level, bool):
        raise ServiceError(_("Choose Level 1 or Level 2."), field="level")
    source = clean_text(source, "source", max_length=200)
    note = clean_text(note, "note", required=False, max_length=500)
    with transaction.atomic():
        match = StrategyMatch.objects.create(organisation_id=actor.organisation_id, construct=construct,
                                             construct_2009=construct_2009, strategy=strategy, level=level,
                                             source=source, note=note)
        audit_record(actor=actor, action=AuditAction.CREATE, target=match)
    return match


def strategy_match_retire(*, actor: Any, match: StrategyMatch) -> StrategyMatch:
    """Stop using a shipped row in this organisation (it stays in the table for everyone else)."""
    _require(actor, TABLE_EDITORS)
    if match.organisation_id is not None:
        raise ServiceError(_("Only shipped rows are retired; deactivate your own rows instead."), field="match")
    with transaction.atomic():
        match.retired_by.add(actor.organisation_id)
        audit_record(actor=actor, action=AuditAction.UPDATE, target=match, detail={"retired": True})
    return match


def strategy_match_restore(*, actor: Any, match: StrategyMatch) -> StrategyMatch:
    _require(actor, TABLE_EDITORS)
    if match.organisation_id is not None:
        raise ServiceError(_("Only shipped rows are retired; deactivate your own rows instead."), field="match")
    with transaction.atomic():
        match.retired_by.remove(actor.organisation_id)
        audit_record(actor=actor, action=AuditAction.UPDATE, target=match, detail={"retired": False})
    return match


def strategy_match_deactivate(*, actor: Any, match: StrategyMatch) -> StrategyMatch:
    _require(actor, TABLE_EDITORS)
    if match.organisation_id != actor.organisation_id:
        raise NotAllowed
    with transaction.atomic():
        match.is_active = False
        match.save(update_fields=["is_active", "updated_at"])
        audit_record(actor=actor, action=AuditAction.DEACTIVATE, target=match)
    return match


# ------------------------------------------------------------------ plans

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

