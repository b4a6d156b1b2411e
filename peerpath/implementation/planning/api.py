"""The barrier register, recommendations and plans over JSON, at /api/v1/implementation/.
Same selectors, services and rules as the pages (see planning/rules.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.utils import timezone
from ninja import Query, Router, Status
from pydantic import ConfigDict, Field, StrictBool, StrictInt

from peerpath.accounts.selectors import staff_in_organisation
from peerpath.core.access import require
from peerpath.core.api_support import ErrorOut
from peerpath.core.api_types import Id, Schema
from peerpath.core.exceptions import ServiceError
from peerpath.core.models import Team
from peerpath.core.tenancy import team_for
from peerpath.implementation.models import Barrier, BarrierKind, PlanItem, PlanItemStatus
from peerpath.implementation.planning import recommend, selectors, services
from peerpath.implementation.planning.rules import EVERYONE, READERS, WRITERS
from peerpath.implementation.reference import selectors as reference

router = Router(tags=["implementation"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
T = TypeVar("T")
# Service field names → the API's names, so an error names the field the client sent.
API_FIELDS = {"owner": "owner_id", "strategy": "strategy_id", "barriers": "barrier_ids", "team": "team_id",
              "construct": "construct_code", "template": "template_id", "due_on": "due_on",
              "resolved_on": "addressed_on", "strategies": "strategy_id"}




def _call(service: Callable[..., T], **kwargs: Any) -> T:
    try:
        return service(**kwargs)
    except ServiceError as exc:
        raise ServiceError(exc.reason, field=API_FIELDS.get(exc.field or "", exc.field)) from None


def _team(user: Any, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = team_for(user, team_id)
    if team is None:
        raise ServiceError("Choose a team of your organisation.", field="team_id")
    return team


# ------------------------------------------------------------------ barriers

class BarrierIn(Schema):
    """Either ``template_id`` (a literature template, added as it is) or ``title`` and ``construct_code``."""

    model_config = ConfigDict(extra="forbid")

    template_id: StrictInt | None = None
    kind: BarrierKind = BarrierKind.BARRIER
    title: str | None = Field(None, min_length=1, max_length=200)
    construct_code: str | None = Field(None, min_length=1, max_length=12, description="CFIR 2.0 code, e.g. III.A.3")
    description: str = Field("", max_length=5000)
    evidence: str = Field("", max_length=5000)
    raised_by: str = Field("", max_length=200)
    team_id: StrictInt | None = None


class BarrierOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    evidence: str
    raised_by: str
    construct_code: str
    construct_name: str
    domain: str
    team_id: int | None
    template_id: int | None
    addressed_on: date | None
    recorded_by_id: int
    created_at: datetime


def _barrier_out(b: Barrier) -> dict[str, Any]:
    return {"id": b.pk, "kind": b.kind, "title": b.title, "description": b.description, "evidence": b.evidence,
            "raised_by": b.raised_by, "construct_code": b.construct.code, "construct_name": b.construct.name,
            "domain": b.construct.domain, "team_id": b.team_id, "template_id": b.template_id,
            "addressed_on": b.resolved_on, "recorded_by_id": b.recorded_by_id, "created_at": b.created_at}


class BarrierQuery(Schema):
    team_id: int | None = None
    include_addressed: bool = True


@router.get("/barriers", response={200: list[BarrierOut], **ERRORS}, url_name="planning_barrier_list")
def barrier_list(request: Any, filters: Query[BarrierQuery]) -> list[dict[str, Any]]:
    """The register (every role of the organisation may read it)."""
    barriers = selectors.barriers_for(request.auth, team_id=filters.team_id,
                                      include_addressed=filters.include_addressed)
    return [_barrier_out(b) for b in barriers]


@router.post("/barriers", response={201: BarrierOut, **ERRORS}, url_name="planning_barrier_create")
def barrier_create(request: Any, payload: BarrierIn) -> Status:
    """Add a barrier or facilitator; with ``template_id`` the template's title, text and construct are used
    (the same template twice for the same team is refused with 400)."""
    user = request.auth
    require(user, WRITERS)
    team = _team(user, payload.team_id)
    if payload.template_id is not None:
        template = reference.barrier_templates(organisation_id=user.organisation_id).filter(
            pk=payload.template_id).first()
        if template is None:
            raise ServiceError("Choose one of the templates.", field="template_id")
        barrier = _call(services.barrier_from_template, actor=user, template=template, team=team,
                        raised_by=payload.raised_by, evidence=payload.evidence)
    else:
        if not payload.title:
            raise ServiceError("This field is required.", field="title")
        construct = reference.cfir_constructs().filter(code=payload.construct_code or "").first()
        if construct is None:
            raise ServiceError("Choose a construct of CFIR 2.0.", field="construct_code")
        barrier = _call(services.barrier_create, actor=user, kind=payload.kind.value, title=payload.title,
                        construct=construct, description=payload.description, evidence=payload.evidence,
                        raised_by=payload.raised_by, team=team)
    return Status(201, _barrier_out(selectors.barrier_for(user, barrier.pk)))


# ------------------------------------------------------------------ recommendations

class RecommendationsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    barrier_ids: list[StrictInt] | None = Field(None, max_length=200,
                                                description="Barriers to rank for; empty: every open barrier")


class RowReasonOut(Schema):
    match_id: int
    construct_code: str
    construct_2009_code: str | None
    crosswalk_source: str
    level: int
    endorsement: Decimal | None
    weight: Decimal
    source: str
    note: str
    own_row: bool
    counted: bool


class BarrierReasonOut(Schema):
    barrier_id: int
    title: str
    weight: Decimal
    rows: list[RowReasonOut]


class RecommendationOut(Schema):
    rank: int
    strategy_id: int
    number: int
    name: str
    cluster: str
    score: Decimal
    evidence: Decimal
    prior: Decimal
    importance: Decimal | None
    feasibility: Decimal | None
    barriers_addressed: int
    formula: str
    barriers: list[BarrierReasonOut]


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.0001"))


@router.post("/recommendations", response={200: list[RecommendationOut], **ERRORS},
             url_name="planning_recommendations")
def recommendations(request: Any, payload: RecommendationsIn) -> list[dict[str, Any]]:
    """ERIC strategies ranked for the barriers, with the reasons (see planning/ranking.py)."""
    user = request.auth
    require(user, READERS)
    result = recommend.recommendations_for(user, barrier_ids=payload.barrier_ids or None, strict=True)
    return [{
        "rank": rank, "strategy_id": rec.strategy.id, "number": rec.strategy.number, "name": rec.strategy.name,
        "cluster": rec.strategy.cluster, "score": _q(rec.score), "evidence": _q(rec.evidence), "prior": _q(rec.prior),
        "importance": rec.strategy.importance, "feasibility": rec.strategy.feasibility,
        "barriers_addressed": rec.barrier_count, "formula": rec.formula,
        "barriers": [{"barrier_id": reason.barrier.id, "title": reason.barrier.title, "weight": reason.weight,
                      "rows": [{"match_id": r.row.id, "construct_code": r.construct.code,
                                "construct_2009_code": r.construct_2009.code if r.construct_2009 else None,
                                "crosswalk_source": r.crosswalk_source, "level": r.row.level,
                                "endorsement": r.row.endorsement, "weight": r.row.weight, "source": r.row.source,
                                "note": r.row.note, "own_row": r.row.own, "counted": r.counted}
                               for r in reason.rows]}
                     for reason in rec.barriers],
    } for rank, rec in enumerate(result.recommendations, start=1)]


# ------------------------------------------------------------------ plans

class ImplementationPlanIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    team_id: StrictInt | None = None
    from_checklist: StrictBool = False


class ImplementationPlanOut(Schema):
    id: int
    title: str
    team_id: int | None
    created_by_id: int
    created_at: datetime
    items: int
    done: int
    dropped: int


def _plan_out(p: Any) -> dict[str, Any]:
    return {"id": p.pk, "title": p.title, "team_id": p.team_id, "created_by_id": p.created_by_id,
            "created_at": p.created_at, "items": p.item_total, "done": p.item_done, "dropped": p.item_dropped}


@router.get("/plans", response={200: list[ImplementationPlanOut], **ERRORS}, url_name="planning_plan_list")
def plan_list(request: Any) -> list[dict[str, Any]]:
    """Plans the caller may open (peer workers and clinicians: those with an action they own)."""
    return [_plan_out(p) for p in selectors.plans_for(request.auth)]


@router.post("/plans", response={201: ImplementationPlanOut, **ERRORS}, url_name="planning_plan_create")
def plan_create(request: Any, payload: ImplementationPlanIn) -> Status:
    """A new plan; ``from_checklist`` fills it with the best-practice checklist."""
    user = request.auth
    require(user, WRITERS)
    team = _team(user, payload.team_id)
    service = services.plan_create_from_checklist if payload.from_checklist else services.plan_create
    plan = _call(service, actor=user, title=payload.title, team=team)
    return Status(201, _plan_out(selectors.plan_for(user, plan.pk)))


class PlanItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    owner_id: StrictInt | None = None
    due_on: date | None = None
    status: PlanItemStatus = PlanItemStatus.NOT_STARTED
    strategy_id: StrictInt | None = None
    barrier_ids: list[StrictInt] = Field(default_factory=list, max_length=100)


class PlanItemStatusIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: PlanItemStatus
    completed_on: date | None = None


class PlanItemOut(Schema):
    id: int
    plan_id: int
    title: str
    description: str
    owner_id: int | None
    due_on: date | None
    status: str
    completed_on: date | None
    strategy_id: int | None
    strategy_name: str | None
    barrier_ids: list[int]
    overdue: bool


def _item_out(i: PlanItem, today: date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    return {"id": i.pk, "plan_id": i.plan_id, "title": i.title, "description": i.description, "owner_id": i.owner_id,
            "due_on": i.due_on, "status": i.status, "completed_on": i.completed_on, "strategy_id": i.strategy_id,
            "strategy_name": i.strategy.name if i.strategy else None,
            "barrier_ids": sorted(b.pk for b in i.barriers.all()),
            "overdue": bool(i.due_on and i.due_on < today and i.status in selectors.OPEN_STATUSES)}


class ItemQuery(Schema):
    plan_id: int | None = None


@router.get("/plan-items", response={200: list[PlanItemOut], **ERRORS}, url_name="planning_item_list")
def item_list(request: Any, filters: Query[ItemQuery]) -> list[dict[str, Any]]:
    """Actions the caller may see (peer workers and clinicians: their own), optionally of one plan."""
    require(request.auth, EVERYONE)
    today = timezone.localdate()
    return [_item_out(i, today) for i in selectors.plan_items_for(request.auth, plan_id=filters.plan_id)]


@router.post("/plans/{plan_id}/items", response={201: PlanItemOut, **ERRORS}, url_name="planning_item_create")
def item_create(request: Any, plan_id: Id, payload: PlanItemIn) -> Status:
    user = request.auth
    require(user, WRITERS)
    plan = selectors.plan_for(user, plan_id)
    owner = None
    if payload.owner_id is not None:
        owner = staff_in_organisation(user=user).filter(pk=payload.owner_id).first()
        if owner is None:
            raise ServiceError("Choose a person from your organisation.", field="owner_id")
    strategy = None
    if payload.strategy_id is not None:
        strategy = reference.eric_strategies().filter(pk=payload.strategy_id).first()
        if strategy is None:
            raise ServiceError("Choose one of the ERIC strategies.", field="strategy_id")
    barriers = list(selectors.barriers_for(user).filter(pk__in=payload.barrier_ids))
    if len(barriers) != len(set(payload.barrier_ids)):
        raise ServiceError("Choose barriers from your register.", field="barrier_ids")
    item = _call(services.plan_item_create, actor=user, plan=plan, title=payload.title,
                 description=payload.description, owner=owner, due_on=payload.due_on, status=payload.status.value,
                 strategy=strategy, barriers=barriers)
    return Status(201, _item_out(selectors.plan_item_for(user, item.pk)))


@router.post("/plan-items/{item_id}/status", response={200: PlanItemOut, **ERRORS}, url_name="planning_item_status")
def item_status(request: Any, item_id: Id, payload: PlanItemStatusIn) -> dict[str, Any]:
    """Change an action's status (the plan's writers and the action's owner). ``done`` records the
    completion date (today unless given); any other status clears it."""
    user = request.auth
    require(user, EVERYONE - {"evaluator"})
    item = selectors.plan_item_for(user, item_id)
    _call(services.plan_item_set_status, actor=user, item=item, status=payload.status.value,
          completed_on=payload.completed_on)
    return _item_out(selectors.plan_item_for(user, item_id))
