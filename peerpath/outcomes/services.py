"""Writes for service use: keyword-only, permission check before any write, one transaction, audited."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.clients.models import Client
from peerpath.clients.permissions import visible_clients
from peerpath.core.audit import audit_record, audit_record_history
from peerpath.core.choices import AuditAction, Role
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.request_context import current_origin
from peerpath.outcomes.choices import STATUS_CHOICES, EventKind, EventSource
from peerpath.outcomes.models import ComparisonEnrolment, ImportRun, ServiceEvent

ENTRY_ROLES = frozenset({Role.PEER, Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER})
IMPORT_ROLES = frozenset({Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER, Role.ADMIN})
ENROL_ROLES = frozenset({Role.LEADER})
IMPORT_COLUMNS = ("record_number", "kind", "occurred_on", "ended_on", "status", "facility", "external_id")
IMPORT_REQUIRED = ("record_number", "kind", "occurred_on")
IMPORT_BATCH = 500
IMPORT_MAX_ROWS = 200_000
# The domain of every service-use and comparison date: nothing before 1900 (a typo such as 0050-12-18 would
# otherwise be stored and break every evaluation of the organisation), nothing in the future.
EARLIEST_DATE = date(1900, 1, 1)


def check_date_range(value: date | None, *, field: str) -> None:
    if value is not None and value < EARLIEST_DATE:
        raise ServiceError(_("The date is before %(d)s; check the year.") % {"d": EARLIEST_DATE.isoformat()}, field=field)


def clean_event(*, kind: str, occurred_on: date | None, ended_on: date | None, status: str) -> tuple[str, date, date | None, str]:
    """The rules every service event follows, for the form, the API and the CSV import alike."""
    today = timezone.localdate()
    if kind not in EventKind.values:
        raise ServiceError(_("Choose one of: %(kinds)s.") % {"kinds": ", ".join(EventKind.values)}, field="kind")
    if occurred_on is None:
        raise ServiceError(_("Enter the date."), field="occurred_on")
    if occurred_on > today:
        raise ServiceError(_("The date cannot be in the future."), field="occurred_on")
    check_date_range(occurred_on, field="occurred_on")
    if ended_on is not None:
        if kind != EventKind.ADMISSION:
            raise ServiceError(_("Only a hospital admission has a discharge date."), field="ended_on")
        if ended_on < occurred_on:
            raise ServiceError(_("Discharge cannot be before admission."), field="ended_on")
        if ended_on > today:
            raise ServiceError(_("The discharge date cannot be in the future."), field="ended_on")
    status = (status or "").strip()
    choices = STATUS_CHOICES.get(kind)
    if choices is not None:
        if status not in choices.values:
            raise ServiceError(_("Choose the new status: %(values)s.") % {"values": ", ".join(choices.values)}, field="status")
    elif status:
        raise ServiceError(_("Only employment and housing changes have a status."), field="status")
    return kind, occurred_on, ended_on, status


def _check_client(actor: Any, client: Client, roles: frozenset[str]) -> None:
    if actor.role not in roles:
        raise NotAllowed("Your role does not record service use.")
    if client.organisation_id != actor.organisation_id or not visible_clients(actor).filter(pk=client.pk).exists():
        raise NotAllowed("Not one of your clients.")


def service_event_create(
    *, actor: Any, client: Client, kind: str, occurred_on: date | None, ended_on: date | None = None,
    status: str = "", facility: str = "",
) -> ServiceEvent:
    _check_client(actor, client, ENTRY_ROLES)
    kind, occurred_on, ended_on, status = clean_event(kind=kind, occurred_on=occurred_on, ended_on=ended_on, status=status)
    facility = (facility or "").strip()
    if len(facility) > 200:
        raise ServiceError(_("Keep the facility name under 200 characters."), field="facility")
    with transaction.atomic():
        event = ServiceEvent.objects.create(
            organisation_id=actor.organisation_id, client=client, kind=kind, occurred_on=occurred_on,
            ended_on=ended_on, status=status, facility=facility, recorded_by=actor, source=EventSource.STAFF,
        )
        audit_record(actor=actor, action=AuditAction.CREATE, target=event, client=client, detail={"kind": kind})
    return event


def service_event_deactivate(*, actor: Any, event: ServiceEvent) -> ServiceEvent:
    """Withdraw a wrong entry (records are deactivated, never deleted)."""
    _check_client(actor, event.client, ENTRY_ROLES | IMPORT_ROLES)
    with transaction.atomic():
        locked = ServiceEvent.objects.select_for_update().get(pk=event.pk)
        if not locked.is_active:
            raise ServiceError(_("This entry was already withdrawn."), field="event")
        locked.is_active = False
        locked.save(update_fields=["is_active", "updated_at"])
        audit_record(actor=actor, action=AuditAction.DEACTIVATE, target=locked, client=locked.client)
    return locked


def comparison_enrol(*, actor: Any, client: Client, index_date: date, note: str = "") -> ComparisonEnrolment:
    """Register a client as usual care (no peer support) for evaluations."""
    if actor.role not in ENROL_ROLES:
        raise NotAllowed("Only program leaders define the comparison group.")
    if client.organisation_id != actor.organisation_id:
        raise NotAllowed("Client of another organisation.")
    if index_date > timezone.localdate():
        raise ServiceError(_("The date cannot be in the future."), field="index_date")
    check_date_range(index_date, field="index_date")
    if client.matches.exists():
        raise ServiceError(_("This client has had peer support, so cannot be in the comparison group."), field="client")
    with transaction.atomic():
        enrolment, _created = ComparisonEnrolment.objects.update_or_create(
            client=client, defaults={"organisation_id": actor.organisation_id, "index_date": index_date,
                                     "note": note.strip()[:200], "is_active": True},
        )
        audit_record(actor=actor, action=AuditAction.UPDATE, target=enrolment, client=client)
    return enrolment


# ---------------------------------------------------------------- CSV import

@dataclass
class RowProblem:
    row: int
    column: str
    reason: str


@dataclass
class ImportResult:
    run: ImportRun
    imported: int
    problems: list[RowProblem] = field(default_factory=list)


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def import_service_events(*, actor: Any, data: bytes | str, filename: str = "") -> ImportResult:
    """Import a CSV of service events. Good rows are kept (written in batches, each batch in its own
    transaction); every bad row is reported with its row number, column and reason. Re-importing the
    same file adds nothing twice (a row identical to an existing active event is reported as a duplicate)."""
    if actor.role not in IMPORT_ROLES:
        raise NotAllowed("Your role does not import service use.")
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ServiceError(_("The file is not UTF-8 text. Save it as CSV (UTF-8)."), field="file") from None
    reader = csv.DictReader(io.StringIO(data))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in IMPORT_REQUIRED if c not in header]
    if missing:
        raise ServiceError(_("The header row lacks the column(s): %(cols)s.") % {"cols": ", ".join(missing)}, field="file")
    reader.fieldnames = header
    visible = {
        rn: pk for rn, pk in visible_clients(actor).exclude(record_number="").values_list("record_number", "pk")
    }
    existing = set(
        ServiceEvent.objects.filter(organisation_id=actor.organisation_id, is_active=True, client_id__in=visible.values())
        .values_list("client_id", "kind", "occurred_on", "external_id")
    )
    problems: list[RowProblem] = []
    good: list[ServiceEvent] = []
    total = 0
    for line, record in enumerate(reader, start=2):
        total += 1
        if total > IMPORT_MAX_ROWS:  # the whole file is refused: never a silent partial import
            raise ServiceError(_("Too many rows: import at most %(n)s at a time; nothing was imported.")
                               % {"n": IMPORT_MAX_ROWS}, field="file")
        if None in record:  # more fields than the header has
            problems.append(RowProblem(line, "", _("This row has more fields than the header.")))
            continue
        values = {c: (record.get(c) or "").strip() for c in IMPORT_COLUMNS}
        client_id = visible.get(values["record_number"])
        if not values["record_number"]:
            problems.append(RowProblem(line, "record_number", _("Empty: give the client's record number.")))
            continue
        if client_id is None:
            problems.append(RowProblem(line, "record_number", _("No client of yours has this record number.")))
            continue
        occurred_on = _parse_date(values["occurred_on"]) if values["occurred_on"] else None
        if values["occurred_on"] and occurred_on is None:
            problems.append(RowProblem(line, "occurred_on", _("Not a date: write it as YYYY-MM-DD.")))
            continue
        ended_on = _parse_date(values["ended_on"]) if values["ended_on"] else None
        if values["ended_on"] and ended_on is None:
            problems.append(RowProblem(line, "ended_on", _("Not a date: write it as YYYY-MM-DD.")))
            continue
        try:
            kind, occurred_on, ended_on, status = clean_event(
                kind=values["kind"], occurred_on=occurred_on, ended_on=ended_on, status=values["status"])
        except ServiceError as exc:
            problems.append(RowProblem(line, exc.field or "", exc.reason))
            continue
        if len(values["facility"]) > 200 or len(values["external_id"]) > 80:
            column = "facility" if len(values["facility"]) > 200 else "external_id"
            problems.append(RowProblem(line, column, _("Too long.")))
            continue
        key = (client_id, kind, occurred_on, values["external_id"])
        if key in existing:
            problems.append(RowProblem(line, "", _("Duplicate: this event is already recorded.")))
            continue
        existing.add(key)
        good.append(ServiceEvent(
            organisation_id=actor.organisation_id, client_id=client_id, kind=kind, occurred_on=occurred_on,
            ended_on=ended_on, status=status, facility=values["facility"], external_id=values["external_id"],
            recorded_by=actor, source=EventSource.IMPORT,
        ))
    # All or nothing per file (issue 10 point 14): the run is recorded (committed) before the first row,
    # then every row, its audit events and the run's "done" are one transaction. A process killed
    # mid-import leaves no rows and a run that still says "running".
    run = ImportRun.objects.create(organisation_id=actor.organisation_id, uploaded_by=actor, filename=filename[:200],
                                   rows_total=total, status="running")
    imported = 0
    with transaction.atomic():
        for start in range(0, len(good), IMPORT_BATCH):
            batch = good[start:start + IMPORT_BATCH]
            created = ServiceEvent.objects.bulk_create(batch)
            now = timezone.now()
            audit_record_history([{  # one bulk insert of chained events per batch, not one query per row
                "organisation_id": actor.organisation_id, "actor_id": actor.pk, "actor_username": actor.username,
                "action": AuditAction.CREATE, "target_type": "outcomes.serviceevent", "target_id": event.pk,
                "client_id": event.client_id, "occurred_at": now, "detail": {"kind": event.kind, "source": "import"},
                "path": current_origin().path,
            } for event in created])
            imported += len(batch)
        run.rows_imported = imported
        run.status = "done"
        run.errors = [{"row": p.row, "column": p.column, "reason": str(p.reason)} for p in problems]
        run.save(update_fields=["rows_imported", "status", "errors", "updated_at"])
        audit_record(actor=actor, action=AuditAction.CREATE, target=run,
                     detail={"rows": total, "imported": imported, "refused": len(problems)})
    return ImportResult(run=run, imported=imported, problems=problems)
