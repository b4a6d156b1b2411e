"""Writes for service use: keyword-only, permission check before any write, one transaction, audited."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.clients.models import Client
from peerpath.clients.permissions import visible_clients
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.lib.csvrows import CsvFileError, CsvRow, csv_rows
from peerpath.outcomes.choices import STATUS_CHOICES, EventKind, EventSource
from peerpath.outcomes.models import ComparisonEnrolment, ImportRun, ServiceEvent

logger = logging.getLogger(__name__)
ENTRY_ROLES = frozenset({Role.PEER, Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER})
IMPORT_ROLES = frozenset({Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER, Role.ADMIN})
ENROL_ROLES = frozenset({Role.LEADER})
IMPORT_COLUMNS = ("record_number", "kind", "occurred_on", "ended_on", "status", "facility", "external_id")
IMPORT_REQUIRED = ("record_number", "kind", "occurred_on")
IMPORT_BATCH = 1000
# The largest file the page and the API take; the only bound on an import (no row cap).
IMPORT_MAX_BYTES = 10 * 1024 * 1024
# The domain of every service-use and comparison date: nothing before 1900 (a typo such as 0050-12-18 would
# otherwise be stored and break every evaluation of the organisation), nothing in the future.
EARLIEST_DATE = date(1900, 1, 1)


def check_date_range(value: date | None, *, field: str) -> None:
    if value is not None and value < EARLIEST_DATE:
        raise ServiceError(_("The date is before %(d)s; check the year.") % {"d": EARLIEST_DATE.isoformat()}, field=field)


_KINDS = frozenset(EventKind.values)
_STATUSES = {kind: frozenset(choices.values) for kind, choices in STATUS_CHOICES.items()}


def clean_event(*, kind: str, occurred_on: date | None, ended_on: date | None, status: str,
                today: date | None = None) -> tuple[str, date, date | None, str]:
    """The rules every service event follows, for the form, the API and the CSV import alike (the import
    passes ``today`` once per batch: asking the time zone for every row was a tenth of its time)."""
    today = today or timezone.localdate()
    if kind not in _KINDS:
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
        if status not in _STATUSES[kind]:
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


class _Progress:
    """Rows read so far, written to the run where another request can see it while the import runs.

    The rows themselves are written in one transaction (all or nothing per file), so an update made
    inside it would be invisible until the end. On PostgreSQL the count is written through a second,
    autocommit connection to the same database (one short UPDATE per batch of the committed "running"
    run row, which the import's own transaction does not lock until it finishes); with the psycopg pool
    it is a second connection from the pool while the import runs. A failure there only stops the
    progress. SQLite allows one writer at a time, so there the count is only written with the result
    (development and tests): the page then says "Importing …" without a count."""

    def __init__(self, run: ImportRun) -> None:
        self.run_id = run.pk
        self.side: Any = None
        # Only when the run row is committed: inside a caller's transaction (the demo seed, a test) another
        # connection's UPDATE of the uncommitted row waited for that transaction, which waited for the UPDATE —
        # the import hung. The lock timeout makes any other wait end in "no progress", never a hang.
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            wrapper = connections[DEFAULT_DB_ALIAS]
            self.side = type(wrapper)(dict(wrapper.settings_dict), alias=DEFAULT_DB_ALIAS)

    def update(self, rows_done: int) -> None:
        if self.side is None:
            return
        try:
            with self.side.cursor() as cursor:
                cursor.execute("SET lock_timeout = '500ms'")
                cursor.execute("UPDATE outcomes_importrun SET rows_done = %s, updated_at = %s WHERE id = %s",
                               [rows_done, timezone.now(), self.run_id])
        except Exception:  # progress is a courtesy: a full pool or a lost connection never stops the import
            logger.warning("import %s: progress not recorded", self.run_id, exc_info=True)
            self.close()
            self.side = None

    def close(self) -> None:
        if self.side is not None:
            try:
                self.side.close()
            except Exception:  # pragma: no cover - closing a broken connection
                logger.warning("import %s: progress connection not closed cleanly", self.run_id, exc_info=True)


def _batches(rows: Iterable[CsvRow], size: int) -> Iterator[list[CsvRow]]:
    batch: list[CsvRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


Checked = tuple  # (line, client_id, kind, occurred_on, ended_on, status, facility, external_id)


def _check_row(line: int, values: dict[str, str], client_id: int | None, today: date) -> Checked | RowProblem:
    """One row's values, checked, or the row's problem (the first one found)."""
    if not values["record_number"]:
        return RowProblem(line, "record_number", _("Empty: give the client's record number."))
    if client_id is None:
        return RowProblem(line, "record_number", _("No client of yours has this record number."))
    occurred_on = _parse_date(values["occurred_on"]) if values["occurred_on"] else None
    if values["occurred_on"] and occurred_on is None:
        return RowProblem(line, "occurred_on", _("Not a date: write it as YYYY-MM-DD."))
    ended_on = _parse_date(values["ended_on"]) if values["ended_on"] else None
    if values["ended_on"] and ended_on is None:
        return RowProblem(line, "ended_on", _("Not a date: write it as YYYY-MM-DD."))
    try:
        kind, occurred_on, ended_on, status = clean_event(
            kind=values["kind"], occurred_on=occurred_on, ended_on=ended_on, status=values["status"], today=today)
    except ServiceError as exc:
        return RowProblem(line, exc.field or "", exc.reason)
    for column, most in (("facility", 200), ("external_id", 80)):
        if len(values[column]) > most:
            return RowProblem(line, column, _("Too long: at most %(n)s characters.") % {"n": most})
    return (line, client_id, kind, occurred_on, ended_on, status, values["facility"], values["external_id"])


_EVENT_COLUMNS = ("id", "created_at", "updated_at", "is_active", "organisation_id", "recorded_by_id", "source",
                  "client_id", "kind", "occurred_on", "ended_on", "status", "facility", "external_id")


def _write_events(actor: Any, good: list[Checked]) -> list[tuple[int, int, str]]:
    """Insert one batch; returns (id, client_id, kind) of each new event. On PostgreSQL ids from the
    table's sequence, then one ``COPY`` (the ORM's bulk_create, and before it an ``INSERT ... unnest``
    of array parameters, spent most of the import's time building a model instance or dumping an array
    element per field in Python); elsewhere bulk_create."""
    if connection.vendor == "postgresql":
        now = timezone.now()
        table = ServiceEvent._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(good)])
            ids = sorted(row[0] for row in cursor.fetchall())
            fixed = (now, now, True, actor.organisation_id, actor.pk, EventSource.IMPORT.value)
            with cursor.copy(f"COPY {table} ({', '.join(_EVENT_COLUMNS)}) FROM STDIN") as copy:
                for pk, row in zip(ids, good, strict=True):
                    copy.write_row((pk, *fixed, *row[1:]))
        return [(pk, row[1], row[2]) for pk, row in zip(ids, good, strict=True)]
    created = ServiceEvent.objects.bulk_create([
        ServiceEvent(organisation_id=actor.organisation_id, recorded_by=actor, source=EventSource.IMPORT,
                     client_id=client_id, kind=kind, occurred_on=occurred_on, ended_on=ended_on, status=status,
                     facility=facility, external_id=external_id)
        for _line, client_id, kind, occurred_on, ended_on, status, facility, external_id in good])
    return [(e.pk, e.client_id, e.kind) for e in created]


_EXISTING_KEYS = """
SELECT e.client_id, e.kind, e.occurred_on, e.external_id
FROM jsonb_to_recordset(%s::jsonb) AS t(c bigint, k text, d date, x text)
JOIN "outcomes_serviceevent" e ON e.client_id = t.c AND e.occurred_on = t.d AND e.kind = t.k AND e.external_id = t.x
WHERE e.organisation_id = %s AND e.is_active
"""


def _existing_keys(actor: Any, checked: list[Checked]) -> set[tuple[int, str, date, str]]:
    """The (client, kind, date, source id) keys of the batch that are already active events: exactly
    these keys, not every event of the batch's clients. On PostgreSQL the keys go as one JSON
    parameter (one string, not four arrays of 1,000 elements to dump); elsewhere an ORM filter."""
    if connection.vendor == "postgresql":
        keys = json.dumps([{"c": row[1], "k": row[2], "d": row[3].isoformat(), "x": row[7]} for row in checked])
        with connection.cursor() as cursor:
            cursor.execute(_EXISTING_KEYS, [keys, actor.organisation_id])
            return set(cursor.fetchall())
    return set(
        ServiceEvent.objects.filter(organisation_id=actor.organisation_id, is_active=True,
                                    client_id__in={row[1] for row in checked},
                                    occurred_on__in={row[3] for row in checked})
        .values_list("client_id", "kind", "occurred_on", "external_id")
    )


def _import_batch(actor: Any, run_id: int, batch: list[CsvRow], problems: list[RowProblem]) -> int:
    """Check one batch against the database (only the record numbers and dates in it), write its good
    rows and their audit event in bulk. Rows written by earlier batches of this file are in the same
    transaction, so the duplicate check sees them too: nothing from the file is kept in memory."""
    rows = []
    for row in batch:
        if row.problem is not None:
            problems.append(RowProblem(row.line, row.problem.column, row.problem.reason))
        else:
            values = row.values
            rows.append((row.line, values if all(c in values for c in IMPORT_COLUMNS)
                         else {c: values.get(c, "") for c in IMPORT_COLUMNS}))
    numbers = {values["record_number"] for _line, values in rows if values["record_number"]}
    clients = dict(visible_clients(actor).filter(record_number__in=numbers).values_list("record_number", "pk")) if numbers else {}
    checked: list[Checked] = []
    today = timezone.localdate()
    for line, values in rows:
        outcome = _check_row(line, values, clients.get(values["record_number"]), today)
        if isinstance(outcome, RowProblem):
            problems.append(outcome)
        else:
            checked.append(outcome)
    if not checked:
        return 0
    existing = _existing_keys(actor, checked)
    good: list[Checked] = []
    for row in checked:
        key = (row[1], row[2], row[3], row[7])
        if key in existing:
            problems.append(RowProblem(row[0], "", _("Duplicate: this event is already recorded.")))
            continue
        existing.add(key)
        good.append(row)
    if not good:
        return 0
    created = _write_events(actor, good)
    # The batch's audit trace: one event naming each new event (id, client, kind) and one searchable
    # subject per client, all covered by the event's hash. One chained event per row cost half the
    # import's time (a row, nine index entries and three foreign-key checks each) and said no more.
    audit_record(actor=actor, action=AuditAction.CREATE, target_type="outcomes.serviceevent",
                 detail={"source": "import", "run": run_id, "events": [list(row) for row in created]},
                 client_ids={client_id for _pk, client_id, _kind in created})
    return len(created)


def import_service_events(
    *, actor: Any, data: Any, filename: str = "", on_batch: Callable[[ImportRun, int], None] | None = None,
) -> ImportResult:
    """Import a CSV of service events, read as a stream (``data``: bytes, text, or a binary or text file
    such as an upload). Good rows are kept; every bad row is reported with its line number in the file,
    column and reason (the file's rows are never capped: the upload size is the only limit). Re-importing
    the same file adds nothing twice (a row identical to an existing active event is a duplicate).

    All or nothing per file (issue 10 point 14): the run is recorded (committed) as "running" before
    the first row is read; then every row, its audit events and the run's "done" are one transaction,
    so a process killed mid-import leaves no rows and a run that still says "running". While it runs,
    ``rows_done`` counts the rows read (see ``_Progress``). ``on_batch(run, rows_done)`` is called after
    each batch (tests use it to look from outside)."""
    if actor.role not in IMPORT_ROLES:
        raise NotAllowed("Your role does not import service use.")
    try:
        rows = csv_rows(data, required=IMPORT_REQUIRED)
    except CsvFileError as exc:
        raise ServiceError(exc.problem.reason, field="file") from None
    filename = "".join(ch for ch in (filename or "") if ch.isprintable())[:200]  # a name from a browser or a client
    run = ImportRun.objects.create(organisation_id=actor.organisation_id, uploaded_by=actor, filename=filename,
                                   status="running")
    progress = _Progress(run)
    problems: list[RowProblem] = []
    total = imported = 0
    try:
        with transaction.atomic():
            for batch in _batches(rows, IMPORT_BATCH):
                imported += _import_batch(actor, run.pk, batch, problems)
                total += len(batch)
                progress.update(total)
                if on_batch is not None:
                    on_batch(run, total)
            problems.sort(key=lambda p: p.row)  # per batch, the reader's problems came first
            run.rows_total = run.rows_done = total
            run.rows_imported = imported
            run.status = "done"
            run.errors = [{"row": p.row, "column": p.column, "reason": str(p.reason)} for p in problems]
            run.save(update_fields=["rows_total", "rows_done", "rows_imported", "status", "errors", "updated_at"])
            audit_record(actor=actor, action=AuditAction.CREATE, target=run,
                         detail={"rows": total, "imported": imported, "refused": len(problems)})
    except Exception:
        # Nothing of the file was written (the transaction rolled back); the run says so.
        ImportRun.objects.filter(pk=run.pk).update(status="failed", rows_done=total, updated_at=timezone.now())
        raise
    finally:
        progress.close()
    return ImportResult(run=run, imported=imported, problems=problems)
