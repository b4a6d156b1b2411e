"""Writing the audit trail. Services call ``audit_record`` explicitly for every read or change
of a client record (no signals: a signal-based log silently misses writes made elsewhere)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from peerpath.core.models import AuditEvent
from peerpath.core.request_context import current_origin

if TYPE_CHECKING:
    from django.db.models import Model


def audit_record(
    *,
    actor: Any,
    action: str,
    target: Model | None = None,
    target_type: str = "",
    target_id: str | int = "",
    client: Any = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    origin = current_origin()
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or target.pk
    organisation_id = getattr(actor, "organisation_id", None) or getattr(client, "organisation_id", None)
    return AuditEvent.objects.create(
        organisation_id=organisation_id,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_username=getattr(actor, "username", "") or "",
        action=action,
        target_type=target_type,
        target_id=str(target_id or ""),
        client=client,
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
        path=origin.path,
        detail=detail or {},
    )
