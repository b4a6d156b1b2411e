"""Tamper evidence for the audit trail, on SQLite and PostgreSQL alike.

Each event stores ``chain_hash = sha256(previous_hash + canonical fields)``, chained per
organisation (events without one form their own chain). Changing, removing or inserting a row
anywhere but the end breaks the next link; ``peerpath audit verify`` reports the first broken one.

Two writers must not both chain onto the same head. On PostgreSQL ``pg_advisory_xact_lock``
(keyed by organisation, held until the writing transaction ends) serialises them; SQLite
transactions here are IMMEDIATE, so writers are serialised already.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import connection
from django.db.models import Q

# An arbitrary 32-bit namespace so our advisory locks never collide with anyone else's.
LOCK_NAMESPACE = 0x50505041  # "PPPA"


def lock_chain_head(organisation_id: int | None) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, int(organisation_id or 0)])


def _in_chain(organisation_id: int | None) -> Q:
    return Q(organisation__isnull=True) if organisation_id is None else Q(organisation_id=organisation_id)


def chain_head(organisation_id: int | None) -> str:
    from peerpath.core.models import AuditEvent

    last = (
        AuditEvent.objects.filter(_in_chain(organisation_id)).exclude(chain_hash="")
        .order_by("-id").values_list("chain_hash", flat=True).first()
    )
    return last or ""


def event_digest(previous_hash: str, fields: dict[str, Any], subject_ids: list[int]) -> str:
    occurred_at = fields["occurred_at"].astimezone(UTC).isoformat(timespec="microseconds")
    canonical = json.dumps(
        [
            previous_hash, fields["organisation_id"], fields["actor_id"], fields["actor_username"], fields["action"],
            fields["target_type"], fields["target_id"], fields["client_id"], fields["ip_address"], fields["user_agent"],
            fields["path"], occurred_at, fields["detail"], sorted(subject_ids),
        ],
        sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


FIELDS = (
    "id", "organisation_id", "actor_id", "actor_username", "action", "target_type", "target_id", "client_id",
    "ip_address", "user_agent", "path", "occurred_at", "detail", "previous_hash", "chain_hash",
)


@dataclass(frozen=True)
class BrokenLink:
    event_id: int
    organisation_id: int | None
    problem: str


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    unchained: int
    broken: BrokenLink | None


def _rows(organisation_id: int | None) -> Iterator[dict[str, Any]]:
    from peerpath.core.models import AuditEvent, AuditEventSubject

    chunk: list[dict[str, Any]] = []
    rows = AuditEvent.objects.filter(_in_chain(organisation_id)).order_by("id").values(*FIELDS).iterator(chunk_size=2000)
    for row in rows:
        chunk.append(row)
        if len(chunk) == 2000:
            yield from _with_subjects(chunk, AuditEventSubject)
            chunk = []
    yield from _with_subjects(chunk, AuditEventSubject)


def _with_subjects(chunk: list[dict[str, Any]], subject_model: Any) -> Iterator[dict[str, Any]]:
    subjects: dict[int, list[int]] = {}
    for event_id, client_id in subject_model.objects.filter(event_id__in=[r["id"] for r in chunk]).values_list("event_id", "client_id"):
        subjects.setdefault(event_id, []).append(client_id)
    for row in chunk:
        row["subjects"] = subjects.get(row["id"], [])
        yield row


def verify_chains() -> VerifyResult:
    """Walk every organisation's chain from its start; stop at the first broken link."""
    from peerpath.core.models import AuditEvent

    organisation_ids = sorted(
        set(AuditEvent.objects.values_list("organisation_id", flat=True).distinct()), key=lambda pk: (pk is not None, pk or 0)
    )
    checked = unchained = 0
    for organisation_id in organisation_ids:
        previous = ""
        started = False
        for row in _rows(organisation_id):
            checked += 1
            if not row["chain_hash"]:
                if started:
                    return VerifyResult(checked, unchained, BrokenLink(row["id"], organisation_id, "an event without a hash inside the chain"))
                unchained += 1  # written before tamper evidence existed
                continue
            if started and row["previous_hash"] != previous:
                return VerifyResult(checked, unchained, BrokenLink(row["id"], organisation_id, "does not follow the event before it (one was removed or inserted)"))
            if event_digest(row["previous_hash"], row, row["subjects"]) != row["chain_hash"]:
                return VerifyResult(checked, unchained, BrokenLink(row["id"], organisation_id, "its content was changed after it was written"))
            previous, started = row["chain_hash"], True
    return VerifyResult(checked, unchained, None)
