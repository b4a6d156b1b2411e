"""Reads of core records, always scoped to the reader's organisation."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from peerpath.core.choices import Role
from peerpath.core.models import AuditEvent, Team


def teams_for(user: Any) -> QuerySet[Team]:
    return Team.objects.filter(organisation_id=user.organisation_id, is_active=True)


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
