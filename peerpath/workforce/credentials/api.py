"""Peer certification credentials, their expiry status, and the daily reminders before they lapse."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ninja import Router, Status
from pydantic import ConfigDict, Field, StrictInt

from peerpath.core.api_support import ErrorOut
from peerpath.core.api_types import Id, Schema
from peerpath.workforce.credentials import selectors, services
from peerpath.workforce.staff import selectors as staff_selectors

router = Router(tags=["workforce"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


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
    staff = staff_selectors.staff_for(user, payload.staff_id) if payload.staff_id else user
    data = payload.model_dump(exclude={"staff_id"})
    credential = services.credential_create(actor=user, staff=staff, **data)
    return Status(201, _credential_out(credential))


class LapsedOut(Schema):
    staff_id: int
    lapsed: bool


@router.get("/staff/{staff_id}/credential-status", response={200: LapsedOut, **ERRORS},
            url_name="workforce_credential_status")
def credential_status(request: Any, staff_id: Id) -> dict[str, Any]:
    staff = staff_selectors.staff_for(request.auth, staff_id)
    return {"staff_id": staff.pk, "lapsed": selectors.credential_lapsed_for(staff)}
