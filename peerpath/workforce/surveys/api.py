"""Staff surveys (peer role agreement and workplace stigma), answered anonymously, shown for groups of at least five."""

from __future__ import annotations

from typing import Any

from ninja import Router, Status
from pydantic import ConfigDict, StrictBool, StrictInt

from peerpath.core.api_support import ErrorOut
from peerpath.core.api_types import Id, Schema
from peerpath.core.choices import Role
from peerpath.workforce.staff.services import _require
from peerpath.workforce.surveys import selectors, services

router = Router(tags=["workforce"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


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
