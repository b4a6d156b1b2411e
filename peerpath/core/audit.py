"""Writing the audit trail. Services call ``audit_record`` explicitly for every read or change
of a client record (no signals: a signal-based log silently misses writes made elsewhere).

Every event is chained to the previous one of its organisation (``peerpath.core.audit_chain``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from peerpath.core.audit_chain import chain_head, event_digest, lock_chain_head
from peerpath.core.choices import AuditAction
from peerpath.core.models import AuditEvent, AuditEventSubject
from peerpath.core.request_context import current_origin

if TYPE_CHECKING:
    from django.db.models import Model


@dataclass(frozen=True)
class ClientActor:
    """The client themselves, acting without a staff account (their own answers through a one-time
    link): the event has no staff actor and names the client as ``client:<id>``, so the trail never
    says the link's maker did what the client did."""

    client_id: int
    organisation_id: int
    pk: None = None

    @property
    def username(self) -> str:
        return f"client:{self.client_id}"


def client_actor(client: Any) -> ClientActor:
    return ClientActor(client_id=client.pk, organisation_id=client.organisation_id)


def audit_record(
    *,
    actor: Any,
    action: str,
    target: Model | None = None,
    target_type: str = "",
    target_id: str | int = "",
    client: Any = None,
    detail: dict[str, Any] | None = None,
    client_ids: Iterable[int] = (),
) -> AuditEvent:
    """``client_ids``: every client the read showed (a list, a dashboard): each becomes a
    searchable ``AuditEventSubject``, and the ids are covered by the event's hash."""
    origin = current_origin()
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or target.pk
    organisation_id = getattr(actor, "organisation_id", None) or getattr(client, "organisation_id", None)
    ip_field = AuditEvent._meta.get_field("ip_address")
    fields: dict[str, Any] = {
        "organisation_id": organisation_id,
        "actor_id": actor.pk if getattr(actor, "pk", None) else None,
        "actor_username": getattr(actor, "username", "") or "",
        "action": action,
        "target_type": target_type,
        "target_id": str(target_id or ""),
        "client_id": getattr(client, "pk", None),
        "ip_address": ip_field.get_prep_value(origin.ip_address) or None,
        "user_agent": origin.user_agent,
        "path": origin.path,
        "detail": detail or {},
    }
    subjects = sorted({int(pk) for pk in client_ids if pk is not None} | ({client.pk} if getattr(client, "pk", None) else set()))
    with transaction.atomic():
        lock_chain_head(organisation_id)
        previous = chain_head(organisation_id)
        fields["occurred_at"] = timezone.now()
        digest = event_digest(previous, fields, subjects)
        event = AuditEvent.objects.create(previous_hash=previous, chain_hash=digest, **fields)
        _write_subjects([(event.pk, pk) for pk in subjects])
        return event


# From this many subjects on, PostgreSQL gets them by COPY; a page's list stays one INSERT (as quick, and
# seen by query counts, which do not see COPY).
COPY_SUBJECTS_FROM = 200


def _write_subjects(pairs: list[tuple[int, int]]) -> None:
    """(event id, client id) rows. On PostgreSQL a long list goes by ``COPY`` (an import's batch event names
    up to a thousand clients: bulk_create spent its time building a model instance per row)."""
    if not pairs:
        return
    if connection.vendor == "postgresql" and len(pairs) >= COPY_SUBJECTS_FROM:
        with connection.cursor() as cursor, cursor.copy(
                f"COPY {AuditEventSubject._meta.db_table} (event_id, client_id) FROM STDIN") as copy:
            for pair in pairs:
                copy.write_row(pair)
        return
    AuditEventSubject.objects.bulk_create([AuditEventSubject(event_id=event_id, client_id=pk) for event_id, pk in pairs])


def audit_record_history(events: Iterable[dict[str, Any]], *, batch_size: int = 2000) -> int:
    """Write past events in bulk (demo history, imported history), each chained onto its
    organisation's head in the given order, exactly as ``audit_record`` would chain them one by one.
    Each dict holds AuditEvent fields; ``ip_address``, ``user_agent`` and ``detail`` may be left out.

    On PostgreSQL the rows go in with ``COPY`` under ids taken from the table's sequence in chain order
    (while the organisation's chain lock is held, so nobody else chains onto the same head); the ORM's
    bulk_create spent most of a 100,000-row import building a model instance and an array parameter
    per field. Elsewhere bulk_create. Either way every event gets one ``AuditEventSubject`` for its
    client, as ``audit_record`` writes it, and the hash covers it."""
    heads: dict[int | None, str] = {}
    pending: list[dict[str, Any]] = []
    written = 0
    write = _copy_history if connection.vendor == "postgresql" else _write_history
    with transaction.atomic():
        for raw in events:
            fields = {"ip_address": None, "user_agent": "", "detail": {}, "client_id": None, "path": "", **raw}
            fields["target_id"] = str(fields.get("target_id") or "")
            organisation_id = fields["organisation_id"]
            if organisation_id not in heads:
                lock_chain_head(organisation_id)
                heads[organisation_id] = chain_head(organisation_id)
            subjects = [fields["client_id"]] if fields["client_id"] else []
            fields["previous_hash"] = heads[organisation_id]
            fields["chain_hash"] = heads[organisation_id] = event_digest(heads[organisation_id], fields, subjects)
            pending.append(fields)
            if len(pending) >= batch_size:
                write(pending)
                written += len(pending)
                pending = []
        if pending:
            write(pending)
            written += len(pending)
    return written


def _write_history(events: list[dict[str, Any]]) -> None:
    created = AuditEvent.objects.bulk_create([AuditEvent(**fields) for fields in events])
    _write_subjects([(e.pk, e.client_id) for e in created if e.client_id])


_HISTORY_COLUMNS = ("organisation_id", "actor_id", "actor_username", "action", "target_type", "target_id", "client_id",
                    "ip_address", "user_agent", "path", "occurred_at", "detail", "previous_hash", "chain_hash")


def _copy_history(events: list[dict[str, Any]]) -> None:
    """PostgreSQL: take one id per event from the sequence (ascending, in the events' chain order: the
    chain is verified in id order), then COPY the events and their subjects."""
    event_table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                       [event_table, len(events)])
        ids = sorted(row[0] for row in cursor.fetchall())
        columns = ", ".join(_HISTORY_COLUMNS)
        with cursor.copy(f"COPY {event_table} (id, {columns}) FROM STDIN") as copy:
            for pk, fields in zip(ids, events, strict=True):
                fields["id"] = pk
                copy.write_row([pk, *[fields[c] for c in _HISTORY_COLUMNS[:11]],
                                json.dumps(fields["detail"]),  # as JSONField stores it
                                fields["previous_hash"], fields["chain_hash"]])
    _write_subjects([(fields["id"], fields["client_id"]) for fields in events if fields["client_id"]])


def audit_shown(*, actor: Any, target_type: str, client_ids: Iterable[int | None],
                detail: dict[str, Any] | None = None) -> AuditEvent | None:
    """A list or page about to show these clients (a home page, a form's choices, a due list): one
    ``list`` event per request with one searchable subject per client, written in bulk. A list that
    shows no client writes nothing (there is no client read to account for)."""
    ids = sorted({int(pk) for pk in client_ids if pk is not None})
    if not ids:
        return None
    return audit_record(actor=actor, action=AuditAction.LIST, target_type=target_type, detail={"ids": ids, **(detail or {})},
                        client_ids=ids)
