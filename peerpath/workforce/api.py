"""Workforce over JSON. Same selectors and services as the pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ninja import Router, Status
from pydantic import ConfigDict, Field, StrictBool, StrictInt

from peerpath.core.access import ALL_ROLES
from peerpath.core.api_support import ErrorOut
from peerpath.core.api_types import Id, Schema
from peerpath.core.choices import Role
from peerpath.core.exceptions import NotAllowed
from peerpath.workforce import selectors, services
from peerpath.workforce.models import BoundaryCategory

router = Router(tags=["workforce"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _require(user: Any, roles: Any) -> None:
    if user.role not in set(roles):
        raise NotAllowed


class CredentialIn(Schema):
    model_config = ConfigDict(extra="forbid")

    staff_id: StrictInt | None = None
    name: str = Field(min_length=1, max_length=200)
    issuer: str = Field(min_length=1, max_length=200)
    number: str = Field("", max_length=100)
    issued_on: date
    expires_on: date
    ce_hours_required: Decimal = Field(Decimal(0), ge=0, le=1000)
    ce_hours_earned: Decimal = Field(Decimal(0), ge=0, le=1000)


class CredentialOut(Schema):
    id: int
    staff_id: int
    name: str
    issuer: str
    number: str
    issued_on: date
    expires_on: date
    ce_hours_required: Decimal
    ce_hours_earned: Decimal
    status: str


def _credential_out(c: Any) -> dict[str, Any]:
    return {"id": c.pk, "staff_id": c.staff_id, "name": c.name, "issuer": c.issuer, "number": c.number,
            "issued_on": c.issued_on, "expires_on": c.expires_on, "ce_hours_required": c.ce_hours_required,
            "ce_hours_earned": c.ce_hours_earned, "status": selectors.credential_status(c)}


@router.get("/credentials", response={200: list[CredentialOut], **ERRORS}, url_name="workforce_credential_list")
def credential_list(request: Any) -> list[dict[str, Any]]:
    return [_credential_out(c) for c in selectors.credentials_for(request.auth)]


@router.post("/credentials", response={201: CredentialOut, **ERRORS}, url_name="workforce_credential_create")
def credential_create(request: Any, payload: CredentialIn) -> Status:
    user = request.auth
    staff = selectors.staff_for(user, payload.staff_id) if payload.staff_id else user
    data = payload.model_dump(exclude={"staff_id"})
    credential = services.credential_create(actor=user, staff=staff, **data)
    return Status(201, _credential_out(credential))


class LapsedOut(Schema):
    staff_id: int
    lapsed: bool


@router.get("/staff/{staff_id}/credential-status", response={200: LapsedOut, **ERRORS},
            url_name="workforce_credential_status")
def credential_status(request: Any, staff_id: Id) -> dict[str, Any]:
    staff = selectors.staff_for(request.auth, staff_id)
    return {"staff_id": staff.pk, "lapsed": selectors.credential_lapsed_for(staff)}


class SupervisionStatusOut(Schema):
    peer_id: int
    last_session: date | None
    due_on: date
    overdue: bool


@router.get("/supervision/status", response={200: list[SupervisionStatusOut], **ERRORS},
            url_name="workforce_supervision_status")
def supervision_status(request: Any) -> list[dict[str, Any]]:
    _require(request.auth, {Role.PEER, Role.SUPERVISOR, Role.LEADER, Role.ADMIN})
    return [{"peer_id": r.peer.pk, "last_session": r.last_session, "due_on": r.due_on, "overdue": r.overdue}
            for r in selectors.supervision_status_for(request.auth)]


class BoundaryIn(Schema):
    model_config = ConfigDict(extra="forbid")

    category: BoundaryCategory
    question: str = Field(min_length=1, max_length=5000)


class BoundaryRespondIn(Schema):
    model_config = ConfigDict(extra="forbid")

    response: str = Field(min_length=1, max_length=5000)
    close: StrictBool = True


class BoundaryOut(Schema):
    id: int
    raised_by_id: int
    category: str
    question: str
    response: str
    closed: bool


def _boundary_out(c: Any) -> dict[str, Any]:
    return {"id": c.pk, "raised_by_id": c.raised_by_id, "category": c.category, "question": c.question,
            "response": c.response, "closed": c.closed_at is not None}


@router.get("/boundaries", response={200: list[BoundaryOut], **ERRORS}, url_name="workforce_boundary_list")
def boundary_list(request: Any) -> list[dict[str, Any]]:
    _require(request.auth, {Role.PEER, Role.SUPERVISOR})
    return [_boundary_out(c) for c in selectors.boundaries_for(request.auth)]


@router.post("/boundaries", response={201: BoundaryOut, **ERRORS}, url_name="workforce_boundary_create")
def boundary_create(request: Any, payload: BoundaryIn) -> Status:
    consultation = services.boundary_raise(actor=request.auth, category=payload.category.value,
                                           question=payload.question)
    return Status(201, _boundary_out(consultation))


@router.post("/boundaries/{consultation_id}/respond", response={200: BoundaryOut, **ERRORS},
             url_name="workforce_boundary_respond")
def boundary_respond(request: Any, consultation_id: Id, payload: BoundaryRespondIn) -> dict[str, Any]:
    _require(request.auth, {Role.PEER, Role.SUPERVISOR})
    consultation = selectors.boundary_for(request.auth, consultation_id)
    consultation = services.boundary_respond(actor=request.auth, consultation=consultation,
                                             response=payload.response, close=payload.close)
    return _boundary_out(consultation)


class SurveyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    answers: dict[str, StrictInt | StrictBool]


class SurveyDoneOut(Schema):
    detail: str


@router.post("/surveys/{round_id}/responses", response={201: SurveyDoneOut, **ERRORS},
             url_name="workforce_survey_submit")
def survey_submit(request: Any, round_id: Id, payload: SurveyIn) -> Status:
    _require(request.auth, {Role.PEER})
    survey_round = selectors.survey_round_for(request.auth, round_id)
    services.survey_submit(actor=request.auth, survey_round=survey_round, answers=payload.answers)
    return Status(201, {"detail": "saved anonymously"})


class NotificationOut(Schema):
    id: int
    message: str
    link: str
    read: bool


@router.get("/notifications", response={200: list[NotificationOut], **ERRORS},
            url_name="workforce_notification_list")
def notification_list(request: Any) -> list[dict[str, Any]]:
    _require(request.auth, ALL_ROLES)
    return [{"id": n.pk, "message": n.text, "link": n.link, "read": n.read_at is not None}
            for n in selectors.notifications_for(request.auth)[:100]]


class RoleDefinitionOut(Schema):
    id: int
    title: str
    version: int
    status: str


@router.get("/roles", response={200: list[RoleDefinitionOut], **ERRORS}, url_name="workforce_role_list")
def role_list(request: Any) -> list[dict[str, Any]]:
    return [{"id": d.pk, "title": d.title, "version": d.version, "status": d.status}
            for d in selectors.role_definitions_for(request.auth)]


@router.post("/roles/{definition_id}/approve", response={200: RoleDefinitionOut, **ERRORS},
             url_name="workforce_role_approve")
def role_approve(request: Any, definition_id: Id) -> dict[str, Any]:
    definition = selectors.role_definition_for(request.auth, definition_id)
    definition = services.role_definition_approve(actor=request.auth, definition=definition)
    return {"id": definition.pk, "title": definition.title, "version": definition.version,
            "status": definition.status}
