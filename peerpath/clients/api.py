"""Clients and referrals over JSON. Same selectors and services as the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from pydantic import ConfigDict, Field

from peerpath.accounts.selectors import experience_areas_by_code
from peerpath.clients import selectors, services
from peerpath.clients.choices import Modality, PeerGenderPreference, ReferralStatus, Urgency
from peerpath.clients.matching import suggest_peers
from peerpath.clients.policies import READ_CLIENTS, READ_REFERRALS, REFER, SUGGEST_PEERS
from peerpath.core.access import require
from peerpath.core.api_support import ErrorOut
from peerpath.core.api_types import Id, Limit, Offset, Schema, Text
from peerpath.core.exceptions import ServiceError
from peerpath.core.forms_support import call_service

router = Router(tags=["clients"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ClientOut(Schema):
    id: int
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: date | None
    record_number: str
    language: str
    team_id: int
    team: str
    phone: str
    email: str
    preferred_contact_method: str
    preferred_contact_times: str
    text_consent: bool
    sex: str
    diagnosis_group: str


def _client_out(client: Any) -> dict[str, Any]:
    return {
        "id": client.pk, "first_name": client.first_name, "last_name": client.last_name,
        "preferred_name": client.preferred_name, "date_of_birth": client.date_of_birth,
        "record_number": client.record_number, "language": client.language, "team_id": client.team_id,
        "team": client.team.name, "phone": client.phone, "email": client.email,
        "preferred_contact_method": client.preferred_contact_method,
        "preferred_contact_times": client.preferred_contact_times, "text_consent": client.text_consent,
        "sex": client.sex, "diagnosis_group": client.diagnosis_group,
    }


@router.get("/clients", response={200: list[ClientOut], **ERRORS})
def client_list(request: HttpRequest, search: Text = "", limit: Limit = 50, offset: Offset = 0) -> list[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    require(user, READ_CLIENTS)
    clients = selectors.clients_shown(user, selectors.client_list_for(user, search=search)[offset: offset + limit],
                                      search=bool(search))
    return [_client_out(c) for c in clients]


@router.get("/clients/{client_id}", response={200: ClientOut, **ERRORS})
def client_get(request: HttpRequest, client_id: Id) -> dict[str, Any]:
    require(request.auth, READ_CLIENTS)  # type: ignore[attr-defined]
    return _client_out(selectors.client_get_for(request.auth, client_id))  # type: ignore[attr-defined]


class NewClientIn(Schema):
    model_config = ConfigDict(extra="forbid")
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    date_of_birth: date | None = None
    team_id: int
    sex: str = Field("", max_length=12, description="female, male, other, or empty (not recorded)")
    diagnosis_group: str = Field("", max_length=16, description="psychosis, bipolar, depression, anxiety, substance, "
                                 "personality, other, or empty (not recorded)")


class ReferralIn(Schema):
    model_config = ConfigDict(extra="forbid")
    client_id: int | None = Field(None, description="An existing client; or give new_client")
    new_client: NewClientIn | None = None
    team_id: int | None = None
    reason: str = Field(min_length=1, max_length=5000)
    urgency: Urgency = Urgency.ROUTINE
    preferred_language: str = Field("", max_length=8)
    preferred_peer_gender: PeerGenderPreference = PeerGenderPreference.ANY
    preferred_modality: Modality | None = None
    preferred_experience_codes: list[str] = Field(default_factory=list, max_length=20)


class ReferralOut(Schema):
    id: int
    client_id: int
    client_name: str
    team_id: int
    status: str
    urgency: str
    reason: str
    referred_by: str
    assigned_peer_id: int | None
    decline_reason: str
    close_reason: str
    created_at: datetime
    due_by: date = Field(description="the day by which it should be acted on (its urgency's time limit)")
    overdue: bool = Field(description="still new or accepted after its due day")
    first_contact_at: datetime | None = Field(description="when the assigned peer first saw the client")


def _referral_out(r: Any, user: Any) -> dict[str, Any]:
    if not hasattr(r, "due_by"):
        selectors.with_deadlines(user, [r])
    return {
        "id": r.pk, "client_id": r.client_id, "client_name": r.client.display_name, "team_id": r.team_id,
        "status": r.status, "urgency": r.urgency, "reason": r.reason, "referred_by": r.referred_by.display_name,
        "assigned_peer_id": r.assigned_peer_id, "decline_reason": r.decline_reason, "close_reason": r.close_reason,
        "created_at": r.created_at, "due_by": r.due_by, "overdue": r.is_overdue, "first_contact_at": r.first_contact_at,
    }


@router.get("/referrals", response={200: list[ReferralOut], **ERRORS})
def referral_list(request: HttpRequest, status: ReferralStatus | None = None, limit: Limit = 50, offset: Offset = 0) -> list[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    require(user, READ_REFERRALS)
    referrals = selectors.referrals_shown(user, selectors.referral_inbox_for(user, status=status)[offset: offset + limit])
    return [_referral_out(r, user) for r in referrals]


@router.post("/referrals", response={201: ReferralOut, **ERRORS})
def referral_create(request: HttpRequest, payload: ReferralIn) -> Status:
    from django.db import transaction

    user = request.auth  # type: ignore[attr-defined]
    require(user, REFER)
    if (payload.client_id is None) == (payload.new_client is None):
        raise ServiceError(_("Give either client_id or new_client."), field="client_id")
    codes = set(payload.preferred_experience_codes)
    areas = list(experience_areas_by_code(codes))
    if len(areas) != len(codes):
        raise ServiceError(_("Unknown experience code."), field="preferred_experience_codes", code="not_found")
    team = selectors.referral_team_get(user, payload.team_id, field="team_id") if payload.team_id is not None else None
    with transaction.atomic():
        if payload.client_id is not None:
            client = selectors.client_get_for(user, payload.client_id, audit=False)
        else:
            new = payload.new_client
            assert new is not None
            new_team = selectors.referral_team_get(user, new.team_id, field="new_client.team_id")
            created = call_service(payload, services.client_create, actor=user, team=new_team,
                                   first_name=new.first_name, last_name=new.last_name, date_of_birth=new.date_of_birth,
                                   sex=new.sex, diagnosis_group=new.diagnosis_group)
            assert created is not None  # call_service raises for an API payload
            client = created
        referral = call_service(
            payload, services.referral_create, actor=user, client=client, team=team, reason=payload.reason,
            urgency=payload.urgency, preferred_language=payload.preferred_language,
            preferred_peer_gender=payload.preferred_peer_gender, preferred_modality=payload.preferred_modality or "",
            preferred_experiences=areas,
        )
    assert referral is not None  # call_service raises for an API payload
    return Status(201, _referral_out(referral, user))


@router.get("/referrals/{referral_id}", response={200: ReferralOut, **ERRORS})
def referral_get(request: HttpRequest, referral_id: Id) -> dict[str, Any]:
    return _referral_out(selectors.referral_get_for(request.auth, referral_id), request.auth)  # type: ignore[attr-defined]


class SuggestionOut(Schema):
    peer_id: int
    peer_name: str
    score: float
    caseload: int
    capacity: int
    reasons: list[str]


@router.get("/referrals/{referral_id}/suggestions", response={200: list[SuggestionOut], **ERRORS})
def referral_suggestions(request: HttpRequest, referral_id: Id) -> list[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    referral = selectors.referral_get_for(user, referral_id)
    require(user, SUGGEST_PEERS)
    return [
        {"peer_id": s.peer.pk, "peer_name": s.peer.display_name, "score": round(s.score, 2), "caseload": s.caseload,
         "capacity": s.capacity, "reasons": s.reasons}
        for s in suggest_peers(referral)
    ]


class AcceptIn(Schema):
    model_config = ConfigDict(extra="forbid")
    take_on: bool = False


class ReasonIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=2000)


class AssignIn(Schema):
    model_config = ConfigDict(extra="forbid")
    peer_id: int


def _handled(user: Any, referral_id: int) -> dict[str, Any]:
    return _referral_out(selectors.referral_get_for(user, referral_id, audit=False), user)


@router.post("/referrals/{referral_id}/accept", response={200: ReferralOut, **ERRORS})
def referral_accept(request: HttpRequest, referral_id: Id, payload: AcceptIn) -> dict[str, Any]:
    services.referral_accept(actor=request.auth, referral_id=referral_id, take_on=payload.take_on)  # type: ignore[attr-defined]
    return _handled(request.auth, referral_id)  # type: ignore[attr-defined]


@router.post("/referrals/{referral_id}/decline", response={200: ReferralOut, **ERRORS})
def referral_decline(request: HttpRequest, referral_id: Id, payload: ReasonIn) -> dict[str, Any]:
    services.referral_decline(actor=request.auth, referral_id=referral_id, reason=payload.reason)  # type: ignore[attr-defined]
    return _handled(request.auth, referral_id)  # type: ignore[attr-defined]


@router.post("/referrals/{referral_id}/assign", response={200: ReferralOut, **ERRORS})
def referral_assign(request: HttpRequest, referral_id: Id, payload: AssignIn) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    selectors.referral_get_for(user, referral_id, audit=False)  # 404 before anything else
    peer = selectors.assignable_peer_get(user, payload.peer_id, field="peer_id")
    call_service(payload, services.referral_assign, actor=user, referral_id=referral_id, peer=peer)
    return _handled(user, referral_id)


@router.post("/referrals/{referral_id}/close", response={200: ReferralOut, **ERRORS})
def referral_close(request: HttpRequest, referral_id: Id, payload: ReasonIn) -> dict[str, Any]:
    services.referral_close(actor=request.auth, referral_id=referral_id, reason=payload.reason)  # type: ignore[attr-defined]
    return _handled(request.auth, referral_id)  # type: ignore[attr-defined]


