"""Service use and evaluations over JSON. Same selectors and services as the pages."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status, UploadedFile
from pydantic import ConfigDict, Field, StrictInt

from peerpath.core import body_limit
from peerpath.core.access import require
from peerpath.core.api_support import ErrorOut
from peerpath.core.api_types import Id, Schema
from peerpath.core.choices import Role, TeamType
from peerpath.core.exceptions import ServiceError
from peerpath.core.tenancy import team_for
from peerpath.outcomes import analysis, selectors, services
from peerpath.outcomes.choices import EventKind

router = Router(tags=["outcomes"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
EVALUATION_ROLES = {Role.LEADER, Role.EVALUATOR}
READ_ROLES = services.ENTRY_ROLES | {Role.ADMIN}


class ServiceEventIn(Schema):
    model_config = ConfigDict(extra="forbid")

    client_id: StrictInt
    kind: EventKind
    occurred_on: date
    ended_on: date | None = None
    status: str = Field("", max_length=30)
    facility: str = Field("", max_length=200)


class ServiceEventOut(Schema):
    id: int
    client_id: int
    kind: str
    occurred_on: date
    ended_on: date | None
    status: str
    facility: str
    source: str
    is_active: bool


def _out(event: Any) -> dict[str, Any]:
    return {"id": event.pk, "client_id": event.client_id, "kind": event.kind, "occurred_on": event.occurred_on,
            "ended_on": event.ended_on, "status": event.status, "facility": event.facility, "source": event.source,
            "is_active": event.is_active}


@router.get("/clients/{client_id}/service-events", response={200: list[ServiceEventOut], **ERRORS}, url_name="outcomes_service_event_list")
def service_event_list(request: HttpRequest, client_id: Id) -> list[dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]
    require(user, READ_ROLES)
    client = selectors.client_for(user, client_id)
    return [_out(e) for e in selectors.service_events_for(user, client)]


@router.post("/service-events", response={201: ServiceEventOut, **ERRORS}, url_name="outcomes_service_event_create")
def service_event_create(request: HttpRequest, payload: ServiceEventIn) -> Status:
    user = request.auth  # type: ignore[attr-defined]
    require(user, services.ENTRY_ROLES)
    client = selectors.client_for(user, payload.client_id, audit=False)
    event = services.service_event_create(
        actor=user, client=client, kind=payload.kind, occurred_on=payload.occurred_on, ended_on=payload.ended_on,
        status=payload.status, facility=payload.facility,
    )
    return Status(201, _out(event))


@router.post("/service-events/{event_id}/withdraw", response={200: ServiceEventOut, **ERRORS}, url_name="outcomes_service_event_withdraw")
def service_event_withdraw(request: HttpRequest, event_id: Id) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    require(user, services.ENTRY_ROLES | services.IMPORT_ROLES)
    event = selectors.event_for(user, event_id)
    return _out(services.service_event_deactivate(actor=user, event=event))


class RowProblemOut(Schema):
    row: int
    column: str
    reason: str


class ImportOut(Schema):
    import_id: int
    rows_total: int
    rows_imported: int
    problems: list[RowProblemOut]


class ImportIn(Schema):
    model_config = ConfigDict(extra="forbid")

    filename: str = Field("", max_length=200)
    csv: str = Field(..., min_length=1, max_length=services.IMPORT_MAX_BYTES,
                     description="The CSV text, header row first (for a file near 10 MB use /service-events/import/file: "
                                 "JSON escaping adds bytes)")


# The import takes the file its page takes (10 MB), not the API's 1 MB: as JSON text up to the size at which
# Django still reads a body (DATA_UPLOAD_MAX_MEMORY_SIZE), and as a multipart file exactly as the page does.
MULTIPART_OVERHEAD = 64 * 1024
body_limit.allow_api_body("outcomes_service_event_import", settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
body_limit.allow_api_body("outcomes_service_event_import_file", services.IMPORT_MAX_BYTES + MULTIPART_OVERHEAD)


def _import_out(result: services.ImportResult) -> dict[str, Any]:
    return {"import_id": result.run.pk, "rows_total": result.run.rows_total, "rows_imported": result.imported,
            "problems": [{"row": p.row, "column": p.column, "reason": str(p.reason)} for p in result.problems]}


@router.post("/service-events/import", response={200: ImportOut, **ERRORS}, url_name="outcomes_service_event_import")
def service_event_import(request: HttpRequest, payload: ImportIn) -> dict[str, Any]:
    """Import service events from CSV text; good rows are kept, each bad row is reported by its line in the file."""
    user = request.auth  # type: ignore[attr-defined]
    require(user, services.IMPORT_ROLES)
    return _import_out(services.import_service_events(actor=user, data=payload.csv, filename=payload.filename))


@router.post("/service-events/import/file", response={200: ImportOut, **ERRORS, 413: ErrorOut},
             url_name="outcomes_service_event_import_file")
def service_event_import_file(request: HttpRequest, file: File[UploadedFile | None] = None) -> dict[str, Any]:
    """Import service events from a CSV file (multipart ``file``, up to 10 MB, the same as the import page),
    read as a stream; good rows are kept, each bad row is reported by its line in the file."""
    user = request.auth  # type: ignore[attr-defined]
    require(user, services.IMPORT_ROLES)  # before anything about the body: a denied role learns nothing
    if file is None:
        raise ServiceError(_("Attach the CSV file as the multipart field 'file'."), field="file")
    if file.size is not None and file.size > services.IMPORT_MAX_BYTES:
        raise ServiceError(_("The file is larger than 10 MB; split it into smaller files."), field="file")
    return _import_out(services.import_service_events(actor=user, data=file, filename=file.name or ""))


class ComparisonEnrolmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    client_id: StrictInt
    index_date: date
    note: str = Field("", max_length=200)


class ComparisonEnrolmentOut(Schema):
    client_id: int
    index_date: date
    note: str


@router.post("/comparison-enrolments", response={200: ComparisonEnrolmentOut, **ERRORS}, url_name="outcomes_comparison_enrol")
def comparison_enrol(request: HttpRequest, payload: ComparisonEnrolmentIn) -> dict[str, Any]:
    """Register a client who has not had peer support as usual care (the comparison group), followed from ``index_date``."""
    user = request.auth  # type: ignore[attr-defined]
    require(user, services.ENROL_ROLES)
    client = selectors.client_for(user, payload.client_id, audit=False)
    enrolment = services.comparison_enrol(actor=user, client=client, index_date=payload.index_date, note=payload.note)
    return {"client_id": enrolment.client_id, "index_date": enrolment.index_date, "note": enrolment.note}


class CohortQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    program: TeamType | Literal[""] = ""
    team_id: int | None = None
    start: date | None = None
    end: date | None = None
    age_min: Annotated[int, Field(ge=0, le=120)] | None = None
    age_max: Annotated[int, Field(ge=0, le=120)] | None = None
    language: Literal["", "en", "es"] = ""
    inpatient_day_cost: Annotated[float, Field(ge=0, le=1_000_000)] = analysis.COST_DEFAULTS["inpatient_day_cost"]
    ed_visit_cost: Annotated[float, Field(ge=0, le=1_000_000)] = analysis.COST_DEFAULTS["ed_visit_cost"]
    peer_hour_cost: Annotated[float, Field(ge=0, le=100_000)] = analysis.COST_DEFAULTS["peer_hour_cost"]


@router.get("/evaluation", response={200: dict[str, Any], **ERRORS}, url_name="outcomes_evaluation")
def evaluation(request: HttpRequest, query: Query[CohortQuery]) -> dict[str, Any]:
    """The evaluation's aggregates (small cells suppressed), the same numbers as the page and ``peerpath analyze``."""
    user = request.auth  # type: ignore[attr-defined]
    require(user, EVALUATION_ROLES)
    for name in ("start", "end"):
        services.check_date_range(getattr(query, name), field=name)
    if query.start and query.end and query.start > query.end:
        raise ServiceError("The end date is before the start date.", field="end")
    if query.team_id is not None and team_for(user, query.team_id, include_inactive=True) is None:
        raise ServiceError("No such team in your organisation.", field="team_id")
    cohort = selectors.Cohort(program=query.program or "", team_id=query.team_id, start=query.start, end=query.end,
                              age_min=query.age_min, age_max=query.age_max, language=query.language)
    costs = {"inpatient_day_cost": query.inpatient_day_cost, "ed_visit_cost": query.ed_visit_cost,
             "peer_hour_cost": query.peer_hour_cost}
    results, _datasets = selectors.evaluation_for(user, cohort=cohort, cost_parameters=costs)
    return results
