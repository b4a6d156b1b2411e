"""Reads of core records, always scoped to the reader's organisation."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from peerpath.core.audit import audit_shown
from peerpath.core.choices import Role
from peerpath.core.models import AuditEvent, Team


def teams_for(user: Any) -> QuerySet[Team]:
    return Team.objects.filter(organisation_id=user.organisation_id, is_active=True)


def audit_trail_shown(user: Any, events: Any, client_choices: Any) -> list[AuditEvent]:
    """A page of the audit trail about to be shown, with the client filter's choices: reading the
    trail names clients too, so it is itself audited (one event, a subject per client shown).
    The filter's choices are the whole organisation's until it becomes a type-ahead (issue 13)."""
    rows = list(events)
    shown = [e.client_id for e in rows] + list(client_choices.values_list("pk", flat=True))
    audit_shown(actor=user, target_type="core.auditevent", client_ids=shown)
    return rows


def audit_events_search(*, user: Any, client_id: int | None = None, actor_id: int | None = None) -> QuerySet[AuditEvent]:
    """The audit trail of the admin's own organisation, newest first."""
    if getattr(user, "role", None) != Role.ADMIN:
        return AuditEvent.objects.none()
    events = AuditEvent.objects.filter(organisation_id=user.organisation_id).select_related("client")
    if client_id:
        # Lists name their clients as subjects: a list read is found by any client it showed.
        events = events.filter(Q(client_id=client_id) | Q(subjects__client_id=client_id)).distinct()
    if actor_id:
        events = events.filter(actor_id=actor_id)
    return events
