"""Encounters, recovery plans and team meetings over JSON. Same selectors and services as the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from pydantic import ConfigDict, Field

from peerpath.accounts.selectors import colleague_get
from peerpath.care import selectors, services
from peerpath.care.choices import Activity, Chime, LifeArea, Setting
from peerpath.care.policies import CONSULT, PEER_WORK, READ_MEETINGS, RECORD_ENCOUNTER
from peerpath.clients.choices import Modality
from peerpath.clients.selectors import client_get_for, clients_shown
from peerpath.core.access import require
from peerpath.core.api_support import ErrorOut
from peerpath.core.api_types import Id, Limit, Schema
from peerpath.core.choices import Role
from peerpath.core.exceptions import ServiceError
from peerpath.core.forms_support import call_service

router = Router(tags=["care"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class EncounterIn(Schema):
    model_config = ConfigDict(extra="forbid")
    client_ids: list[int] = Field(min_length=1, max_length=15)
    started_at: datetime
    duration_minutes: int = Field(ge=1, le=480, strict=True)
    modality: Modality
    setting: Setting
    activities: list[Activity] = Field(min_length=1, max_length=10)
    self_disclosure_used: bool = False
    note: str = Field("", max_length=10000)
    next_contact_on: date | None = None


class EncounterOut(Schema):
    id: int
    peer_id: int
    client_ids: list[int]
    started_at: datetime
    duration_minutes: int
    modality: str
    setting: str
    activities: list[str]
    peer_specific_minutes: int
    is_group: bool
    self_disclosure_used: bool
    note: str


def _encounter_out(e: Any, client_ids: list[int]) -> dict[str, Any]:
    return {
        "id": e.pk, "peer_id": e.peer_id, "client_ids": client_ids, "started_at": e.started_at,
        "duration_minutes": e.duration_minutes, "modality": e.modality, "setting": e.setting,
        "activities": e.activities, "peer_specific_minutes": e.peer_specific_minutes, "is_group": e.is_group,
        "self_disclosure_used": e.self_disclosure_used, "note": e.note,
    }


@router.post("/encounters", response={201: EncounterOut, **ERRORS})
def encounter_create(request: HttpRequest, payload: EncounterIn) -> Status:
    user = request.auth  # type: ignore[attr-defined]
    require(user, RECORD_ENCOUNTER)
    # A client the peer cannot see (another caseload, another organisation) is "not found", like a missing one.
    clients = selectors.caseload_clients_get(user, payload.client_ids)
    encounter = call_service(
        payload, services.encounter_record, actor=user, clients=clients, started_at=payload.started_at,
        duration_minutes=payload.duration_minutes, modality=payload.modality, setting=payload.setting,
        activities=[a.value for a in payload.activities], self_disclosure_used=payload.self_disclosure_used,
        note=payload.note, next_contact_on=payload.next_contact_on,
    )
    return Status(201, _encounter_out(encounter, sorted(c.pk for c in clients)))


@router.get("/encounters/{encounter_id}", response={200: EncounterOut, **ERRORS})
def encounter_get(request: HttpRequest, encounter_id: Id) -> dict[str, Any]:
    encounter = selectors.encounter_get_for(request.auth, encounter_id)  # type: ignore[attr-defined]
    shown: list[Any] = encounter.shown_clients  # type: ignore[attr-defined]  # set by encounter_get_for
    out = _encounter_out(encounter, [c.pk for c in shown])
    if not encounter.note_shown:  # type: ignore[attr-defined]  # set by encounter_get_for
        out["note"] = ""  # a group note is for the author and for readers who may see every attendee
    return out


@router.get("/clients/{client_id}/encounters", response={200: list[EncounterOut], **ERRORS})
def client_encounters(request: HttpRequest, client_id: Id, limit: Limit = 50) -> list[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    client = client_get_for(user, client_id)
    return [_encounter_out(e, [client.pk]) for e in selectors.client_timeline(user=user, client=client, limit=limit)]


class CaseloadOut(Schema):
    client_id: int
    client_name: str
    started_on: date
    last_contact_at: datetime | None
    next_contact_on: date | None


@router.get("/caseload", response={200: list[CaseloadOut], **ERRORS})
def caseload(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    require(user, PEER_WORK)
    matches = list(selectors.caseload_for(user))
    clients_shown(user, [m.client for m in matches])
    return [
        {"client_id": m.client_id, "client_name": m.client.display_name, "started_on": m.started_on,
         "last_contact_at": m.last_contact_at, "next_contact_on": m.next_contact_on}
        for m in matches
    ]


class StepOut(Schema):
    id: int
    description: str
    due_on: date | None
    done_on: date | None


class GoalOut(Schema):
    id: int
    own_words: str
    life_area: str
    chime: str
    status: str
    progress: int
    target_on: date | None
    steps: list[StepOut]


class PlanOut(Schema):
    id: int
    client_id: int
    client_vision: str
    review_on: date | None
    goals: list[GoalOut]


def _plan_out(plan: Any) -> dict[str, Any]:
    return {
        "id": plan.pk, "client_id": plan.client_id, "client_vision": plan.client_vision, "review_on": plan.review_on,
        "goals": [
            {"id": g.pk, "own_words": g.own_words, "life_area": g.life_area, "chime": g.chime, "status": g.status,
             "progress": g.progress, "target_on": g.target_on,
             "steps": [{"id": s.pk, "description": s.description, "due_on": s.due_on, "done_on": s.done_on} for s in g.steps.all()]}
            for g in plan.goals.all()
        ],
    }


@router.get("/clients/{client_id}/plan", response={200: PlanOut, **ERRORS})
def plan_get(request: HttpRequest, client_id: Id) -> dict[str, Any]:
    client = client_get_for(request.auth, client_id)  # type: ignore[attr-defined]
    plan = selectors.active_plan(client)
    if plan is None:
        raise Http404("This client has no recovery plan yet.")
    return _plan_out(plan)


class StepIn(Schema):
    model_config = ConfigDict(extra="forbid")
    description: str = Field(min_length=1, max_length=300)
    due_on: date | None = None


class GoalIn(Schema):
    model_config = ConfigDict(extra="forbid")
    own_words: str = Field(min_length=1, max_length=2000)
    life_area: LifeArea
    chime: Chime
    target_on: date | None = None
    steps: list[StepIn] = Field(default_factory=list, max_length=20)


@router.post("/clients/{client_id}/plan/goals", response={201: PlanOut, **ERRORS})
def goal_create(request: HttpRequest, client_id: Id, payload: GoalIn) -> Status:
    user = request.auth  # type: ignore[attr-defined]
    client = client_get_for(user, client_id, audit=False)
    # The same service as the page: no plan yet is refused ("Start the plan first"), never started silently.
    call_service(payload, services.goal_add_to_active_plan, actor=user, client=client, own_words=payload.own_words,
                 life_area=payload.life_area, chime=payload.chime, target_on=payload.target_on,
                 steps=[(s.description, s.due_on) for s in payload.steps])
    return Status(201, _plan_out(selectors.active_plan(client)))


class MeetingIn(Schema):
    model_config = ConfigDict(extra="forbid")
    team_id: int
    held_at: datetime
    duration_minutes: int = Field(60, ge=1, le=480, strict=True)
    topic: str = Field("", max_length=200)
    notes: str = Field("", max_length=10000)
    attended_staff_ids: list[int] = Field(default_factory=list, max_length=200)


class MeetingOut(Schema):
    id: int
    team_id: int
    held_at: datetime
    duration_minutes: int
    topic: str
    attended_staff_ids: list[int]
    invited_staff_ids: list[int]


def _meeting_out(m: Any) -> dict[str, Any]:
    rows = list(m.attendance.all())
    return {"id": m.pk, "team_id": m.team_id, "held_at": m.held_at, "duration_minutes": m.duration_minutes,
            "topic": m.topic, "attended_staff_ids": sorted(a.staff_id for a in rows if a.attended),
            "invited_staff_ids": sorted(a.staff_id for a in rows)}


@router.get("/team-meetings", response={200: list[MeetingOut], **ERRORS})
def meeting_list(request: HttpRequest, limit: Limit = 50) -> list[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    require(user, READ_MEETINGS)
    return [_meeting_out(m) for m in selectors.meetings_for(user).prefetch_related("attendance")[:limit]]


@router.post("/team-meetings", response={201: MeetingOut, **ERRORS})
def meeting_create(request: HttpRequest, payload: MeetingIn) -> Status:
    user = request.auth  # type: ignore[attr-defined]
    team = selectors.meeting_team_get(user, payload.team_id)
    meeting = call_service(
        payload, services.team_meeting_record, actor=user, team=team, held_at=payload.held_at, duration_minutes=payload.duration_minutes, topic=payload.topic,
        notes=payload.notes, attendance=dict.fromkeys(payload.attended_staff_ids, True),
    )
    return Status(201, _meeting_out(meeting))


class ConsultationIn(Schema):
    """A consultation to record. Whoever asked sends ``peer_id``; the peer who was asked sends ``asked_by_id``
    (``peer_id`` is then themselves and may be left out)."""

    model_config = ConfigDict(extra="forbid")
    held_at: datetime
    topic: str = Field(min_length=1, max_length=200)
    peer_id: int | None = Field(None, description="the peer support worker who was asked (default: you, if you are a peer)")
    asked_by_id: int | None = Field(None, description="the colleague who asked (default: you)")
    client_id: int | None = Field(None, description="the client it was about, if any")


class ConsultationOut(Schema):
    id: int
    peer_id: int
    asked_by_id: int
    client_id: int | None = Field(description="the client it was about, when you may see that client")
    about_a_client: bool = Field(description="whether it was about a client (true even when the client is not yours to see)")
    held_at: datetime
    topic: str


def _consultation_out(c: Any, seen: set[int]) -> dict[str, Any]:
    return {"id": c.pk, "peer_id": c.peer_id, "asked_by_id": c.asked_by_id,
            "client_id": c.client_id if c.client_id in seen else None, "about_a_client": c.client_id is not None,
            "held_at": c.held_at, "topic": c.topic}


def _colleague(user: Any, staff_id: int | None, field: str) -> Any:
    """A staff member of the caller's organisation; another organisation's look the same as nobody."""
    return None if staff_id is None else colleague_get(user=user, staff_id=staff_id, field=field)


@router.get("/consultations", response={200: list[ConsultationOut], **ERRORS})
def consultation_list(request: HttpRequest, limit: Limit = 50) -> list[dict[str, Any]]:
    """Consultations you asked for or gave, newest first (supervisors, leaders and admins: the organisation's)."""
    user = request.auth  # type: ignore[attr-defined]
    require(user, CONSULT)
    rows, seen = selectors.consultations_shown(user, selectors.consultations_for(user)[:limit])
    return [_consultation_out(c, seen) for c in rows]


@router.post("/consultations", response={201: ConsultationOut, **ERRORS})
def consultation_create(request: HttpRequest, payload: ConsultationIn) -> Status:
    """Record a consultation. A peer or colleague outside your organisation is a 404 naming the field; a client
    you cannot see is a 400 on ``client_id``, worded as for a client that does not exist."""
    user = request.auth  # type: ignore[attr-defined]
    require(user, CONSULT)
    try:
        peer = _colleague(user, payload.peer_id, "peer_id")
        asked_by = _colleague(user, payload.asked_by_id, "asked_by_id")
    except ServiceError as missing:
        return Status(404, {"detail": "Not found.", "code": "not_found",
                            "errors": [{"field": missing.field, "reason": _("No such colleague."), "code": "not_found"}]})
    if peer is None and user.role == Role.PEER:
        if asked_by is None:
            raise ServiceError(_("Name the colleague who asked you (asked_by_id), or the peer you asked (peer_id)."),
                               field="asked_by_id", code="required")
        peer = user
    client = None
    if payload.client_id is not None:
        client = selectors.visible_client_get(user, payload.client_id)
        if client is None:
            raise ServiceError(services.no_client_message(), field="client_id", code="not_found")
    consultation = call_service(payload, services.consultation_record, actor=user, peer=peer, held_at=payload.held_at,
                                topic=payload.topic, asked_by=asked_by, client=client)
    return Status(201, _consultation_out(consultation, {client.pk} if client else set()))
