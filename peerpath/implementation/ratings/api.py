"""CFIR 2.0 ratings over JSON: rounds, their ratings, saving ratings, and the heat-map. Same selectors and
services as the pages; invalid ratings are refused with 400 and the field that is wrong."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404
from ninja import Router, Status
from pydantic import ConfigDict, Field, StrictInt, StrictStr

from peerpath.core.access import require
from peerpath.core.api_support import ErrorOut
from peerpath.core.api_types import Id, Schema
from peerpath.core.exceptions import ServiceError
from peerpath.core.tenancy import team_for
from peerpath.implementation.ratings import rules, selectors, services

router = Router(tags=["implementation"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}




class RatingRoundIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    rated_on: date
    team_id: StrictInt | None = None
    notes: str = Field("", max_length=4000)


class RatingRoundOut(Schema):
    id: int
    title: str
    rated_on: date
    team_id: int | None
    cfir_version: str
    rating_count: int


class RatingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    construct_code: StrictStr = Field(min_length=1, max_length=12, description='e.g. "III.D.1"')
    role_code: StrictStr | None = Field(None, max_length=12, description='Individuals role, e.g. "IV.A.8"')
    value: StrictStr = Field(description='"rated", "mixed", "missing", or "" to clear the rating', max_length=8)
    score: StrictInt | None = Field(None, description="−2..+2 when value is \"rated\"; null otherwise")
    evidence: str = Field("", max_length=4000)


class RatingsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    ratings: list[RatingIn] = Field(min_length=1, max_length=500)


class RatingOut(Schema):
    construct_code: str
    role_code: str | None
    value: str
    score: int | None
    evidence: str


class RoundDetailOut(RatingRoundOut):
    ratings: list[RatingOut]


def _round_out(r: Any, count: int | None = None) -> dict[str, Any]:
    return {"id": r.pk, "title": r.title, "rated_on": r.rated_on, "team_id": r.team_id,
            "cfir_version": r.dataset.version,
            "rating_count": count if count is not None else getattr(r, "rating_count", 0)}


def _rating_out(r: Any) -> dict[str, Any]:
    return {"construct_code": r.construct.code, "role_code": r.role.code if r.role else None, "value": r.value,
            "score": r.score, "evidence": r.evidence}


@router.get("/rounds", response={200: list[RatingRoundOut], **ERRORS}, url_name="ratings_api_round_list")
def round_list(request: Any) -> list[dict[str, Any]]:
    require(request.auth, rules.READERS)
    return [_round_out(r) for r in selectors.rounds_for(request.auth)]


@router.post("/rounds", response={201: RatingRoundOut, **ERRORS}, url_name="ratings_api_round_create")
def round_create(request: Any, payload: RatingRoundIn) -> Status:
    user = request.auth
    require(user, rules.RATERS)
    team = None
    if payload.team_id is not None:
        team = team_for(user, payload.team_id)
        if team is None:
            raise Http404("No such team.")
    created = services.cfir_round_create(actor=user, title=payload.title, rated_on=payload.rated_on, team=team,
                                         notes=payload.notes)
    return Status(201, _round_out(created, 0))


@router.get("/rounds/{round_id}", response={200: RoundDetailOut, **ERRORS}, url_name="ratings_api_round_get")
def round_get(request: Any, round_id: Id) -> dict[str, Any]:
    require(request.auth, rules.READERS)
    found = selectors.round_for(request.auth, round_id)
    return dict(_round_out(found), ratings=[_rating_out(r) for r in selectors.ratings_of(found)])


def _entry(index: int, rating: RatingIn) -> dict[str, Any]:
    return {"construct": rating.construct_code, "role": rating.role_code, "value": rating.value,
            "score": rating.score, "evidence": rating.evidence, "field": f"ratings.{index}"}


@router.put("/rounds/{round_id}/ratings", response={200: RoundDetailOut, **ERRORS},
            url_name="ratings_api_ratings_save")
def ratings_save(request: Any, round_id: Id, payload: RatingsIn) -> dict[str, Any]:
    """Save some ratings of a round (the others are kept). One invalid rating refuses the whole request."""
    user = request.auth
    require(user, rules.RATERS)
    found = selectors.round_for(user, round_id)
    try:
        services.cfir_ratings_save(actor=user, rating_round=found,
                                   ratings=[_entry(i, r) for i, r in enumerate(payload.ratings)])
    except ServiceError as exc:
        if exc.field and exc.field.endswith((".construct", ".role")):
            raise ServiceError(exc.reason, field=f"{exc.field}_code") from None
        raise
    found = selectors.round_for(user, round_id)
    return dict(_round_out(found), ratings=[_rating_out(r) for r in selectors.ratings_of(found)])


class HeatCellOut(Schema):
    round_id: int
    value: str | None
    score: int | None


class HeatRowOut(Schema):
    construct_code: str
    role_code: str | None
    cells: list[HeatCellOut]
    change: str


class HeatmapOut(Schema):
    rounds: list[RatingRoundOut]
    rows: list[HeatRowOut]


def _cell_out(round_id: int, cell: selectors.Cell) -> dict[str, Any]:
    value = None if cell.key == "" else ("rated" if cell.score is not None else cell.key)
    return {"round_id": round_id, "value": value, "score": cell.score}


@router.get("/heatmap", response={200: HeatmapOut, **ERRORS}, url_name="ratings_api_heatmap")
def heatmap(request: Any, team_id: Id | None = None) -> dict[str, Any]:
    """The heat-map's data: one row per construct (and per role × characteristic for Individuals), one cell
    per round (oldest first), and the change between the two latest rounds."""
    user = request.auth
    require(user, rules.READERS)
    if team_id is not None and team_for(user, team_id, include_inactive=True) is None:
        raise Http404("No such team.")
    data = selectors.heatmap(user, team_id)
    ids = [r.pk for r in data.rounds]
    rows = [{"construct_code": row.construct.code, "role_code": None, "change": row.change["kind"],
             "cells": [_cell_out(i, c) for i, c in zip(ids, row.cells, strict=True)]}
            for domain in data.domains for row in domain.rows]
    for role_row in data.roles:
        for characteristic, (now, before, change) in zip(data.characteristics, role_row.cells, strict=True):
            cells = ([_cell_out(ids[-2], before)] if len(ids) > 1 else []) + ([_cell_out(ids[-1], now)] if ids else [])
            rows.append({"construct_code": characteristic.code, "role_code": role_row.role.code, "change": change["kind"],
                         "cells": cells})
    counts = {r.pk: getattr(r, "rating_count", 0) for r in selectors.rounds_for(user).filter(pk__in=ids)}
    return {"rounds": [_round_out(r, counts.get(r.pk, 0)) for r in data.rounds], "rows": rows}
