"""Administrations: a measure given to a client (in session or by link), its answers, score and safety alerts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Router, Status
from pydantic import ConfigDict, Field, StrictBool, StrictInt

from peerpath.core.access import require
from peerpath.core.api_support import ErrorOut
from peerpath.core.api_types import Id, Schema
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction
from peerpath.core.exceptions import ServiceError
from peerpath.measures.administrations import selectors, services
from peerpath.measures.choices import Language, Mode, Timepoint
from peerpath.measures.instruments import selectors as instruments_selectors

router = Router(tags=["measures"])


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}




class AdministrationOut(Schema):
    id: int
    client_id: int
    instrument: str
    timepoint: str
    followup_day: int | None
    status: str
    due_on: date | None
    window_start: date | None
    window_end: date | None
    completed_at: datetime | None
    total_score: Decimal | None
    band: str
    subscale_scores: dict[str, str]
    safety_flag: bool
    safety_unanswered: bool = Field(description="a safety question (e.g. PHQ-9 item 9) was left unanswered")
    mode: str
    language: str


def _out(a: Any) -> dict[str, Any]:
    return {"id": a.pk, "client_id": a.client_id, "instrument": a.instrument.code, "timepoint": a.timepoint,
            "followup_day": a.followup_day, "status": a.status, "due_on": a.due_on, "window_start": a.window_start,
            "window_end": a.window_end, "completed_at": a.completed_at, "total_score": a.total_score, "band": a.band,
            "subscale_scores": a.subscale_scores or {}, "safety_flag": a.safety_flag,
            "safety_unanswered": a.safety_unanswered, "mode": a.mode, "language": a.language}


@router.get("/administrations", response={200: list[AdministrationOut], **ERRORS}, url_name="measures_administration_list")
def administration_list(request: Any, client_id: Id | None = None) -> list[dict[str, Any]]:
    """Administrations of one client (``client_id``), or of every client the caller may see (latest 500)."""
    user = request.auth
    require(user, selectors.READ_ROLES)
    if client_id is not None:
        client = selectors.client_for(user, client_id)
        rows = selectors.administrations_for_client(user, client)
    else:
        rows = list(selectors.recent_administrations_for(user))
        # Which administrations and whose: the admin's search by client must find this read.
        audit_record(actor=user, action=AuditAction.LIST, target_type="measures.administration",
                     detail={"api": True, "ids": [a.pk for a in rows]}, client_ids=[a.client_id for a in rows])
    return [_out(a) for a in rows]


class AdministrationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    client_id: StrictInt
    instrument: str = Field(min_length=1, max_length=40, description="instrument code, e.g. phq9")
    timepoint: Timepoint = Timepoint.INTAKE
    language: Language = Language.EN


@router.post("/administrations", response={201: AdministrationOut, **ERRORS}, url_name="measures_administration_create")
def administration_create(request: Any, payload: AdministrationIn) -> Status:
    user = request.auth
    require(user, selectors.ADMINISTER_ROLES)
    client = selectors.client_for(user, payload.client_id, audit=False)
    instrument = instruments_selectors.usable_instruments(user.organisation_id).filter(code=payload.instrument).first()
    if instrument is None:
        raise ServiceError("No published instrument with this code.", field="instrument")
    administration = services.administration_create(actor=user, client=client, instrument=instrument,
                                                    timepoint=payload.timepoint.value, language=payload.language.value)
    return Status(201, _out(administration))


class AnswersIn(Schema):
    model_config = ConfigDict(extra="forbid")

    answers: dict[str, StrictInt | None] = Field(description='item number → answer value; null = not answered, e.g. {"1": 2, "9": 0}')
    mode: Mode = Mode.WITH_PEER
    language: Language | None = None
    confirm_safety_unanswered: StrictBool = Field(
        default=False, description="save with a safety question (e.g. PHQ-9 item 9) left unanswered, after asking once more")


@router.post("/administrations/{administration_id}/answers", response={200: AdministrationOut, **ERRORS},
             url_name="measures_answers_submit")
def answers_submit(request: Any, administration_id: Id, payload: AnswersIn) -> dict[str, Any]:
    """Score and save the answers. An answer that is not one of the item's options is refused (400) naming
    the field ``item_<n>``; a safety rule alerts the client's peer and supervisors at once. A safety question left
    unanswered is refused (400, code ``safety_item_unanswered`` on ``item_<n>``): ask it once more, or send
    ``confirm_safety_unanswered: true`` to save it unanswered."""
    user = request.auth
    require(user, selectors.ADMINISTER_ROLES)
    administration = selectors.administration_for(user, administration_id)
    done = services.administration_submit(actor=user, administration=administration, answers=payload.answers,
                                          mode=payload.mode.value, language=payload.language.value if payload.language else None,
                                          confirm_safety_unanswered=payload.confirm_safety_unanswered)
    return _out(done)


class DueOut(Schema):
    overdue: list[AdministrationOut]
    due: list[AdministrationOut]
    missed: list[AdministrationOut]


@router.get("/due", response={200: DueOut, **ERRORS}, url_name="measures_due_list")
def due_list(request: Any) -> dict[str, Any]:
    """What is due (window open), overdue (past due, window open) and missed for the caller's clients."""
    user = request.auth
    require(user, selectors.ADMINISTER_ROLES)
    lists = selectors.due_lists(user)
    return {key: [_out(a) for a in rows] for key, rows in lists.items()}
