"""FHIR Bulk Data Access (STU2 v2.0.0) ``$export`` at system, ``Patient`` and ``Group/[id]`` level (a Group is a
Peerpath team). Kick-off answers 202 with the status URL; the job runs on the django-q2 queue, streams each type
with ``.iterator()`` into one NDJSON file, and reports progress; files expire and need the requester's token."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import http_date

from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.interop.fhir import policies
from peerpath.interop.fhir.auth import scopes_allow
from peerpath.interop.fhir.context import MapContext
from peerpath.interop.fhir.errors import FhirError
from peerpath.interop.fhir.resources import SPECS
from peerpath.interop.fhir.responses import dumps, fhir_response
from peerpath.interop.fhir.search import parse_date
from peerpath.interop.fhir.server import base_url, fhir_endpoint
from peerpath.interop.models import BulkExport

EXPORT_ROLES = frozenset({Role.LEADER, Role.ADMIN})  # organisation-wide readers (the system account is a leader)
PATIENT_TYPES = ["Patient", "CareTeam", "ServiceRequest", "Encounter", "Goal", "CarePlan", "QuestionnaireResponse",
                 "Observation"]
SYSTEM_TYPES = [*PATIENT_TYPES, "Practitioner", "PractitionerRole", "Organization", "Questionnaire"]
OUTPUT_FORMATS = {"application/fhir+ndjson", "application/ndjson", "ndjson"}
FILE_LIFETIME = dt.timedelta(hours=24)
RETRY_AFTER_SECONDS = 5
RUN_INLINE = False


def export_dir(export: BulkExport) -> Path:
    return Path(settings.MEDIA_ROOT) / "fhir-exports" / str(export.pk)


def _params(request: HttpRequest) -> dict[str, str]:
    params = {k: v for k, v in request.GET.items()}
    if request.method == "POST":
        params.update({k: v for k, v in request.POST.items()})
    return params


def _kick_off(request: HttpRequest, actor: Any, level: str, team: Any = None) -> HttpResponse:
    if actor.role not in EXPORT_ROLES:
        raise FhirError(403, "forbidden", "Only leaders, administrators and system accounts export in bulk.")
    lenient = "handling=lenient" in request.headers.get("Prefer", "")
    params = _params(request)
    output_format = params.get("_outputFormat", "application/fhir+ndjson")
    if output_format not in OUTPUT_FORMATS:
        raise FhirError(400, "not-supported", "Only NDJSON output is supported.", expression=["_outputFormat"])
    allowed = SYSTEM_TYPES if level == "system" else PATIENT_TYPES
    wanted = [t for t in params.get("_type", "").split(",") if t] or allowed
    unknown = [t for t in wanted if t not in allowed]
    if unknown and not lenient:
        raise FhirError(400, "not-supported", f"Cannot export {', '.join(unknown)} at this level.", expression=["_type"])
    types = [t for t in wanted if t in allowed and policies.may_read_type(actor, t) and scopes_allow(request, t, "read")]
    since = parse_date("_since", params["_since"])[1] if params.get("_since") else None
    with transaction.atomic():
        export = BulkExport.objects.create(organisation_id=actor.organisation_id, requested_by=actor, level=level,
                                           group_team=team, types=types, since=since,
                                           request_url=request.build_absolute_uri()[:500])
        audit_record(actor=actor, action=AuditAction.EXPORT, target=export,
                     detail={"fhir": "$export", "level": level, "types": types})
        transaction.on_commit(lambda: enqueue(export.pk))
    status_url = f"{base_url(request)}/$export-status/{export.pk}"
    return HttpResponse(status=202, headers={"Content-Location": status_url})


def enqueue(export_id: int) -> None:
    from django_q.tasks import async_task

    # Tests and the demo seed set RUN_INLINE: django-q2 then runs the job in this process (``sync``).
    async_task("peerpath.interop.fhir.bulk.run_export", export_id, task_name=f"fhir-export-{export_id}",
               sync=RUN_INLINE or bool(settings.Q_CLUSTER.get("sync")))


def _patient_filter(spec: Any, rows: Any, export: BulkExport) -> Any:
    if export.level == "group" and spec.patient_path:
        return rows.filter(**{f"{spec.patient_path}__in": policies.clients(export.requested_by)
                              .filter(team_id=export.group_team_id).values("pk")})
    return rows


def run_export(export_id: int) -> str:
    """The job: one NDJSON file per type, streamed; checks for cancellation between chunks."""
    export = BulkExport.objects.select_related("requested_by__organisation").get(pk=export_id)
    if export.status != BulkExport.Status.QUEUED:
        return export.status
    try:
        return _write_files(export)
    except Exception as exc:  # the requester sees the failure on the status URL instead of polling forever
        BulkExport.objects.filter(pk=export.pk).update(status=BulkExport.Status.FAILED, error=str(exc)[:500])
        raise


def _write_files(export: BulkExport) -> str:
    actor = export.requested_by
    transaction_time = timezone.now()
    BulkExport.objects.filter(pk=export.pk).update(status=BulkExport.Status.RUNNING, transaction_time=transaction_time)
    folder = export_dir(export)
    folder.mkdir(parents=True, exist_ok=True)
    ctx = MapContext.for_actor(actor)
    output, client_ids = [], set()
    for position, resource_type in enumerate(export.types, start=1):
        spec = SPECS[resource_type]
        rows = _patient_filter(spec, spec.rows(actor), export).filter(**{f"{spec.updated_path}__lte": transaction_time})
        if export.since:
            rows = rows.filter(**{f"{spec.updated_path}__gte": export.since})
        count = 0
        with (folder / f"{resource_type}.ndjson").open("w", encoding="utf-8") as out:
            for obj in rows.order_by("pk").iterator(chunk_size=1000):
                out.write(dumps(spec.render(obj, ctx)) + "\n")
                count += 1
                client = spec.client_of(obj)
                if client is not None:
                    client_ids.add(client.pk)
                if count % 1000 == 0 and _cancelled(export.pk):
                    return "cancelled"
        output.append({"type": resource_type, "count": count})
        BulkExport.objects.filter(pk=export.pk).update(progress=f"{position} of {len(export.types)} types written")
    if _cancelled(export.pk):
        return "cancelled"
    BulkExport.objects.filter(pk=export.pk).update(status=BulkExport.Status.DONE, output=output, progress="done",
                                                   expires_at=timezone.now() + FILE_LIFETIME)
    audit_record(actor=actor, action=AuditAction.EXPORT, target=export,
                 detail={"fhir": "$export", "done": True, "counts": {o["type"]: o["count"] for o in output},
                         "clients": len(client_ids)})
    return "done"


def _cancelled(export_id: int) -> bool:
    return BulkExport.objects.filter(pk=export_id, status=BulkExport.Status.CANCELLED).exists()


def _own_export(actor: Any, export_id: int) -> BulkExport:
    export = BulkExport.objects.filter(pk=export_id, organisation_id=actor.organisation_id, requested_by=actor).first()
    if export is None or export.status == BulkExport.Status.CANCELLED:
        raise FhirError(404, "not-found", "No such export (it may have been cancelled).")
    return export


@fhir_endpoint
def export_system(request: HttpRequest, actor: Any) -> HttpResponse:
    return _kick_off(request, actor, "system")


@fhir_endpoint
def export_patient(request: HttpRequest, actor: Any) -> HttpResponse:
    return _kick_off(request, actor, "patient")


@fhir_endpoint
def export_group(request: HttpRequest, actor: Any, group_id: str) -> HttpResponse:
    from peerpath.core.models import Team

    team = Team.objects.filter(pk=int(group_id) if group_id.isdigit() else 0, organisation_id=actor.organisation_id,
                               is_active=True).first()
    if team is None:
        raise FhirError(404, "not-found", "No such Group.")
    return _kick_off(request, actor, "group", team)


@fhir_endpoint
def export_status(request: HttpRequest, actor: Any, export_id: int) -> HttpResponse:
    export = _own_export(actor, export_id)
    if request.method == "DELETE":
        BulkExport.objects.filter(pk=export.pk).update(status=BulkExport.Status.CANCELLED)
        shutil.rmtree(export_dir(export), ignore_errors=True)
        audit_record(actor=actor, action=AuditAction.EXPORT, target=export, detail={"fhir": "$export", "cancelled": True})
        return fhir_response({"resourceType": "OperationOutcome", "issue": [
            {"severity": "information", "code": "informational", "diagnostics": "Export cancelled."}]}, status=202)
    if export.status in (BulkExport.Status.QUEUED, BulkExport.Status.RUNNING):
        return HttpResponse(status=202, headers={"X-Progress": (export.progress or export.status)[:99],
                                                 "Retry-After": str(RETRY_AFTER_SECONDS)})
    if export.status == BulkExport.Status.FAILED:
        raise FhirError(500, "exception", export.error or "The export failed.")
    if export.expires_at and export.expires_at <= timezone.now():
        raise FhirError(404, "not-found", "The export's files have expired.")
    base = base_url(request)
    manifest = {
        "transactionTime": export.transaction_time.isoformat() if export.transaction_time else None,
        "request": export.request_url,
        "requiresAccessToken": True,
        "output": [{"type": o["type"], "url": f"{base}/$export-file/{export.pk}/{o['type']}.ndjson", "count": o["count"]}
                   for o in export.output],
        "deleted": [],
        "error": [],
    }
    response = HttpResponse(dumps(manifest), content_type="application/json")
    response["Expires"] = http_date(export.expires_at.timestamp()) if export.expires_at else ""
    return response


@fhir_endpoint
def export_file(request: HttpRequest, actor: Any, export_id: int, resource_type: str) -> HttpResponse:
    export = _own_export(actor, export_id)
    if export.status != BulkExport.Status.DONE or resource_type not in {o["type"] for o in export.output}:
        raise FhirError(404, "not-found", "No such file.")
    if export.expires_at and export.expires_at <= timezone.now():
        raise FhirError(404, "not-found", "The export's files have expired.")
    audit_record(actor=actor, action=AuditAction.EXPORT, target=export, detail={"fhir": "$export-file", "type": resource_type})
    return FileResponse((export_dir(export) / f"{resource_type}.ndjson").open("rb"), content_type="application/fhir+ndjson")
