"""Integration metrics over JSON: the same selector as the page, per team and month."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404
from ninja import Query, Router, Status
from pydantic import Field

from peerpath.core.api_support import ErrorOut
from peerpath.core.api_types import Schema
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.tenancy import team_for
from peerpath.implementation.integration import rules, selectors

router = Router(tags=["implementation"])


class IntegrationQuery(Schema):
    months: int = Field(selectors.DEFAULT_MONTHS, description="6, 12, 24 or 36: the last N calendar months")
    team_id: int | None = Field(None, description="one team of your organisation; all teams when absent")


class TeamMonthOut(Schema):
    month: date
    peers: int
    meetings: int
    peer_attendances: int
    attendance_rate: float | None
    referrals: int
    consultations: int
    peers_consulted: int
    consultation_reach: float | None
    active_matches: int
    caseload: float | None
    encounter_minutes: int
    peer_specific_minutes: int
    peer_specific_share: float | None
    clients_opened: int
    record_access_rate: float | None
    integration_index: float | None


class TeamTrendOut(Schema):
    team_id: int
    name: str
    peers: int
    months: list[TeamMonthOut]


class IntegrationOut(Schema):
    start: date
    end: date = Field(description="first day after the period")
    teams: list[TeamTrendOut]


def _month(row: selectors.TeamMonth) -> dict[str, Any]:
    return {name: getattr(row, name) for name in TeamMonthOut.model_fields}


@router.get("/", response={200: IntegrationOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
            url_name="integration_metrics")
def integration_metrics(request: Any, filters: Query[IntegrationQuery]) -> Any:
    user = request.auth
    if user.role not in rules.READERS:
        raise NotAllowed
    if filters.months not in selectors.PERIODS:
        raise ServiceError(f"months must be one of {', '.join(map(str, selectors.PERIODS))}.", field="months")
    if filters.team_id is not None and team_for(user, filters.team_id, include_inactive=True) is None:
        raise Http404("No such team.")
    metrics = selectors.integration_metrics(user=user, months=filters.months, team_id=filters.team_id)
    return Status(200, {"start": metrics.start, "end": metrics.end, "teams": [
        {"team_id": t.team_id, "name": t.name, "peers": t.peers, "months": [_month(m) for m in t.months]}
        for t in metrics.teams]})
