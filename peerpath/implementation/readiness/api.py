"""Readiness rounds over JSON, at /api/v1/implementation/readiness/. Same selectors, services and rules as
the pages (see readiness/rules.py). Results are aggregates only; no endpoint returns one person's answers."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404
from django.utils.translation import get_language
from ninja import Router, Status
from pydantic import ConfigDict, Field, StrictInt

from peerpath.core.access import require
from peerpath.core.api_support import ErrorOut
from peerpath.core.api_types import Id, Schema
from peerpath.core.choices import Role
from peerpath.core.exceptions import ServiceError
from peerpath.core.models import Team
from peerpath.implementation.models import ReadinessItem, ReadinessRound
from peerpath.implementation.readiness import rules, selectors, services

router = Router(tags=["implementation"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}




class ReadinessRoundOut(Schema):
    id: int
    title: str
    team_id: int | None
    opens_on: date
    closes_on: date
    status: str
    instrument_codes: list[str]
    invited_roles: list[str]
    free_text_prompt: str
    invited: int
    answered: int


def _round_out(r: ReadinessRound) -> dict[str, Any]:
    return {"id": r.pk, "title": r.title, "team_id": r.team_id, "opens_on": r.opens_on, "closes_on": r.closes_on,
            "status": r.status, "instrument_codes": [i.code for i in r.instruments.all()],
            "invited_roles": list(r.invited_roles), "free_text_prompt": r.free_text_prompt,
            "invited": getattr(r, "n_invited", 0), "answered": getattr(r, "n_answered", 0)}


@router.get("/rounds", response={200: list[ReadinessRoundOut], **ERRORS}, url_name="readiness_rounds")
def round_list(request: Any) -> list[dict[str, Any]]:
    """Rounds whose aggregate results the caller may read (leaders, admins, evaluators, supervisors)."""
    user = request.auth
    require(user, rules.RESULT_READERS)
    return [_round_out(r) for r in selectors.rounds_for(user).prefetch_related("instruments")]


class ReadinessRoundIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    team_id: StrictInt | None = Field(None, description="Empty: the whole organisation")
    opens_on: date
    closes_on: date
    instrument_codes: list[str] = Field(min_length=1, max_length=10, description="oric, aim, iam, fim")
    invited_roles: list[Role] = Field(min_length=1, max_length=6)
    free_text_prompt: str = Field("", max_length=300)


@router.post("/rounds", response={201: ReadinessRoundOut, **ERRORS}, url_name="readiness_round_open")
def round_open(request: Any, payload: ReadinessRoundIn) -> Status:
    """Open a round and invite every active staff member of the roles (of the team, for a team round)."""
    user = request.auth
    require(user, rules.OPENERS)
    team = None
    if payload.team_id is not None:
        team = Team.objects.filter(organisation_id=user.organisation_id, is_active=True, pk=payload.team_id).first()
        if team is None:
            raise Http404("No such team.")
    created = services.readiness_round_open(
        actor=user, title=payload.title, team=team, opens_on=payload.opens_on, closes_on=payload.closes_on,
        instrument_codes=list(payload.instrument_codes), invited_roles=[r.value for r in payload.invited_roles],
        free_text_prompt=payload.free_text_prompt)
    return Status(201, _round_out(selectors.round_for(user, created.pk)))


class SummaryOut(Schema):
    n: int
    mean: float
    sd: float
    min: float
    max: float


class GroupOut(Schema):
    respondents: int
    invited: int
    response_rate: float | None
    scores: dict[str, SummaryOut | None]


class ChangeOut(Schema):
    scale: str
    before: float
    after: float
    change: float


class ResultsOut(Schema):
    round: ReadinessRoundOut
    final: bool = Field(description="False while the round still takes answers: then only the counts")
    min_group: int
    respondents: int
    invited: int
    overall: GroupOut | None = Field(description="Only when at least min_group people answered")
    groups: dict[str, GroupOut] = Field(description="Role → aggregates; 'other' pools small groups")
    suppressed_respondents: int
    scales: list[str]
    comments: list[str] = Field(description="Shuffled, without names or roles; only with min_group answers")
    previous_round_id: int | None
    change_since_previous: list[ChangeOut]


@router.get("/rounds/{round_id}/results", response={200: ResultsOut, **ERRORS}, url_name="readiness_round_results")
def round_results(request: Any, round_id: Id) -> dict[str, Any]:
    """Aggregates by role group (groups under five respondents never shown on their own) and the change in
    the whole-round means since the previous round of the same scope. Scores appear only once the round
    takes no more answers (``final``)."""
    user = request.auth
    require(user, rules.RESULT_READERS)
    readiness_round = selectors.round_for(user, round_id)
    results = selectors.round_results(user, readiness_round)
    previous = selectors.previous_round(user, readiness_round)
    changes = selectors.round_comparison(user, previous, readiness_round) if previous else []
    return {**results, "round": _round_out(readiness_round),
            "previous_round_id": previous.pk if previous else None, "change_since_previous": changes}


@router.post("/rounds/{round_id}/close", response={200: ReadinessRoundOut, **ERRORS}, url_name="readiness_round_close")
def round_close(request: Any, round_id: Id) -> dict[str, Any]:
    user = request.auth
    require(user, rules.OPENERS)
    readiness_round = selectors.round_for(user, round_id)
    services.readiness_round_close(actor=user, readiness_round=readiness_round)
    return _round_out(selectors.round_for(user, round_id))


class WaitingOut(Schema):
    id: int
    title: str
    closes_on: date


@router.get("/waiting", response={200: list[WaitingOut], **ERRORS}, url_name="readiness_waiting")
def waiting(request: Any) -> list[dict[str, Any]]:
    """Open rounds the caller is invited to and has not answered yet (every role)."""
    return [{"id": r.pk, "title": r.title, "closes_on": r.closes_on} for r in selectors.waiting_for(request.auth)]


class ReadinessItemOut(Schema):
    id: int
    number: int
    text: str
    subscale: str


class ReadinessInstrumentOut(Schema):
    code: str
    name: str
    scale_min: int
    scale_max: int
    scale_labels: list[str]
    items: list[ReadinessItemOut]


class SurveyOut(Schema):
    id: int
    title: str
    closes_on: date
    accepting_answers: bool
    answered: bool
    free_text_prompt: str
    instruments: list[ReadinessInstrumentOut]


@router.get("/rounds/{round_id}/survey", response={200: SurveyOut, **ERRORS}, url_name="readiness_survey")
def survey(request: Any, round_id: Id) -> dict[str, Any]:
    """The questions of a round the caller is invited to (texts and labels in the caller's language)."""
    user = request.auth
    readiness_round = selectors.invitation_round_for(user, round_id)
    spanish = (get_language() or "en").startswith("es")
    return {"id": readiness_round.pk, "title": readiness_round.title, "closes_on": readiness_round.closes_on,
            "accepting_answers": selectors.is_accepting(readiness_round),
            "answered": selectors.has_answered(user, readiness_round),
            "free_text_prompt": readiness_round.free_text_prompt,
            "instruments": [{
                "code": i.code, "name": i.localized("name"), "scale_min": i.scale_min, "scale_max": i.scale_max,
                "scale_labels": list(i.scale_labels_es if spanish and i.scale_labels_es else i.scale_labels),
                "items": [{"id": it.pk, "number": it.number, "text": it.localized("text"), "subscale": it.subscale}
                          for it in i.items.all()]}
                for i in readiness_round.instruments.prefetch_related("items")]}


class ReadinessAnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    item_id: StrictInt
    value: StrictInt


class ReadinessAnswersIn(Schema):
    model_config = ConfigDict(extra="forbid")

    answers: list[ReadinessAnswerIn] = Field(max_length=100, description="Unanswered items are left out")
    comment: str = Field("", max_length=4000)


class SubmittedOut(Schema):
    round_id: int
    answered_items: int


@router.post("/rounds/{round_id}/answers", response={201: SubmittedOut, **ERRORS}, url_name="readiness_answers_submit")
def answers_submit(request: Any, round_id: Id, payload: ReadinessAnswersIn) -> Status:
    """Answer a round once (only if invited, only while it is open). Errors name the answer:
    ``answers.<index>.value`` or ``answers.<index>.item_id``."""
    user = request.auth
    readiness_round = selectors.invitation_round_for(user, round_id)
    known = set(ReadinessItem.objects.filter(instrument__in=readiness_round.instruments.all()).values_list("pk", flat=True))
    index: dict[int, int] = {}
    for position, answer in enumerate(payload.answers):
        if answer.item_id not in known:
            raise ServiceError("This question is not part of the survey.", field=f"answers.{position}.item_id")
        if answer.item_id in index:
            raise ServiceError("This question is answered twice.", field=f"answers.{position}.item_id")
        index[answer.item_id] = position
    try:
        services.readiness_response_submit(actor=user, readiness_round=readiness_round,
                                           answers={a.item_id: a.value for a in payload.answers},
                                           comment=payload.comment)
    except ServiceError as exc:
        field = exc.field or ""
        if field.startswith("item_") and field[5:].isdigit() and int(field[5:]) in index:
            raise ServiceError(exc.reason, field=f"answers.{index[int(field[5:])]}.value") from None
        raise
    return Status(201, {"round_id": readiness_round.pk, "answered_items": len(payload.answers)})
